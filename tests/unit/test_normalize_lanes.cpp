// The word lane of the normalizer (normalize/pass_read.cpp) against the general path, on the words
// it was widened to take: Arabic words that start with a particle letter, Persian words with a
// ZWNJ, words with repeated letters, Vietnamese. Same arrays, offsets and boundaries either way.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "base/fast_paths.hpp"
#include "normalize/normalizer.hpp"

using signpost::detail::NormalizedText;
using signpost::detail::normalize;

namespace {

bool arrays_equal(const NormalizedText& a, const NormalizedText& b) {
  return a.text == b.text && a.tokens == b.tokens && a.considered == b.considered &&
         std::equal(a.begin.begin(), a.begin.end(), b.begin.begin(), b.begin.end()) &&
         std::equal(a.end.begin(), a.end.end(), b.end.begin(), b.end.end()) &&
         std::equal(a.token.begin(), a.token.end(), b.token.begin(), b.token.end()) &&
         std::equal(a.bounds.begin(), a.bounds.end(), b.bounds.begin(), b.bounds.end());
}

// Normalizes `in` with the fast paths and without them; the two must agree.
void check_same(const std::string& in) {
  NormalizedText fast, slow;
  signpost::detail::set_fast_path(signpost::detail::FastPath::normalizer, true);
  normalize(in, fast);
  signpost::detail::set_fast_path(signpost::detail::FastPath::normalizer, false);
  normalize(in, slow);
  signpost::detail::set_fast_path(signpost::detail::FastPath::normalizer, true);
  INFO("input: ", in, " -> ", slow.text, " / ", fast.text);
  CHECK(arrays_equal(fast, slow));
}

// Real words (the word-frequency lists of bench/data/words and the forms of test_normalize.cpp).
const std::vector<std::string> kArabic = {
    "في", "لا", "التي", "كل", "كان", "الذي", "بعد", "الله", "لم", "بين", "ان", "كانت", "والكتاب",
    "بالقارب", "للأطفال", "فالبحر", "وبالسيارة", "الللأطفال", "وو", "ككتاب", "قارب", "هجرة", "تهريب"};
const std::vector<std::string> kPersian = {
    "می\u200cشود", "می\u200cکند", "آن\u200cها", "می\u200cتواند", "قایق\u200cها", "به", "از", "این",
    "با", "است", "برای", "بود", "ایران", "باید", "کتاب\u200cها", "قاچاق"};
const std::vector<std::string> kVietnamese = {"là", "và", "có", "của", "được", "một", "không", "người",
                                              "những", "đến", "việt", "đồng", "trường", "thích", "ệ"};
const std::vector<std::string> kLatin = {"boat", "boooat", "committee", "Llama", "illegal", "passport",
                                         "aaa", "Straße", "Ärger", "niño", "коммуна", "ССЫЛКА", "ll"};

}  // namespace

TEST_CASE("word lane: particle, ZWNJ, doubled-letter and Vietnamese words as the general path writes them") {
  for (const auto* list : {&kArabic, &kPersian, &kVietnamese, &kLatin}) {
    for (const std::string& w : *list) {
      check_same(w);
      check_same("x " + w + " y");
      check_same(w + ", " + w);
      check_same(w + "\u200c");  // a ZWNJ at the end of the word
      check_same(w + "\u00ad" + w);  // a soft hyphen inside
      check_same("\u200c" + w);  // a ZWNJ before the word
      check_same(w + "1");
      check_same(w + "-" + w);  // joined pieces
    }
  }
}

TEST_CASE("word lane: random words of these scripts with ZWNJ, soft hyphens and repeats") {
  const std::vector<std::string> letters = {"ا", "ل", "و", "ف", "ب", "ك", "ة", "ق", "ر", "ی", "ک", "م",
                                            "ه", "ش", "a", "l", "o", "ệ", "đ", "ư", "ớ", "i", "I"};
  const std::vector<std::string> inner = {"\u200c", "\u00ad", "\u200b"};
  const std::vector<std::string> seps = {" ", " ", ", ", ".", "-", "\n", "  ", "1", "؟ "};
  std::mt19937_64 rng(2026);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  for (int round = 0; round < 5000; ++round) {
    std::string in;
    for (std::size_t w = 1 + pick(5); w > 0; --w) {
      if (!in.empty()) in += seps[pick(seps.size())];
      for (std::size_t k = 1 + pick(9); k > 0; --k) {
        const std::string& l = letters[pick(letters.size())];
        in += l;
        if (pick(4) == 0) in += l;  // a repeated letter
        if (pick(8) == 0) in += inner[pick(inner.size())];
      }
    }
    check_same(in);
  }
}

TEST_CASE("word lane: a word may start after an Arabic particle, and at a ZWNJ") {
  NormalizedText out;
  normalize("والكتاب", out);
  // The word starts at the whole word and after "وال" (the particle و then ال).
  std::size_t starts = 0;
  for (std::size_t k = 0; k < out.text.size(); ++k) starts += (out.bounds[k] & NormalizedText::kStart) != 0;
  CHECK(starts >= 2);
  normalize("قایق\u200cها", out);
  std::size_t ends = 0;
  for (std::size_t k = 0; k <= out.text.size(); ++k) ends += (out.bounds[k] & NormalizedText::kEnd) != 0;
  CHECK(ends == 2);  // after قایق and at the end
}

namespace {

void append_utf8(std::string& s, char32_t c) {
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace

// The lane reads the code points of two-byte UTF-8 and of U+1E00..U+1FFF from a table of its own
// (Tables::lane, built from the class and mapping tables); every one of them, alone, first, last,
// inside a word, doubled, beside an i and an l, after an Arabic particle and beside a ZWNJ, is
// written as the general path writes it, and so are the bytes around the table's ranges (a cut
// two-byte form, E1 B7 xx, E1 C0 xx).
TEST_CASE("word lane: every code point of its table, in every position of a word") {
  std::vector<char32_t> cps;
  for (char32_t c = 0x80; c < 0x800; ++c) cps.push_back(c);
  for (char32_t c = 0x1DC0; c < 0x2010; ++c) cps.push_back(c);  // the block before and after too
  for (const char32_t c : cps) {
    std::string x;
    append_utf8(x, c);
    const std::vector<std::string> words = {x,
                                            "ab" + x,
                                            x + "ab",
                                            "a" + x + "b",
                                            x + x + "a",
                                            "i" + x + "l",
                                            "l" + x + "i",
                                            "\u0648\u0627\u0644" + x + "\u0628",  // a particle before it
                                            "\u0628" + x + "\u200c\u0647\u0627",  // a ZWNJ after it
                                            "\u06a9" + x + x,
                                            "\u1ec7" + x + "t"};
    for (const std::string& w : words) {
      check_same(w);
      check_same("xy " + w + " z");
    }
  }
  const std::vector<std::string> bad_forms = {"ab\xC3",      "ab\xC3 c",         "\xE1\xB7\x80" "ab", "ab\xE1\xB8",
                                              "ab\xE1\xB8 x", "ab\xE1\xC0\x80", "\xC1\xBF" "ab",     "ab\xDF"};
  for (const std::string& bad : bad_forms) {
    check_same(bad);
    check_same("xy " + bad);
  }
}
