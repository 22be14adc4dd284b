// Tests for match/: the trie of terms walked from word starts finds exactly what a brute-force
// search finds, in the documented order; regexes are scanned when they can matter.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "base/fast_paths.hpp"
#include "match/matcher.hpp"
#include "normalize/normalizer.hpp"

using namespace signpost::detail;

namespace {

Lexicon lexicon(const std::string& id, const std::vector<std::pair<std::string, bool>>& terms) {
  Lexicon l;
  l.id = id;
  for (const auto& [text, prefix] : terms) l.terms.push_back(TermSpec{text, prefix, "en", {"test.yaml", 1, 1}});
  return l;
}

// Every (end, begin, lexicon) where a term of the lexicon, normalized (or, for a multi-word term of
// words of two letters or more and six letters in all, with its spaces removed), occurs at a word start and ends at a word end (anywhere if prefix).
std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> brute_force(const PackModel& m,
                                                                                 const NormalizedText& t) {
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> out;
  for (std::uint32_t li = 0; li < m.lexicons.size(); ++li)
    for (const TermSpec& term : m.lexicons[li].terms) {
      const std::string n = normalize_term(term.text);
      if (n.empty()) continue;
      std::vector<std::string> forms{n};
      if (n.find(' ') != std::string::npos) {
        // Written together only when every word has two code points or more, six in all.
        std::string joined;
        std::size_t shortest = 99, letters = 0, word = 0;
        for (std::size_t i = 0; i <= n.size(); ++i) {
          if (i == n.size() || n[i] == ' ') {
            shortest = std::min(shortest, word);
            word = 0;
            continue;
          }
          joined += n[i];
          if ((static_cast<unsigned char>(n[i]) & 0xC0) != 0x80) ++word, ++letters;
        }
        if (shortest >= 2 && letters >= 6) forms.push_back(joined);
      }
      for (const std::string& f : forms)
        for (std::size_t p = 0; p + f.size() <= t.text.size(); ++p) {
          if (!(t.bounds[p] & NormalizedText::kStart) || t.text.compare(p, f.size(), f) != 0) continue;
          if (!term.prefix && !(t.bounds[p + f.size()] & NormalizedText::kEnd)) continue;
          out.insert({static_cast<std::uint32_t>(p + f.size()), static_cast<std::uint32_t>(p), li});
        }
    }
  return {out.begin(), out.end()};
}

}  // namespace

TEST_CASE("the term trie finds what a brute-force search over word starts finds, in order of end, start, lexicon") {
  std::mt19937_64 rng(7);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  // A small alphabet makes terms overlap, nest and share prefixes; Arabic words exercise
  // particle starts, accents and capitals the normalizer.
  const std::vector<std::string> words = {"ab", "aba", "abab", "ba", "bab", "boat", "boats", "b0at", "Boot",
                                          "uk", "to", "small", "smallboat", "قارب", "بالقارب", "الي", "café",
                                          "cafe", "pass", "port", "pass-port", "passport", "ﬁsh", "fish", "b", "y"};
  for (int round = 0; round < 60; ++round) {
    PackModel model;
    const std::size_t nlex = 1 + pick(4);
    for (std::size_t li = 0; li < nlex; ++li) {
      std::vector<std::pair<std::string, bool>> terms;
      const std::size_t nterms = 1 + pick(12);
      for (std::size_t k = 0; k < nterms; ++k) {
        std::string term = words[pick(words.size())];
        for (std::size_t extra = pick(3); extra > 0; --extra) term += " " + words[pick(words.size())];
        terms.push_back({term, pick(4) == 0});
      }
      model.lexicons.push_back(lexicon("l" + std::to_string(li), terms));
    }
    model.languages = {"en"};
    Matcher matcher;
    std::vector<signpost::Problem> problems;
    matcher.compile(model, {}, problems);
    REQUIRE(problems.empty());
    for (int text_round = 0; text_round < 40; ++text_round) {
      std::string text;
      for (std::size_t k = 1 + pick(12); k > 0; --k) {
        if (!text.empty()) text += pick(5) == 0 ? "-" : pick(5) == 0 ? ". " : " ";
        text += words[pick(words.size())];
      }
      NormalizedText t;
      normalize(text, t);
      // The walk stopped by the text's NUL (the fast path) and by a bound test: the same hits.
      for (const bool fast : {true, false}) {
        set_fast_path(FastPath::term_walk, fast);
        std::vector<Hit> hits;
        std::vector<RegexHit> rhits;
        matcher.scan(t, hits, rhits);
        set_fast_path(FastPath::term_walk, true);
        std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> got;
        for (const Hit& h : hits) {
          got.emplace_back(h.end, h.begin, h.lexicon);
          CHECK(h.tok_begin == t.token[h.begin]);
          CHECK(h.tok_end == t.token[h.end - 1]);
        }
        INFO("text: ", text, " -> ", t.text, fast ? " (fast walk)" : " (bounded walk)");
        CHECK(std::is_sorted(got.begin(), got.end()));
        CHECK(got == brute_force(model, t));
      }
    }
  }
}

