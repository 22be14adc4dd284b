// entities/gate.cpp: which scanners a text can feed, found in one cheap pass over the normalized
// text before any scanner runs (see possible_kinds() in support.hpp).
//
// Every scanner but the handles' needs a digit or a vocabulary word of its own: a phone number is
// digits; an amount is money only with a currency (a sign, or a word read by lookup()) or a
// money-only multiplier ("k", "triệu"), unless it has digits; a date is digits or a weekday or
// relative day. lookup() reads an entry from one to three tokens (separated by one space in the
// normalized text) or from a word start inside a token to its end (after an Arabic particle, or a
// joined piece). So when the text has no ASCII digit (the normalizer writes every digit as ASCII)
// and no such span is such an entry, the scanner cannot find anything and is skipped. Most texts have neither: the gate costs about one instruction per byte and a filter
// test per word start, where the money scanner costs hundreds per token.
#include <bit>
#include <cstring>

#include "entities/support.hpp"

namespace signpost::detail::entities {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHigh = 0x8080808080808080ull;

std::uint64_t load8(const void* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}

// Bit 7 of each byte of x that is zero.
std::uint64_t zeros8(std::uint64_t x) noexcept { return ~(((x & ~kHigh) + ~kHigh) | x) & kHigh; }

// Bit 7 of each byte of x in '0'..'9'.
std::uint64_t digits8(std::uint64_t x) noexcept {
  const std::uint64_t x7 = x & ~kHigh;
  return (x7 + (0x80 - '0') * kOnes) & ~(x7 + (0x7F - '9') * kOnes) & ~x & kHigh;
}

bool has_digit(const unsigned char* s, std::size_t n) noexcept {
  std::size_t i = 0;
  if constexpr (std::endian::native == std::endian::little)
    for (; i + 8 <= n; i += 8)
      if (digits8(load8(s + i))) return true;
  for (; i < n; ++i)
    if (s[i] >= '0' && s[i] <= '9') return true;
  return false;
}

}  // namespace

#if defined(__GNUC__)
#define SIGNPOST_GATE_INLINE __attribute__((always_inline))
#else
#define SIGNPOST_GATE_INLINE
#endif

// Adds to `out` the kinds among `want` whose filter (money or date) may hold the key; with
// `head`, also says whether the key may be the first token of an entry of several tokens.
SIGNPOST_GATE_INLINE inline bool test_key(const KeyFilter& money, const KeyFilter& date, const KeyFilter* head,
                                          std::string_view key, unsigned want, unsigned& out) noexcept {
  if (key.empty()) return false;
  const std::uint32_t p = KeyFilter::pre_hash(key);
  const bool m = (want & bit(Kind::money)) && money.pre(p);
  const bool d = (want & bit(Kind::date)) && date.pre(p);
  const bool h = head && head->pre(p);
  if (!m && !d && !h) return false;
  const std::uint64_t x = KeyFilter::hash(key);
  if (m && money.hashed(x)) out |= bit(Kind::money);
  if (d && date.hashed(x)) out |= bit(Kind::date);
  return h && head->hashed(x);
}

