// classify/classifiers.hpp: the classify stage of the pipeline, between the built-in entities and
// the regexes (call.hpp): each of a pack's classifiers (text_classifier.hpp) is found like a
// lexicon, over the whole text, when it fires.
//
// Contract: build() keeps the classifiers of a model with the lexicons that name each: its own
// (found at its threshold) and its levels (`of:` entries, found at theirs, or under their `below`),
// one model scored once for all. scan() appends one Hit (the whole normalized text, its tokens) per lexicon found, in
// pack order. A classifier is scored only when a rule that names one of its lexicons could use it:
// never on a text in which nothing was found (`hits` empty: no term, typo or entity), and, when
// every rule that names it names other lexicons too, only when one of those was found (one of its
// other `all` lexicons, else of its `any`, else of its `near` ones; a rule that names it in `any`,
// or a context that names it, lets any hit have it scored). Classifiers are scored in pack order,
// so the hit of an earlier one counts for a later one. scan() is const, thread-safe and never
// throws; it allocates only when `hits` grows past its capacity (a hit that cannot be stored is
// dropped).
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
  bool empty() const noexcept { return index_.empty(); }
  // The lexicons that name a classifier (its own and its levels), in pack order: the i-th one's
  // model, lexicon and the probability at which it is found.
  std::size_t size() const noexcept { return index_.size(); }
  const TextClassifier& classifier(std::size_t i) const noexcept { return models_[index_[i].model].classifier; }
  std::uint32_t lexicon(std::size_t i) const noexcept { return level(i).lexicon; }
  double threshold(std::size_t i) const noexcept { return level(i).threshold; }
  bool below(std::size_t i) const noexcept { return level(i).below; }  // found under the threshold

  void scan(const NormalizedText& text, Mode mode, std::vector<Hit>& hits) const noexcept;

 private:
  struct Level {
    std::uint32_t lexicon = 0;
    double threshold = 0.5, cut = 0.0;  // the probability and its logit
    bool below = false;                 // found when the logit is under the cut, not at or above it
    bool always = false;                // any hit lets it be scored
    std::vector<std::uint64_t> gate;    // else one of these lexicons (one bit each) must have been hit
  };
  struct Model {
    int index = -1;  // in PackModel::classifiers
    TextClassifier classifier;
    std::vector<Level> levels;
  };
  struct Ref {
    std::uint32_t model, level;
  };
  const Level& level(std::size_t i) const noexcept { return models_[index_[i].model].levels[index_[i].level]; }
  bool gate_open(const Level& l, const std::vector<Hit>& hits) const noexcept;

  std::vector<Model> models_;  // in the pack order of their first lexicon
  std::vector<Ref> index_;     // in pack order
};

}  // namespace signpost::detail
