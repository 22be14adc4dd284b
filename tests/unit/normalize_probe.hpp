// normalize_probe.hpp: helpers of the normalizer tests (test_normalize*.cpp): the normalized
// text of a string, where a term matches as the matcher matches it, and the output's structural
// promises.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "normalize/normalizer.hpp"

namespace signpost::test {

inline constexpr std::uint8_t kS = detail::NormalizedText::kStart;
inline constexpr std::uint8_t kE = detail::NormalizedText::kEnd;

inline std::string norm(std::string_view s) {
  detail::NormalizedText t;
  detail::normalize(s, t);
  return t.text;
}

// Where `term` matches `text` the way the matcher matches it: the normalized term occurs at a
// word start and ends at a word end (or anywhere, for a prefix term). Returns the normalized
// offset of the first match, or npos.
inline std::size_t find_word(const detail::NormalizedText& t, std::string_view term, bool prefix = false) {
  const std::string n = detail::normalize_term(term);
  if (n.empty()) return std::string::npos;
  for (std::size_t p = t.text.find(n); p != std::string::npos; p = t.text.find(n, p + 1)) {
    if ((t.bounds[p] & kS) && (prefix || (t.bounds[p + n.size()] & kE))) return p;
  }
  return std::string::npos;
}

inline bool matches(std::string_view text, std::string_view term, bool prefix = false) {
  detail::NormalizedText t;
  detail::normalize(text, t);
  return find_word(t, term, prefix) != std::string::npos;
}

// The input bytes a match of `term` covers: [begin[nb], end[ne - 1]).
inline std::string source_of(std::string_view text, std::string_view term, bool prefix = false) {
  detail::NormalizedText t;
  detail::normalize(text, t);
  const std::size_t p = find_word(t, term, prefix);
  if (p == std::string::npos) return "<no match>";
  const std::size_t e = p + detail::normalize_term(term).size();
  return std::string(text.substr(t.begin[p], t.end[e - 1] - t.begin[p]));
}

inline bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

// Structural promises of the output, whatever the input.
inline void check_shape(const detail::NormalizedText& t, std::string_view input) {
  const std::size_t n = t.text.size();
  REQUIRE(t.begin.size() == n);
  REQUIRE(t.end.size() == n);
  REQUIRE(t.token.size() == n);
  REQUIRE(t.bounds.size() == n + 1);
  CHECK(t.considered <= input.size());
  CHECK(valid_utf8(t.text));
  if (n == 0) {
    CHECK(t.tokens == 0);
    return;
  }
  CHECK(t.text.front() != ' ');
  CHECK(t.text.back() != ' ');
  CHECK(t.text.find("  ") == std::string::npos);
  CHECK((t.bounds[0] & kS) != 0);
  CHECK((t.bounds[n] & kE) != 0);
  std::uint32_t spaces = 0;
  for (std::size_t i = 0; i < n; ++i) {
    CHECK(t.begin[i] <= t.end[i]);
    CHECK(t.end[i] <= t.considered);
    if (i > 0) CHECK(t.begin[i - 1] <= t.begin[i]);
    if (t.text[i] == ' ') {
      ++spaces;
      CHECK((t.bounds[i] & kE) != 0);  // a token ends before every space
      CHECK((t.bounds[i + 1] & kS) != 0);  // and one starts after it
      CHECK(t.token[i] == spaces);
    } else {
      CHECK(t.token[i] == spaces);
    }
  }
  CHECK(t.tokens == spaces + 1);
}

inline std::string repeat(std::string_view s, std::size_t n) {
  std::string r;
  for (std::size_t i = 0; i < n; ++i) r += s;
  return r;
}

}  // namespace signpost::test