unsigned possible_kinds(const NormalizedText& norm, unsigned kinds) noexcept {
  const unsigned words = bit(Kind::money) | bit(Kind::date);
  const unsigned gated = kinds & (words | bit(Kind::phone));
  const std::size_t n = norm.text.size();
  if (!gated || n == 0 || norm.bounds.size() < n + 1) return kinds;
  const auto* s = reinterpret_cast<const unsigned char*>(norm.text.data());
  constexpr bool kSwar = std::endian::native == std::endian::little;
  if (!kSwar && has_digit(s, n)) return kinds;
  unsigned out = kinds & ~gated;  // no digit: no phone number
  const unsigned want = kinds & words;
  if (!want) return has_digit(s, n) ? kinds : out;
  const Triggers& tr = triggers();
  const std::uint8_t* bd = norm.bounds.data();
  // Tokens are separated by one space. When a token ends, the keys that end with it are tested:
  // the token, the rest of the token from each word start inside it, and the spans of two and
  // three tokens ending with it when the first of them may start such an entry ("đô la", "livre
  // sterling", "e hënë").
  constexpr std::size_t kMaxInner = 8;
  std::size_t nb = 0, prev1 = 0, prev2 = 0;  // the token's start, the two before
  bool head1 = false, head2 = false;         // whether those two may start an entry of several tokens
  std::uint32_t inner[kMaxInner];            // word starts inside the token
  std::size_t ni = 0;
  const char* const t = norm.text.data();
  const auto close = [&](std::size_t ne) SIGNPOST_GATE_INLINE {
    const bool head = test_key(tr.money, tr.date, &tr.heads, std::string_view(t + nb, ne - nb), want, out);
    if (head1) test_key(tr.money_multi, tr.date_multi, nullptr, std::string_view(t + prev1, ne - prev1), want, out);
    if (head2) test_key(tr.money_multi, tr.date_multi, nullptr, std::string_view(t + prev2, ne - prev2), want, out);
    for (std::size_t k = 0; k < ni; ++k)
      test_key(tr.money, tr.date, nullptr, std::string_view(t + inner[k], ne - inner[k]), want, out);
    ni = 0;
    prev2 = prev1;
    head2 = head1;
    prev1 = nb;
    head1 = head;
    nb = ne + 1;
    return (out & want) == want;
  };
  // Digits, spaces and word starts, eight bytes at a time, then byte by byte. A word start right
  // after a space (or at 0) is the token's own start, not an event.
  std::size_t p = 0;
  // Once every wanted word kind is possible, only a digit in the rest can add the phone scanner.
  const auto done = [&](unsigned found) { return has_digit(s + p, n - p) ? kinds : found; };
  if constexpr (kSwar) {
    std::uint64_t after_space = kHigh & 0xFF;  // byte 0 of the text starts a token
    // Eight bytes of text and of bounds from p; 1: a digit, 2: every wanted kind is possible.
    const auto chunk = [&](std::uint64_t x, std::uint64_t b8) SIGNPOST_GATE_INLINE -> int {
      if (digits8(x)) return 1;
      const std::uint64_t spaces = zeros8(x ^ (kOnes * ' '));
      const std::uint64_t starts = (b8 & (kOnes * NormalizedText::kStart)) << 7;
      std::uint64_t ev = spaces | (starts & ~(after_space | spaces << 8));
      after_space = spaces >> 56;
      while (ev) {
        const std::size_t q = p + static_cast<std::size_t>(std::countr_zero(ev)) / 8;
        ev &= ev - 1;
        if (s[q] == ' ') {
          if (close(q)) return 2;
        } else {
          if (ni == kMaxInner) {  // too many to test: let the scanners run
            out |= want;
            return 2;
          }
          inner[ni++] = static_cast<std::uint32_t>(q);
        }
      }
      return 0;
    };
    int r = 0;
    for (; p + 8 <= n && r == 0; p += 8) r = chunk(load8(s + p), load8(bd + p));
    // The last bytes, from one load of the last eight, shifted so that byte 0 is at p (the bytes
    // shifted in are zeros: no digit, no space, no word start).
    if (r == 0 && p < n && n >= 8) {
      const unsigned k = static_cast<unsigned>(8 * (8 - (n - p)));
      r = chunk(load8(s + n - 8) >> k, load8(bd + n - 8) >> k);
      if (r == 0) p = n;
    }
    if (r == 1) return kinds;
    if (r == 2) return done(out);
  }
  for (; p < n; ++p) {
    if (s[p] >= '0' && s[p] <= '9') return kinds;
    if (s[p] == ' ') {
      if (close(p)) return done(out);
    } else if ((bd[p] & NormalizedText::kStart) && p != nb) {
      if (ni == kMaxInner) return done(out | want);
      inner[ni++] = static_cast<std::uint32_t>(p);
    }
  }
  close(n);
  return out;
}

}  // namespace signpost::detail::entities
