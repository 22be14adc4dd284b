#include "signpost/tools/explain.hpp"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "signpost/json.hpp"
#include "signpost/tools/eval.hpp"

namespace signpost::tools {
namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// How many parts of a clause's positive condition are missing: each lexicon of `all`, `any` as a
// whole, each `near` group, the regex. A clause "nearly" fired when it misses at most one.
std::size_t missing_parts(const TraceClause& c) {
  return c.all_missing.size() + (c.any_missing.empty() ? 0 : 1) + c.near_failed.size() + (c.regex_missing ? 1 : 0);
}

// What a clause lacked, one reason per entry.
std::vector<std::string> reasons(const TraceClause& c, std::string_view lang, Mode mode) {
  std::vector<std::string> out;
  if (!c.in_scope) {
    if (mode == Mode::query ? !c.query_mode : !c.post_mode)
      out.push_back(fmt::format("not in {} mode", to_string(mode)));
    else
      out.push_back(fmt::format("not for language '{}' (only {})", lang, joined(c.locales)));
  }
  if (!c.any_missing.empty()) out.push_back("any: none of [" + joined(c.any_missing) + "] found");
  if (!c.all_missing.empty()) out.push_back("all: [" + joined(c.all_missing) + "] not found");
  for (const auto& g : c.near_failed)
    out.push_back(fmt::format("near: [{}] not all found within {} words", joined(g.of), g.within));
  if (!c.none_found.empty()) out.push_back("none: [" + joined(c.none_found) + "] found");
  if (c.regex_missing) out.push_back("regex: no match");
  return out;
}

// One walk over the trace's clauses (rules or contexts): those that fired or applied go to
// `fired`, those that nearly did, with what each lacked, to `nearly`.
void sort_out(const std::vector<TraceClause>& clauses, std::string_view lang, Mode mode,
              std::vector<ExplainedClause>& fired, std::vector<ExplainedClause>& nearly) {
  for (const TraceClause& c : clauses) {
    const bool near_miss = !c.fired && c.touched && missing_parts(c) <= 1;
    if (!c.fired && !near_miss) continue;
    (c.fired ? fired : nearly)
        .push_back({c.id, c.category, c.weight, c.categories, c.begin, c.end,
                    near_miss ? reasons(c, lang, mode) : std::vector<std::string>{}});
  }
}

}  // namespace

Explanation explain(const Engine& engine, const Query& q) {
  Trace t = engine.trace(q);
  Explanation x;
  x.pack = engine.pack();
  x.normalized = std::move(t.normalized);
  x.concepts = std::move(t.concepts);
  x.classifiers = std::move(t.classifiers);
  x.categories = std::move(t.categories);
  x.decision = std::move(t.decision);
  std::string lang = language_key(q.locale);  // folded as the engine scopes rules
  if (lang == "-") lang.clear();
  sort_out(t.rules, lang, q.mode, x.fired, x.near_misses);
  sort_out(t.contexts, lang, q.mode, x.contexts, x.contexts_not_applied);
  return x;
}

namespace {

// A JSON array of `v`, each element written by item(out, element).
template <class T, class Item>
void append_array(std::string& out, const std::vector<T>& v, Item item) {
  out += '[';
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    item(out, v[i]);
  }
  out += ']';
}

void append_strings(std::string& out, const std::vector<std::string>& v) {
  append_array(out, v, [](std::string& o, const std::string& s) { append_json_string(o, s); });
}

void append_clauses(std::string& out, const std::vector<ExplainedClause>& v, bool rules, bool span) {
  append_array(out, v, [&](std::string& o, const ExplainedClause& c) {
    o += "{\"id\":";
    append_json_string(o, c.id);
    if (rules) {
      o += ",\"category\":";
      append_json_string(o, c.category);
      o += fmt::format(",\"weight\":{:g}", c.weight);
    } else {
      o += fmt::format(",\"factor\":{:g},\"categories\":", c.weight);
      append_strings(o, c.categories.empty() ? std::vector<std::string>{"all"} : c.categories);
    }
    if (span) o += fmt::format(",\"begin\":{},\"end\":{}", c.begin, c.end);
    if (!c.lacked.empty()) {
      o += ",\"lacked\":";
      append_strings(o, c.lacked);
    }
    o += '}';
  });
}

}  // namespace

