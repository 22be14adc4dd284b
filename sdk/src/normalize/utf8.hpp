// normalize/utf8.hpp: the normalizer's UTF-8 reading: one code point at a time, ill-formed input
// as the Unicode standard recommends (maximal subparts), and cutting a limit back to a boundary.
#pragma once

#include <cstddef>
#include <cstdint>

namespace signpost::detail::norm {

inline constexpr char32_t kBad = 0xFFFFFFFFu;  // an invalid byte sequence: one separator

// Decodes one code point; invalid input yields kBad and the length of the maximal ill-formed
// subpart (a lead byte plus the continuation bytes that were still acceptable), at least 1.
inline std::size_t decode(const unsigned char* s, std::size_t avail, char32_t& cp) noexcept {
  const unsigned b = s[0];
  if (b < 0x80) {
    cp = b;
    return 1;
  }
  // Fast paths for well-formed 2- and 3-byte sequences (Arabic, Cyrillic, symbols, CJK).
  if (b >= 0xC2 && b <= 0xDF && avail >= 2 && (s[1] & 0xC0) == 0x80) {
    cp = ((b & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    return 2;
  }
  if (b >= 0xE1 && b <= 0xEC && avail >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
    cp = ((b & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    return 3;
  }
  std::size_t need;
  unsigned lo = 0x80, hi = 0xBF;
  char32_t c;
  if (b >= 0xC2 && b <= 0xDF) {
    need = 1;
    c = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need = 2;
    c = b & 0x0F;
    if (b == 0xE0) lo = 0xA0;          // overlong
    else if (b == 0xED) hi = 0x9F;     // surrogates
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 3;
    c = b & 0x07;
    if (b == 0xF0) lo = 0x90;          // overlong
    else if (b == 0xF4) hi = 0x8F;     // above U+10FFFF
  } else {
    cp = kBad;  // continuation byte, C0/C1 overlong lead, F5..FF
    return 1;
  }
  for (std::size_t k = 1; k <= need; ++k) {
    if (k >= avail) {
      cp = kBad;
      return k;
    }
    const unsigned x = s[k];
    if (x < lo || x > hi) {
      cp = kBad;
      return k;
    }
    lo = 0x80;
    hi = 0xBF;
    c = (c << 6) | (x & 0x3F);
  }
  cp = c;
  return need + 1;
}

inline std::size_t utf8_len(unsigned char lead) noexcept {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

inline char32_t first_cp(const char* p) noexcept {
  char32_t c = 0;
  decode(reinterpret_cast<const unsigned char*>(p), 4, c);
  return c;
}

// Cuts `m` back so that it does not split a well-formed code point.
inline std::size_t cut_to_boundary(const unsigned char* s, std::size_t size, std::size_t m) noexcept {
  if (m >= size) return size;
  std::size_t k = m;
  for (int back = 0; back < 3 && k > 0 && (s[k] & 0xC0) == 0x80; ++back) --k;
  if (k < m) {
    char32_t c;
    const std::size_t len = decode(s + k, size - k, c);
    if (c != kBad && k + len > m) return k;
  }
  return m;
}

}  // namespace signpost::detail::norm
