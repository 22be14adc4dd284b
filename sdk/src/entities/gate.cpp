// entities/gate.cpp: which scanners a text can feed, found in one cheap pass over the normalized
// text before any scanner runs (see possible_kinds() in support.hpp).
//
// In the engine the words are found by the term walk instead: they are signal keys of the pack's
// term trie (signal_words(), match/matcher.hpp), and possible_kinds_signalled() only reads the
// digits. The pass below runs when the walk could not say (it stopped at its hit limit), for a
// token "d" (the đ is read from the original), and for callers without a matcher.
//
// Every scanner but the handles' needs a digit or a vocabulary word of its own: a phone number is
// digits; an amount is money only with a currency (a sign, a word read by lookup(), or the đ of
// "hai nghìn đ") or a money-only multiplier ("k", "triệu"), unless it has digits; a date is digits
// or a weekday or relative day. lookup() reads an entry from one to three tokens (separated by one
// space in the normalized text) or from a word start inside a token to its end (after an Arabic
// particle, or a joined piece). So when the text has no ASCII digit (the normalizer writes every
// digit as ASCII) and no such span is such an entry, the scanner cannot find anything and is
// skipped.
//
// Cost: sixteen bytes of text and of word bounds at a time (digits, spaces, word starts inside a
// token), then per token one multiplication and one byte of a table (Triggers::pre, the first
// step of every one-token filter at once). Anything more (the Bloom step, the spans after a
// possible first token of a longer entry, the word starts inside a token) is out of line: most
// tokens of most texts never get there.
#include <bit>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "entities/support.hpp"

#if defined(__GNUC__)
#define SIGNPOST_GATE_INLINE __attribute__((always_inline))
#define SIGNPOST_GATE_OUTLINE __attribute__((noinline))
#else
#define SIGNPOST_GATE_INLINE
#define SIGNPOST_GATE_OUTLINE
#endif

namespace signpost::detail::entities {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHigh = 0x8080808080808080ull;
constexpr unsigned kWords = bit(Kind::money) | bit(Kind::date);
constexpr std::size_t kMaxInner = 8;  // word starts inside one token worth testing one by one

// Eight bytes from p, byte 0 the lowest (on any byte order).
std::uint64_t load8(const void* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  if constexpr (std::endian::native == std::endian::big) {
    std::uint64_t y = 0;
    for (int i = 0; i < 8; ++i) y = y << 8 | ((x >> (8 * i)) & 0xFF);
    x = y;
  }
  return x;
}

// Bit 7 of each byte of x in '0'..'9'.
std::uint64_t digits8(std::uint64_t x) noexcept {
  const std::uint64_t x7 = x & ~kHigh;
  return (x7 + (0x80 - '0') * kOnes) & ~(x7 + (0x7F - '9') * kOnes) & ~x & kHigh;
}

#if defined(__SSE2__)
// Bit i set when byte i of x is an ASCII digit (the one digit test of the sixteen-byte paths).
std::uint32_t digit_mask16(__m128i x) noexcept {
  const __m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));  // a digit: 0..9 unsigned
  return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d)));
}

// Whether any of the 16 bytes at s is an ASCII digit.
bool digit16(const unsigned char* s) noexcept {
  return digit_mask16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s))) != 0;
}
#endif

bool has_digit(const unsigned char* s, std::size_t n) noexcept {
  std::size_t i = 0;
#if defined(__SSE2__)
  // Sixteen bytes at a time; the last sixteen overlap the block before them (no byte past n is read).
  if (n >= 16) {
    for (; i + 16 <= n; i += 16)
      if (digit16(s + i)) return true;
    return i < n && digit16(s + n - 16);
  }
#endif
  // Eight bytes at a time, the last eight overlapping; then what is left of a text under eight.
  if (n >= 8) {
    for (; i + 8 <= n; i += 8)
      if (digits8(load8(s + i))) return true;
    return i < n && digits8(load8(s + n - 8));
  }
  for (; i < n; ++i)
    if (s[i] >= '0' && s[i] <= '9') return true;
  return false;
}

// Bit i of each mask: byte i of the 16 from s (and from b for the bounds) is an ASCII digit, a
// space, a word start.
struct Masks {
  std::uint32_t digit, space, start;
};

#if defined(__SSE2__)
Masks masks16(const unsigned char* s, const std::uint8_t* b) noexcept {
  const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
  const __m128i st = _mm_and_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b)), _mm_set1_epi8(NormalizedText::kStart));
  return {digit_mask16(x),
          static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')))),
          static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(st, _mm_set1_epi8(NormalizedText::kStart))))};
}
#else
// Bit 7 of each byte of x that is zero.
std::uint64_t zeros8(std::uint64_t x) noexcept { return ~(((x & ~kHigh) + ~kHigh) | x) & kHigh; }

