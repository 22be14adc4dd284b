// normalize(): any bytes. Invariants: the arrays agree in size; every output byte maps back to a
// range inside the part of the input that was read; ranges and tokens never go backwards; the
// output is valid UTF-8 with single spaces between tokens; a warm (reused) output gives the
// same result as a cold one; a byte budget is respected.
#include <cstddef>
#include <cstdint>

#include "base/utf8.hpp"
#include "fuzz_support.hpp"
#include "normalize/normalizer.hpp"

using signpost::detail::NormalizedText;

namespace {

void check(std::string_view in, const NormalizedText& n) {
  const std::size_t size = n.text.size();
  SIGNPOST_FUZZ_CHECK(n.begin.size() == size && n.end.size() == size && n.token.size() == size);
  SIGNPOST_FUZZ_CHECK(n.bounds.size() == size + 1);
  SIGNPOST_FUZZ_CHECK(n.considered <= in.size());
  SIGNPOST_FUZZ_CHECK(signpost::detail::is_valid_utf8(n.text));
  if (size == 0) {
    SIGNPOST_FUZZ_CHECK(n.tokens == 0);
    return;
  }
  SIGNPOST_FUZZ_CHECK(n.text[0] != ' ' && n.text[size - 1] != ' ');
  for (std::size_t i = 0; i < size; ++i) {
    SIGNPOST_FUZZ_CHECK(n.begin[i] <= n.end[i]);
    SIGNPOST_FUZZ_CHECK(n.end[i] <= n.considered);
    if (i > 0) {
      SIGNPOST_FUZZ_CHECK(n.begin[i - 1] <= n.begin[i]);
      SIGNPOST_FUZZ_CHECK(n.end[i - 1] <= n.end[i]);
      SIGNPOST_FUZZ_CHECK(n.token[i - 1] <= n.token[i]);
      SIGNPOST_FUZZ_CHECK(!(n.text[i - 1] == ' ' && n.text[i] == ' '));
    }
    SIGNPOST_FUZZ_CHECK(n.token[i] < n.tokens);
  }
  SIGNPOST_FUZZ_CHECK(n.token[size - 1] + 1 == n.tokens);
}

bool same(const NormalizedText& a, const NormalizedText& b) {
  if (a.text != b.text || a.tokens != b.tokens || a.considered != b.considered) return false;
  for (std::size_t i = 0; i < a.text.size(); ++i)
    if (a.begin[i] != b.begin[i] || a.end[i] != b.end[i] || a.token[i] != b.token[i]) return false;
  for (std::size_t i = 0; i <= a.text.size(); ++i)
    if (a.bounds[i] != b.bounds[i]) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = signpost::fuzz::as_text(data, size);
  static NormalizedText warm;  // keeps the capacity (and stale bytes) of earlier inputs
  signpost::detail::normalize(in, warm);
  check(in, warm);
  SIGNPOST_FUZZ_CHECK(warm.considered == in.size());
  NormalizedText cold;
  signpost::detail::normalize(in, cold);
  SIGNPOST_FUZZ_CHECK(same(warm, cold));
  // A byte budget: what is read stops at or before it (at a code point boundary).
  const std::size_t budget = size / 2;
  signpost::detail::normalize(in, warm, budget);
  check(in, warm);
  SIGNPOST_FUZZ_CHECK(warm.considered <= budget);
  (void)signpost::detail::normalize_term(in);
  return 0;
}
