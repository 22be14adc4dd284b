// decide/assemble.hpp: the last stage, a call's verdict made into the Decision the host sees.
//
// Contract: the evidence is every fired rule whose category still scores after contexts, in text
// order, with offsets mapped back to bytes of the text as given; the action and category are the
// winner's; the cards are the winner's, in the query's locale (without one, in the language of the
// earliest matched term) following the catalog's locale chain; a holdout (host rate, else the
// category's) turns the action to none for a subject whose bucket is under the rate.
#pragma once

#include "call.hpp"
#include "cards/catalog.hpp"
#include "decide/decider.hpp"
#include "pack/model.hpp"
#include "signpost/engine.hpp"

namespace signpost::detail {

// What assembly reads besides the call: the compiled pack. Plain references, no ownership.
struct DecisionContext {
  const PackModel& model;
  const Decider& decider;
  const CardCatalog& catalog;
  const EngineOptions& options;
};

// Sorts call.verdict.fired into text order (hence the non-const call).
Decision assemble_decision(const DecisionContext& ctx, const Query& q, Call& call);

}  // namespace signpost::detail