// Bit 7 of each byte to bit i of eight.
std::uint32_t pack8(std::uint64_t m) noexcept { return static_cast<std::uint32_t>(((m >> 7) * 0x0102040810204080ull) >> 56); }
Masks masks16(const unsigned char* s, const std::uint8_t* b) noexcept {
  Masks m{0, 0, 0};
  for (int h = 0; h < 2; ++h) {
    const std::uint64_t x = load8(s + 8 * h), st = (load8(b + 8 * h) & (kOnes * NormalizedText::kStart)) << 7;
    m.digit |= pack8(digits8(x)) << (8 * h);
    m.space |= pack8(zeros8(x ^ (kOnes * ' '))) << (8 * h);
    m.start |= pack8(st) << (8 * h);
  }
  return m;
}
#endif

// The second step for a key whose first step (Triggers::pre) gave the bits `c`: the kinds whose
// filter may hold it, and kHead when it may start an entry of several tokens.
SIGNPOST_GATE_OUTLINE unsigned second(const Triggers& tr, std::string_view original, const NormalizedText& norm,
                                  std::size_t nb, std::size_t ne, unsigned c) noexcept {
  const std::string_view key(norm.text.data() + nb, ne - nb);
  const std::uint64_t x = KeyFilter::hash(key);
  unsigned r = 0;
  if ((c & bit(Kind::money)) && tr.money.hashed(x)) r |= bit(Kind::money);
  if ((c & bit(Kind::date)) && tr.date.hashed(x)) r |= bit(Kind::date);
  if ((c & Triggers::kHead) && tr.heads.hashed(x)) r |= Triggers::kHead;
  if ((c & Triggers::kDong) && key == "d" &&
      dong_letter(original, norm, static_cast<std::uint32_t>(nb), static_cast<std::uint32_t>(ne)))
    r |= bit(Kind::money);
  return r;
}

// The entries of several tokens that may end with the token ending at ne: from `from` (a possible
// first token) to ne.
SIGNPOST_GATE_OUTLINE unsigned span(const Triggers& tr, const char* t, std::size_t from, std::size_t ne,
                                unsigned want) noexcept {
  const std::string_view key(t + from, ne - from);
  const std::uint32_t p = KeyFilter::pre_hash(key);
  const bool m = (want & bit(Kind::money)) && tr.money_multi.pre(p);
  const bool d = (want & bit(Kind::date)) && tr.date_multi.pre(p);
  if (!m && !d) return 0;
  const std::uint64_t x = KeyFilter::hash(key);
  return (m && tr.money_multi.hashed(x) ? bit(Kind::money) : 0u) | (d && tr.date_multi.hashed(x) ? bit(Kind::date) : 0u);
}

// The rest of a token from each word start inside it (after an Arabic particle, a joined piece).
SIGNPOST_GATE_OUTLINE unsigned inner(const Triggers& tr, const char* t, const std::uint32_t* starts, std::size_t ni,
                                 std::size_t ne, unsigned want) noexcept {
  unsigned r = 0;
  for (std::size_t k = 0; k < ni; ++k) {
    const std::string_view key(t + starts[k], ne - starts[k]);
    const unsigned c = tr.pre[KeyFilter::pre_hash(key)] & want;
    if (!c) continue;
    const std::uint64_t x = KeyFilter::hash(key);
    if ((c & bit(Kind::money)) && tr.money.hashed(x)) r |= bit(Kind::money);
    if ((c & bit(Kind::date)) && tr.date.hashed(x)) r |= bit(Kind::date);
  }
  return r;
}

}  // namespace

