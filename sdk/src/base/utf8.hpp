// base/utf8.hpp: the one strict UTF-8 decoder of the library.
//
// Strict means RFC 3629: no overlong forms, no surrogates (U+D800..U+DFFF), nothing above
// U+10FFFF, no truncated sequence, no stray continuation byte. Pack files, card URLs, JSON output
// and snapshot input are all checked with it. Header-only and allocation-free.
// The text normalizer reads with it too (normalize/utf8.hpp adds only the length of an
// ill-formed subpart, which becomes one separator).
#pragma once

#include <cstddef>
#include <string_view>

namespace signpost::detail {

// Decodes the code point starting at s[i] (i < s.size()). Returns its length in bytes (1 to 4)
// and sets `cp`, or returns 0 when the bytes there are not a valid UTF-8 sequence.
constexpr std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  std::size_t n;
  char32_t min;
  if (b0 >= 0xC2 && b0 <= 0xDF) n = 2, cp = b0 & 0x1F, min = 0x80;
  else if (b0 >= 0xE0 && b0 <= 0xEF) n = 3, cp = b0 & 0x0F, min = 0x800;
  else if (b0 >= 0xF0 && b0 <= 0xF4) n = 4, cp = b0 & 0x07, min = 0x10000;
  else return 0;
  if (s.size() - i < n) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// The offset of the first byte that does not start a valid sequence, or npos when all is valid.
constexpr std::size_t find_invalid_utf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t n = decode_utf8(s, i, cp);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

constexpr bool is_valid_utf8(std::string_view s) noexcept { return find_invalid_utf8(s) == std::string_view::npos; }

// Code points in valid UTF-8 (each invalid byte counts as one).
constexpr std::size_t count_code_points(std::string_view s) noexcept {
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    char32_t cp = 0;
    const std::size_t n = decode_utf8(s, i, cp);
    i += n == 0 ? 1 : n;
  }
  return count;
}

}  // namespace signpost::detail
