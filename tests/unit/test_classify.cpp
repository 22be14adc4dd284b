// test_classify.cpp: a pack's classifiers (classify/text_classifier.hpp, pack/classifiers.cpp,
// classify/classifiers.cpp): the score against a plain reading of its definition, the weights'
// text, the loader's problems, and the engine's use of a classifier as a lexicon of the whole text.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "classify/text_classifier.hpp"
#include "engine_impl.hpp"
#include "files.hpp"
#include "mini_pack.hpp"
#include "pack_problems.hpp"

using namespace signpost;
using namespace signpost::test;
using detail::TextClassifier;

namespace {

// The definition of text_classifier.hpp, read literally: every n-gram of " " + text + " " read as
// an integer on its own, hashed, summed, divided by the square root of their number.
double reference_logit(const TextClassifier& c, const std::string& text, Mode mode) {
  const std::string s = " " + text + " ";
  double sum = 0;
  std::size_t count = 0;
  for (int n = c.nmin; n <= c.nmax; ++n)
    for (std::size_t i = 0; i + static_cast<std::size_t>(n) <= s.size(); ++i) {
      std::uint64_t v = 0;  // the n bytes as a little-endian integer
      for (int k = n - 1; k >= 0; --k) v = v << 8 | static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      unsigned bits = 0;
      while ((1u << bits) < c.buckets) ++bits;
      const std::uint64_t h = (v + static_cast<std::uint64_t>(n)) * 0x9E3779B97F4A7C15ull;
      sum += c.weights[static_cast<std::size_t>(h >> (64 - bits))];
      ++count;
    }
  const double bias = mode == Mode::post ? c.bias_post : c.bias_query;
  return count == 0 ? bias : bias + c.scale * sum / std::sqrt(static_cast<double>(count));
}

// The words definition, read literally: the words are split at spaces, each hashed byte by byte
// into chunks of eight, then each word and each pair of neighbouring words looked up.
std::uint64_t reference_word_hash(const std::string& w) {
  std::uint64_t h = w.size();
  for (std::size_t i = 0; i < w.size(); i += 8) {
    std::uint64_t c = 0;  // up to eight bytes as a little-endian integer, zero-padded
    for (std::size_t k = std::min<std::size_t>(8, w.size() - i); k-- > 0;) c = c << 8 | static_cast<unsigned char>(w[i + k]);
    h = (h ^ c) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
  }
  return h;
}

double reference_word_logit(const TextClassifier& c, const std::string& text, Mode mode) {
  std::vector<std::string> words;
  std::string cur;
  for (const char ch : text + " ") {
    if (ch != ' ') {
      cur += ch;
    } else if (!cur.empty()) {
      words.push_back(cur);
      cur.clear();
    }
  }
  unsigned bits = 0;
  while ((1u << bits) < c.buckets) ++bits;
  const auto bucket = [&](std::uint64_t v) { return static_cast<std::size_t>(v * 0x9E3779B97F4A7C15ull >> (64 - bits)); };
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::uint64_t h = reference_word_hash(words[i]);
    sum += c.weights[bucket(h)];
    ++count;
    if (i > 0) {
      const std::uint64_t a = reference_word_hash(words[i - 1]);
      sum += c.weights[bucket((((a << 31) | (a >> 33)) ^ h) + 1)];
      ++count;
    }
  }
  const double bias = mode == Mode::post ? c.bias_post : c.bias_query;
  return count == 0 ? bias : bias + c.scale * sum / std::sqrt(static_cast<double>(count));
}

std::string hex_of(const std::vector<std::int8_t>& w) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (const std::int8_t v : w) {
    const auto b = static_cast<std::uint8_t>(v);
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

// The mini pack with one classifier of 256 buckets, all weights `weight`, and the given rules.
detail::PackFiles classified_pack(int weight, const std::string& rules) {
  detail::PackFiles p = mini_pack_files();
  const std::string hex = hex_of(std::vector<std::int8_t>(256, static_cast<std::int8_t>(weight)));
  p.files["classifiers.yaml"] = "classifiers:\n  - id: offer-text\n    ngrams: [3, 5]\n    buckets: 256\n"
                                "    scale: 0.05\n    bias: {query: 0, post: 0}\n    threshold: 0.8\n    weights: |\n      " +
                                hex.substr(0, 256) + "\n      " + hex.substr(256) + "\n";
  p.files["rules-classified.yaml"] = rules;
  return p;
}

const TraceClassifier* classifier_in(const Trace& t, const std::string& id) {
  for (const auto& k : t.classifiers)
    if (k.id == id) return &k;
  return nullptr;
}

}  // namespace

