// call.hpp: the per-call context of the pipeline. Each stage fills its part, in order:
//
//   normalize/  Query::text          -> norm        (normalize())
//   match/      norm                 -> hits, regex_hits   (Matcher::scan; then TypoIndex::scan and
//                                                          entities::append_hits add their hits)
//   classify/   norm, hits           -> hits        (Classifiers::scan: a classifier that fires is
//                                                    a hit over the whole text; then the regexes)
//   decide/     hits, regex_hits     -> verdict     (Decider::run: fired rules, contexts, scores, winner)
//   decide/     verdict              -> Decision    (assemble_decision: evidence, cards, holdout)
//
// The engine keeps one Call per thread and reuses it (stamps, not clearing), so a call that
// matches nothing allocates nothing once the vectors have grown.
#pragma once

#include <cstdint>
#include <vector>

#include "decide/decider.hpp"
#include "entities/entities.hpp"
#include "match/matcher.hpp"
#include "normalize/normalizer.hpp"

namespace signpost::detail {

struct Call {
  NormalizedText norm;
  std::vector<Hit> hits;
  std::vector<RegexHit> regex_hits;
  std::vector<entities::Entity> entities;  // built-in entities found (when the pack names any)
  std::uint32_t term_hits = 0, typo_hits = 0;  // hits[0, term_hits) came from terms, then typos, then entities, then classifiers
  Verdict verdict;
};

}  // namespace signpost::detail