unsigned possible_kinds(std::string_view original, const NormalizedText& norm, unsigned kinds) noexcept {
  const unsigned gated = kinds & (kWords | bit(Kind::phone));
  const std::size_t n = norm.text.size();
  if (!gated || n == 0 || norm.bounds.size() < n + 1) return kinds;
  const auto* s = reinterpret_cast<const unsigned char*>(norm.text.data());
  const unsigned want = kinds & kWords;
  if (!want) return has_digit(s, n) ? kinds : kinds & ~gated;
  original = original.substr(0, std::min<std::size_t>(original.size(), norm.considered));
  const Triggers& tr = triggers();
  const char* const t = norm.text.data();
  const std::uint8_t* const bd = norm.bounds.data();
  // The first step of a token tests the filters of the kinds wanted, the heads, and the đ.
  const unsigned mask = want | Triggers::kHead | ((want & bit(Kind::money)) ? Triggers::kDong : 0u);
  unsigned out = 0;                 // the word kinds found possible
  std::size_t nb = 0;               // the token's start
  std::size_t h1 = 0, h2 = 0;       // the starts of the token before and of the one before that,
  unsigned heads = 0;               // when they may start an entry of several tokens (bits 0, 1)
  std::uint32_t starts[kMaxInner];  // word starts inside the token
  std::size_t ni = 0;
  // Ends the token at ne (a space or the end of the text): tests the keys that end with it (the
  // token, the spans of two and three tokens when the first of them may start such an entry, the
  // rest of the token from each word start inside it). True once every wanted kind is possible.
  const auto close = [&](std::size_t ne) SIGNPOST_GATE_INLINE {
    unsigned r = 0;
    if (ne > nb) {
      if (const unsigned c = tr.pre[KeyFilter::pre_hash(t + nb, ne - nb)] & mask) {
        r = second(tr, original, norm, nb, ne, c);
        out |= r & kWords;
        if ((out & want) == want) return true;
      }
    }
    if (heads) {
      if (heads & 1) out |= span(tr, t, h1, ne, want);
      if (heads & 2) out |= span(tr, t, h2, ne, want);
      if ((out & want) == want) return true;
    }
    if (ni) {
      out |= inner(tr, t, starts, ni, ne, want);
      ni = 0;
      if ((out & want) == want) return true;
    }
    if (heads | (r & Triggers::kHead)) {
      h2 = h1;
      h1 = nb;
      heads = (heads << 1 & 2) | ((r & Triggers::kHead) ? 1u : 0u);
    }
    nb = ne + 1;
    return false;
  };
  // Digits, spaces and word starts inside tokens, sixteen bytes at a time; the last bytes from the
  // masks of the last sixteen, shifted so that bit 0 is p (or, in a text shorter than sixteen,
  // from a copy padded with zeros: no digit, space or word start). 1: a digit; 2: every wanted
  // kind is possible.
  std::uint32_t after_space = 1;  // byte 0 of the text starts a token
  std::size_t p = 0;
  const auto block = [&](const Masks& m) SIGNPOST_GATE_INLINE -> int {
    if (m.digit) return 1;
    std::uint32_t spaces = m.space;
    const std::uint32_t in = m.start & ~(after_space | spaces << 1 | spaces);
    after_space = (spaces >> 15) & 1;
    if (in == 0) {  // nearly always: only the token ends
      for (; spaces; spaces &= spaces - 1)
        if (close(p + static_cast<std::size_t>(std::countr_zero(spaces)))) return 2;
      return 0;
    }
    for (std::uint32_t ev = spaces | in; ev; ev &= ev - 1) {
      const std::size_t q = p + static_cast<std::size_t>(std::countr_zero(ev));
      if ((ev & -ev) & spaces) {
        if (close(q)) return 2;
      } else {
        if (ni == kMaxInner) {  // too many to test: let the scanners run
          out |= want;
          return 2;
        }
        starts[ni++] = static_cast<std::uint32_t>(q);
      }
    }
    return 0;
  };
  int r = 0;
  for (; p + 16 <= n && r == 0; p += 16) r = block(masks16(s + p, bd + p));
  if (r == 0 && p < n) {
    Masks m;
    if (n >= 16) {
      const unsigned k = static_cast<unsigned>(16 - (n - p));
      m = masks16(s + n - 16, bd + n - 16);
      m.digit >>= k;
      m.space >>= k;
      m.start >>= k;
    } else {
      unsigned char x[16] = {}, b16[16] = {};
      std::memcpy(x, s, n);
      std::memcpy(b16, bd, n);
      m = masks16(x, b16);
    }
    r = block(m);
  }
  if (r == 1) return kinds;
  if (r == 0 && !close(n)) return (kinds & ~gated) | out;
  // Every wanted word kind is possible: only a digit in the rest can add the phone scanner.
  return has_digit(s + p, n - p) ? kinds : (kinds & ~gated) | want;
}

unsigned possible_kinds_signalled(std::string_view original, const NormalizedText& norm, unsigned kinds,
                                  unsigned signals) noexcept {
  const unsigned gated = kinds & (kWords | bit(Kind::phone));
  const std::size_t n = norm.text.size();
  if (!gated || n == 0) return kinds;
  if (has_digit(reinterpret_cast<const unsigned char*>(norm.text.data()), n)) return kinds;
  // A token "d" is money only if the original has the đ there, and "d" is also French "d'": the
  // full gate, which finds the token's original bytes, runs only when the text holds a đ at all.
  if ((signals & kSignalDong) && (kinds & bit(Kind::money)) &&
      (original.find("\u0111") != std::string_view::npos || original.find("\u0110") != std::string_view::npos))
    return possible_kinds(original, norm, kinds);
  return (kinds & ~gated) | (signals & kinds & kWords);
}

}  // namespace signpost::detail::entities
