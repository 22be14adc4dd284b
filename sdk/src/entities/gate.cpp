// entities/gate.cpp: which scanners a text can feed, found in one cheap pass over the normalized
// text before any scanner runs (see possible_kinds() in support.hpp).
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
// Cost: eight bytes of text and of word bounds at a time (digits, spaces, word starts inside a
// token), then per token one multiplication and one byte of a table (Triggers::pre, the first
// step of every one-token filter at once). Anything more (the Bloom step, the spans after a
// possible first token of a longer entry, the word starts inside a token) is out of line: most
// tokens of most texts never get there.
#include <bit>
#include <cstring>

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

using swar::kHigh;
using swar::kOnes;
using swar::load8;
using swar::zeros8;
constexpr unsigned kWords = bit(Kind::money) | bit(Kind::date);
constexpr std::size_t kMaxInner = 8;  // word starts inside one token worth testing one by one

// Bit 7 of each byte of x in '0'..'9'.
std::uint64_t digits8(std::uint64_t x) noexcept {
  const std::uint64_t x7 = x & ~kHigh;
  return (x7 + (0x80 - '0') * kOnes) & ~(x7 + (0x7F - '9') * kOnes) & ~x & kHigh;
}

bool has_digit(const unsigned char* s, std::size_t n) noexcept {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8)
    if (digits8(load8(s + i))) return true;
  for (; i < n; ++i)
    if (s[i] >= '0' && s[i] <= '9') return true;
  return false;
}

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
  unsigned out = 0;                          // the word kinds found possible
  std::size_t nb = 0, prev1 = 0, prev2 = 0;  // the token's start, the two before
  bool head1 = false, head2 = false;         // whether those two may start an entry of several tokens
  std::uint32_t starts[kMaxInner];           // word starts inside the token
  std::size_t ni = 0;
  // Ends the token at ne (a space or the end of the text): tests the keys that end with it (the
  // token, the spans of two and three tokens when the first of them may start such an entry, the
  // rest of the token from each word start inside it). True once every wanted kind is possible.
  const auto close = [&](std::size_t ne) SIGNPOST_GATE_INLINE {
    bool head = false;
    if (ne > nb) {
      const unsigned c = tr.pre[KeyFilter::pre_hash(t + nb, ne - nb)] & mask;
      if (c) {
        const unsigned r = second(tr, original, norm, nb, ne, c);
        out |= r & kWords;
        head = (r & Triggers::kHead) != 0;
      }
    }
    if (head1 | head2) {
      if (head1) out |= span(tr, t, prev1, ne, want);
      if (head2) out |= span(tr, t, prev2, ne, want);
    }
    if (ni) {
      out |= inner(tr, t, starts, ni, ne, want);
      ni = 0;
    }
    prev2 = prev1;
    head2 = head1;
    prev1 = nb;
    head1 = head;
    nb = ne + 1;
    return (out & want) == want;
  };
  // Digits, spaces and word starts inside tokens, eight bytes at a time; the last bytes from one
  // load of the last eight, shifted so that byte 0 is at p (the bytes shifted in are zeros: no
  // digit, space or word start). 1: a digit; 2: every wanted kind is possible.
  std::uint64_t after_space = kHigh & 0xFF;  // byte 0 of the text starts a token
  std::size_t p = 0;
  const auto chunk = [&](std::uint64_t x, std::uint64_t b8) SIGNPOST_GATE_INLINE -> int {
    if (digits8(x)) return 1;
    std::uint64_t spaces = zeros8(x ^ (kOnes * ' '));
    const std::uint64_t in = ((b8 & (kOnes * NormalizedText::kStart)) << 7) & ~(after_space | spaces << 8 | spaces);
    after_space = spaces >> 56;
    if (in == 0) {  // nearly always: only the token ends
      while (spaces) {
        const std::size_t q = p + static_cast<std::size_t>(std::countr_zero(spaces)) / 8;
        spaces &= spaces - 1;
        if (close(q)) return 2;
      }
      return 0;
    }
    for (std::uint64_t ev = spaces | in; ev; ev &= ev - 1) {
      const std::uint64_t low = ev & -ev;
      const std::size_t q = p + static_cast<std::size_t>(std::countr_zero(ev)) / 8;
      if (low & spaces) {
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
  for (; p + 8 <= n && r == 0; p += 8) r = chunk(load8(s + p), load8(bd + p));
  if (r == 0 && p < n) {
    std::uint64_t x = 0, b8 = 0;
    if (n >= 8) {
      const unsigned k = static_cast<unsigned>(8 * (8 - (n - p)));
      x = load8(s + n - 8) >> k;
      b8 = load8(bd + n - 8) >> k;
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        x |= std::uint64_t{s[i]} << (8 * i);
        b8 |= std::uint64_t{bd[i]} << (8 * i);
      }
    }
    r = chunk(x, b8);
  }
  if (r == 1) return kinds;
  if (r == 0 && !close(n)) return (kinds & ~gated) | out;
  // Every wanted word kind is possible: only a digit in the rest can add the phone scanner.
  return has_digit(s + p, n - p) ? kinds : (kinds & ~gated) | want;
}

}  // namespace signpost::detail::entities
