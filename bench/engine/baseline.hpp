// baseline.hpp: what a host would write without signpost, measured beside the engine.
//
// ICU NFKC_Casefold of the text (UTF-8 -> icu::UnicodeString -> normalize -> UTF-8, with the
// temporaries a straightforward host creates on each call), then one Vectorscan block-mode scan
// of the result against a literal database of the pack's phrases, case-folded the same way
// (hs_compile_lit_multi, HS_MODE_BLOCK). It finds substrings only: no word boundaries, no
// look-alike or accent folding, no rules, no cards. That is the floor the engine is held to.
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

  // Normalizes and scans `text`; returns the number of literal matches reported.
  std::size_t run(std::string_view text) const;

  double compile_seconds() const { return compile_s_; }
  std::size_t database_bytes() const;

 private:
  hs_database* db_ = nullptr;
  hs_scratch* scratch_ = nullptr;
  double compile_s_ = 0;
};

}  // namespace bench
