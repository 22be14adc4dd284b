// classify/classifiers.hpp: the classify stage of the pipeline, between the built-in entities and
// the regexes (call.hpp): each of a pack's classifiers (text_classifier.hpp) is found like a
// lexicon, over the whole text, when it fires.
//
// Contract: build() keeps the classifiers of a model with the lexicon that names each. scan()
// appends one Hit (the whole normalized text, its tokens) per classifier that fires, in pack order.
// A classifier is scored only when a rule that names it could use it: never on a text in which
// nothing was found (`hits` empty: no term, typo or entity), and, when every rule that names it
// names other lexicons too, only when one of those was found (one of its other `all` lexicons,
// else of its `any`, else of its `near` ones; a rule that names it in `any`, or a context that
// names it, lets any hit have it scored). Classifiers are scored in pack order, so the hit of an
// earlier one counts for a later one. scan() is const, thread-safe and never throws; it allocates
// only when `hits` grows past its capacity (a hit that cannot be stored is dropped).
#pragma once

#include <cstdint>
#include <vector>

#include "classify/text_classifier.hpp"
#include "match/matcher.hpp"
#include "normalize/normalizer.hpp"
#include "pack/model.hpp"

namespace signpost::detail {

class Classifiers {
 public:
  void build(const PackModel& model);
  bool empty() const noexcept { return uses_.empty(); }
  std::size_t size() const noexcept { return uses_.size(); }
  // The i-th classifier (pack order) and the lexicon that names it.
  const TextClassifier& classifier(std::size_t i) const noexcept { return uses_[i].classifier; }
  std::uint32_t lexicon(std::size_t i) const noexcept { return uses_[i].lexicon; }

  void scan(const NormalizedText& text, Mode mode, std::vector<Hit>& hits) const noexcept;

 private:
  struct Use {
    std::uint32_t lexicon = 0;
    TextClassifier classifier;
    bool always = false;              // any hit lets it be scored
    std::vector<std::uint64_t> gate;  // else one of these lexicons (one bit each) must have been hit
  };
  std::vector<Use> uses_;
};

}  // namespace signpost::detail
