// Tests for the index of match/typo_index (terms filed under their ends, see typo_index.hpp): on
// random terms and random texts in Latin and Arabic script, and on the default pack's typo terms in
// texts of every length, scan() finds exactly the hits that scan_exhaustive() finds by comparing
// every word with every term; within_one_edit() (byte-wise) agrees with the definition in code
// points.
#include <doctest/doctest.h>

#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "engine_impl.hpp"
#include "match/typo_index.hpp"
#include "normalize/normalizer.hpp"

using signpost::detail::Hit;
using signpost::detail::normalize;
using signpost::detail::normalize_term;
using signpost::detail::NormalizedText;
using signpost::detail::TypoIndex;
using signpost::detail::TypoTerm;

namespace {

using Word = std::vector<std::string_view>;  // one code point (UTF-8) per element

// Letters that the normalizer keeps apart (no look-alike or leetspeak folding between them).
const std::vector<std::string_view> kLatin = {"a", "b", "c", "d", "e", "f", "g", "h", "k", "m", "n", "p",
                                              "r", "s", "t", "u", "v", "w", "x", "y", "z", "é", "ş"};
const std::vector<std::string_view> kArabic = {"ا", "ب", "ت", "ج", "ح", "خ", "د", "ر", "ز", "س", "ش",
                                               "ع", "ف", "ق", "ک", "ل", "م", "ن", "ه", "و", "ی", "چ", "پ", "گ"};

struct Gen {
  std::mt19937_64 rng;
  const std::vector<std::string_view>& letters;
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(rng() % n); }
  Word word(std::size_t len) {
    Word w;
    for (std::size_t i = 0; i < len; ++i) w.push_back(letters[below(letters.size())]);
    return w;
  }
  // One random edit: substitution, insertion, deletion or a swap of two adjacent code points.
  void edit(Word& w) {
    const std::size_t p = below(w.size());
    switch (below(4)) {
      case 0: w[p] = letters[below(letters.size())]; break;
      case 1: w.insert(w.begin() + static_cast<std::ptrdiff_t>(below(w.size() + 1)), letters[below(letters.size())]); break;
      case 2: if (w.size() > 1) w.erase(w.begin() + static_cast<std::ptrdiff_t>(p)); break;
      default: if (p + 1 < w.size()) std::swap(w[p], w[p + 1]); break;
    }
  }
};

std::string join(const Word& w) {
  std::string s;
  for (auto c : w) s += c;
  return s;
}

bool same(const std::vector<Hit>& a, const std::vector<Hit>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].lexicon != b[i].lexicon || a[i].begin != b[i].begin || a[i].end != b[i].end ||
        a[i].tok_begin != b[i].tok_begin || a[i].tok_end != b[i].tok_end || a[i].lang != b[i].lang)
      return false;
  return true;
}

// Scans every text with the index and exhaustively; checks both give the same hits (reporting the
// first five texts that differ) and returns the number of hits found.
std::size_t same_hits_both_ways(const TypoIndex& index, const std::vector<std::string>& texts) {
  std::size_t found = 0, differ = 0;
  NormalizedText n;
  std::vector<Hit> with, without;
  for (const std::string& text : texts) {
    normalize(text, n);
    with.clear();
    without.clear();
    index.scan(n, with);
    index.scan_exhaustive(n, without);
    found += without.size();
    if (!same(with, without)) {
      ++differ;
      if (differ <= 5) {
        INFO("text: " << text << ", hits with the index: " << with.size() << ", without: " << without.size());
        CHECK(same(with, without));
      }
    }
  }
  CHECK(differ == 0);
  return found;
}

// Builds an index of random terms in one script, then scans random texts of those terms with zero,
// one or two edits, with particles in front (Arabic), and of random words, with and without the
// index and without. Returns the number of hits found (the same both ways, or the test has failed).
// `particles`: written before a word now and then (a word start inside the token); `suffix`: after
// one now and then (a word end inside the token).
std::size_t compare(const std::vector<std::string_view>& letters, std::uint64_t seed,
                    const std::vector<std::string_view>& particles, std::string_view suffix) {
  Gen g{std::mt19937_64(seed), letters};
  std::vector<Word> words;
  std::vector<TypoTerm> terms;
  for (int i = 0; i < 300; ++i) {
    words.push_back(g.word(4 + g.below(10)));  // 4 to 13 code points
    const auto min_length = static_cast<std::uint32_t>(3 + g.below(7));
    terms.push_back(TypoTerm{normalize_term(join(words.back())), static_cast<std::uint32_t>(g.below(4)),
                             static_cast<std::uint16_t>(g.below(3)), min_length});
  }
  std::vector<std::string> known;
  for (int i = 0; i < 40; ++i) known.push_back(normalize_term(join(g.word(5 + g.below(6)))));
  for (int i = 0; i < 10; ++i) known.push_back(terms[g.below(terms.size())].normalized);
  TypoIndex index;
  index.build(terms, known);
  REQUIRE(index.size() > 200);

  std::vector<std::string> texts;
  for (int t = 0; t < 3000; ++t) {
    std::string text;
    const std::size_t count = 1 + g.below(6);
    for (std::size_t k = 0; k < count; ++k) {
      Word w = words[g.below(words.size())];
      const std::size_t kind = g.below(10);
      if (kind < 5) g.edit(w);                        // one edit
      else if (kind < 6) g.edit(w), g.edit(w);        // two
      else if (kind < 8) w = g.word(2 + g.below(14)); // a random word
      if (!text.empty()) text += ' ';
      if (!particles.empty() && g.below(4) == 0) text += particles[g.below(particles.size())];
      text += join(w);
      if (!suffix.empty() && g.below(6) == 0) text += suffix;
    }
    texts.push_back(std::move(text));
  }
  return same_hits_both_ways(index, texts);
}

