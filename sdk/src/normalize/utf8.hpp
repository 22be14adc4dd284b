// normalize/utf8.hpp: the normalizer's UTF-8 reading: one code point at a time with the library's
// decoder (base/utf8.hpp), ill-formed input as the Unicode standard recommends (maximal subparts,
// each one separator), and cutting a limit back to a boundary.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/utf8.hpp"

namespace signpost::detail::norm {

inline constexpr char32_t kBad = 0xFFFFFFFFu;  // an invalid byte sequence: one separator

// The length of the maximal ill-formed subpart at s (a lead byte plus the continuation bytes that
// were still acceptable after it), at least 1: how much of bad input one separator stands for.
// Only called where decode_utf8 found no valid sequence.
inline std::size_t ill_formed_length(const unsigned char* s, std::size_t avail) noexcept {
  const unsigned b = s[0];
  std::size_t need;
  unsigned lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    need = 1;
  } else if (b >= 0xE0 && b <= 0xEF) {
    need = 2;
    if (b == 0xE0) lo = 0xA0;       // overlong
    else if (b == 0xED) hi = 0x9F;  // surrogates
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 3;
    if (b == 0xF0) lo = 0x90;       // overlong
    else if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 1;  // continuation byte, C0/C1 overlong lead, F5..FF
  }
  std::size_t k = 1;
  for (; k <= need && k < avail && s[k] >= lo && s[k] <= hi; ++k) lo = 0x80, hi = 0xBF;
  return k;
}

// Decodes one code point with the library's one UTF-8 decoder (base/utf8.hpp); invalid input
// yields kBad and the length of the maximal ill-formed subpart, at least 1.
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
inline std::size_t decode(const unsigned char* s, std::size_t avail, char32_t& cp) noexcept {
  if (s[0] < 0x80) {
    cp = s[0];
    return 1;
  }
  // Two- and three-byte forms that are well-formed whatever their continuation bytes (C2..DF;
  // E1..EC and EE..EF: no overlong form, no surrogate), read here without the general checks.
  if (s[0] <= 0xDF && s[0] >= 0xC2 && avail >= 2 && (s[1] & 0xC0) == 0x80) {
    cp = static_cast<char32_t>((s[0] & 0x1F) << 6 | (s[1] & 0x3F));
    return 2;
  }
  if (s[0] >= 0xE1 && s[0] <= 0xEF && s[0] != 0xED && avail >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
    cp = static_cast<char32_t>((s[0] & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F));
    return 3;
  }
  const std::size_t n = decode_utf8(std::string_view(reinterpret_cast<const char*>(s), avail), 0, cp);
  if (n != 0) return n;
  cp = kBad;
  return ill_formed_length(s, avail);
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
