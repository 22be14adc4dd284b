// base/escape.hpp: text from a pack or an input, made safe to print on one line of a terminal.
//
// Problem and lint lines quote pack text and name files: a newline there would forge another
// diagnostic line, and an escape sequence would rewrite the terminal. Header-only.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "base/utf8.hpp"

namespace signpost::detail {

// Appends `s` with C0 controls (newline, carriage return, ESC...) and DEL as \xNN, C1 controls
// (U+0080..U+009F) and the bidirectional embeddings, overrides and isolates (U+202A..U+202E,
// U+2066..U+2069) as \u{XXXX}, and bytes that are not UTF-8 as \xNN. Everything else is kept.
inline void append_escaped(std::string& out, std::string_view s) {
  char buf[16];
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t n = decode_utf8(s, i, cp);
    if (n == 0 || cp < 0x20 || cp == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(s[i]));
      out += buf;
      ++i;
      continue;
    }
    if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
      std::snprintf(buf, sizeof buf, "\\u{%04X}", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(s.substr(i, n));
    }
    i += n;
  }
}

inline std::string escaped(std::string_view s) {
  std::string out;
  append_escaped(out, s);
  return out;
}

}  // namespace signpost::detail