TEST_CASE("classifier: the score is the definition's, n-gram by n-gram, in every script") {
  std::mt19937 rng(20261207);
  const std::vector<std::string> texts = {"", "a", "ab", "boat to uk tonight", "قارب الى بريطانيا", "پاسپۆرت",
                                          "thuyền đi anh", "🚤🇬🇧 2500", std::string(300, 'x'), "a b c d e f"};
  for (const auto& range : std::vector<std::pair<int, int>>{{3, 5}, {1, 1}, {2, 8}, {4, 4}}) {
    const int nmin = range.first;
    TextClassifier c;
    c.buckets = 1024;
    c.nmin = nmin;
    c.nmax = range.second;
    c.scale = 0.013;
    c.bias_query = -0.4;
    c.bias_post = 0.25;
    std::uniform_int_distribution<int> w(-127, 127);
    for (std::uint32_t k = 0; k < c.buckets; ++k) c.weights.push_back(static_cast<std::int8_t>(w(rng)));
    for (const std::string& t : texts)
      for (const Mode mode : {Mode::query, Mode::post}) {
        CAPTURE(t);
        CAPTURE(nmin);
        CHECK(c.logit(t, mode) == doctest::Approx(reference_logit(c, t, mode)).epsilon(1e-12));
      }
  }
}

TEST_CASE("classifier: words and pairs of words score as the definition, at every length and at the text's end") {
  std::mt19937 rng(20261208);
  TextClassifier c;
  c.features = TextClassifier::Features::words;
  c.buckets = 4096;
  c.scale = 0.021;
  c.bias_query = -1.5;
  c.bias_post = 0.5;
  std::uniform_int_distribution<int> w(-127, 127);
  for (std::uint32_t k = 0; k < c.buckets; ++k) c.weights.push_back(static_cast<std::int8_t>(w(rng)));
  std::vector<std::string> texts = {"", "a", "boat", "boat to uk tonight", "قارب الى بريطانيا", "پاسپۆرت ئەوروپی",
                                    "thuyền đi anh", "🚤 🇬🇧 2500", "to uk", "uk to", "  two  spaces ",
                                    "abcdefgh abcdefghi abcdefghijklmnop abcdefghijklmnopq"};
  // Words of 1 to 40 bytes, so that every chunk length meets the end of the text and of a block of sixteen.
  std::uniform_int_distribution<int> letter('a', 'z');
  for (int len = 1; len <= 40; ++len) {
    std::string t;
    for (int k = 0; k < 3; ++k) {
      if (!t.empty()) t += ' ';
      for (int j = 0; j < len + k; ++j) t += static_cast<char>(letter(rng));
    }
    texts.push_back(t);
    texts.push_back(t.substr(0, t.size() - 1));
  }
  for (const std::string& t : texts)
    for (const Mode mode : {Mode::query, Mode::post}) {
      CAPTURE(t);
      // The text alone in its buffer, so that a read past its end is an error under AddressSanitizer
      // (the sanitizer build of scripts/test.sh, -DSIGNPOST_SANITIZE=ON).
      const std::vector<char> alone(t.begin(), t.end());
      CHECK(c.logit(std::string_view(alone.data(), alone.size()), mode) ==
            doctest::Approx(reference_word_logit(c, t, mode)).epsilon(1e-12));
    }
  CHECK(TextClassifier::word_hash("boat", 4) == reference_word_hash("boat"));
  // Pinned, the same constants as tests/cli/test_classifier.py pins for the training script.
  CHECK(TextClassifier::word_hash("boat", 4) == 0x44d8e98ccfb762d2ull);
  const std::uint64_t boat = TextClassifier::word_hash("boat", 4), uk = TextClassifier::word_hash("uk", 2);
  CHECK(TextClassifier::pair_bucket(boat, uk, 18) == 112696u);
  CHECK(TextClassifier::bucket_of(0x616f62, 3, 16) == 39155u);  // "boa", little-endian
  CHECK(TextClassifier::word_hash("abcdefghijk", 11) == reference_word_hash("abcdefghijk"));
  // Word order matters through the pairs: "to uk" and "uk to" share their words, not their pair.
  CHECK(c.logit("to uk", Mode::query) != c.logit("uk to", Mode::query));
}

TEST_CASE("classifier: fires from its threshold's logit on") {
  TextClassifier c;
  c.buckets = 256;
  c.weights.assign(256, 0);
  c.set_threshold(0.8);
  c.bias_query = std::log(0.8 / 0.2) + 1e-9;
  c.bias_post = std::log(0.8 / 0.2) - 1e-9;
  CHECK(c.fires("anything", Mode::query));
  CHECK_FALSE(c.fires("anything", Mode::post));
  CHECK(c.logit("anything", Mode::post) == doctest::Approx(c.bias_post));
}

