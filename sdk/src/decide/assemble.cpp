#include "decide/assemble.hpp"

#include <algorithm>
#include <cmath>

#include "signpost/measure.hpp"

namespace signpost::detail {
namespace {

double round4(double x) { return std::round(x * 1e4) / 1e4; }

}  // namespace

Decision assemble_decision(const DecisionContext& ctx, const Query& q, Call& call) {
  Verdict& v = call.verdict;
  const PackModel& model = ctx.model;
  Decision d;
  if (v.fired.empty()) return d;

  double best = 0.0;
  for (auto cat : v.touched_cats) best = std::max(best, ctx.decider.score(v, cat));
  d.score = round4(v.winner != kNone ? v.winner_score : best);

  // Evidence: every fired rule whose category still counts after contexts, in text order.
  std::sort(v.fired.begin(), v.fired.end(), [](const FiredRule& a, const FiredRule& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.rule < b.rule;
  });
  d.matches.reserve(v.fired.size());
  for (const FiredRule& f : v.fired) {
    const Rule& rule = model.rules[f.rule];
    if (ctx.decider.score(v, static_cast<std::uint32_t>(rule.category)) <= 0.0) continue;
    Match m;
    m.rule = rule.id;
    m.category = model.categories[rule.category].id;
    if (f.end > f.begin && f.end <= call.norm.text.size()) {
      m.begin = call.norm.begin[f.begin];
      m.end = call.norm.end[f.end - 1];
    }
    d.matches.push_back(std::move(m));
  }
  if (v.winner == kNone) return d;

  const Category& cat = model.categories[v.winner];
  d.category = cat.id;
  d.action = std::min(cat.action, v.cap);

  // Cards in the query's locale; without one, in the language of the earliest matched term.
  std::string_view locale = q.locale;
  if (locale.empty() && v.first_lang != kNoLanguage && v.first_lang < model.languages.size())
    locale = model.languages[v.first_lang];
  std::vector<std::string> scratch;
  const std::vector<std::string>& chain =
      ctx.catalog.chain(locale.substr(0, std::min<std::size_t>(locale.size(), 64)), scratch);
  d.cards.reserve(cat.cards.size());
  for (const auto& id : cat.cards)
    if (const Card* c = ctx.catalog.pick(id, chain)) d.cards.push_back(*c);
  d.locale = d.cards.empty() ? (chain.empty() ? std::string() : chain.front()) : d.cards.front().locale;

  const EngineOptions& options = ctx.options;
  const double rate = options.holdout_rate ? *options.holdout_rate : cat.holdout;
  if (rate > 0.0 && !q.subject.empty()) {
    const std::string_view salt = options.holdout_rate || !options.holdout_salt.empty()
                                      ? std::string_view(options.holdout_salt)
                                      : std::string_view(model.name);
    if (holdout_bucket(salt, q.subject) < rate) {
      d.holdout = true;
      d.action = Action::none;
      d.cards.clear();
    }
  }
  return d;
}

}  // namespace signpost::detail
