// match/typo_index.hpp: one-edit typo tolerance for the lexicons that ask for it (`typos: 1`), as
// a candidate pass beside the exact term lookup.
//
// Contract: build() indexes the normalized single-word terms it is given, each with the shortest
// length (in code points) at which it tolerates a typo, by every form obtained by deleting one code
// point (a symmetric-delete index). scan() looks at every word of a normalized text (a token, and the
// parts of it that start after an attached Arabic particle or end at a ZWNJ suffix boundary) and
// reports a Hit for each indexed term at one edit from it: one code point substituted, inserted or
// deleted, or two adjacent code points swapped. A word that is itself a term of the pack (any
// lexicon, `known` in build()) is never read as a typo of another term: it means what it says.
// Exact occurrences are the exact matcher's business and are not reported here.
//
// Cost: a word shorter or longer (in code points) than any indexed term allows costs a length test
// (tokens too short to hold one are not read at all); a word of m code points in the range is then
// tested by its ends: one edit leaves a common prefix P and suffix S with P + S >= m - 2, so a word
// can be at one edit from a term only if its first floor((m - 1) / 2) code points are the first of a
// term of m - 1 to m + 1 code points, or its last ceil((m - 1) / 2) are the last of one (two bit
// tests, built at load: `ends_`). Only the words that pass cost n + 1 hashes of their deletion
// variants, each first looked up in a bit filter small enough to stay in the L1 cache (most are
// absent and end there), and only then in the table, with an O(n) bounded edit-distance check per
// candidate. scan() is const, thread-safe, never throws, and allocates only when `hits` grows past
// its capacity.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "match/matcher.hpp"
#include "normalize/normalizer.hpp"

namespace signpost::detail {

struct TypoTerm {
  std::string normalized;         // normalize_term() of the term, one word (no space)
  std::uint32_t lexicon = 0;
  std::uint16_t lang = kNoLanguage;
  std::uint32_t min_length = 5;   // the term tolerates a typo when it has at least this many code points
};

// Words longer than this (in code points) are never typo candidates.
inline constexpr std::size_t kMaxTypoWord = 48;

class TypoIndex {
 public:
  // `known`: the normalized single-word terms of the whole pack (exact words are never typos).
  void build(std::vector<TypoTerm> terms, const std::vector<std::string>& known);
  // The terms of the pack's lexicons that ask for typos (Lexicon::typos, min_length); empty when none.
  void build(const PackModel& model);

  bool empty() const noexcept { return terms_.empty(); }
  std::size_t size() const noexcept { return terms_.size(); }

  // Appends to `hits` (not cleared) one Hit per (lexicon, word) found at one edit.
  void scan(const NormalizedText& text, std::vector<Hit>& hits) const;  // may throw std::bad_alloc
  // The same without the test of a word's ends, for the test that compares the two.
  void scan_unfiltered(const NormalizedText& text, std::vector<Hit>& hits) const;

  // Whether a and b (UTF-8) are at most one edit apart (substitution, insertion, deletion or swap of
  // two adjacent code points). Exposed for tests.
  static bool within_one_edit(std::string_view a, std::string_view b) noexcept;

 private:
  struct Slot {
    std::uint64_t hash;
    std::uint32_t term;  // kEmptySlot when free
  };
  static constexpr std::uint32_t kEmptySlot = 0xffffffffu;

  void insert(std::uint64_t hash, std::uint32_t term);
  bool known(std::string_view word) const noexcept;
  template <bool kFiltered>
  void scan_words(const NormalizedText& text, std::vector<Hit>& hits) const;
  template <bool kFiltered>
  void check_word(const NormalizedText& text, std::uint32_t b, std::uint32_t e, std::vector<Hit>& hits) const noexcept;
  // Whether the first or the last code points of a word of m code points are those of some term
  // at one edit's length (see Cost above); false means no term is within one edit.
  bool ends_may_match(std::string_view w, std::size_t m) const noexcept;
  void add_end(std::uint64_t hash) noexcept;

  std::vector<TypoTerm> terms_;
  std::vector<Slot> table_;  // open addressing, power-of-two size, several slots per hash allowed
  std::vector<std::uint64_t> known_;  // sorted hashes of the pack's exact single-word terms
  std::vector<std::uint64_t> filter_;  // one bit per hash value class: set when a variant has it
  std::vector<std::uint64_t> ends_;  // one bit per hash class of (word length, side, the code points of that end)
  std::uint64_t mask_ = 0;
  std::uint64_t filter_mask_ = 0;  // bits in filter_ - 1
  std::uint64_t ends_mask_ = 0;    // bits in ends_ - 1
  std::size_t min_bytes_ = 0, max_bytes_ = 0;  // word lengths (bytes) worth probing
  std::size_t min_points_ = 0, max_points_ = 0;  // word lengths (code points) worth probing

  bool maybe(std::uint64_t hash) const noexcept {
    const std::uint64_t bit = (hash >> 7) & filter_mask_;
    return (filter_[bit >> 6] >> (bit & 63)) & 1u;
  }
};

}  // namespace signpost::detail
