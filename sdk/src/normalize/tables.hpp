// normalize/tables.hpp: per-code-point classes and mappings, computed once from ICU data.
//
// Contract: tables() returns, for every code point of planes 0 and 1 (U+0000..U+1FFFF), the class
// the tokenizer needs and the code point's mapped form (case folded, compatibility-decomposed,
// marks dropped, look-alikes folded, digits ASCII; see docs/normalization.md). The tables are built
// on first use (thread-safe static initialization) and never change afterwards, so the hot path
// makes no ICU call. Code points above U+1FFFF are classified by classify_high() without tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace signpost::detail::norm {

// What the tokenizer does with a code point.
enum Cls : std::uint8_t {
  kSep = 0,   // punctuation, symbols, controls, unassigned, private use: ends a token.
              // data() = one canonical code point (e.g. every hyphen is '-'), see docs.
  kSpace,     // White_Space: ends a token; canonical code point ' '
  kIgnore,    // dropped without breaking a word: invisible characters, marks, tatweel, selectors
  kZwj,       // U+200D: dropped like kIgnore; between two emoji it glues them into one token
  kWord,      // letters and digits: bytes() = mapped UTF-8 (letters and ASCII digits only)
  kLeet,      // @ $ ! |: a letter inside a word, else a separator ('$' else a currency sign)
  kPlus,      // '+': kept in front of a number ("+44"), else a separator
  kCurrency,  // currency signs: a token of their own; bytes() = the sign (width folded)
  kEmoji,     // Extended_Pictographic / Emoji_Presentation: a token of its own; bytes() = itself
  kRegional,  // regional indicator symbols: two in a row form one flag token
};

struct Tables {
  static constexpr char32_t kSize = 0x20000;

  // cls[c]: low nibble Cls; bits 4..6 the length (1..4) of bytes stored inline in data[c], or 0
  // when data[c] is (offset << 8 | length) into pool, or a code point for kSep/kSpace; bit 7 set
  // when the 'i's of a kWord mapping were l's (see kFromL in normalizer.cpp).
  std::unique_ptr<std::uint8_t[]> cls;
  std::unique_ptr<std::uint32_t[]> data;
  std::string pool;
  double build_ms = 0;  // wall time the build took

  Cls cls_of(char32_t c) const noexcept { return static_cast<Cls>(cls[c] & 0x0f); }

  // The mapped UTF-8 bytes of c (kWord, kLeet, kPlus, kCurrency, kEmoji, kRegional).
  std::string_view bytes(char32_t c) const noexcept {
    const unsigned inl = (cls[c] >> 4) & 7;
    if (inl) return {reinterpret_cast<const char*>(&data[c]), inl};
    const std::uint32_t d = data[c];
    return {pool.data() + (d >> 8), d & 0xff};
  }

  // Whether the 'i's in the mapping of c stand for an l (ł, Cyrillic ӏ, ǉ, fullwidth ｌ ...).
  bool from_l(char32_t c) const noexcept { return (cls[c] & 0x80) != 0; }

  // The canonical separator code point of c (kSep, kSpace).
  char32_t sep(char32_t c) const noexcept { return data[c]; }

  // The word lane's summary of a code point (Pass::word_lane), so that the lane reads one entry
  // of eight bytes per character instead of decoding it and testing its class and mapping. Kept
  // for the code points of two-byte UTF-8 (U+0080..U+07FF: Latin-1 and Latin Extended, Greek,
  // Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana) and for U+1E00..U+1FFF (Latin Extended
  // Additional, the Vietnamese letters with two marks, and Greek Extended): 2,432 code points in
  // 2,560 entries (the first 128, ASCII, unused), 20 KiB.
  enum LaneWhat : std::uint8_t {
    kLaneOther = 0,   // anything the lane does not take as is: the word goes to the general path
    kLaneLetter = 1,  // a kWord code point that maps to one character, not a digit
    kLaneIgnore = 2,  // kIgnore: skipped inside a word
  };
  struct LaneEntry {
    std::uint32_t v;      // the mapped character's UTF-8 bytes in memory order (data[c])
    std::uint8_t len;     // their number
    std::uint8_t srclen;  // the bytes of c in UTF-8 (2 or 3)
    std::uint8_t key;     // the collapse key of the mapped letter (Key in pass.hpp: plain or from an l)
    std::uint8_t what;    // LaneWhat
  };
  static constexpr char32_t kLaneLow = 0x800;                      // [0x80, 0x800): two bytes
  static constexpr char32_t kLaneVietBase = 0x1E00, kLaneVietEnd = 0x2000;  // E1 B8..BF xx
  // lane[c] for a two-byte code point c < kLaneLow, then lane[kLaneLow + (c - kLaneVietBase)] for
  // c in [kLaneVietBase, kLaneVietEnd).
  std::unique_ptr<LaneEntry[]> lane;
};

// The tables, built on first call (roughly 20 to 40 ms; see build_ms).
const Tables& tables();

// Class of a code point above U+1FFFF: planes 2 and 3 (CJK ideographs) are letters that map to
// themselves, plane 14 (tags, variation selectors supplement) is ignorable, the rest separates.
inline Cls classify_high(char32_t c) noexcept {
  if (c < 0x40000) return kWord;
  if (c >= 0xE0000 && c < 0xE1000) return kIgnore;
  return kSep;
}

}  // namespace signpost::detail::norm
