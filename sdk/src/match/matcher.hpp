// match/matcher.hpp: the terms of a pack in a hash table anchored at word starts, regexes in one
// Vectorscan database.
//
// Contract: compile() normalizes each term with the same pipeline as input text
// (normalize/normalizer.hpp), deduplicates identical normalized strings, and stores them in one
// contiguous byte pool indexed by an open-addressing table of polynomial hashes; rule and context
// regexes are checked against the cost limits of docs/pack-format.md and compiled into a Vectorscan
// database. Problems go to the caller's list with the term's or regex's file:line:col.
//
// scan() runs over normalized text and reports, per lexicon that owns a term found there, a Hit
// whose start is a word start and whose end is a word end (or anything, for prefix terms). One
// sweep over the text keeps the word starts within reach (the longest exact term, in bytes and in
// spaces) whose first two bytes begin some term, and at each word end looks up the text from each
// of them, with an O(1) polynomial substring hash, a one-bit-per-term filter and a verified table
// probe; prefix terms are looked up at each word start for each distinct prefix-term length. The
// cost per query depends on the text and on the term lengths, not on the number of terms. Hits
// come in the order of their end, then of their start. It is const and thread-safe: the arrays
// it needs and the Vectorscan scratch space are per thread, grown when needed, and kept. It never
// throws, and allocates only when a thread first meets a longer text (with prefix terms) or longer
// terms than before, or when hits grow past the capacity of the caller's vectors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "normalize/normalizer.hpp"
#include "pack/model.hpp"

struct hs_database;

namespace signpost::detail {

inline constexpr std::uint16_t kNoLanguage = 0xffff;
// Hits kept per call; past this the scan stops (bounds the work on hostile text).
inline constexpr std::size_t kMaxHitsPerCall = 4096;

struct Hit {
  std::uint32_t lexicon = 0;
  std::uint32_t begin = 0, end = 0;          // normalized bytes, [begin, end)
  std::uint32_t tok_begin = 0, tok_end = 0;  // token indexes, inclusive
  std::uint16_t lang = kNoLanguage;          // index into the pack's languages
};

struct RegexHit {
  std::uint32_t regex = 0;  // index into the list given to compile()
  std::uint32_t begin = 0, end = 0;
};

struct RegexSpec {
  std::string pattern;
  SourcePos pos;
};

// Checks a regex against the cost limits; returns "" when acceptable, else the reason.
std::string check_regex_cost(const std::string& pattern);

class Matcher {
 public:
  Matcher() = default;
  ~Matcher();
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  void compile(const PackModel& model, const std::vector<RegexSpec>& regexes, std::vector<Problem>& problems);

  // Appends to hits / rhits (cleared first).
  // May throw std::bad_alloc (the hit lists grow).
  void scan(const NormalizedText& text, std::vector<Hit>& hits, std::vector<RegexHit>& rhits) const;

  std::size_t pattern_count() const noexcept { return pattern_off_.empty() ? 0 : pattern_off_.size() - 1; }
  std::size_t memory_bytes() const noexcept;
  // The normalized form of every distinct term, for tools and benchmarks (built on each call).
  std::vector<std::string> patterns() const;

 private:
  struct TermRef {
    std::uint32_t lexicon;
    std::uint16_t lang;
    bool prefix;
  };
  struct Slot {
    std::uint32_t tag;  // bits of the term's mixed hash; meaningless when id == kEmpty
    std::uint32_t id;   // pattern id, or kEmpty
  };
  static constexpr std::uint32_t kEmpty = 0xffffffffu;

  void build_table();
  void scan_terms(const NormalizedText& text, std::vector<Hit>& hits) const;

  hs_database* regex_db_ = nullptr;
  std::string pool_;                        // every distinct normalized term, back to back
  std::vector<std::uint32_t> pattern_off_;  // pattern id -> offset in pool_; size patterns+1
  std::vector<Slot> table_;                 // open addressing, power-of-two size
  std::vector<std::uint64_t> filter_;       // one bit per mixed hash, checked before table_
  std::vector<std::uint64_t> first2_;       // one bit per first two bytes of a term
  std::vector<std::uint64_t> pow_;          // kBase^k for k in [0, max_len_]
  std::vector<std::uint32_t> prefix_lens_;  // distinct lengths of prefix terms, ascending
  std::uint32_t max_exact_len_ = 0;         // longest term owned by an exact entry
  std::uint32_t max_len_ = 0;               // longest term
  std::uint32_t max_exact_spaces_ = 0;      // most spaces in a term owned by an exact entry
  unsigned table_shift_ = 64, filter_shift_ = 64;
  std::vector<std::uint32_t> ref_begin_;  // pattern id -> first index in refs_; size patterns+1
  std::vector<TermRef> refs_;
  std::uint64_t serial_ = 0;  // unique per compiled matcher, for per-thread scratch bookkeeping

  friend struct ScanContext;
};

}  // namespace signpost::detail
