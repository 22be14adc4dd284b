// entities/support.hpp: what the scanners share: a view of the normalized tokens with their
// original bytes, the vocabulary, and small readers for numbers.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "entities/entities.hpp"
#include "normalize/normalizer.hpp"

namespace signpost::detail::entities {

// Decodes one UTF-8 code point at s[i] with base/utf8.hpp and advances i (U+FFFD and one byte for a
// malformed one).
char32_t decode(std::string_view s, std::size_t& i) noexcept;
// White space and the invisible characters written around numbers (no-break and narrow spaces,
// zero-width characters, direction marks and isolates).
bool space_or_invisible(char32_t c) noexcept;

// One token of the normalized text.
struct Tok {
  std::uint32_t nb = 0, ne = 0;  // normalized bytes [nb, ne)
  std::uint32_t ob = 0, oe = 0;  // original bytes [ob, oe)
  std::uint32_t index = 0;       // token index
  std::string_view text;         // the normalized bytes
};

class Tokens {
 public:
  Tokens(std::string_view original, const NormalizedText& norm) noexcept : original_(original), norm_(norm) {}

  // The token that starts at normalized byte nb (nb must be a token start).
  Tok at(std::uint32_t nb) const noexcept;
  // The token after t; false at the end of the text.
  bool next(const Tok& t, Tok& out) const noexcept;
  bool first(Tok& out) const noexcept;
  // The original bytes between two tokens (a before b).
  std::string_view gap(const Tok& a, const Tok& b) const noexcept;
  // Whether the gap between a and b holds only white space and invisible characters.
  bool spaced(const Tok& a, const Tok& b) const noexcept;
  // Whether the gap holds only white space, invisible characters, apostrophes and hyphens (the
  // words of one phrase: "aujourd'hui", "week-end").
  bool joined(const Tok& a, const Tok& b) const noexcept;
  // The normalized text from the start of a to the end of b.
  std::string_view span(const Tok& a, const Tok& b) const noexcept;

  std::string_view original() const noexcept { return original_; }
  const NormalizedText& norm() const noexcept { return norm_; }

 private:
  std::string_view original_;
  const NormalizedText& norm_;
};

// What a vocabulary word is.
enum class Word : std::uint8_t {
  currency,    // code: "eur", "gbp", ...
  multiplier,  // value: 1000, 1e6...; money_only: the multiplier alone says "money" (k, triệu, lakh)
  hundred,     // value 100
  number,      // a number word below 100: value
  half,        // "half", "buçuk", "rưỡi", "نیم": adds a half
  connector,   // "and", "et", "و": may join number words
  article,     // "a": one, before a multiplier or "half"
  weekday,     // a day of the week
  relday,      // tonight, tomorrow, today, this weekend...
  ampm,        // am, pm, h (after a number: a time)
  hour,        // "saat", "ساعت", "الساعة", "ora" (before a number: a time)
};

struct WordInfo {
  Word type;
  double value;
  bool money_only;
  std::string_view code;
};

// Finds the vocabulary entry that covers the most tokens from t (up to 3), and `last` the last
// token it covers. One-token entries are also looked up after an attached Arabic particle
// (the normalized text's interior word starts). nullptr when none.
const WordInfo* lookup(const Tokens& toks, const Tok& t, Tok& last) noexcept;

// The entry whose key is exactly these normalized bytes (e.g. the "k" of "5k"), or nullptr.
const WordInfo* find_word(std::string_view normalized) noexcept;

// A cheap test before lookup(): could a vocabulary entry start with this token?
bool maybe_word(const Tok& t) noexcept;

// Digits at the start of a token: their count and value (up to 18 digits), and what follows.
struct Digits {
  std::uint32_t count = 0;  // 0: the token does not start with an ASCII digit
  double value = 0;
  bool plus = false;        // the token started with '+'
  std::string_view rest;    // the bytes after the digits
};
Digits read_digits(std::string_view token) noexcept;

// Whether the normalized token is one currency sign (€ £ $ ₺ ...) and its code.
bool currency_sign(std::string_view token, std::string_view& code) noexcept;
// Every sign currency_sign() knows, with its code.
std::span<const std::pair<std::string_view, std::string_view>> currency_signs() noexcept;

// A set of byte strings that answers "maybe" for every string added and "no" for nearly every
// other: a test of the first byte and the length, then a Bloom filter of 8,192 bits (two bits per
// string). What the entity gate and find_word() use to turn most words away before a search.
class KeyFilter {
 public:
  static std::uint64_t hash(std::string_view key) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
    for (const char c : key) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    return h;
  }
  void add(std::string_view key) noexcept {
    if (key.empty()) return;
    shapes_[static_cast<unsigned char>(key[0])] |= std::uint64_t{1} << std::min<std::size_t>(key.size(), 63);
    const std::uint64_t h = hash(key);
    bits_[(h >> 6) & 127] |= std::uint64_t{1} << (h & 63);
    bits_[(h >> 45) & 127] |= std::uint64_t{1} << ((h >> 39) & 63);
  }
  // The cheap half: some string of this first byte and length was added.
  bool shape(std::string_view key) const noexcept {
    return !key.empty() &&
           ((shapes_[static_cast<unsigned char>(key[0])] >> std::min<std::size_t>(key.size(), 63)) & 1u) != 0;
  }
  bool hashed(std::uint64_t h) const noexcept {
    return ((bits_[(h >> 6) & 127] >> (h & 63)) & (bits_[(h >> 45) & 127] >> ((h >> 39) & 63)) & 1u) != 0;
  }
  bool maybe(std::string_view key) const noexcept { return shape(key) && hashed(hash(key)); }

 private:
  std::array<std::uint64_t, 256> shapes_{};  // per first byte: bit min(length, 63)
  std::array<std::uint64_t, 128> bits_{};
};

// The words that can make a text hold an entity without a digit: the first token of every
// vocabulary entry that makes an amount money (currencies, money-only multipliers) and the
// currency signs; the first token of every weekday and relative day.
struct Triggers {
  KeyFilter money, date;
};
const Triggers& triggers() noexcept;

// The kinds among `kinds` (a mask of bit(Kind)) whose scanner can find something in this text; a
// superset, never missing one: a phone number needs a digit, an amount of money a digit, a
// currency or a money-only multiplier, a date a digit or a day word (gate.cpp). Handles are
// gated by their own scanner ('@' or '/' in the text).
unsigned possible_kinds(const NormalizedText& norm, unsigned kinds) noexcept;

// Appends an entity spanning tokens a..b.
void emit(std::vector<Entity>& out, Kind kind, const Tok& a, const Tok& b, double amount, std::string_view what);

// The scanners; each appends its kind in token order.
void scan_money(const Tokens& toks, std::vector<Entity>& out);
void scan_phones(const Tokens& toks, std::vector<Entity>& out);
void scan_dates(const Tokens& toks, std::vector<Entity>& out);
void scan_handles(const Tokens& toks, std::vector<Entity>& out);

}  // namespace signpost::detail::entities
