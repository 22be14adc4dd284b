#include "classify/classifiers.hpp"

#include <algorithm>

namespace signpost::detail {

void Classifiers::build(const PackModel& model) {
  uses_.clear();
  const std::size_t words = (model.lexicons.size() + 63) / 64;
  for (std::uint32_t i = 0; i < model.lexicons.size(); ++i) {
    const int k = model.lexicons[i].classifier;
    if (k < 0 || static_cast<std::size_t>(k) >= model.classifiers.size() || model.classifiers[k].weights.empty()) continue;
    Use use;
    use.lexicon = i;
    use.classifier = model.classifiers[static_cast<std::size_t>(k)];
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
    uses_.push_back(std::move(use));
  }
}

void Classifiers::scan(const NormalizedText& text, Mode mode, std::vector<Hit>& hits) const noexcept {
  if (text.text.empty() || hits.empty()) return;
  for (const Use& use : uses_) {
    bool gate = use.always;
    for (std::size_t h = 0; h < hits.size() && !gate; ++h) {
      const std::uint32_t l = hits[h].lexicon;
      gate = l < use.gate.size() * 64 && ((use.gate[l >> 6] >> (l & 63)) & 1u);
    }
    if (!gate || hits.size() >= kMaxHitsPerCall || !use.classifier.fires(text.text, mode)) continue;
    Hit hit;
    hit.lexicon = use.lexicon;
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

}  // namespace signpost::detail
