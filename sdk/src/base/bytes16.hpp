// base/bytes16.hpp: which of sixteen bytes of a buffer hold a value, in one compare.
//
// The engine's scans that step from one marked byte to the next (the term walk's word starts, the
// typo pass's spaces) read the buffer sixteen bytes at a time and visit the set bits of the mask.
// One primitive for them, with the buffer's end handled here: the last block is read as the
// buffer's last sixteen bytes, shifted, or (in a buffer shorter than sixteen) from a copy padded
// with zeros. SSE2 where the target has it, a byte loop elsewhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace signpost::detail {

namespace bytes16_detail {
// The mask `eq` gives for the sixteen bytes from pos, with the buffer's end handled as above.
template <class Eq>
inline std::uint32_t block(const std::uint8_t* s, std::size_t n, std::size_t pos, Eq eq) noexcept {
  if (pos + 16 <= n) return eq(s + pos);
  if (n >= 16) return eq(s + n - 16) >> (16 - (n - pos));
  std::uint8_t pad[16] = {};
  std::memcpy(pad, s + pos, n - pos);
  return eq(pad);
}
}  // namespace bytes16_detail

// Bit i set when (s[pos + i] & mask) == value, for the bytes from pos (pos < n) to the end of the
// block of sixteen or of the buffer of n bytes, whichever comes first. `value` must not be zero
// (the padding bytes are zeros).
inline std::uint32_t byte_mask16(const std::uint8_t* s, std::size_t n, std::size_t pos, std::uint8_t value,
                                 std::uint8_t mask = 0xFF) noexcept {
#if defined(__SSE2__)
  return bytes16_detail::block(s, n, pos, [value, mask](const std::uint8_t* p) {
    const __m128i x = _mm_and_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)),
                                    _mm_set1_epi8(static_cast<char>(mask)));
    return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(static_cast<char>(value)))));
  });
#else
  std::uint32_t m = 0;
  const std::size_t end = pos + 16 < n ? pos + 16 : n;
  for (std::size_t i = pos; i < end; ++i)
    if ((s[i] & mask) == value) m |= 1u << (i - pos);
  return m;
#endif
}

// The same for several values at once, in one load: bit i set when s[pos + i] is one of `values`
// (none of them zero).
template <class... V>
inline std::uint32_t any_byte_mask16(const std::uint8_t* s, std::size_t n, std::size_t pos, V... values) noexcept {
#if defined(__SSE2__)
  return bytes16_detail::block(s, n, pos, [values...](const std::uint8_t* p) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i eq = _mm_setzero_si128();
    ((eq = _mm_or_si128(eq, _mm_cmpeq_epi8(x, _mm_set1_epi8(static_cast<char>(values))))), ...);
    return static_cast<std::uint32_t>(_mm_movemask_epi8(eq));
  });
#else
  std::uint32_t m = 0;
  const std::size_t end = pos + 16 < n ? pos + 16 : n;
  for (std::size_t i = pos; i < end; ++i)
    if (((s[i] == static_cast<std::uint8_t>(values)) || ...)) m |= 1u << (i - pos);
  return m;
#endif
}

}  // namespace signpost::detail