TEST_CASE("classifier: weights are two hex digits each, signed, whitespace ignored") {
  TextClassifier c;
  c.buckets = 4;
  CHECK(c.read_weights("7f 80\n ff 0A") == "");
  CHECK(c.weights == std::vector<std::int8_t>{127, -128, -1, 10});
  CHECK(c.read_weights("7f80ff") == "weights hold 3 values, buckets says 4");
  CHECK(c.read_weights("7f80ff0a00") == "weights hold more than 4 values");
  CHECK(c.read_weights("7f80ff0") == "weights end with half a byte");
  CHECK(c.read_weights("7f80ffzz") == "weights must be hexadecimal digits");
}

TEST_CASE("classifier: every problem of a classifiers entry, at its place") {
  TempDir t;
  t.write("pack.yaml", kManifest);
  t.write("content.yaml",
          "lexicons:\n"
          "  - id: boat\n"
          "    terms: {en: [boat]}\n"
          "  - id: boats\n"
          "    include: [bad-size]\n"
          "classifiers:\n"
          "  - id: bad-size\n"
          "    ngrams: [5, 3]\n"
          "    buckets: 1000\n"
          "    scale: 0\n"
          "    bias: {query: 0}\n"
          "    threshold: 1\n"
          "    weights: \"00\"\n"
          "    colour: red\n"
          "  - id: bad-weights\n"
          "    ngrams: [3, 9]\n"
          "    buckets: 256\n"
          "    scale: 1\n"
          "    bias: {query: 0, post: 0}\n"
          "    threshold: 0.5\n"
          "    weights: \"0g\"\n"
          "  - id: boat\n"
          "    ngrams: [3, 5]\n"
          "    buckets: 256\n"
          "    scale: 1\n"
          "    bias: {query: 0, post: 0}\n"
          "    threshold: 0.5\n"
          "    weights: \"00\"\n"
          "rules:\n"
          "  - id: r\n"
          "    category: c\n"
          "    near: [{of: [boat, bad-weights], within: 2}]\n"
          "categories:\n"
          "  - id: c\n"
          "    action: annotate\n");
  const std::string f = file_of(t.path(), "content.yaml");
  const std::vector<std::string> got = problems_of(t.path());
  const std::vector<std::string> want = {
      f + ":5:15: include names lexicons, not classifiers ('bad-size')",
      f + ":8:13: ngrams must be [nmin, nmax] with nmin <= nmax",
      f + ":9:14: buckets must be a power of two from 256 to 1048576",
      f + ":10:12: scale must be a number in (0, 1e6]",
      f + ":11:11: missing required field 'post'",
      f + ":12:16: threshold must be in (0, 1)",
      f + ":14:5: unknown field 'colour' in classifier",
      f + ":16:17: ngrams must be integers from 1 to 8",
      f + ":21:14: weights must be hexadecimal digits",
      f + ":22:9: duplicate lexicon id 'boat' (first defined at " + f + ":2:9)",
      f + ":28:14: weights hold 1 values, buckets says 256",
      f + ":32:24: near names lexicons, not classifiers ('bad-weights')",
  };
  CHECK(got == want);  // every problem, in the order of their places
}

TEST_CASE("classifier: features words loads without ngrams; every problem of features, at its place") {
  TempDir t;
  t.write("pack.yaml", kManifest);
  const std::string w256 = std::string(512, '0');
  const auto entry = [&](const std::string& id, const std::string& extra) {
    return "  - id: " + id + "\n" + extra + "    buckets: 256\n    scale: 1\n    bias: {query: 0, post: 0}\n" +
           "    threshold: 0.5\n    weights: \"" + w256 + "\"\n";
  };
  t.write("content.yaml", "classifiers:\n" + entry("by-words", "    features: words\n") +
                              entry("by-sentences", "    features: sentences\n    ngrams: [3, 5]\n") +
                              entry("both", "    features: words\n    ngrams: [3, 5]\n") +
                              entry("no-ngrams", "    features: bytes\n") +
                              entry("misspelt", "    features: word\n") +
                              "rules:\n  - id: r\n    category: c\n    all: [by-words]\n"
                              "categories:\n  - id: c\n    action: annotate\n");
  const std::string f = file_of(t.path(), "content.yaml");
  const std::vector<std::string> want = {
      f + ":10:15: features must be bytes or words",
      f + ":19:13: ngrams is for features: bytes (words has no n-gram lengths)",
      f + ":25:5: missing required field 'ngrams'",
      f + ":33:15: features must be bytes or words",  // alone: no 'ngrams' missing
  };
  CHECK(problems_of(t.path()) == want);
}

