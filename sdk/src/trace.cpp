// trace.cpp: Engine::trace, the pipeline of evaluate() with what each stage found laid out for
// tools (signpost/trace.hpp). It reads the per-call context the stages filled (call.hpp) and asks
// the decider why each clause holds or not (decide/diagnose.cpp), so it says what the decision did.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/locale.hpp"
#include "engine_impl.hpp"

namespace signpost {
namespace detail {
namespace {

template <class Index>
std::vector<std::string> ids(const PackModel& m, const std::vector<Index>& lexicons) {
  std::vector<std::string> out;
  for (auto l : lexicons) out.push_back(static_cast<std::size_t>(l) < m.lexicons.size() ? m.lexicons[l].id : "?");
  return out;
}

void span_of(const NormalizedText& n, std::uint32_t nb, std::uint32_t ne, std::size_t& b, std::size_t& e) {
  if (ne > nb && ne <= n.text.size()) {
    b = n.begin[nb];
    e = n.end[ne - 1];
  }
}

std::string entity_detail(const entities::Entity& e) {
  if (e.kind != entities::Kind::money) return std::string(e.what);
  char buf[48] = "?";
  if (e.amount > 0) std::snprintf(buf, sizeof buf, "%.10g", e.amount);
  return e.what.empty() ? std::string(buf) : std::string(buf) + " " + std::string(e.what);
}

TraceClause clause_of(const PackModel& m, const ClauseSpec& c, const Decider::Diagnosis& d) {
  TraceClause t;
  t.id = c.id;
  t.locales = c.locales;
  t.query_mode = c.query_mode;
  t.post_mode = c.post_mode;
  t.in_scope = d.in_scope;
  t.holds = d.holds;
  t.touched = d.touched;
  t.any_missing = ids(m, d.any_missing);
  t.all_missing = ids(m, d.all_missing);
  t.none_found = ids(m, d.none_found);
  for (auto g : d.near_failed)
    if (g < c.cond.near.size()) t.near_failed.push_back({ids(m, c.cond.near[g].of), c.cond.near[g].within});
  t.regex_missing = d.regex_missing;
  return t;
}

}  // namespace

Trace EngineImpl::trace(const Query& q) const {
  Trace t;
  t.decision = evaluate(q);
  Call& c = analyze(q, true);  // the same pipeline again, to look inside it (every context)
  // The decision scans a regex only when its own condition can still hold; the explanation also
  // says whether the regex of a clause that fails for a missing lexicon matched, so it reads every
  // regex whose condition names a lexicon that was hit (the regex hits can only grow: the verdict
  // does not change).
  c.regex_hits.clear();
  matcher.scan_regexes(c.norm, c.hits, c.regex_hits, Matcher::RegexGate::lexicons);
  t.normalized = c.norm.text;

  for (std::size_t i = 0; i < c.hits.size(); ++i) {
    const Hit& h = c.hits[i];
    if (h.lexicon >= model.lexicons.size()) continue;
    const Lexicon& lex = model.lexicons[h.lexicon];
    TraceConcept k;
    k.concept_id = lex.id;
    k.via = lex.entity >= 0 ? "entity" : lex.is_classifier() ? "classifier" : i < c.term_hits ? "term" : "typo";
    span_of(c.norm, h.begin, h.end, k.begin, k.end);
    const std::size_t tb = std::min(k.begin, q.text.size()), te = std::min(std::max(k.end, tb), q.text.size());
    k.text = std::string(q.text.substr(tb, te - tb));
    if (lex.entity >= 0)
      for (const auto& e : c.entities)
        if (static_cast<int>(e.kind) == lex.entity && e.nbegin == h.begin) k.detail = entity_detail(e);
    t.concepts.push_back(std::move(k));
  }
  std::sort(t.concepts.begin(), t.concepts.end(), [](const TraceConcept& a, const TraceConcept& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.concept_id < b.concept_id;
  });
  t.concepts.erase(std::unique(t.concepts.begin(), t.concepts.end(),
                               [](const TraceConcept& a, const TraceConcept& b) {
                                 return a.begin == b.begin && a.end == b.end && a.concept_id == b.concept_id;
                               }),
                   t.concepts.end());

  // Every classifier's probability, scored or not (the decision scores one only when a rule that
  // names it could fire).
  for (std::size_t i = 0; i < classifiers.size(); ++i) {
    const std::uint32_t lex = classifiers.lexicon(i);
    TraceClassifier k;
    k.id = model.lexicons[lex].id;
    k.probability = 1.0 / (1.0 + std::exp(-classifiers.classifier(i).logit(c.norm.text, q.mode)));
    k.threshold = classifiers.threshold(i);
    k.below = classifiers.below(i);
    k.fired = std::any_of(c.hits.begin(), c.hits.end(), [&](const Hit& h) { return h.lexicon == lex; });
    t.classifiers.push_back(std::move(k));
  }

  char buf[12];
  const std::string_view lang = LocaleTag::language_into(q.locale, buf);
  const Verdict& v = c.verdict;
  for (std::uint32_t r = 0; r < model.rules.size(); ++r) {
    const Rule& rule = model.rules[r];
    TraceClause tc = clause_of(model, rule, decider.diagnose_rule(r, lang, q.mode, c.hits, c.regex_hits, v));
    tc.category = model.categories[rule.category].id;
    tc.weight = rule.weight;
    for (const FiredRule& f : v.fired)
      if (f.rule == r) {
        tc.fired = true;
        span_of(c.norm, f.begin, f.end, tc.begin, tc.end);
      }
    t.rules.push_back(std::move(tc));
  }
  for (std::uint32_t k = 0; k < model.contexts.size(); ++k) {
    const Context& ctx = model.contexts[k];
    TraceClause tc = clause_of(model, ctx, decider.diagnose_context(k, lang, q.mode, c.hits, c.regex_hits, v));
    tc.weight = ctx.factor;
    for (auto cat : ctx.categories) tc.categories.push_back(model.categories[cat].id);
    tc.fired = std::find(v.held_contexts.begin(), v.held_contexts.end(), k) != v.held_contexts.end();
    t.contexts.push_back(std::move(tc));
  }
  for (auto cat : v.touched_cats) {
    const Category& mc = model.categories[cat];
    TraceCategory tc;
    tc.id = mc.id;
    tc.raw = 1.0 - v.cat_keep[cat];
    tc.factor = v.cat_factor[cat];
    tc.score = decider.score(v, cat);
    tc.threshold = mc.threshold;
    tc.action = mc.action;
    tc.priority = mc.priority;
    tc.reached = tc.score > 0.0 && tc.score + 1e-12 >= mc.threshold;
    t.categories.push_back(std::move(tc));
  }
  return t;
}

}  // namespace detail

Trace Engine::trace(const Query& q) const { return impl_->trace(q); }

}  // namespace signpost