TEST_CASE("a regex beside lexicons is scanned only once one of them is hit; a regex alone always") {
  PackModel model;
  model.languages = {"en"};
  model.lexicons.push_back(lexicon("crossing", {{"boat", false}}));
  model.lexicons.push_back(lexicon("other", {{"ferry", false}}));
  std::vector<RegexSpec> regexes = {
      {"[0-9]{3,5} ?(euro|€)", {"r.yaml", 1, 1}, {0}},  // gated on "crossing"
  };
  Matcher gated;
  std::vector<signpost::Problem> problems;
  gated.compile(model, regexes, problems);
  REQUIRE(problems.empty());
  auto scan = [](const Matcher& m, const char* s) {
    NormalizedText t;
    normalize(s, t);
    std::vector<Hit> hits;
    std::vector<RegexHit> rhits;
    m.scan(t, hits, rhits);
    return rhits.size();
  };
  CHECK(scan(gated, "boat 1400 euro") == 1);
  CHECK(scan(gated, "ferry 1400 euro") == 0);  // no hit of the gate lexicon: not scanned
  CHECK(scan(gated, "1400 euro") == 0);

  regexes[0].gate.clear();  // a regex whose condition names no lexicon
  Matcher always;
  always.compile(model, regexes, problems);
  REQUIRE(problems.empty());
  CHECK(scan(always, "1400 euro") == 1);
  CHECK(scan(always, "ferry 1400 euro") == 1);
}

TEST_CASE("signal keys: reported as bits where they occur as whole words, never as hits") {
  // The entity gate's words ride on the term walk (engine.cpp): a key's bits must come back exactly
  // when the key occurs from a word start to a word end (a brute-force search says where), the
  // pack's own hits must be those of the same pack compiled without the keys, and a key that is
  // also a pack term keeps the term's hits.
  std::mt19937_64 rng(11);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const std::vector<std::string> words = {"ab", "aba", "boat", "boats", "uk", "to", "euro", "euros", "€", "£",
                                          "lundi", "tonight", "دولار", "بالدولار", "d", "đ", "pound", "pounds"};
  int with_bits = 0;
  for (int round = 0; round < 40; ++round) {
    PackModel model;
    model.languages = {"en"};
    std::vector<std::pair<std::string, bool>> terms;
    for (std::size_t k = 1 + pick(6); k > 0; --k) terms.push_back({words[pick(words.size())], pick(4) == 0});
    model.lexicons.push_back(lexicon("l0", terms));
    std::vector<SignalKey> keys;
    for (std::size_t k = 1 + pick(6); k > 0; --k)
      keys.push_back({normalize_term(words[pick(words.size())]), static_cast<std::uint16_t>(1u << pick(4))});
    Matcher plain, signalled;
    std::vector<signpost::Problem> problems;
    plain.compile(model, {}, problems);
    signalled.compile(model, {}, problems, keys);
    REQUIRE(problems.empty());
    CHECK(signalled.patterns() == plain.patterns());  // the keys are no pack term
    // The same keys as a lexicon of exact terms, for the brute-force search.
    PackModel as_terms;
    as_terms.languages = {"en"};
    for (const SignalKey& k : keys) as_terms.lexicons.push_back(lexicon("k", {{k.key, false}}));
    for (int text_round = 0; text_round < 40; ++text_round) {
      std::string text;
      for (std::size_t k = 1 + pick(10); k > 0; --k) {
        if (!text.empty()) text += pick(5) == 0 ? ", " : " ";
        text += words[pick(words.size())];
      }
      NormalizedText t;
      normalize(text, t);
      std::vector<Hit> a, b;
      std::vector<RegexHit> ra, rb;
      unsigned bits = 0;
      plain.find_terms(t, a, ra);
      signalled.find_terms(t, b, rb, &bits);
      INFO(text);
      REQUIRE(a.size() == b.size());
      for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].begin == b[i].begin);
        CHECK(a[i].end == b[i].end);
        CHECK(a[i].lexicon == b[i].lexicon);
      }
      unsigned expect = 0;
      for (const auto& [end, begin, li] : brute_force(as_terms, t)) expect |= keys[li].bits;
      CHECK((bits & Matcher::kSignalsComplete) != 0);
      CHECK((bits & ~Matcher::kSignalsComplete) == expect);
      with_bits += expect != 0;
    }
  }
  CHECK(with_bits > 200);
}

TEST_CASE("signal keys: a key of several words, and a walk cut short, are reported as such") {
  PackModel model;
  model.languages = {"en"};
  model.lexicons.push_back(lexicon("l0", {{"boat", false}}));
  Matcher m;
  std::vector<signpost::Problem> problems;
  m.compile(model, {}, problems, {{normalize_term("đô la"), 1}, {"boat", 2}, {"euro", 4}});
  REQUIRE(problems.empty());
  const auto signals = [&](const std::string& text, std::size_t* hits_out = nullptr) {
    NormalizedText t;
    normalize(text, t);
    std::vector<Hit> hits;
    std::vector<RegexHit> rhits;
    unsigned bits = 0;
    m.find_terms(t, hits, rhits, &bits);
    if (hits_out) *hits_out = hits.size();
    return bits;
  };
  CHECK(signals("hai nghìn đô la") == (Matcher::kSignalsComplete | 1u));
  CHECK(signals("đô labour") == Matcher::kSignalsComplete);  // not a whole word
  std::size_t hits = 0;
  CHECK(signals("boat euros", &hits) == (Matcher::kSignalsComplete | 2u));  // "euros" is not "euro"
  CHECK(hits == 1);  // the pack term is still a hit
  // More hits than a call keeps: the walk stops, and says that its bits may be short.
  std::string many;
  for (std::size_t i = 0; i <= kMaxHitsPerCall; ++i) many += "boat ";
  many += "euro";
  CHECK((signals(many, &hits) & Matcher::kSignalsComplete) == 0u);
  CHECK(hits == kMaxHitsPerCall);
}
