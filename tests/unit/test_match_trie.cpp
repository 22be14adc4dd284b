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
