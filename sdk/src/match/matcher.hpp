// match/matcher.hpp: every term of a pack in one Vectorscan literal database, regexes in another.
//
// Contract: compile() normalizes each term with the same pipeline as input text
// (normalize/normalizer.hpp), deduplicates identical normalized strings, and builds one literal
// database over all of them; rule and context regexes are checked against the cost limits of
// docs/pack-format.md and compiled into a second database. Problems go to the caller's list with
// the term's or regex's file:line:col.
//
// scan() runs over normalized text and reports, per lexicon that owns a term found there, a Hit
// whose start is a word start and whose end is a word end (or anything, for prefix terms). It is
// const and thread-safe: Vectorscan scratch space is per thread, grown once per database, and kept.
// It never throws and allocates only when hits grow past the capacity of the caller's vectors.
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
  void scan(const NormalizedText& text, std::vector<Hit>& hits, std::vector<RegexHit>& rhits) const noexcept;

  std::size_t pattern_count() const noexcept { return pattern_len_.size(); }
  std::size_t memory_bytes() const noexcept;
  // The normalized form of every distinct term, for tools and benchmarks.
  const std::vector<std::string>& patterns() const noexcept { return patterns_; }

 private:
  struct TermRef {
    std::uint32_t lexicon;
    std::uint16_t lang;
    bool prefix;
  };
  hs_database* literal_db_ = nullptr;
  hs_database* regex_db_ = nullptr;
  std::vector<std::string> patterns_;
  std::vector<std::uint32_t> pattern_len_;
  std::vector<std::uint32_t> ref_begin_;  // pattern id -> first index in refs_; size patterns+1
  std::vector<TermRef> refs_;
  std::uint64_t serial_ = 0;  // unique per compiled matcher, for per-thread scratch bookkeeping

  friend struct ScanContext;
};

}  // namespace signpost::detail
