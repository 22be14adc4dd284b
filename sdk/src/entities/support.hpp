// entities/support.hpp: what the scanners share: a view of the normalized tokens with their
// original bytes, the vocabulary, and small readers for numbers.
#pragma once

#include <algorithm>
#include <array>
#include <cstring>
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
  Tokens(std::string_view original, const NormalizedText& norm, bool fast = true) noexcept
      : original_(original), norm_(norm), fast_(fast) {}

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
  // Whether the scanners take their fast paths (FastPath::entities).
  bool fast() const noexcept { return fast_; }

 private:
  std::string_view original_;
  const NormalizedText& norm_;
  bool fast_;
};

// What a vocabulary word is.
enum class Word : std::uint8_t {
  currency,    // code: "eur", "gbp", ...
  multiplier,  // value: 1000, 1e6...; money_only: the multiplier alone says "money" (k, triệu, lakh)
  hundred,     // value 100: multiplies the number words before it ("five hundred")
  tens,        // value 10: multiplies the last number word ("năm mươi" = 50; Vietnamese)
  number,      // a number word: value (most below 100; also "ألفين" 2000, "پانصد" 500)
  half,        // "half", "buçuk", "rưỡi", "نیم": adds a half
  connector,   // "and", "et", "و": may join number words
  article,     // "a": one, before a multiplier or "half"
  weekday,     // a day of the week
  relday,      // tonight, tomorrow, today, this weekend...
  ampm,        // am, pm, h (after a number: a time)
  hour,        // "saat", "ساعت", "الساعة", "ora" (before a number: a time)
  ordinal,     // words around French ordinals ("le 100e anniversaire"): "100e" there is no price
};

struct WordInfo {
  Word type;
  double value;
  bool money_only;
  std::string_view code;  // currency: its code; multiplier: the currency it implies ("củ": "vnd"), or ""
};

// Finds the vocabulary entry that covers the most tokens from t (up to 3), and `last` the last
// token it covers. One-token entries are also looked up after an attached Arabic particle
// (the normalized text's interior word starts). nullptr when none.
const WordInfo* lookup(const Tokens& toks, const Tok& t, Tok& last) noexcept;

// The entry whose key is exactly these normalized bytes (e.g. the "k" of "5k"), or nullptr.
const WordInfo* find_word(std::string_view normalized) noexcept;