// One edit between two words, by the definition: the code points of each, then equal, one
// substitution, one deletion from either, or one swap of two adjacent code points.
bool one_edit_reference(const Word& a, const Word& b) {
  if (a == b) return true;
  if (a.size() == b.size()) {
    std::vector<std::size_t> diff;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) diff.push_back(i);
    if (diff.size() == 1) return true;
    return diff.size() == 2 && diff[1] == diff[0] + 1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]];
  }
  const Word& l = a.size() > b.size() ? a : b;
  const Word& s = a.size() > b.size() ? b : a;
  if (l.size() != s.size() + 1) return false;
  for (std::size_t p = 0; p < l.size(); ++p) {
    Word d = l;
    d.erase(d.begin() + static_cast<std::ptrdiff_t>(p));
    if (d == s) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("within_one_edit agrees with the definition on random words of one- to four-byte code points") {
  // Code points whose UTF-8 forms share leading bytes, so that a byte-wise comparison must find the
  // code point boundaries (é and è, ق and ف, two emoji).
  const std::vector<std::string_view> letters = {"a", "b", "e", "é", "è", "ş", "ق", "ف", "ک", "ی", "€", "😀", "😁"};
  Gen g{std::mt19937_64(99), letters};
  std::size_t yes = 0;
  for (int i = 0; i < 50000; ++i) {
    const Word a = g.word(1 + g.below(12));
    Word b = a;
    const std::size_t edits = g.below(4);
    for (std::size_t k = 0; k < edits; ++k) g.edit(b);
    if (g.below(8) == 0) b = g.word(1 + g.below(12));
    const bool expected = one_edit_reference(a, b);
    yes += expected;
    INFO(join(a) << " / " << join(b));
    REQUIRE(TypoIndex::within_one_edit(join(a), join(b)) == expected);
    REQUIRE(TypoIndex::within_one_edit(join(b), join(a)) == expected);
  }
  CHECK(yes > 10000);
  CHECK(yes < 40000);
}

TEST_CASE("typo index: filing terms by their ends loses no hit and adds none, in Latin script") {
  const std::size_t found = compare(kLatin, 20261205, {}, "");
  MESSAGE("hits at one edit: " << found);
  CHECK(found > 1500);  // the texts hold many words at one edit of a term
}

TEST_CASE("typo index: filing terms by their ends loses no hit and adds none, in Arabic script with particles") {
  const std::size_t found = compare(kArabic, 7, {"و", "ال", "ب", "وال"}, "\u200cها");  // ZWNJ and the Persian plural
  MESSAGE("hits at one edit: " << found);
  CHECK(found > 1500);
}

TEST_CASE("typo index: the default pack's terms at zero, one and two edits give the same hits with the index and without") {
  const signpost::detail::EngineImpl e(std::filesystem::path(SIGNPOST_DEFAULT_PACK_DIR), signpost::EngineOptions{});
  REQUIRE(!e.typos.empty());
  // The pack's words that tolerate a typo, one code point per element.
  std::deque<std::string> norms;
  std::vector<Word> words;
  for (const auto& lex : e.model.lexicons)
    for (const auto& t : lex.terms) {
      if (lex.typos == 0 || t.prefix) continue;
      norms.push_back(normalize_term(t.text));
      const std::string_view s = norms.back();
      if (s.empty() || s.find(' ') != std::string_view::npos) continue;
      Word w;
      for (std::size_t i = 0; i < s.size();) {
        std::size_t j = i + 1;
        while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
        w.push_back(s.substr(i, j - i));
        i = j;
      }
      words.push_back(std::move(w));
    }
  REQUIRE(words.size() > 100);
  std::vector<std::string_view> letters = kLatin;
  letters.insert(letters.end(), kArabic.begin(), kArabic.end());
  for (const char* extra : {"i", "o", "l", "j", "q", "2", "\u0640"}) letters.push_back(extra);
  Gen g{std::mt19937_64(20261206), letters};
  std::vector<std::string> texts;
  // The development texts as they are, then texts of pack words with edits, alone (shorter than
  // eight bytes, some of them) or among others, at the start, in the middle and at the end.
  for (const char* file : {"dev-queries.tsv", "dev-posts.tsv"}) {
    std::ifstream in(std::string(SIGNPOST_EVAL_DATA) + "/" + file);
    REQUIRE(in);
    for (std::string line; std::getline(in, line);)
      if (const auto tab = line.rfind('\t'); !line.empty() && line[0] != '#' && tab != std::string::npos)
        texts.push_back(line.substr(tab + 1));
  }
  for (int t = 0; t < 4000; ++t) {
    std::string text;
    const std::size_t count = 1 + g.below(5);
    for (std::size_t k = 0; k < count; ++k) {
      Word w = words[g.below(words.size())];
      const std::size_t kind = g.below(10);
      if (kind < 5) g.edit(w);                        // one edit
      else if (kind < 6) g.edit(w), g.edit(w);        // two
      else if (kind < 7) w = g.word(2 + g.below(14)); // a random word
      if (!text.empty()) text += g.below(8) == 0 ? "-" : " ";
      text += join(w);
    }
    texts.push_back(text);
  }
  const std::size_t found = same_hits_both_ways(e.typos, texts);
  MESSAGE(texts.size() << " texts, " << words.size() << " words of the pack, hits at one edit: " << found);
  CHECK(found > 1000);
}
