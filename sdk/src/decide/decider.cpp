#include "decide/decider.hpp"

#include <algorithm>

namespace signpost::detail {
namespace {

// Words between two hits: 0 when they overlap, 1 when adjacent, and so on.
std::uint32_t gap(const Hit& a, const Hit& b) noexcept {
  if (a.tok_end < b.tok_begin) return b.tok_begin - a.tok_end;
  if (b.tok_end < a.tok_begin) return a.tok_begin - b.tok_end;
  return 0;
}

void grow(std::vector<std::uint32_t>& v, std::size_t n) {
  if (v.size() < n) v.resize(n, 0);
}

}  // namespace

std::vector<RegexSpec> regex_specs(const PackModel& model) {
  // A condition cannot hold without a hit of one of its lexicons (any, all, near): the matcher may
  // skip the regex scan when none of them was hit (RegexSpec::gate). The engine scans regexes after
  // the terms, typos and built-in entities, so every kind of lexicon can gate.
  // Closer (RegexSpec::need, any): a condition holds only with every lexicon of its `all` and
  // `near` hit and one of its `any`, so its regex is scanned only then.
  auto spec = [&](const Condition& c) {
    RegexSpec r{*c.regex, c.regex_pos, {}};
    for (auto l : c.any) r.any.push_back(static_cast<std::uint32_t>(l));
    for (auto l : c.all) r.need.push_back(static_cast<std::uint32_t>(l));
    for (const Near& n : c.near)
      for (auto l : n.of) r.need.push_back(static_cast<std::uint32_t>(l));
    r.gate = r.any;
    r.gate.insert(r.gate.end(), r.need.begin(), r.need.end());
    return r;
  };
  std::vector<RegexSpec> out;
  for (const Rule& r : model.rules)
    if (r.cond.regex) out.push_back(spec(r.cond));
  for (const Context& c : model.contexts)
    if (c.cond.regex) out.push_back(spec(c.cond));
  return out;
}

void Verdict::begin(std::size_t lexicons, std::size_t rules, std::size_t contexts, std::size_t categories) {
  if (++gen == 0) {  // wrapped: forget every stamp
    std::fill(lex_stamp.begin(), lex_stamp.end(), 0);
    std::fill(rule_stamp.begin(), rule_stamp.end(), 0);
    std::fill(ctx_stamp.begin(), ctx_stamp.end(), 0);
    std::fill(cat_stamp.begin(), cat_stamp.end(), 0);
    gen = 1;
  }
  if (lexicons > ready_lexicons || rules > ready_rules || contexts > ready_contexts || categories > ready_categories) {
    grow(lex_stamp, lexicons);
    grow(lex_first, lexicons);
    grow(rule_stamp, rules);
    grow(ctx_stamp, contexts);
    grow(cat_stamp, categories);
    // Each array on its own: a std::bad_alloc between two of them must not leave one short.
    if (cat_keep.size() < categories) cat_keep.resize(categories, 1.0);
    if (cat_factor.size() < categories) cat_factor.resize(categories, 1.0);
    // Each rule, context and category enters these at most once per call: with this capacity,
    // Decider::run (noexcept) never allocates.
    rule_candidates.reserve(rules);
    ctx_candidates.reserve(contexts);
    touched_cats.reserve(categories);
    fired.reserve(rules);
    held_contexts.reserve(contexts);
    // Only once every array is ready (a std::bad_alloc above leaves the sizes for the next call).
    ready_lexicons = std::max(ready_lexicons, lexicons);
    ready_rules = std::max(ready_rules, rules);
    ready_contexts = std::max(ready_contexts, contexts);
    ready_categories = std::max(ready_categories, categories);
  }
  rule_candidates.clear();
  ctx_candidates.clear();
  touched_cats.clear();
  fired.clear();
  held_contexts.clear();
  winner = kNone;
  cap = Action::redirect;
  winner_score = 0.0;
  first_lang = kNoLanguage;
}

Decider::Clause Decider::compile_clause(const ClauseSpec& c, std::uint32_t& next_regex) {
  Clause out{c.locales, c.query_mode, c.post_mode, {}};
  auto conv = [](const std::vector<std::size_t>& v) {
    std::vector<std::uint32_t> r;
    for (auto x : v) r.push_back(static_cast<std::uint32_t>(x));
    return r;
  };
  out.cond.any = conv(c.cond.any);
  out.cond.all = conv(c.cond.all);
  out.cond.none = conv(c.cond.none);
  for (const Near& n : c.cond.near) out.cond.near.push_back({conv(n.of), n.within});
  if (c.cond.regex) out.cond.regex = next_regex++;  // the order of regex_specs()
  return out;
}

void Decider::compile(const PackModel& model) {
  std::uint32_t next_regex = 0;
  const std::size_t nlex = model.lexicons.size();
  std::vector<std::vector<std::uint32_t>> lr(nlex), lc(nlex);
  // A clause is woken by the hit of a lexicon it cannot hold without: when it names lexicons in
  // `all` or `near`, by one of those alone (the one with the fewest terms, likely the rarest hit:
  // common words in `any` lexicons then wake nothing); otherwise by each lexicon of `any`. Which
  // clauses are woken changes the work, not the verdict: a clause that holds is always woken.
  auto index_positive = [&model](const Cond& c, std::vector<std::vector<std::uint32_t>>& idx, std::uint32_t owner) {
    auto add = [&](std::uint32_t lex) {
      auto& v = idx[lex];
      if (v.empty() || v.back() != owner) v.push_back(owner);
    };
    std::uint32_t key = kNone;
    auto consider = [&](std::uint32_t lex) {
      if (key == kNone || model.lexicons[lex].terms.size() < model.lexicons[key].terms.size()) key = lex;
    };
    for (auto l : c.all) consider(l);
    for (const auto& n : c.near)
      for (auto l : n.of) consider(l);
    if (key != kNone) add(key);
    else
      for (auto l : c.any) add(l);
  };
  for (const Rule& r : model.rules) {
    CRule cr{compile_clause(r, next_regex), static_cast<std::uint32_t>(r.category), r.weight};
    const auto idx = static_cast<std::uint32_t>(rules_.size());
    if (cr.cond.regex != kNone) regex_owner_.push_back(idx);
    index_positive(cr.cond, lr, idx);
    rules_.push_back(std::move(cr));
  }
  for (const Context& c : model.contexts) {
    CContext cc{compile_clause(c, next_regex), c.factor, {}};
    for (auto x : c.categories) cc.categories.push_back(static_cast<std::uint32_t>(x));
    const auto idx = static_cast<std::uint32_t>(contexts_.size());
    if (cc.cond.regex != kNone) regex_owner_.push_back(static_cast<std::uint32_t>(model.rules.size()) + idx);
    index_positive(cc.cond, lc, idx);
    contexts_.push_back(std::move(cc));
  }
  for (const Category& c : model.categories)
    categories_.push_back({c.action, c.threshold, c.priority, c.max_action.value_or(Action::redirect)});
  auto flatten = [](const std::vector<std::vector<std::uint32_t>>& in, std::vector<std::uint32_t>& begin,
                    std::vector<std::uint32_t>& flat) {
    begin.assign(1, 0);
    for (const auto& v : in) {
      flat.insert(flat.end(), v.begin(), v.end());
      begin.push_back(static_cast<std::uint32_t>(flat.size()));
    }
  };
  flatten(lr, lex_rules_begin_, lex_rules_);
  flatten(lc, lex_ctx_begin_, lex_ctx_);
}

bool Decider::in_scope(const Clause& c, std::string_view lang, Mode mode) noexcept {
  if (mode == Mode::query ? !c.query : !c.post) return false;
  if (c.locales.empty() || lang.empty()) return true;
  for (const auto& l : c.locales)
    if (l == lang) return true;
  return false;
}

bool Decider::holds(const Cond& c, const std::vector<Hit>& hits, const std::vector<RegexHit>& rhits, const Verdict& s,
                    std::uint32_t& begin, std::uint32_t& end) noexcept {
  const auto hit = [&](std::uint32_t lex) { return s.lex_stamp[lex] == s.gen; };
  const auto widen = [&](std::uint32_t lex) {
    const Hit& h = hits[s.lex_first[lex]];
    begin = std::min(begin, h.begin);
    end = std::max(end, h.end);
  };
  begin = UINT32_MAX;
  end = 0;
  if (c.any.empty() && c.all.empty() && c.near.empty() && c.regex == kNone) return false;
  // The lexicons it cannot hold without first (the cheapest and likeliest to fail), then the rest.
  for (auto l : c.all)
    if (!hit(l)) return false;
  for (const auto& n : c.near)
    for (auto l : n.of)
      if (!hit(l)) return false;
  for (auto l : c.none)
    if (hit(l)) return false;
  if (!c.any.empty()) {
    bool one = false;
    for (auto l : c.any)
      if (hit(l)) {
        one = true;
        widen(l);
      }
    if (!one) return false;
  }
  for (auto l : c.all) widen(l);
  for (const auto& n : c.near) {
    // Some hit of the first lexicon has, for every other lexicon of the group, a hit within reach.
    bool found = false;
    for (const Hit& anchor : hits) {
      if (anchor.lexicon != n.of[0]) continue;
      bool all_near = true;
      std::uint32_t b = anchor.begin, e = anchor.end;
      for (std::size_t k = 1; k < n.of.size() && all_near; ++k) {
        bool near = false;
        for (const Hit& h : hits)
          if (h.lexicon == n.of[k] && gap(anchor, h) <= static_cast<std::uint32_t>(n.within)) {
            near = true;
            b = std::min(b, h.begin);
            e = std::max(e, h.end);
            break;
          }
        all_near = near;
      }
      if (all_near) {
        found = true;
        begin = std::min(begin, b);
        end = std::max(end, e);
        break;
      }
    }
    if (!found) return false;
  }
  if (c.regex != kNone) {
    bool found = false;
    for (const RegexHit& r : rhits)
      if (r.regex == c.regex) {
        found = true;
        begin = std::min(begin, r.begin);
        end = std::max(end, r.end);
        break;
      }
    if (!found) return false;
  }
  if (begin > end) begin = end;
  return true;
}

void Decider::run(std::string_view lang, Mode mode, const std::vector<Hit>& hits, const std::vector<RegexHit>& rhits,
                  Verdict& s, bool every_context) const noexcept {
  // Which lexicons were hit, and which rules and contexts could now hold.
  for (std::uint32_t i = 0; i < hits.size(); ++i) {
    const Hit& h = hits[i];
    if (s.lex_stamp[h.lexicon] == s.gen) {
      if (h.begin < hits[s.lex_first[h.lexicon]].begin) s.lex_first[h.lexicon] = i;
      continue;
    }
    s.lex_stamp[h.lexicon] = s.gen;
    s.lex_first[h.lexicon] = i;
    for (auto k = lex_rules_begin_[h.lexicon]; k < lex_rules_begin_[h.lexicon + 1]; ++k) {
      const auto r = lex_rules_[k];
      if (s.rule_stamp[r] != s.gen) {
        s.rule_stamp[r] = s.gen;
        s.rule_candidates.push_back(r);
      }
    }
    for (auto k = lex_ctx_begin_[h.lexicon]; k < lex_ctx_begin_[h.lexicon + 1]; ++k) {
      const auto c = lex_ctx_[k];
      if (s.ctx_stamp[c] != s.gen) {
        s.ctx_stamp[c] = s.gen;
        s.ctx_candidates.push_back(c);
      }
    }
  }
  for (const RegexHit& r : rhits) {
    const auto owner = regex_owner_[r.regex];
    if (owner < rules_.size()) {
      if (s.rule_stamp[owner] != s.gen) {
        s.rule_stamp[owner] = s.gen;
        s.rule_candidates.push_back(owner);
      }
    } else {
      const auto c = owner - static_cast<std::uint32_t>(rules_.size());
      if (s.ctx_stamp[c] != s.gen) {
        s.ctx_stamp[c] = s.gen;
        s.ctx_candidates.push_back(c);
      }
    }
  }
  if (s.rule_candidates.empty() && s.ctx_candidates.empty()) return;
  std::sort(s.rule_candidates.begin(), s.rule_candidates.end());

  // Earliest hit's language, for a query without a locale.
  std::uint32_t earliest = UINT32_MAX;
  for (const Hit& h : hits)
    if (h.lang != kNoLanguage && h.begin < earliest) {
      earliest = h.begin;
      s.first_lang = h.lang;
    }

  for (const auto r : s.rule_candidates) {
    const CRule& rule = rules_[r];
    if (!in_scope(rule, lang, mode)) continue;
    std::uint32_t b, e;
    if (!holds(rule.cond, hits, rhits, s, b, e)) continue;
    s.fired.push_back({r, b, e});
    const auto cat = rule.category;
    if (s.cat_stamp[cat] != s.gen) {
      s.cat_stamp[cat] = s.gen;
      s.cat_keep[cat] = 1.0;
      s.cat_factor[cat] = 1.0;
      s.touched_cats.push_back(cat);
    }
    s.cat_keep[cat] *= 1.0 - rule.weight;
  }
  // With no rule fired, no category is touched and no context can change the decision: they are
  // evaluated only for lint and trace.
  if (s.fired.empty() && !every_context) return;
  std::sort(s.ctx_candidates.begin(), s.ctx_candidates.end());
  for (const auto c : s.ctx_candidates) {
    const CContext& ctx = contexts_[c];
    if (!in_scope(ctx, lang, mode)) continue;
    std::uint32_t b, e;
    if (!holds(ctx.cond, hits, rhits, s, b, e)) continue;
    s.held_contexts.push_back(c);
    for (const auto cat : s.touched_cats)
      if (ctx.categories.empty() || std::find(ctx.categories.begin(), ctx.categories.end(), cat) != ctx.categories.end())
        s.cat_factor[cat] *= ctx.factor;
  }

  for (const auto cat : s.touched_cats) {
    const double sc = score(s, cat);
    const CCategory& c = categories_[cat];
    if (sc <= 0.0 || sc + 1e-12 < c.threshold) continue;
    s.cap = std::min(s.cap, c.cap);
    if (s.winner == kNone) {
      s.winner = cat;
      s.winner_score = sc;
      continue;
    }
    const CCategory& w = categories_[s.winner];
    const bool better =
        c.priority > w.priority ||
        (c.priority == w.priority &&
         (c.action > w.action ||
          (c.action == w.action && (sc > s.winner_score || (sc == s.winner_score && cat < s.winner)))));
    if (better) {
      s.winner = cat;
      s.winner_score = sc;
    }
  }
}

double Decider::score(const Verdict& s, std::uint32_t category) const noexcept {
  if (category >= s.cat_stamp.size() || s.cat_stamp[category] != s.gen) return 0.0;
  const double raw = 1.0 - s.cat_keep[category];
  return std::clamp(raw * s.cat_factor[category], 0.0, 1.0);
}

}  // namespace signpost::detail
