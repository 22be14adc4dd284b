// signpost/tools/explain.hpp: why a pack decides what it decides about one text (`signpost
// explain`), for pack authors.
//
// Part of signpost::tools, not of the runtime. Standard library only. Built on Engine::trace
// (signpost/trace.hpp): the explanation keeps the concepts found (lexicon terms, typos, built-in
// entities) with their spans in the text, the rules that fired, the rules that nearly fired and what
// each lacked, the contexts that applied and the ones that nearly did, every touched category's
// score, and the decision.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "signpost/engine.hpp"
#include "signpost/export.hpp"
#include "signpost/trace.hpp"
#include "signpost/types.hpp"

namespace signpost::tools {

struct ExplainedClause {
  std::string id;
  std::string category;                 // rules: the category they add to
  double weight = 0;                    // rules: their weight; contexts: their factor
  std::vector<std::string> categories;  // contexts: the categories they scale (empty: all)
  std::size_t begin = 0, end = 0;       // fired rules: the evidence, bytes of the text
  std::vector<std::string> lacked;      // why it did not fire or apply, one reason per entry
};

struct Explanation {
  std::string normalized;                  // the text as the matcher sees it
  std::vector<TraceConcept> concepts;      // in text order
  std::vector<TraceClassifier> classifiers;  // the pack's classifiers, each with its probability
  std::vector<ExplainedClause> fired;      // rules that fired
  // Rules that did not fire although part of their condition was found and at most one part of it
  // (a lexicon of `all`, the `any` list, a `near` group, the regex) was missing; also rules whose
  // whole condition held but that a `none` lexicon, the language or the mode kept out.
  std::vector<ExplainedClause> near_misses;
  std::vector<ExplainedClause> contexts;               // contexts that applied
  std::vector<ExplainedClause> contexts_not_applied;   // contexts that nearly applied (same measure)
  std::vector<TraceCategory> categories;               // categories a fired rule touched
  Decision decision;                                   // the same as Engine::evaluate
  PackInfo pack;
};

// Judges q with `engine` (Engine::trace) and keeps what a pack author needs.
SIGNPOST_API Explanation explain(const Engine& engine, const Query& q);

// One JSON object: {"normalized", "concepts", "classifiers" (only when the pack has any), "fired",
// "near_misses", "contexts", "contexts_not_applied", "categories", "decision"}; "decision" has the
// shape of docs/json.md.
SIGNPOST_API std::string explanation_json(const Explanation& e);

// The same for a terminal, one section per heading.
SIGNPOST_API std::string explanation_text(const Explanation& e);

// Runs `signpost explain [--pack DIR] [--locale L] [--mode query|post] [--json] TEXT`, or
// `signpost explain [--pack DIR] --input FILE` (every line of FILE, as `signpost scan` reads it,
// explained as one JSON object per line, in order; "-" reads standard input); `args` excludes
// "explain". Prints the explanation to `out`. Returns 0 when done, 2 for usage errors
// (a locale or mode that signpost/validate.hpp refuses included) and pack problems (file:line:col
// on `err`). `--help` prints the usage to `out` and returns 0.
SIGNPOST_API int run_explain(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The usage text of `signpost explain`.
SIGNPOST_API const char* explain_usage() noexcept;

}  // namespace signpost::tools
