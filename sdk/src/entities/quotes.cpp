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
#include <cstdint>

#include "base/bytes16.hpp"
#include "entities/support.hpp"

namespace signpost::detail::entities {
namespace {

// The UTF-8 bytes of the marks (all two or three bytes, lead byte C2 or E2 or E3).
constexpr std::string_view kGuilletOpen = "\u00AB", kGuilletClose = "\u00BB";
constexpr std::string_view kDoubleOpen = "\u201C", kDoubleClose = "\u201D", kLowOpen = "\u201E";
constexpr std::string_view kSingleGuilletOpen = "\u2039", kSingleGuilletClose = "\u203A";
constexpr std::string_view kCornerOpen = "\u300C", kCornerClose = "\u300D";
constexpr std::string_view kWhiteCornerOpen = "\u300E", kWhiteCornerClose = "\u300F";

bool at(std::string_view s, std::size_t i, std::string_view mark) noexcept { return s.compare(i, mark.size(), mark) == 0; }

// The quotation mark at s[i], if any: its length (0: none), and whether it may open a passage
// (every mark may close one: closes() says which).
struct Mark {
  std::size_t len = 0;
  bool opens = false;
};

Mark mark_at(std::string_view s, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  switch (byte(0)) {
    case '"':
      return {1, true};
    case 0xC2:  // « opens, » only closes
      return byte(1) == 0xAB ? Mark{2, true} : byte(1) == 0xBB ? Mark{2, false} : Mark{};
    case 0xE2:  // U+201C “ and U+201E „ open, U+201D ” closes; U+2039 ‹ opens, U+203A › closes
      if (byte(1) != 0x80) return {};
      switch (byte(2)) {
        case 0x9C: case 0x9E: case 0xB9: return {3, true};
        case 0x9D: case 0xBA: return {3, false};
        default: return {};
      }
    case 0xE3:  // U+300C 「 and U+300E 『 open, U+300D 」 and U+300F 』 close
      if (byte(1) != 0x80) return {};
      switch (byte(2)) {
        case 0x8C: case 0x8E: return {3, true};
        case 0x8D: case 0x8F: return {3, false};
        default: return {};
      }
    default:
      return {};
  }
}

// Whether the mark at s[j] closes a passage opened by the mark at s[o].
bool closes(std::string_view s, std::size_t o, std::size_t j) noexcept {
  if (s[o] == '"') return s[j] == '"';
  if (at(s, o, kGuilletOpen)) return at(s, j, kGuilletClose);
  if (at(s, o, kDoubleOpen)) return at(s, j, kDoubleClose);
  if (at(s, o, kLowOpen)) return at(s, j, kDoubleOpen) || at(s, j, kDoubleClose);
  if (at(s, o, kSingleGuilletOpen)) return at(s, j, kSingleGuilletClose);
  if (at(s, o, kCornerOpen)) return at(s, j, kCornerClose);
  if (at(s, o, kWhiteCornerOpen)) return at(s, j, kWhiteCornerClose);
  return false;
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
      if (!f(pos + static_cast<std::size_t>(__builtin_ctz(m)))) return;
  }
}

}  // namespace

void scan_quotes(const Tokens& toks, std::vector<Entity>& out) {
  const std::string_view s = toks.original();
  // The passages [open end, close begin) in the original text, in order (at most a few per text).
  constexpr std::size_t kMaxPassages = 32;
  std::uint32_t from[kMaxPassages], to[kMaxPassages];
  std::size_t passages = 0;
  std::size_t open = std::string_view::npos;  // the opening mark waiting for its partner
  std::size_t skip_to = 0;                    // the bytes of a mark already read
  candidates(s, [&](std::size_t i) {
    if (i < skip_to) return true;
    const Mark m = mark_at(s, i);
    if (m.len == 0) return true;
    skip_to = i + m.len;
    if (open != std::string_view::npos && closes(s, open, i)) {
      from[passages] = static_cast<std::uint32_t>(open + mark_at(s, open).len);
      to[passages] = static_cast<std::uint32_t>(i);
      open = std::string_view::npos;
      return ++passages < kMaxPassages;
    }
    // A mark that cannot close the passage open: if it opens one, the one before had no partner
    // of its kind so far, and quotes do not nest, so the newest opening mark waits.
    if (m.opens && open == std::string_view::npos) open = i;
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