TEST_CASE("classifier: found as a lexicon of the whole text, scored only when a rule naming it could fire") {
  // All weights +127: the probability is near 1 on any text; all -127: near 0.
  const std::string alone = "rules:\n  - id: classified\n    category: crossing\n    all: [offer-text]\n    weight: 0.6\n";
  const detail::EngineImpl yes(classified_pack(127, alone), {});
  Trace t = yes.trace(Query{"a price for the boat", "en", Mode::query, {}});
  REQUIRE(classifier_in(t, "offer-text") != nullptr);
  CHECK(classifier_in(t, "offer-text")->fired);
  CHECK(classifier_in(t, "offer-text")->probability > 0.99);
  CHECK(t.decision.action == Action::redirect);
  bool whole = false;
  for (const auto& k : t.concepts) whole = whole || (k.concept_id == "offer-text" && k.via == "classifier" && k.begin == 0 && k.end == 20);
  CHECK(whole);
  // Nothing of the pack in the text: not scored, whatever it would say.
  t = yes.trace(Query{"hello there", "en", Mode::query, {}});
  CHECK(classifier_in(t, "offer-text")->probability > 0.99);
  CHECK_FALSE(classifier_in(t, "offer-text")->fired);
  CHECK(t.decision.action == Action::none);

  const detail::EngineImpl no(classified_pack(-127, alone), {});
  t = no.trace(Query{"a price for the boat", "en", Mode::query, {}});
  CHECK(classifier_in(t, "offer-text")->probability < 0.01);
  CHECK_FALSE(classifier_in(t, "offer-text")->fired);

  // With another lexicon in `all`, only a text holding it has the classifier scored.
  const std::string with_boat =
      "rules:\n  - id: classified\n    category: crossing\n    all: [offer-text, boat]\n    weight: 0.6\n";
  const detail::EngineImpl gated(classified_pack(127, with_boat), {});
  CHECK_FALSE(classifier_in(gated.trace(Query{"a price for the trip", "en", Mode::query, {}}), "offer-text")->fired);
  CHECK(classifier_in(gated.trace(Query{"a price for the boat", "en", Mode::query, {}}), "offer-text")->fired);
  CHECK(gated.evaluate(Query{"a price for the trip", "en", Mode::query, {}}).action == Action::none);

  // Named in a rule's `none`, it is scored when the rest of the rule may hold, and vetoes it.
  const std::string veto = "rules:\n  - id: priced\n    category: crossing\n    all: [price]\n    none: [offer-text]\n"
                           "    weight: 0.6\n";
  const detail::EngineImpl vetoed(classified_pack(127, veto), {});
  CHECK(vetoed.evaluate(Query{"a price", "en", Mode::query, {}}).action == Action::none);
  const detail::EngineImpl kept(classified_pack(-127, veto), {});
  CHECK(kept.evaluate(Query{"a price", "en", Mode::query, {}}).action == Action::redirect);

  // The news context applies to it as to any rule.
  CHECK(yes.evaluate(Query{"news of a boat", "en", Mode::query, {}}).action == Action::none);
}

TEST_CASE("classifier level: every problem of an `of:` entry, at its place") {
  TempDir t;
  t.write("pack.yaml", kManifest);
  t.write("content.yaml",
          "lexicons:\n"
          "  - id: boat\n"
          "    terms: {en: [boat]}\n"
          "classifiers:\n"
          "  - id: offer\n"
          "    ngrams: [3, 5]\n"
          "    buckets: 256\n"
          "    scale: 1\n"
          "    bias: {query: 0, post: 0}\n"
          "    threshold: 0.5\n"
          "    weights: \"" + std::string(512, '0') + "\"\n"
          "  - {id: likely, of: offer, threshold: 0.7}\n"
          "  - {id: of-nothing, of: nothing, threshold: 0.7}\n"
          "  - {id: of-lexicon, of: boat, threshold: 0.7}\n"
          "  - {id: of-level, of: likely, below: 0.2}\n"
          "  - {id: both, of: offer, threshold: 0.7, below: 0.2}\n"
          "  - {id: neither, of: offer}\n"
          "  - {id: too-low, of: offer, below: 0}\n"
          "  - {id: likely, of: offer, threshold: 0.9, weights: \"00\"}\n"
          "rules:\n"
          "  - id: r\n"
          "    category: c\n"
          "    near: [{of: [boat, likely], within: 2}]\n"
          "categories:\n"
          "  - id: c\n"
          "    action: annotate\n");
  const std::string f = file_of(t.path(), "content.yaml");
  const std::vector<std::string> got = problems_of(t.path());
  const std::vector<std::string> want = {
      f + ":13:26: unknown classifier 'nothing'",
      f + ":14:26: of names a classifier, not a lexicon ('boat')",
      f + ":15:24: of names a level, not a classifier with weights ('likely')",
      f + ":16:50: a classifier level has threshold or below, not both",
      f + ":17:5: a classifier level needs threshold (found at or above) or below (found under)",
      f + ":18:37: below must be in (0, 1)",
      f + ":19:10: duplicate lexicon id 'likely' (first defined at " + f + ":12:10)",
      f + ":19:45: unknown field 'weights' in classifier level",
      f + ":23:24: near names lexicons, not classifiers ('likely')",
  };
  CHECK(got == want);  // every problem, in the order of their places
}

