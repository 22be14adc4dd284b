// engine_impl.hpp: what an Engine holds once its pack is compiled, and the per-call pipeline
// normalize -> match -> decide -> decision (one folder each under sdk/src/; the per-call context
// each stage fills is call.hpp).
#pragma once

#include <string_view>

#include "call.hpp"
#include "cards/catalog.hpp"
#include "classify/classifiers.hpp"
#include "decide/decider.hpp"
#include "entities/entities.hpp"
#include "match/matcher.hpp"
#include "match/typo_index.hpp"
#include "pack/loader.hpp"
#include "pack/model.hpp"
#include "signpost/engine.hpp"

namespace signpost::detail {

class EngineImpl {
 public:
  EngineImpl(const std::filesystem::path& dir, const EngineOptions& options);  // throws ConfigError
  EngineImpl(const PackFiles& files, const EngineOptions& options);            // throws ConfigError

  Decision evaluate(const Query& q) const;
  // Runs normalize, match and decide into the calling thread's Call and returns it. With
  // `every_context` false (the decision's own path) a context is looked at only when a rule fired,
  // as only then can it change the decision; lint and trace ask for every context that holds.
  // May throw std::bad_alloc (normalize and the per-call scratch allocate), as evaluate() documents.
  Call& analyze(const Query& q, bool every_context = false) const;
  RedirectedResults redirect(const Query& q, std::span<const Result> results) const;
  LintReport lint() const;
  Trace trace(const Query& q) const;  // trace.cpp

 private:
  // Compiles a loaded model; throws ConfigError with `problems` and every later one. With trusted
  // keys, `signature` (the pack's pack.sig, nullptr when it has none) must sign the model's hash.
  void compile(std::vector<Problem> problems, const std::string* signature, const std::string& sig_path);

 public:

  PackModel model;
  PackInfo info;
  EngineOptions options;
  Matcher matcher;
  TypoIndex typos;                                      // lexicons with `typos: 1`
  unsigned entity_kinds = 0;                            // built-in entities the pack names
  std::array<unsigned, 2> entity_kinds_of_mode{};        // of them, those a query / a post scans
  std::array<std::uint32_t, entities::kKinds> entity_lexicon{};  // kind -> its lexicon index
  Classifiers classifiers;                              // the pack's classifiers (classify/)
  Decider decider;
  CardCatalog catalog;
  std::string pack_json;  // the pack's identity object in the decision JSON
};

}  // namespace signpost::detail
