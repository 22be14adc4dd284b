// decide/redirect.hpp: where cards and results go in a redirected result list (docs/redirect.md).
//
// A pure function of the decisions: no pack, no engine. The query's cards come first when it
// intervenes; a result judged redirect (or interstitial, when the query itself redirects) is
// removed and one card of its decision not shown yet is swapped in at its place; a result judged
// interstitial or annotate is kept, flagged and moved after the clean results; a card is shown at
// most once.
#pragma once

#include <span>

#include "signpost/types.hpp"

namespace signpost::detail {

// `result_decisions[i]` is the post-mode decision on `results[i]` (same length).
RedirectedResults place_results(Decision query_decision, std::span<const Result> results,
                                std::span<const Decision> result_decisions);

}  // namespace signpost::detail
