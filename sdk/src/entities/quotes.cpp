// entities/quotes.cpp: quoted passages, read from the original text (normalization turns quotation
// marks into plain separators).
//
// A quoted passage is the text between an opening quotation mark and the next closing mark that
// pairs with it, holding at least two tokens of the normalized text (what = "quote"). The pairs:
//   "..."  (ASCII; the same mark opens and closes)
//   « ... » (French, Albanian, Arabic, Persian, Kurdish, Pashto, Turkish in print)
//   “ ... ” (English, Vietnamese, Turkish)
//   „ ... “ or „ ... ” (Albanian, German-style)
//   ‹ ... ›, 「 ... 」, 『 ... 』
// A mark with no partner is skipped; a passage of one token ("OK", «تاكسي», "tamam") is no quote:
// adverts put single words in quotes ("write « OK » in private", "send «وصلت» when you land"),
// warnings and reports quote whole promises. Quotes do not nest: a passage ends at its first
// closing mark.
#include <bit>
#include <cstdint>

#include "base/bytes16.hpp"
#include "entities/support.hpp"

namespace signpost::detail::entities {
namespace {

// The pairs: an opening mark and the marks that close it (0: none). The ASCII '"' opens and closes.
struct Pair {
  char32_t open, close, close2;
};
constexpr Pair kPairs[] = {
    {U'"', U'"', 0},           {0x00AB, 0x00BB, 0},  // « »
    {0x201C, 0x201D, 0},       {0x201E, 0x201C, 0x201D},  // “ ”, „ “ and „ ”
    {0x2039, 0x203A, 0},       {0x300C, 0x300D, 0}, {0x300E, 0x300F, 0},  // ‹ › 「 」 『 』
};

bool is_mark(char32_t c) noexcept {
  if (c == 0) return false;  // the close2 of most pairs
  for (const Pair& p : kPairs)
    if (c == p.open || c == p.close || c == p.close2) return true;
  return false;
}

const Pair* opening(char32_t c) noexcept {
  for (const Pair& p : kPairs)
    if (c == p.open) return &p;
  return nullptr;
}

// The offsets of the bytes that may start a mark ('"', C2, E2, E3), sixteen bytes at a time: most
// texts hold none, and the scanner ends after one pass of compares.
template <class F>
void candidates(std::string_view s, F&& f) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t pos = 0; pos < n; pos += 16) {
    std::uint32_t m = any_byte_mask16(p, n, pos, '"', 0xC2, 0xE2, 0xE3);
    for (; m; m &= m - 1)
      if (!f(pos + static_cast<std::size_t>(std::countr_zero(m)))) return;
  }
}

}  // namespace

void scan_quotes(const Tokens& toks, std::vector<Entity>& out) {
  const std::string_view s = toks.original();
  // The passages [open end, close begin) in the original text, in order (at most a few per text).
  constexpr std::size_t kMaxPassages = 32;
  std::uint32_t from[kMaxPassages], to[kMaxPassages];
  std::size_t passages = 0;
  const Pair* open = nullptr;  // the opening mark waiting for its partner
  std::size_t open_end = 0;    // where its passage starts
  std::size_t skip_to = 0;     // the bytes of a mark already read
  candidates(s, [&](std::size_t i) {
    if (i < skip_to) return true;
    std::size_t next = i;
    const char32_t c = decode(s, next);  // support.hpp: the one UTF-8 decoder
    if (!is_mark(c)) return true;
    skip_to = next;
    if (open && (c == open->close || c == open->close2)) {
      from[passages] = static_cast<std::uint32_t>(open_end);
      to[passages] = static_cast<std::uint32_t>(i);
      open = nullptr;
      return ++passages < kMaxPassages;
    }
    // A mark that cannot close the passage open: quotes do not nest, so an opening mark waits
    // only when none is waiting.
    if (!open) {
      open = opening(c);
      open_end = next;
    }
    return true;
  });
  if (passages == 0) return;
  // The tokens inside each passage (the passage's bytes hold no mark, so a token that touches them
  // lies within them), found from a binary search, not a walk from the text's start.
  for (std::size_t k = 0; k < passages; ++k) {
    Tok first, last;
    if (locate(toks, from[k], to[k], first, last) && last.index >= first.index + 1)
      emit(out, Kind::quote, first, last, 0, "quote");
  }
}

}  // namespace signpost::detail::entities
