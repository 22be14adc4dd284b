// normalize/normalizer.cpp: the run-time half of the normalizer. One pass over the input
// (pass.hpp): decode UTF-8, look every code point up in the tables (tables.cpp), gather the
// characters of a word, resolve leetspeak, then write the word into the output, joining spaced-out
// letters and collapsing repeated ones as it goes. No ICU call, no allocation once the output is
// warm.
#include "normalize/normalizer.hpp"

#include <algorithm>
#include <atomic>

#include "base/fast_paths.hpp"
#include "normalize/pass.hpp"

namespace signpost::detail {

void NormalizedText::clear() noexcept {
  text.clear();
  begin.clear();
  end.clear();
  bounds.clear();
  token.clear();
  tokens = 0;
  considered = 0;
}

bool is_arabic_script(char32_t c) noexcept {
  return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0x0870 && c <= 0x08FF) ||
         (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF) || (c >= 0x10E60 && c <= 0x10E7F) ||
         (c >= 0x10EC0 && c <= 0x10EFF) || (c >= 0x1EC70 && c <= 0x1ECBF) || (c >= 0x1ED00 && c <= 0x1ED4F) ||
         (c >= 0x1EE00 && c <= 0x1EEFF);
}

void normalize(std::string_view input, NormalizedText& out, std::size_t max_bytes) {
  const auto* s = reinterpret_cast<const unsigned char*>(input.data());
  std::size_t m = std::min({input.size(), max_bytes, std::size_t{0xFFFFFF00u}});
  m = norm::cut_to_boundary(s, input.size(), m);
  norm::Pass pass(out, m);
  pass.fast_ = fast_path(FastPath::normalizer);
  pass.run(s, m);
  pass.finish(static_cast<std::uint32_t>(m));
}

std::string normalize_term(std::string_view term) {
  NormalizedText t;
  normalize(term, t);
  return std::move(t.text);
}

double normalizer_tables_build_ms() { return norm::tables().build_ms; }

}  // namespace signpost::detail