std::string explanation_json(const Explanation& e) {
  std::string out = "{\"normalized\":";
  append_json_string(out, e.normalized);
  out += ",\"concepts\":";
  append_array(out, e.concepts, [](std::string& o, const TraceConcept& k) {
    o += "{\"concept\":";
    append_json_string(o, k.concept_id);
    o += ",\"via\":";
    append_json_string(o, k.via);
    o += fmt::format(",\"begin\":{},\"end\":{},\"text\":", k.begin, k.end);
    append_json_string(o, k.text);
    if (!k.detail.empty()) {
      o += ",\"detail\":";
      append_json_string(o, k.detail);
    }
    o += '}';
  });
  if (!e.classifiers.empty()) {
    out += ",\"classifiers\":";
    append_array(out, e.classifiers, [](std::string& o, const TraceClassifier& k) {
      o += "{\"id\":";
      append_json_string(o, k.id);
      o += fmt::format(",\"probability\":{:.6f},\"threshold\":{:g},{}\"fired\":{}}}", k.probability, k.threshold,
                       k.below ? "\"below\":true," : "", k.fired);
    });
  }
  out += ",\"fired\":";
  append_clauses(out, e.fired, true, true);
  out += ",\"near_misses\":";
  append_clauses(out, e.near_misses, true, false);
  out += ",\"contexts\":";
  append_clauses(out, e.contexts, false, false);
  out += ",\"contexts_not_applied\":";
  append_clauses(out, e.contexts_not_applied, false, false);
  out += ",\"categories\":";
  append_array(out, e.categories, [](std::string& o, const TraceCategory& c) {
    o += "{\"id\":";
    append_json_string(o, c.id);
    o += fmt::format(",\"raw\":{:.4g},\"factor\":{:.4g},\"score\":{:.4g},\"threshold\":{:g},\"action\":\"{}\","
                     "\"priority\":{},\"reached\":{}}}",
                     c.raw, c.factor, c.score, c.threshold, to_string(c.action), c.priority, c.reached);
  });
  out += ",\"decision\":";
  append_json(out, e.decision, e.pack);
  out += '}';
  return out;
}

std::string explanation_text(const Explanation& e) {
  std::string out = fmt::format("normalized: {}\n\nconcepts found:\n", e.normalized);
  if (e.concepts.empty()) out += "  (none)\n";
  for (const auto& k : e.concepts)
    out += fmt::format("  {:<24} {:<6} [{}, {}) \"{}\"{}\n", k.concept_id, k.via, k.begin, k.end, k.text,
                       k.detail.empty() ? "" : "  (" + k.detail + ")");
  if (!e.classifiers.empty()) {
    out += "\nclassifiers:\n";
    for (const auto& k : e.classifiers)
      // A level is found under its threshold; a classifier fires at or above it.
      out += fmt::format("  {:<24} probability {:.4f}, {} {:g}{}\n", k.id, k.probability,
                         k.below ? "level under" : "threshold", k.threshold,
                         !k.fired ? "" : k.below ? ", found" : ", fired");
  }
  out += "\nrules fired:\n";
  if (e.fired.empty()) out += "  (none)\n";
  for (const auto& r : e.fired)
    out += fmt::format("  {} -> {} (weight {:g}) [{}, {})\n", r.id, r.category, r.weight, r.begin, r.end);
  out += "\nrules that nearly fired:\n";
  if (e.near_misses.empty()) out += "  (none)\n";
  for (const auto& r : e.near_misses) {
    out += fmt::format("  {} -> {} (weight {:g})\n", r.id, r.category, r.weight);
    for (const auto& why : r.lacked) out += "      " + why + "\n";
  }
  out += "\ncontexts applied:\n";
  if (e.contexts.empty()) out += "  (none)\n";
  for (const auto& c : e.contexts) {
    std::string cats;
    for (const auto& s : c.categories) cats += (cats.empty() ? "" : ", ") + s;
    out += fmt::format("  {} (factor {:g} on {})\n", c.id, c.weight, cats.empty() ? "all" : cats);
  }
  if (!e.contexts_not_applied.empty()) {
    out += "\ncontexts that nearly applied:\n";
    for (const auto& c : e.contexts_not_applied) {
      out += fmt::format("  {} (factor {:g})\n", c.id, c.weight);
      for (const auto& why : c.lacked) out += "      " + why + "\n";
    }
  }
  out += "\ncategories:\n";
  if (e.categories.empty()) out += "  (none)\n";
  for (const auto& c : e.categories)
    out += fmt::format("  {:<24} score {:.4g} = {:.4g} x {:.4g}, threshold {:g}, {} (priority {}){}\n", c.id, c.score, c.raw,
                       c.factor, c.threshold, to_string(c.action), c.priority, c.reached ? ", reached" : "");
  out += fmt::format("\ndecision: {}", to_string(e.decision.action));
  if (!e.decision.category.empty()) out += " (" + e.decision.category + ")";
  for (const auto& card : e.decision.cards) out += "\n  card " + card.id + " [" + card.locale + "]";
  out += "\n";
  return out;
}

}  // namespace signpost::tools
