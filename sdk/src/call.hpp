// call.hpp: the per-call context of the pipeline. Each stage fills its part, in order:
//
//   normalize/  Query::text          -> norm        (normalize())
//   match/      norm                 -> hits, regex_hits   (Matcher::scan)
//   decide/     hits, regex_hits     -> verdict     (Decider::run: fired rules, contexts, scores, winner)
//   decide/     verdict              -> Decision    (assemble_decision: evidence, cards, holdout)
//
// The engine keeps one Call per thread and reuses it (stamps, not clearing), so a call that
// matches nothing allocates nothing once the vectors have grown.
#pragma once

#include <vector>

#include "decide/decider.hpp"
#include "match/matcher.hpp"
#include "normalize/normalizer.hpp"

namespace signpost::detail {

struct Call {
  NormalizedText norm;
  std::vector<Hit> hits;
  std::vector<RegexHit> regex_hits;
  Verdict verdict;
};

}  // namespace signpost::detail
