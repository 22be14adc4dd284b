#include "signpost/json.hpp"

#include <cstdint>
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

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  // Bytes that need no escape are copied in runs; only quotes, backslashes, controls, the
  // HTML-sensitive < > &, U+2028/U+2029 and invalid UTF-8 are handled one by one.
  std::size_t run = 0, i = 0;
  const auto flush = [&](std::size_t upto) {
    if (upto > run) out.append(s.data() + run, upto - run);
  };
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&') {
      ++i;
      continue;
    }
    if (b >= 0x80) {
      char32_t cp = 0;
      const std::size_t n = decode_utf8(s, i, cp);
      if (n != 0 && cp != 0x2028 && cp != 0x2029) {
        i += n;
        continue;
      }
      flush(i);
      if (n == 0) {
        out += "\\ufffd";
        i += 1;
      } else {
        out += cp == 0x2028 ? "\\u2028" : "\\u2029";
        i += n;
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
