// match/regex_prefilter.hpp: which regexes can match a text at all, from the bytes it contains, so
// that the matcher skips Vectorscan's fixed cost (hs_scan) on texts where none can.
//
// Contract: build() reads each pattern (compiled by the matcher with HS_FLAG_UTF8 and leftmost
// start only) into a necessary condition on the bytes of any text it matches
// (regex_condition.hpp: an `or` of terms, each an `and` of byte classes; "always" for syntax the
// reader does not know), and adds to each term any class that every term of the pattern implies
// (a digit, for an amount written in several ways). may_match() is false only for a text the
// pattern cannot match; a condition may be true for a text the pattern does not match, which only
// costs a scan.
//
// Cost: classes are numbered (at most 64, merged into wider ones past that), and a table gives
// the classes of each byte, so that atoms() reads a text at about two instructions per byte;
// candidates() rules out, a word of 64 patterns at a time, those missing a class all their terms
// need, and may_match() is one mask test per term (a few per pattern). All are const,
// thread-safe, never throw and never allocate.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::detail {

class RegexPrefilter {
 public:
  void build(const std::vector<std::string>& patterns);

  // The classes of which `text` holds a byte, one bit each.
  std::uint64_t atoms(std::string_view text) const noexcept;
  // Whether pattern i may match a text whose classes are `atoms` (false: it cannot).
  bool may_match(std::size_t i, std::uint64_t atoms) const noexcept {
    if ((atoms & common_[i]) != common_[i]) return false;  // a class every term needs is missing
    for (std::uint32_t k = term_begin_[i]; k < term_begin_[i + 1]; ++k)
      if ((atoms & terms_[k]) == terms_[k]) return true;
    return false;
  }
  // The patterns that may match a text whose classes are `atoms`, as a first cut: bit i % 64 of
  // out[i / 64] is cleared for each pattern i one of whose classes needed by every term is missing
  // (out has words() entries). may_match() then decides for the patterns left.
  std::size_t words() const noexcept { return all_.size(); }
  void candidates(std::uint64_t atoms, std::uint64_t* out) const noexcept {
    const std::size_t w = all_.size();
    for (std::size_t k = 0; k < w; ++k) out[k] = all_[k];
    for (std::uint64_t miss = common_bits_ & ~atoms; miss != 0; miss &= miss - 1) {
      const std::uint64_t* row = without_.data() + static_cast<std::size_t>(std::countr_zero(miss)) * w;
      for (std::size_t k = 0; k < w; ++k) out[k] &= ~row[k];
    }
  }
  // Whether pattern i's condition is "always" (nothing learnt from the pattern).
  bool always(std::size_t i) const noexcept;
  std::size_t size() const noexcept { return term_begin_.empty() ? 0 : term_begin_.size() - 1; }
  std::size_t memory_bytes() const noexcept {
    return sizeof(table_) + term_begin_.capacity() * sizeof(std::uint32_t) +
           (terms_.capacity() + common_.capacity() + all_.capacity() + without_.capacity()) * sizeof(std::uint64_t);
  }

 private:
  std::array<std::uint64_t, 256> table_{};    // byte -> the classes that hold it
  std::vector<std::uint32_t> term_begin_;     // pattern i's terms: terms_[term_begin_[i], term_begin_[i + 1])
  std::vector<std::uint64_t> terms_;          // a term: the classes all of which the text must hold
  std::vector<std::uint64_t> common_;         // per pattern: the classes all its terms hold
  std::uint64_t common_bits_ = 0;             // the classes some pattern's terms all hold
  std::vector<std::uint64_t> all_;            // one bit per pattern
  std::vector<std::uint64_t> without_;        // per class, words() words: the patterns that need it
};

// The matcher uses the prefilter while FastPath::regex_prefilter is on (base/fast_paths.hpp, on by
// default). Off, it scans whenever the lexicons hit let a regex matter; tests compare the two.

}  // namespace signpost::detail