TEST_CASE("classifier level: found at its own probability, or under it, from the classifier's one score") {
  // All weights +1, scale 0.05: the logit of "a price for the boat" (57 n-grams) is 0.05 * sqrt(57),
  // a probability of 0.593: under the classifier's own 0.8, over a level at 0.5, under one at 0.7.
  const std::string rules =
      "classifiers:\n"
      "  - {id: offer-likely, of: offer-text, threshold: 0.5}\n"
      "  - {id: offer-unlikely, of: offer-text, below: 0.7}\n"
      "  - {id: offer-very-unlikely, of: offer-text, below: 0.5}\n"
      "rules:\n"
      "  - id: priced\n    category: crossing\n    all: [price]\n    weight: 0.6\n"
      "  - id: likely\n    category: crossing\n    all: [offer-likely]\n    weight: 0.6\n"
      "contexts:\n"
      "  - id: unlikely\n    any: [offer-unlikely]\n    none: [boat]\n    factor: 0\n    categories: [crossing]\n";
  const detail::EngineImpl e(classified_pack(1, rules), {});
  // One model for the classifier and its three levels: scan() scores each model once.
  REQUIRE(e.classifiers.size() == 4);
  for (std::size_t i = 1; i < 4; ++i) CHECK(&e.classifiers.classifier(i) == &e.classifiers.classifier(0));
  const Trace t = e.trace(Query{"a price for the boat", "en", Mode::query, {}});
  const double p = 1.0 / (1.0 + std::exp(-0.05 * std::sqrt(57.0)));
  for (const char* id : {"offer-text", "offer-likely", "offer-unlikely", "offer-very-unlikely"}) {
    CAPTURE(id);
    REQUIRE(classifier_in(t, id) != nullptr);
    CHECK(classifier_in(t, id)->probability == doctest::Approx(p).epsilon(1e-9));
  }
  CHECK_FALSE(classifier_in(t, "offer-text")->fired);
  CHECK(classifier_in(t, "offer-likely")->fired);
  CHECK_FALSE(classifier_in(t, "offer-likely")->below);
  CHECK(classifier_in(t, "offer-unlikely")->fired);
  CHECK(classifier_in(t, "offer-unlikely")->below);
  CHECK(classifier_in(t, "offer-unlikely")->threshold == 0.7);
  CHECK_FALSE(classifier_in(t, "offer-very-unlikely")->fired);
  bool likely_fired = false;
  for (const auto& r : t.rules) likely_fired = likely_fired || (r.id == "likely" && r.fired);
  CHECK(likely_fired);
  CHECK(t.decision.action == Action::redirect);  // the context needs no boat

  // Under its level, the context cancels what the rules found; not on a text with none.
  CHECK(e.evaluate(Query{"a price for the trip", "en", Mode::query, {}}).action == Action::none);
  const Trace nothing = e.trace(Query{"hello there", "en", Mode::query, {}});
  CHECK_FALSE(classifier_in(nothing, "offer-unlikely")->fired);
  // With weights -1 (a probability of 0.407) the context's level is still found; a level that no
  // rule or context names is never found, whatever the probability.
  const detail::EngineImpl low(classified_pack(-1, rules), {});
  const Trace lt = low.trace(Query{"a price for the trip", "en", Mode::query, {}});
  CHECK(lt.decision.action == Action::none);
  CHECK(classifier_in(lt, "offer-unlikely")->fired);
  CHECK(classifier_in(lt, "offer-very-unlikely")->probability < 0.5);
  CHECK_FALSE(classifier_in(lt, "offer-very-unlikely")->fired);
}
