#include "classify/classifiers.hpp"

#include <algorithm>

namespace signpost::detail {

void Classifiers::build(const PackModel& model) {
  models_.clear();
  index_.clear();
  const std::size_t words = (model.lexicons.size() + 63) / 64;
  for (std::uint32_t i = 0; i < model.lexicons.size(); ++i) {
    const Lexicon& lex = model.lexicons[i];
    const int k = lex.classifier;
    if (k < 0 || static_cast<std::size_t>(k) >= model.classifiers.size() || model.classifiers[k].weights.empty()) continue;
    auto m = std::find_if(models_.begin(), models_.end(), [&](const Model& x) { return x.index == k; });
    if (m == models_.end()) {
      models_.push_back(Model{k, model.classifiers[static_cast<std::size_t>(k)], {}});
      m = models_.end() - 1;
    }
    Level use;
    use.lexicon = i;
    use.threshold = lex.level >= 0.0 ? lex.level : m->classifier.threshold();
    use.cut = TextClassifier::logit_of(use.threshold);
    use.below = lex.below;
    use.gate.assign(words, 0);
    // Adds the lexicons of `ls` but this one to the gate; false when there are none.
    const auto add = [&](const std::vector<std::size_t>& ls) {
      bool any = false;
      for (const std::size_t l : ls)
        if (l != i) {
          use.gate[l >> 6] |= std::uint64_t{1} << (l & 63);
          any = true;
        }
      return any;
    };
    const auto names = [&](const std::vector<std::size_t>& ls) { return std::find(ls.begin(), ls.end(), i) != ls.end(); };
    for (const Rule& r : model.rules) {
      const Condition& c = r.cond;
      if (names(c.any)) use.always = true;
      if (!names(c.all) && !names(c.none)) continue;
      std::vector<std::size_t> near;
      for (const Near& g : c.near) near.insert(near.end(), g.of.begin(), g.of.end());
      if (!add(c.all) && !add(c.any) && !add(near)) use.always = true;
    }
    for (const Context& x : model.contexts)
      if (names(x.cond.any) || names(x.cond.all) || names(x.cond.none)) use.always = true;
    index_.push_back(Ref{static_cast<std::uint32_t>(m - models_.begin()), static_cast<std::uint32_t>(m->levels.size())});
    m->levels.push_back(std::move(use));
  }
}

bool Classifiers::gate_open(const Level& l, const std::vector<Hit>& hits) const noexcept {
  if (l.always) return true;
  for (const Hit& h : hits)
    if (h.lexicon < l.gate.size() * 64 && ((l.gate[h.lexicon >> 6] >> (h.lexicon & 63)) & 1u)) return true;
  return false;
}

void Classifiers::scan(const NormalizedText& text, Mode mode, std::vector<Hit>& hits) const noexcept {
  if (text.text.empty() || hits.empty()) return;
  for (const Model& m : models_) {
    // Which of its lexicons a rule could use (the loader allows 63 levels besides its own).
    std::uint64_t open = 0;
    for (std::size_t k = 0; k < m.levels.size() && k < 64; ++k)
      if (gate_open(m.levels[k], hits)) open |= std::uint64_t{1} << k;
    if (open == 0 || hits.size() >= kMaxHitsPerCall) continue;
    const double logit = m.classifier.logit(text.text, mode);  // once for all its lexicons
    for (std::size_t k = 0; k < m.levels.size() && k < 64; ++k) {
      const Level& l = m.levels[k];
      if (!((open >> k) & 1u) || (l.below ? logit >= l.cut : logit < l.cut) || hits.size() >= kMaxHitsPerCall) continue;
      Hit hit;
      hit.lexicon = l.lexicon;
      hit.begin = 0;
      hit.end = static_cast<std::uint32_t>(text.text.size());
      hit.tok_begin = 0;
      hit.tok_end = text.tokens > 0 ? text.tokens - 1 : 0;
      try {
        hits.push_back(hit);
      } catch (...) {  // out of memory: the classifier is not found
        return;
      }
    }
  }
}

}  // namespace signpost::detail
