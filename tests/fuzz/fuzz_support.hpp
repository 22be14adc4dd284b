// fuzz_support.hpp: what the libFuzzer targets of tests/fuzz/ share.
//
// An invariant that does not hold aborts with a message, which libFuzzer reports as a crash and
// saves the input for (scripts/fuzz.sh fails on it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::fuzz {

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "invariant failed: %s (%s:%d)\n", what, file, line);
  std::abort();
}

#define SIGNPOST_FUZZ_CHECK(cond) \
  do {                            \
    if (!(cond)) ::signpost::fuzz::fail(#cond, __FILE__, __LINE__); \
  } while (0)

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits `s` at every `sep`.
inline std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    const std::size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

// A pack as one input: files separated by lines "=== PATH" (the first part, before any such
// line, is pack.yaml). Seeds are written in this form from real packs.
struct PackPart {
  std::string path;
  std::string bytes;
};

inline std::vector<PackPart> pack_parts(std::string_view in) {
  std::vector<PackPart> parts{{"pack.yaml", {}}};
  std::size_t at = 0;
  while (at <= in.size()) {
    const std::size_t nl = in.find('\n', at);
    const std::string_view line = in.substr(at, nl == std::string_view::npos ? std::string_view::npos : nl - at);
    if (line.starts_with("=== ")) {
      parts.push_back({std::string(line.substr(4)), {}});
    } else {
      parts.back().bytes.append(line);
      if (nl != std::string_view::npos) parts.back().bytes += '\n';
    }
    if (nl == std::string_view::npos) break;
    at = nl + 1;
  }
  return parts;
}

// No line of a message may hold a line break or an escape character (forged diagnostics).
inline bool one_clean_line(std::string_view s) {
  for (const char c : s)
    if (c == '\n' || c == '\r' || c == '\x1b') return false;
  return true;
}

}  // namespace signpost::fuzz
