// entities/entities.hpp: built-in entities found by hand-written scanners (docs/pack-format.md,
// "Built-in entities"): money amounts, phone numbers, messaging handles and links, dates and times,
// quoted passages.
//
// Contract: scan() looks at a text after normalization (normalize/normalizer.hpp) and, where the
// normalized form has lost what a shape needs (the dot of "1.5k", the "@" of "@user", the "/" of
// "wa.me/..."), at the original bytes through the normalized text's offsets. Every entity is
// reported with the byte range of the original text it covers ([begin, end)) and with the
// normalized bytes and tokens it spans, so that rules can use an entity like a lexicon (`@money`).
// Entities come in the order of their normalized start, then of their kind; two entities of one
// kind never overlap.
//
// Language data (currency words and signs, number words, multipliers, weekdays, relative days) is
// in vocabulary.cpp; every word is compared after the same normalization as pack terms, so case,
// accents, Arabic-script variants and leetspeak do not matter.
//
// Cost: linear in the number of tokens; no std::regex, no ICU call. scan() never throws and
// allocates nothing unless it appends past the capacity of `out` (so nothing when nothing
// matches). The vocabulary is built once, on first use (thread-safe), or by vocabulary_ready().
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "match/matcher.hpp"
#include "normalize/normalizer.hpp"

namespace signpost::detail::entities {

enum class Kind : std::uint8_t { money = 0, phone = 1, handle = 2, date = 3, quote = 4 };
inline constexpr unsigned kKinds = 5;
inline constexpr unsigned kAllKinds = (1u << kKinds) - 1;
constexpr unsigned bit(Kind k) noexcept { return 1u << static_cast<unsigned>(k); }

// The concept id a pack names the kind by ("@money", ...), and back (nullptr / false if unknown).
const char* concept_id(Kind k) noexcept;
bool kind_of(std::string_view concept_id, Kind& out) noexcept;

struct Entity {
  Kind kind = Kind::money;
  std::uint32_t begin = 0, end = 0;          // original text bytes, [begin, end)
  std::uint32_t nbegin = 0, nend = 0;        // normalized bytes, [nbegin, nend)
  std::uint32_t tok_begin = 0, tok_end = 0;  // normalized token indexes, inclusive
  // money: the amount in units of the currency (0 when it could not be read) and the currency
  // ("eur", "gbp", "usd", ...; "" when only a money multiplier such as "k" or "triệu" said it was
  // money). date: "time", "date" or "day". handle: "link", "handle" or "email". quote: "quote".
  // phone: "".
  double amount = 0;
  std::string_view what;
};

// The words that let a scanner find something in a text without a digit (currencies and their
// signs, money-only multipliers, weekdays and relative days, whole entries of one to three
// tokens), normalized, each with the bits it signals: bit(Kind::money), bit(Kind::date), and
// kSignalDong for "d" (the đ of "hai nghìn đ" normalizes to it; only the original text tells).
// The engine gives them to its Matcher (match/matcher.hpp, SignalKey), whose term walk then
// reports which of them a text holds, so that the gate needs no pass of its own.
inline constexpr unsigned kSignalDong = 0x20;
struct SignalWord {
  std::string key;
  unsigned bits;
};
std::vector<SignalWord> signal_words();

// Appends to `out` (not cleared) the entities of the kinds in `kinds` (a mask of bit(Kind)).
// `original` is the text that was normalized into `norm`. `signals`, when given, are the bits of
// the signal words the text holds as whole words (all of them: see signal_words()); the gate then
// reads only the digits. Without it, the gate finds the words itself (gate.cpp).
void scan(std::string_view original, const NormalizedText& norm, unsigned kinds, std::vector<Entity>& out,
          const unsigned* signals = nullptr);

// The pipeline's use of scan(): finds the kinds in `kinds` (into `found`, cleared first) and appends
// one Hit per entity to `hits`, for the lexicon lexicon_of[kind] (the pack's "@money"...).
void append_hits(std::string_view original, const NormalizedText& norm, unsigned kinds,
                 const std::array<std::uint32_t, kKinds>& lexicon_of, std::vector<Entity>& found,
                 std::vector<Hit>& hits, const unsigned* signals = nullptr);

// scan() without the gate (the cheap pass that skips the scanners a text cannot feed: no digit,
// no currency, no day word): every scanner in `kinds` runs. The result is the same; tests compare.
void scan_ungated(std::string_view original, const NormalizedText& norm, unsigned kinds, std::vector<Entity>& out);

// Builds the vocabulary if needed (a host may call it at start-up); thread-safe.
void vocabulary_ready();

// The fast paths of this stage follow FastPath::entities (base/fast_paths.hpp). Off, scan() runs
// every scanner asked for (no gate) and lookup() reads every span and word start without its
// filters. The result is the same either way: tests compare the two.

}  // namespace signpost::detail::entities