// Every vocabulary word as written in the table (before normalization), for tests.
std::vector<std::string_view> vocabulary_words();

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
// other, in two steps: a table of 4,096 bits indexed by a hash of the first two bytes, the last
// byte and the length (a few instructions), then a Bloom filter of 8,192 bits, two bits per
// string, over a hash of the length and the first and last eight bytes. What the entity gate
// (gate.cpp) and lookup() use to turn most words away.
class KeyFilter {
 public:
  static constexpr unsigned kPreBits = 12;
  static std::uint32_t pre_hash(const char* key, std::size_t n) noexcept {
    const std::uint64_t x = static_cast<unsigned char>(key[0]) | (n > 1 ? static_cast<unsigned char>(key[1]) : 0u) << 8 |
                            static_cast<std::uint32_t>(static_cast<unsigned char>(key[n - 1])) << 16 |
                            static_cast<std::uint64_t>(n) << 24;
    return static_cast<std::uint32_t>((x * 0x9E3779B97F4A7C15ull) >> (64 - kPreBits));
  }
  static std::uint32_t pre_hash(std::string_view key) noexcept { return pre_hash(key.data(), key.size()); }
  static std::uint64_t hash(std::string_view key) noexcept {
    const std::size_t n = key.size();
    std::uint64_t a = 0, b = 0;
    if (n >= 8) {
      std::memcpy(&a, key.data(), 8);
      std::memcpy(&b, key.data() + n - 8, 8);
    } else {
      for (std::size_t i = 0; i < n; ++i) a |= std::uint64_t{static_cast<unsigned char>(key[i])} << (8 * i);
    }
    std::uint64_t h = (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^ (n * 0x165667B19E3779F9ull);
    h ^= h >> 29;
    return h * 0xBF58476D1CE4E5B9ull;
  }
  void add(std::string_view key) noexcept {
    if (key.empty()) return;
    const std::uint32_t p = pre_hash(key);
    pre_[p >> 6] |= std::uint64_t{1} << (p & 63);
    const std::uint64_t h = hash(key);
    bits_[h >> 57] |= std::uint64_t{1} << ((h >> 51) & 63);
    bits_[(h >> 44) & 127] |= std::uint64_t{1} << ((h >> 38) & 63);
  }
  bool pre(std::uint32_t p) const noexcept { return (pre_[p >> 6] >> (p & 63)) & 1u; }
  bool hashed(std::uint64_t h) const noexcept {
    return ((bits_[h >> 57] >> ((h >> 51) & 63)) & (bits_[(h >> 44) & 127] >> ((h >> 38) & 63)) & 1u) != 0;
  }
  bool maybe(std::string_view key) const noexcept { return !key.empty() && pre(pre_hash(key)) && hashed(hash(key)); }

 private:
  std::array<std::uint64_t, 64> pre_{};
  std::array<std::uint64_t, 128> bits_{};
};

// The words that can make a text hold an entity without a digit: the vocabulary entries (of one
// to three tokens) that make an amount money (currencies, money-only multipliers) and the
// currency signs; the weekdays and relative days.
struct Triggers {
  // The first step of the one-token filters (money, date, heads) in one table: per
  // KeyFilter::pre_hash, the filters that hold a key with that value (bit(Kind::money),
  // bit(Kind::date), kHead), and kDong where the token "d" falls (the đ of "hai nghìn đ", which
  // normalizes to "d", says đồng when the original has it).
  static constexpr std::uint8_t kHead = 0x10, kDong = 0x20;
  std::array<std::uint8_t, std::size_t{1} << KeyFilter::kPreBits> pre{};
  KeyFilter money, date;              // entries of one token
  KeyFilter money_multi, date_multi;  // entries of two or three
  KeyFilter heads;                    // the first tokens of those (a span is tested only after one)
};
const Triggers& triggers() noexcept;

// The kinds among `kinds` (a mask of bit(Kind)) whose scanner can find something in this text; a
// superset, never missing one: a phone number needs a digit, an amount of money a digit, a
// currency or a money-only multiplier, a date a digit or a day word (gate.cpp). Handles are
// gated by their own scanner ('@' or '/' in the text). `original` is the text that was normalized
// into `norm` (read only for a token "d").
unsigned possible_kinds(std::string_view original, const NormalizedText& norm, unsigned kinds) noexcept;

// The same when the signal words the text holds are known (`signals`, the bits of signal_words()
// found by the term walk): only the digits are read here, and the text itself only for a "d".
unsigned possible_kinds_signalled(std::string_view original, const NormalizedText& norm, unsigned kinds,
                                  unsigned signals) noexcept;

// Whether the original bytes of the token that ends at normalized byte `ne` (exclusive) and starts
// at `nb` end with the Vietnamese đ (Đ): the đồng written short ("500.000đ", "hai nghìn đ").
bool dong_letter(std::string_view original, const NormalizedText& norm, std::uint32_t nb, std::uint32_t ne) noexcept;

// The first and last tokens that the original bytes [ob, oe) touch (false: none), found by a binary
// search on the normalized bytes' input offsets, then a walk from there.
bool locate(const Tokens& toks, std::uint32_t ob, std::uint32_t oe, Tok& a, Tok& b) noexcept;

// Appends an entity spanning tokens a..b.
void emit(std::vector<Entity>& out, Kind kind, const Tok& a, const Tok& b, double amount, std::string_view what);

// The scanners; each appends its kind in token order.
void scan_money(const Tokens& toks, std::vector<Entity>& out);
void scan_phones(const Tokens& toks, std::vector<Entity>& out);
void scan_dates(const Tokens& toks, std::vector<Entity>& out);
void scan_handles(const Tokens& toks, std::vector<Entity>& out);
void scan_quotes(const Tokens& toks, std::vector<Entity>& out);

}  // namespace signpost::detail::entities
