// classify.cpp: the engine's use of a pack's classifiers (classify/text_classifier.hpp), between
// the built-in entities and the regexes. A classifier is found like a lexicon, over the whole
// text, when it fires; it is scored only when a rule that names it could use it: never on a text in
// which the pack found nothing (no term, typo or entity), and, when every rule naming it names
// other lexicons too, only when one of those was found (classifiers_ready()).
#include <algorithm>

#include "engine_impl.hpp"

namespace signpost::detail {

void EngineImpl::classifiers_ready() {
  classifiers.clear();
  const std::size_t words = (model.lexicons.size() + 63) / 64;
  for (std::uint32_t i = 0; i < model.lexicons.size(); ++i) {
    const int k = model.lexicons[i].classifier;
    if (k < 0 || static_cast<std::size_t>(k) >= model.classifiers.size() || model.classifiers[k].weights.empty()) continue;
    ClassifierUse use;
    use.lexicon = i;
    use.classifier = &model.classifiers[static_cast<std::size_t>(k)];
    use.gate.assign(words, 0);
    // Adds the lexicons of `ls` but `i` to the gate; false when there are none.
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
    // A rule that names it in `any` may fire on it alone (any hit lets it be scored). One that
    // names it in `all` fires only with its other lexicons: one of its other `all`, else of its
    // `any`, else of its `near`, must have been found. One that names it in `none` needs it only
    // when the rest of its condition may hold: one of its `all`, else `any`, else `near` lexicons
    // must have been found (a classifier earlier in pack order counts, being scored first).
    // A context that names it lets any hit have it scored.
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
    classifiers.push_back(std::move(use));
  }
}

void EngineImpl::classify(Call& c, Mode mode) const noexcept {
  if (c.norm.text.empty() || c.hits.empty()) return;
  for (const ClassifierUse& use : classifiers) {  // in pack order: an earlier one's hit can open a later one's gate
    bool gate = use.always;
    for (std::size_t h = 0; h < c.hits.size() && !gate; ++h) {
      const std::uint32_t l = c.hits[h].lexicon;
      gate = (use.gate[l >> 6] >> (l & 63)) & 1u;
    }
    if (!gate || !use.classifier->fires(c.norm.text, mode) || c.hits.size() >= kMaxHitsPerCall) continue;
    Hit hit;
    hit.lexicon = use.lexicon;
    hit.begin = 0;
    hit.end = static_cast<std::uint32_t>(c.norm.text.size());
    hit.tok_begin = 0;
    hit.tok_end = c.norm.tokens > 0 ? c.norm.tokens - 1 : 0;
    try {
      c.hits.push_back(hit);
    } catch (...) {  // out of memory: the classifier is not found
      return;
    }
  }
}

}  // namespace signpost::detail
