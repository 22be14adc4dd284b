#include "signpost/json.hpp"

#include <cstdint>
#include <cstring>
#include <iterator>

#include <fmt/format.h>

#include "base/utf8.hpp"

namespace signpost {
namespace {

using detail::decode_utf8;

void append_key(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHighs = 0x8080808080808080ull;

// Whether any byte of x is zero (the classic bit trick: exact when no byte has its high bit set,
// which the caller has checked).
constexpr std::uint64_t zero_byte(std::uint64_t x) noexcept { return (x - kOnes) & ~x & kHighs; }

// Whether eight bytes are all printable ASCII that JSON and HTML take as they are: no byte >= 0x7f,
// none below 0x20, and none of " \ < > &.
inline bool plain8(const char* p) noexcept {
  std::uint64_t x;
  std::memcpy(&x, p, 8);
  if (x & kHighs) return false;
  const std::uint64_t below = (x - kOnes * 0x20) & ~x & kHighs;  // a byte < 0x20
  return (below | zero_byte(x ^ (kOnes * 0x7f)) | zero_byte(x ^ (kOnes * '"')) | zero_byte(x ^ (kOnes * '\\')) |
          zero_byte(x ^ (kOnes * '<')) | zero_byte(x ^ (kOnes * '>')) | zero_byte(x ^ (kOnes * '&'))) == 0;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  // Bytes that need no escape are copied in runs (tested eight at a time while they are plain
  // ASCII, and two-byte UTF-8 letters inline); only quotes, backslashes, controls, the
  // HTML-sensitive < > &, U+2028/U+2029 and invalid UTF-8 are handled one by one.
  const char* const d = s.data();
  const std::size_t n = s.size();
  std::size_t run = 0, i = 0;
  const auto flush = [&](std::size_t upto) {
    if (upto > run) out.append(d + run, upto - run);
  };
  while (i < n) {
    if (n - i >= 8 && plain8(d + i)) {
      i += 8;
      continue;
    }
    const auto b = static_cast<unsigned char>(d[i]);
    if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&') {
      ++i;
      continue;
    }
    if (b >= 0xC2 && b <= 0xDF && i + 1 < n && (static_cast<unsigned char>(d[i + 1]) & 0xC0) == 0x80) {
      i += 2;  // a two-byte sequence: always valid, never U+2028/U+2029
      continue;
    }
    if (b >= 0x80) {
      char32_t cp = 0;
      const std::size_t len = decode_utf8(s, i, cp);
      if (len != 0 && cp != 0x2028 && cp != 0x2029) {
        i += len;
        continue;
      }
      flush(i);
      if (len == 0) {
        out += "\\ufffd";
        i += 1;
      } else {
        out += cp == 0x2028 ? "\\u2028" : "\\u2029";
        i += len;
      }
      run = i;
      continue;
    }
    flush(i);
    switch (b) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(b));
    }
    run = ++i;
  }
  flush(i);
  out += '"';
}

void append_json(std::string& out, const Card& c) {
  out += '{';
  append_key(out, "id"); append_json_string(out, c.id); out += ',';
  append_key(out, "locale"); append_json_string(out, c.locale); out += ',';
  append_key(out, "title"); append_json_string(out, c.title); out += ',';
  append_key(out, "body"); append_json_string(out, c.body); out += ',';
  append_key(out, "url"); append_json_string(out, c.url); out += ',';
  append_key(out, "cta"); append_json_string(out, c.cta); out += ',';
  append_key(out, "dir"); out += c.rtl ? "\"rtl\"" : "\"ltr\"";
  out += '}';
}

void append_json(std::string& out, const Decision& d, const PackInfo& pack, const std::string* id) {
  out += '{';
  if (id) {
    append_key(out, "id");
    append_json_string(out, *id);
    out += ',';
  }
  append_key(out, "action"); append_json_string(out, to_string(d.action)); out += ',';
  append_key(out, "category");
  if (d.category.empty()) out += "null";
  else append_json_string(out, d.category);
  out += ',';
  append_key(out, "score");
  fmt::format_to(std::back_inserter(out), "{}", d.score);
  out += ',';
  append_key(out, "matches");
  out += '[';
  for (std::size_t i = 0; i < d.matches.size(); ++i) {
    const Match& m = d.matches[i];
    if (i) out += ',';
    out += '{';
    append_key(out, "rule"); append_json_string(out, m.rule); out += ',';
    append_key(out, "category"); append_json_string(out, m.category); out += ',';
    fmt::format_to(std::back_inserter(out), "\"start\":{},\"end\":{}", m.begin, m.end);
    out += '}';
  }
  out += "],";
  append_key(out, "cards");
  out += '[';
  for (std::size_t i = 0; i < d.cards.size(); ++i) {
    if (i) out += ',';
    append_json(out, d.cards[i]);
  }
  out += "],";
  append_key(out, "holdout"); out += d.holdout ? "true" : "false"; out += ',';
  append_key(out, "locale");
  if (d.locale.empty()) out += "null";
  else append_json_string(out, d.locale);
  out += ',';
  append_key(out, "pack");
  out += '{';
  append_key(out, "name"); append_json_string(out, pack.name); out += ',';
  append_key(out, "version"); append_json_string(out, pack.version); out += ',';
  append_key(out, "hash"); append_json_string(out, pack.hash);
  out += "}}";
}

std::string to_json(const Decision& d, const PackInfo& pack, const std::string* id) {
  std::string s;
  append_json(s, d, pack, id);
  return s;
}

}  // namespace signpost
