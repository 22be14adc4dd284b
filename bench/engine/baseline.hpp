// baseline.hpp: what a host would write without signpost, measured beside the engine.
//
// Two baselines share one Vectorscan block-mode literal database of the pack's phrases,
// case-folded with ICU NFKC_Casefold (hs_compile_lit_multi, HS_MODE_BLOCK):
//
//   - tight: what a competent host writes. ICU Normalizer2::getNFKCCasefoldInstance()
//     ->normalizeUTF8() straight from the UTF-8 input into a reused std::string (StringByteSink),
//     then one hs_scan of that string. No allocation once the string is warm.
//   - naive (the figure of earlier reports): UTF-8 -> icu::UnicodeString -> normalize -> UTF-8,
//     with the temporaries a straightforward host creates on each call, then the same scan.
//
// Both find substrings only: no word boundaries, no look-alike, accent, leetspeak or spacing
// folding, no rules, no cards. That is the floor the engine is held to.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

struct hs_database;
struct hs_scratch;

namespace bench {

// ICU NFKC_Casefold of UTF-8 text, the naive way (fresh UnicodeStrings and output string).
std::string nfkc_casefold(std::string_view text);

class Baseline {
 public:
  explicit Baseline(const std::vector<std::string>& phrases);  // throws std::runtime_error
  ~Baseline();
  Baseline(const Baseline&) = delete;
  Baseline& operator=(const Baseline&) = delete;

  // Normalizes and scans `text` the tight way; returns the number of literal matches reported.
  // Not thread-safe (one reused output string and scratch per Baseline).
  std::size_t run(std::string_view text);
  // The same, with the naive normalization.
  std::size_t run_naive(std::string_view text);

  double compile_seconds() const { return compile_s_; }
  std::size_t database_bytes() const;

 private:
  std::size_t scan(const std::string& folded);

  hs_database* db_ = nullptr;
  hs_scratch* scratch_ = nullptr;
  std::string buf_;
  double compile_s_ = 0;
};

}  // namespace bench
