// match/typo_index.hpp: one-edit typo tolerance for the lexicons that ask for it (`typos: 1`), as
// a candidate pass beside the exact term lookup.
//
// Contract: build() indexes the normalized single-word terms it is given, each with the shortest
// length (in code points) at which it tolerates a typo, by their ends. scan() looks at every word
// of a normalized text (a token, and the parts of it that start after an attached Arabic particle or
// end at a ZWNJ suffix boundary) and reports a Hit for each indexed term at one edit from it: one
// code point substituted, inserted or deleted, or two adjacent code points swapped. A word that is
// itself a term of the pack (any lexicon, `known` in build()) is never read as a typo of another
// term: it means what it says. Exact occurrences are the exact matcher's business and are not
// reported here. The hits of one word come in the order of the terms given to build() (pack order).
//
// How: one edit leaves a word of m code points and a term a common prefix P and a common suffix S
// with P + S >= m - 2 (a substitution, deletion or insertion at p keeps the p code points before it
// and m - 1 - p or more after it; a swap at p, p + 1 keeps p and m - 2 - p). So P and S cannot both
// fall short of two lengths that add up to m - 1: a term at one edit shares with the word either
// its first h(m) = (m - 1) / 2 code points or its last m - 1 - h(m). build() files each term under
// those two ends for each length m a word at one edit from it may have (its own, one less, one
// more); scan() looks the word's two ends up and compares the word with the terms filed there
// (usually none, or one or two) by a bounded edit-distance check.
//
// Cost: a word shorter or longer (in code points) than any indexed term allows costs a length test
// (tokens too short to hold one are not read at all); otherwise a count of its code points, two
// hashes of its ends, two bit tests in a filter small enough to stay in the L1 cache (most words
// end there), a table lookup for an end that passes, then per term filed under it a test of the
// bytes the two hold (one edit leaves at most two of their low six bits apart when both have one
// byte per code point, eight otherwise: most terms that share a common end fail it) and, for those
// left, an O(n) check. A word of eight bytes or fewer is read in one load for its count and ends.
// scan() is const, thread-safe, never throws, and allocates only when `hits` grows past its
// capacity.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
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
  // The same by comparing every word with every term (no index), for the test that compares the two.
  void scan_exhaustive(const NormalizedText& text, std::vector<Hit>& hits) const;

  // Whether a and b (UTF-8) are at most one edit apart (substitution, insertion, deletion or swap of
  // two adjacent code points). Exposed for tests.
  static bool within_one_edit(std::string_view a, std::string_view b) noexcept;

 private:
  // One end of some terms: the hash of (word length, which end, its bytes), and the terms filed
  // under it, end_terms_[begin, end) in ascending order. end == 0: a free slot.
  struct EndKey {
    std::uint64_t hash = 0;
    std::uint32_t begin = 0, end = 0;
  };

  bool known(std::string_view word) const noexcept;
  template <bool kIndexed>
  void scan_words(const NormalizedText& text, std::vector<Hit>& hits) const;
  template <bool kIndexed>
  void check_word(const NormalizedText& text, std::uint32_t b, std::uint32_t e, std::vector<Hit>& hits) const noexcept;
  // The terms filed under the word's two ends, [h0, h1) and [t0, t1), compared with it (every term
  // when not kIndexed); `plain`: the word has one byte per code point.
  template <bool kIndexed>
  __attribute__((noinline)) void compare_filed(const NormalizedText& text, std::uint32_t b, std::uint32_t e,
                                               const std::uint32_t* h0, const std::uint32_t* h1, const std::uint32_t* t0,
                                               const std::uint32_t* t1, bool plain, std::vector<Hit>& hits) const noexcept;
  // The terms filed under an end (empty when none).
  std::pair<const std::uint32_t*, const std::uint32_t*> filed(std::uint64_t hash) const noexcept;

  std::vector<TypoTerm> terms_;
  std::vector<std::uint64_t> term_bits_;   // per term: its bytes, one bit each for their low six bits
  std::vector<std::uint8_t> term_plain_;   // per term: 1 when it has one byte per code point
  std::vector<EndKey> ends_;               // open addressing, power-of-two size
  std::vector<std::uint32_t> end_terms_;
  std::vector<std::uint64_t> end_filter_;  // one bit per hash class: set when some end has it
  std::vector<std::uint64_t> known_;       // sorted hashes of the pack's exact single-word terms
  std::uint64_t ends_mask_ = 0;
  unsigned filter_shift_ = 64;             // 64 - log2(bits in end_filter_)
  std::size_t min_bytes_ = 0, max_bytes_ = 0;  // word lengths (bytes) worth reading
  std::size_t min_points_ = 0, max_points_ = 0;  // word lengths (code points) worth reading
};

}  // namespace signpost::detail
