// decide/diagnose.cpp: why a rule or a context holds or not, condition by condition, for pack
// authors' tools (`signpost explain`). It re-checks a clause against a verdict that run() filled,
// with the same holds() the decision used, so what it says is what the decision did.
#include "decide/decider.hpp"

namespace signpost::detail {

Decider::Diagnosis Decider::diagnose(const Clause& c, std::string_view lang, Mode mode, const std::vector<Hit>& hits,
                                     const std::vector<RegexHit>& rhits, const Verdict& v) {
  Diagnosis d;
  const auto found = [&](std::uint32_t lex) { return lex < v.lex_stamp.size() && v.lex_stamp[lex] == v.gen; };
  d.in_scope = in_scope(c, lang, mode);
  std::uint32_t b = 0, e = 0;
  d.holds = holds(c.cond, hits, rhits, v, b, e);

  bool any_found = false;
  for (auto l : c.cond.any) any_found = any_found || found(l);
  if (!c.cond.any.empty() && !any_found) d.any_missing = c.cond.any;
  d.touched = any_found;
  for (auto l : c.cond.all) {
    if (found(l)) d.touched = true;
    else d.all_missing.push_back(l);
  }
  for (auto l : c.cond.none)
    if (found(l)) d.none_found.push_back(l);
  for (std::size_t g = 0; g < c.cond.near.size(); ++g) {
    Cond one;
    one.near.push_back(c.cond.near[g]);
    for (auto l : c.cond.near[g].of) d.touched = d.touched || found(l);
    if (!holds(one, hits, rhits, v, b, e)) d.near_failed.push_back(g);
  }
  if (c.cond.regex != kNone) {
    bool seen = false;
    for (const RegexHit& r : rhits) seen = seen || r.regex == c.cond.regex;
    d.regex_missing = !seen;
    d.touched = d.touched || seen;
  }
  return d;
}

Decider::Diagnosis Decider::diagnose_rule(std::uint32_t rule, std::string_view lang, Mode mode,
                                          const std::vector<Hit>& hits, const std::vector<RegexHit>& rhits,
                                          const Verdict& v) const {
  return rule < rules_.size() ? diagnose(rules_[rule], lang, mode, hits, rhits, v) : Diagnosis{};
}

Decider::Diagnosis Decider::diagnose_context(std::uint32_t context, std::string_view lang, Mode mode,
                                             const std::vector<Hit>& hits, const std::vector<RegexHit>& rhits,
                                             const Verdict& v) const {
  return context < contexts_.size() ? diagnose(contexts_[context], lang, mode, hits, rhits, v) : Diagnosis{};
}

}  // namespace signpost::detail
