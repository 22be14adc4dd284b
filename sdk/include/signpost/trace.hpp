// signpost/trace.hpp: what one evaluation saw and did, stage by stage, for pack authors' tools
// (signpost::tools::explain and `signpost explain` are built on it).
//
// Engine::trace(q) runs the same pipeline as Engine::evaluate(q) and returns, beside the same
// Decision, every concept found (lexicon terms, one-edit typos, built-in entities) with its span in
// the text, every rule and context of the pack with how its condition fared, and every touched
// category's score. A trace allocates freely and is meant for tools, not for a service's hot path.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "signpost/types.hpp"

namespace signpost {

struct TraceConcept {
  std::string concept_id;          // a lexicon id, or "@money", "@phone", "@handle", "@date"
  std::string via;                 // "term", "typo", "entity" or "classifier" (the whole text)
  std::size_t begin = 0, end = 0;  // bytes of Query::text
  std::string text;                // those bytes
  std::string detail;              // entities: what was read ("1400 eur", "time", "link"); else ""
};

// One of the pack's classifiers on the text (docs/pack-format.md, "Classifiers").
struct TraceClassifier {
  std::string id;
  double probability = 0;  // of the text being what the classifier was trained to find
  double threshold = 0;
  bool below = false;      // a level found under its threshold (`below:`), not at or above it
  bool fired = false;      // found by the decision: it reached its threshold and a rule naming it could fire
};

struct TraceNear {
  std::vector<std::string> of;  // lexicon ids
  int within = 0;
};

// One rule or context, and how its condition fared on the text.
struct TraceClause {
  std::string id;
  std::string category;                 // rules: the category they add to; contexts: ""
  double weight = 0;                    // rules: their weight; contexts: their factor
  std::vector<std::string> categories;  // contexts: the categories they scale (empty: all)
  std::vector<std::string> locales;     // the language subtags it is limited to (empty: all)
  bool query_mode = true, post_mode = true;
  bool in_scope = false;  // the query's language and mode are the clause's
  bool holds = false;     // its condition holds (whatever the scope)
  bool fired = false;     // rules: fired; contexts: applied (in scope and holding)
  bool touched = false;   // some lexicon of its any / all / near, or its regex, was found
  std::vector<std::string> any_missing;  // every lexicon of `any`, when none of them was found
  std::vector<std::string> all_missing;  // the lexicons of `all` not found
  std::vector<std::string> none_found;   // the lexicons of `none` found
  std::vector<TraceNear> near_failed;    // the `near` groups that do not hold
  bool regex_missing = false;            // it has a regex and the regex did not match
  std::size_t begin = 0, end = 0;        // fired rules: the evidence, bytes of Query::text
};

struct TraceCategory {
  std::string id;
  double raw = 0;     // noisy-or of the fired rules' weights, before contexts
  double factor = 1;  // product of the factors of the contexts that applied to it
  double score = 0;   // raw * factor
  double threshold = 0;
  Action action = Action::none;
  int priority = 0;
  bool reached = false;  // the score reached the threshold
};

struct Trace {
  std::string normalized;                // the text as the matcher sees it
  std::vector<TraceConcept> concepts;    // in text order
  std::vector<TraceClassifier> classifiers;  // every classifier of the pack, in pack order
  std::vector<TraceClause> rules;        // every rule of the pack, in pack order
  std::vector<TraceClause> contexts;     // every context of the pack, in pack order
  std::vector<TraceCategory> categories; // the categories a fired rule touched
  Decision decision;                     // what evaluate() returns for the same query
};

}  // namespace signpost
