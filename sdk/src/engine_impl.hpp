// engine_impl.hpp: what an Engine holds once its pack is compiled, and the per-call pipeline
// normalize -> match -> decide -> cards (one folder each under sdk/src/).
#pragma once

#include <string_view>

#include "cards/catalog.hpp"
#include "decide/decider.hpp"
#include "match/matcher.hpp"
#include "pack/model.hpp"
#include "signpost/engine.hpp"

namespace signpost::detail {

class EngineImpl {
 public:
  EngineImpl(const std::filesystem::path& dir, const EngineOptions& options);  // throws ConfigError

  Decision evaluate(const Query& q) const;
  // Runs the pipeline and leaves the per-call state in the calling thread's scratch.
  Scratch& analyze(const Query& q) const noexcept;
  RedirectedResults redirect(const Query& q, std::span<const Result> results) const;
  LintReport lint() const;

  PackModel model;
  PackInfo info;
  EngineOptions options;
  Matcher matcher;
  Decider decider;
  CardCatalog catalog;
};

}  // namespace signpost::detail
