// pack/classifiers.cpp: a `classifiers:` entry of a content file (docs/pack-format.md,
// "Classifiers"). A classifier is named in conditions like a lexicon: its id is a lexicon id, of a
// lexicon without terms that is found when the classifier fires (classify/text_classifier.hpp).
// An entry with `of:` is a level of another classifier: the same model, found at its own
// probability (Lexicon::level), resolved by id once every file is read.
#include <algorithm>
#include <bit>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "pack/loader_impl.hpp"

namespace signpost::detail::loading {

namespace {
constexpr int kMaxLevels = 63;  // besides the classifier's own threshold (classify/classifiers.cpp)
}  // namespace

void Loader::classifier(const YamlNode& n) {
  if (!expect(n, Kind::map)) return;
  for (std::size_t k = 0; k + 1 < n.items.size(); k += 2)
    if (n.items[k].kind == Kind::scalar && n.items[k].text == "of") return classifier_level(n);
  const Fields f(*this, n,
                 {"id", "description", "features", "ngrams", "buckets", "scale", "bias", "threshold", "weights", "trained_on"},
                 "classifier");
  TextClassifier c;
  bool ok = true;
  const YamlNode* id_at = nullptr;
  const std::string* id = id_of(f, id_at);
  ok = ok && id != nullptr;
  if (const YamlNode* d = f["description"]) string_of(*d);
  if (const YamlNode* d = f["trained_on"]) string_of(*d);
  // features: bytes (the default, with ngrams) or words (without). A value that is neither is
  // reported alone: which of the two was meant decides whether ngrams belongs.
  using Features = TextClassifier::Features;
  std::optional<Features> features = Features::bytes;
  if (const YamlNode* k = f["features"]) {
    features.reset();
    if (const std::string* v = string_of(*k)) {
      if (*v == "words" || *v == "bytes")
        features = *v == "words" ? Features::words : Features::bytes;
      else
        problem(*k, "features must be bytes or words");
    }
  }
  if (!features) {
    ok = false;
  } else if (*features == Features::words) {
    c.features = Features::words;
    if (const YamlNode* g = f["ngrams"]) {
      problem(*g, "ngrams is for features: bytes (words has no n-gram lengths)");
      ok = false;
    }
  } else if (const YamlNode* g = f.required("ngrams"); g != nullptr && expect(*g, Kind::seq)) {
    if (g->items.size() != 2) {
      problem(*g, "ngrams must be [nmin, nmax]");
      ok = false;
    } else {
      ok = integer(&g->items[0], c.nmin, 1, 8, "ngrams must be integers from 1 to 8") && ok;
      ok = integer(&g->items[1], c.nmax, 1, 8, "ngrams must be integers from 1 to 8") && ok;
      if (ok && c.nmin > c.nmax) {
        problem(*g, "ngrams must be [nmin, nmax] with nmin <= nmax");
        ok = false;
      }
    }
  } else {
    ok = false;
  }
  int buckets = 0;
  if (const YamlNode* b = f.required("buckets")) {
    if (integer(b, buckets, 256, 1 << 20, "buckets must be a power of two from 256 to 1048576") &&
        !std::has_single_bit(static_cast<unsigned>(buckets))) {
      problem(*b, "buckets must be a power of two from 256 to 1048576");
      buckets = 0;
    }
  }
  ok = ok && buckets > 0;
  c.buckets = static_cast<std::uint32_t>(buckets);
  ok = in_range(f.required("scale"), c.scale, 0.0, true, 1e6, false, "scale must be a number in (0, 1e6]") && ok;
  double threshold = 0.5;
  ok = in_range(f.required("threshold"), threshold, 0.0, true, 1.0, true, "threshold must be in (0, 1)") && ok;
  c.set_threshold(threshold);
  if (const YamlNode* b = f.required("bias"); b != nullptr && expect(*b, Kind::map)) {
    const Fields bf(*this, *b, {"query", "post"}, "bias");
    ok = in_range(bf.required("query"), c.bias_query, -1e6, false, 1e6, false, "bias must be a number in [-1e6, 1e6]") && ok;
    ok = in_range(bf.required("post"), c.bias_post, -1e6, false, 1e6, false, "bias must be a number in [-1e6, 1e6]") && ok;
  } else {
    ok = false;
  }
  if (const YamlNode* w = f.required("weights")) {
    if (const std::string* s = string_of(*w)) {
      if (buckets > 0)
        if (std::string why = c.read_weights(*s); !why.empty()) {
          problem(*w, why);
          ok = false;
        }
    } else {
      ok = false;
    }
  } else {
    ok = false;
  }
  Lexicon lex;
  lex.pos = pos(n);
  if (id != nullptr) lex.id = *id;
  if (id != nullptr && define("lexicon", lexicon_ids_, *id, *id, *id_at)) {
    lex.classifier = static_cast<int>(model_.classifiers.size());
    model_.classifiers.push_back(ok ? std::move(c) : TextClassifier{});
    model_.lexicons.push_back(std::move(lex));
    pending_includes_.emplace_back();  // parallel to the lexicons read from files
  }
}

void Loader::classifier_level(const YamlNode& n) {
  const Fields f(*this, n, {"id", "description", "of", "threshold", "below"}, "classifier level");
  const YamlNode* id_at = nullptr;
  const std::string* id = id_of(f, id_at);
  if (const YamlNode* d = f["description"]) string_of(*d);
  Ref of;
  if (const YamlNode* o = f.required("of"))
    if (const std::string* name = string_of(*o)) of = Ref{*name, where(*o)};
  // Found at `threshold` or more, or under `below`: one of the two.
  const bool below = f.has("below");
  if (below && f.has("threshold")) problem(*f["below"], "a classifier level has threshold or below, not both");
  if (!below && !f.has("threshold")) problem(n, "a classifier level needs threshold (found at or above) or below (found under)");
  double threshold = 0.5;
  const YamlNode* t = below ? f["below"] : f["threshold"];
  const bool ok = t != nullptr && in_range(t, threshold, 0.0, true, 1.0, true,
                                           below ? "below must be in (0, 1)" : "threshold must be in (0, 1)");
  if (id == nullptr || !define("lexicon", lexicon_ids_, *id, *id, *id_at)) return;
  Lexicon lex;
  lex.pos = pos(n);
  lex.id = *id;
  lex.level = ok ? threshold : 0.5;
  lex.below = below;
  if (!of.name.empty()) pending_levels_.emplace_back(model_.lexicons.size(), std::move(of));
  model_.lexicons.push_back(std::move(lex));
  pending_includes_.emplace_back();  // parallel to the lexicons read from files
}

void Loader::resolve_levels(const std::unordered_map<std::string_view, std::size_t>& ids) {
  std::unordered_map<int, int> levels;  // per classifier: the engine scores one for all its levels
  for (const auto& [lexicon, of] : pending_levels_) {
    const auto it = ids.find(of.name);
    if (it == ids.end()) {
      if (!incomplete_) problem(of.at, "unknown classifier " + in_quotes(of.name));
      continue;
    }
    const Lexicon& target = model_.lexicons[it->second];
    if (target.level >= 0.0)
      problem(of.at, "of names a level, not a classifier with weights (" + in_quotes(of.name) + ")");
    else if (target.classifier < 0)
      problem(of.at, "of names a classifier, not a lexicon (" + in_quotes(of.name) + ")");
    else if (++levels[target.classifier] > kMaxLevels)
      problem(of.at, "a classifier has at most " + std::to_string(kMaxLevels) + " levels (" + in_quotes(of.name) + ")");
    else
      model_.lexicons[lexicon].classifier = target.classifier;
  }
}

}  // namespace signpost::detail::loading
