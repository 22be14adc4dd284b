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
