// Tests for the normalizer's ASCII fast paths (words of letters or digits read and written eight
// bytes at a time): against a reference written from docs/normalization.md, on random text.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "base/fast_paths.hpp"
#include "normalize/normalizer.hpp"

using signpost::detail::normalize;
using signpost::detail::NormalizedText;

namespace {

struct Expected {
  std::string text;
  std::vector<std::uint32_t> begin, end, token;
  std::vector<std::uint8_t> bounds;
};

// Words of letters only, or of digits only, separated so that no join rule applies (no single
// letters, no thousands groups): lower case, 'l' written 'i', a letter equal to the one before it
// (same letter, an 'i' for an 'i' or an 'i' for an 'l') folded into it, one space between tokens.
Expected reference(const std::string& in, const std::vector<std::pair<std::size_t, std::size_t>>& words) {
  Expected x;
  std::uint32_t last_end = 0;
  for (std::size_t w = 0; w < words.size(); ++w) {
    const auto [b, e] = words[w];
    if (w > 0) {
      x.text += ' ';
      x.begin.push_back(last_end);
      x.end.push_back(static_cast<std::uint32_t>(b));
      x.token.push_back(static_cast<std::uint32_t>(w));
    }
    char prev = 0;
    bool prev_from_l = false;
    for (std::size_t k = b; k < e; ++k) {
      char c = in[k];
      const bool digit = c >= '0' && c <= '9';
      if (!digit && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      const bool from_l = c == 'l';
      if (from_l) c = 'i';
      if (!digit && k > b && c == prev && from_l == prev_from_l) {
        x.end.back() = static_cast<std::uint32_t>(k + 1);
        last_end = static_cast<std::uint32_t>(k + 1);
        continue;
      }
      x.text += c;
      x.begin.push_back(static_cast<std::uint32_t>(k));
      x.end.push_back(static_cast<std::uint32_t>(k + 1));
      x.token.push_back(static_cast<std::uint32_t>(w));
      prev = digit ? 0 : c;
      prev_from_l = from_l;
      last_end = static_cast<std::uint32_t>(k + 1);
    }
  }
  // bounds: kStart at the first byte of each word, kEnd at the position after its last byte.
  x.bounds.assign(x.text.size() + 1, 0);
  for (std::size_t p = 0; p < x.text.size(); ++p) {
    if (p == 0 || x.text[p - 1] == ' ') x.bounds[p] |= NormalizedText::kStart;
    if (x.text[p] == ' ') x.bounds[p] |= NormalizedText::kEnd;
  }
  if (!x.text.empty()) x.bounds[x.text.size()] |= NormalizedText::kEnd;
  return x;
}

}  // namespace

TEST_CASE("ASCII words of letters or digits: the fast paths agree with the reference, offsets included") {
  std::mt19937_64 rng(20261205);
  const std::string letters = "abcdefghijklmnopqrstuvwxyzLLIIllii";  // l/L/i/I weighted: their folding is subtle
  const char* const seps[] = {", ", "; ", " -- ", "\n\n", "? "};
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  for (int round = 0; round < 3000; ++round) {
    std::string in;
    std::vector<std::pair<std::size_t, std::size_t>> words;
    const std::size_t nwords = 1 + pick(8);
    bool prev_digits = false;
    for (std::size_t w = 0; w < nwords; ++w) {
      const bool digits = pick(5) == 0;
      if (w > 0) in += (!digits && !prev_digits && pick(2)) ? std::string(" ") : std::string(seps[pick(5)]);
      const std::size_t b = in.size();
      const std::size_t len = 2 + pick(pick(4) == 0 ? 20 : 9);  // mostly up to 10, sometimes longer than 8
      for (std::size_t k = 0; k < len; ++k) {
        if (digits) {
          in += static_cast<char>('0' + pick(10));
        } else {
          char c = letters[pick(letters.size())];
          if (pick(6) == 0 && k > 0 && in.back() >= 'A') c = in.back();  // repeats, to collapse
          if (pick(4) == 0 && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
          in += c;
        }
      }
      words.push_back({b, in.size()});
      prev_digits = digits;
    }
    if (pick(3) == 0) in += ".";
    const Expected x = reference(in, words);
    NormalizedText t;
    normalize(in, t);
    INFO("input: ", in);
    REQUIRE(t.text == x.text);
    REQUIRE(t.begin.size() == x.begin.size());
    for (std::size_t p = 0; p < x.text.size(); ++p) {
      INFO("output byte ", p);
      CHECK(t.begin[p] == x.begin[p]);
      CHECK(t.end[p] == x.end[p]);
      CHECK(t.token[p] == x.token[p]);
    }
    for (std::size_t p = 0; p <= x.text.size(); ++p) CHECK(t.bounds[p] == x.bounds[p]);
    CHECK(t.tokens == words.size());
  }
}

TEST_CASE("ASCII fast paths: a reused NormalizedText gives the same result as a fresh one") {
  // The output arrays are resized without being filled: nothing of an earlier, longer text may
  // show through.
  NormalizedText warm;
  normalize("Llama lllama illegal ILLEGAL boooat passsport 1400 euros, smugglers everywhere", warm);
  for (const char* s : {"boat uk", "ill", "a", "Lil LiL", "12 345", "smallboat tonight"}) {
    NormalizedText fresh;
    normalize(s, fresh);
    normalize(s, warm);
    CHECK(warm.text == fresh.text);
    CHECK(std::vector<std::uint32_t>(warm.begin.begin(), warm.begin.end()) ==
          std::vector<std::uint32_t>(fresh.begin.begin(), fresh.begin.end()));
    CHECK(std::vector<std::uint32_t>(warm.end.begin(), warm.end.end()) ==
          std::vector<std::uint32_t>(fresh.end.begin(), fresh.end.end()));
    CHECK(std::vector<std::uint32_t>(warm.token.begin(), warm.token.end()) ==
          std::vector<std::uint32_t>(fresh.token.begin(), fresh.token.end()));
    CHECK(std::vector<std::uint8_t>(warm.bounds.begin(), warm.bounds.end()) ==
          std::vector<std::uint8_t>(fresh.bounds.begin(), fresh.bounds.end()));
  }
}

TEST_CASE("fast paths on and off give the same normalization, on random text in many scripts") {
  // Pieces that make every lane start, stop and fall back: ASCII letters (with the l / i pair and
  // capitals), accented Latin, look-alikes, Cyrillic, Greek, Arabic (particle letters first or
  // not), Persian, Turkish, letters mapping to two letters, digits of several scripts, leet,
  // repeated letters, and every kind of separator (ZWNJ, soft hyphen, joiners, emoji).
  const std::vector<std::string> pieces = {
      "a", "b", "l", "L", "i", "I", "o", "oo", "ll", "s", "t", "k", "e", "x", "é", "è", "ü", "ł", "ß", "ﬁ",
      "а", "о", "в", "к", "ж", "α", "ο", "λ", "ق", "ا", "ر", "ب", "ل", "و", "ي", "ی", "ک", "ه", "ة", "ı", "İ",
      "ş", "ğ", "ệ", "1", "0", "4", "٣", "۵", "@", "$", "!", "|", "+"};
  const std::vector<std::string> seps = {" ", " ", " ", ", ", ".", "-", "'", "\u200c", "\u00ad", "  ", "🚤",
                                         "\n", "_", " . ", "·", "/"};
  std::mt19937_64 rng(4242);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  auto arrays_equal = [](const NormalizedText& a, const NormalizedText& b) {
    return a.text == b.text && a.tokens == b.tokens && a.considered == b.considered &&
           std::equal(a.begin.begin(), a.begin.end(), b.begin.begin(), b.begin.end()) &&
           std::equal(a.end.begin(), a.end.end(), b.end.begin(), b.end.end()) &&
           std::equal(a.token.begin(), a.token.end(), b.token.begin(), b.token.end()) &&
           std::equal(a.bounds.begin(), a.bounds.end(), b.bounds.begin(), b.bounds.end());
  };
  // Every other round in ASCII only (the first 14 pieces, the ASCII separators), where the ASCII
  // lanes run most.
  const std::size_t ascii_pieces = 14, ascii_seps = 7;
  NormalizedText fast_warm, slow_warm;
  for (int round = 0; round < 20000; ++round) {
    const bool ascii = round % 2 == 0;
    std::string in;
    for (std::size_t w = 1 + pick(8); w > 0; --w) {
      if (!in.empty()) in += ascii ? seps[pick(ascii_seps)] : seps[pick(seps.size())];
      for (std::size_t k = 1 + pick(pick(3) == 0 ? 12 : 6); k > 0; --k)
        in += pieces[pick(ascii ? ascii_pieces : pieces.size())];
    }
    NormalizedText fast, slow;
    signpost::detail::set_fast_path(signpost::detail::FastPath::normalizer, true);
    normalize(in, fast);
    normalize(in, fast_warm);
    signpost::detail::set_fast_path(signpost::detail::FastPath::normalizer, false);
    normalize(in, slow);
    normalize(in, slow_warm);
    signpost::detail::set_fast_path(signpost::detail::FastPath::normalizer, true);
    INFO("input: ", in, " -> ", slow.text, " / ", fast.text);
    REQUIRE(arrays_equal(fast, slow));
    REQUIRE(arrays_equal(fast_warm, slow));
    REQUIRE(arrays_equal(slow_warm, slow));
  }
}
