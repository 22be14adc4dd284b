// entities/gate.cpp: which scanners a text can feed, found in one cheap pass over the normalized
// text before any scanner runs (see possible_kinds() in support.hpp).
//
// Every scanner but the handles' needs a digit or a vocabulary word of its own: a phone number is
// digits; an amount is money only with a currency (a sign, or a word read by lookup()) or a
// money-only multiplier ("k", "triệu"), unless it has digits; a date is digits or a weekday or
// relative day. lookup() reads an entry from a token (the entry's first token) or from a word
// start inside a token (after an Arabic particle, or a joined piece). So when the text has no
// ASCII digit (the normalizer writes every digit as ASCII) and no token, nor token suffix from a
// word start, is the first token of such an entry, the scanner cannot find anything and is
// skipped. Most texts have neither: the gate costs about one instruction per byte and a filter
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

unsigned possible_kinds(const NormalizedText& norm, unsigned kinds) noexcept {
  const unsigned words = bit(Kind::money) | bit(Kind::date);
  const unsigned gated = kinds & (words | bit(Kind::phone));
  const std::size_t n = norm.text.size();
  if (!gated || n == 0 || norm.bounds.size() < n + 1) return kinds;
  const auto* s = reinterpret_cast<const unsigned char*>(norm.text.data());
  if (has_digit(s, n)) return kinds;
  unsigned out = kinds & ~gated;  // no digit: no phone number
  const unsigned want = kinds & words;
  if (!want) return out;
  const Triggers& tr = triggers();
  const std::uint8_t* bd = norm.bounds.data();
  // The word starts of the current token (its first byte, then the interior starts); when a
  // token has more than fit, the gate gives up and lets the scanners run.
  constexpr std::size_t kMaxStarts = 16;
  std::uint32_t starts[kMaxStarts];
  std::size_t ns = 0;
  // Tests the keys from each start of the token that ends at `ne`; true when every wanted kind is
  // possible (nothing more to learn).
  const auto close = [&](std::size_t ne) {
    for (std::size_t k = 0; k < ns; ++k) {
      const std::string_view key(norm.text.data() + starts[k], ne - starts[k]);
      const bool m = (want & bit(Kind::money)) && tr.money.shape(key);
      const bool d = (want & bit(Kind::date)) && tr.date.shape(key);
      if (!m && !d) continue;
      const std::uint64_t h = KeyFilter::hash(key);
      if (m && tr.money.hashed(h)) out |= bit(Kind::money);
      if (d && tr.date.hashed(h)) out |= bit(Kind::date);
    }
    ns = 0;
    return (out & want) == want;
  };
  const auto start = [&](std::size_t p) {
    if (ns > 0 && starts[ns - 1] == p) return true;
    if (ns == kMaxStarts) return false;
    starts[ns++] = static_cast<std::uint32_t>(p);
    return true;
  };
  start(0);
  // Spaces end tokens; kStart flags mark word starts. Eight bytes at a time, then byte by byte.
  std::size_t p = 0;
  if constexpr (std::endian::native == std::endian::little) {
    for (; p + 8 <= n; p += 8) {
      const std::uint64_t spaces = zeros8(load8(s + p) ^ (kOnes * ' '));
      const std::uint64_t marks = (load8(bd + p) & (kOnes * NormalizedText::kStart)) << 7;
      std::uint64_t ev = spaces | marks;
      while (ev) {
        const auto k = static_cast<std::size_t>(std::countr_zero(ev)) / 8;
        ev &= ev - 1;
        if (spaces >> (8 * k + 7) & 1u) {
          if (close(p + k)) return out | want;
          start(p + k + 1);
        } else if (!start(p + k)) {
          return out | want;
        }
      }
    }
  }
  for (; p < n; ++p) {
    if (s[p] == ' ') {
      if (close(p)) return out | want;
      start(p + 1);
    } else if ((bd[p] & NormalizedText::kStart) && !start(p)) {
      return out | want;
    }
  }
  close(n);
  return out;
}

}  // namespace signpost::detail::entities
