// pack/classifiers.cpp: a `classifiers:` entry of a content file (docs/pack-format.md,
// "Classifiers"). A classifier is named in conditions like a lexicon: its id is a lexicon id, of a
// lexicon without terms that is found when the classifier fires (classify/text_classifier.hpp).
#include <bit>
#include <cmath>
#include <string>
#include <utility>

#include "pack/loader_impl.hpp"

namespace signpost::detail::loading {

void Loader::classifier(const YamlNode& n) {
  if (!expect(n, Kind::map)) return;
  const Fields f(*this, n,
                 {"id", "description", "ngrams", "buckets", "scale", "bias", "threshold", "weights", "trained_on"},
                 "classifier");
  TextClassifier c;
  bool ok = true;
  const YamlNode* id_at = nullptr;
  const std::string* id = id_of(f, id_at);
  ok = ok && id != nullptr;
  if (const YamlNode* d = f["description"]) string_of(*d);
  if (const YamlNode* d = f["trained_on"]) string_of(*d);
  if (const YamlNode* g = f.required("ngrams"); g != nullptr && expect(*g, Kind::seq)) {
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

}  // namespace signpost::detail::loading
