#include "signpost/json.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>

#include <fmt/format.h>

#include "base/utf8.hpp"
#include "cards/catalog.hpp"
#include "decision_json.hpp"

namespace signpost {
namespace {

using detail::decode_utf8;

// A string literal, appended without measuring it.
template <std::size_t N>
inline void lit(std::string& out, const char (&s)[N]) {
  out.append(s, N - 1);
}

// A byte offset, as fmt's "{}" writes it.
void append_number(std::string& out, std::size_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

// A score, as fmt's "{}" writes a double: the shortest digits that read back as the same double,
// in fixed notation from 1e-4 up to 1e16 and with an exponent outside. std::to_chars in fixed
// notation gives the same shortest digits; it is used where the two notations agree (0, and from
// 1e-4 to 1e15: a score is in [0, 1]), and fmt everywhere else (negative zero, exponents, NaN).
void append_number(std::string& out, double v) {
  const double a = std::fabs(v);
  if ((v == 0.0 && !std::signbit(v)) || (a >= 1e-4 && a < 1e15)) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
    if (r.ec == std::errc()) {
      out.append(buf, static_cast<std::size_t>(r.ptr - buf));
      return;
    }
  }
  fmt::format_to(std::back_inserter(out), "{}", v);
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
  const char* const d = s.data();
  const std::size_t n = s.size();
  // Ids, names and locales are short and plain ASCII: quoted in a stack buffer, padded with spaces
  // (which are plain) so that plain8 reads whole words, and appended at once.
  constexpr std::size_t kShort = 48;
  if (n <= kShort) {
    char buf[kShort + 9];  // the quote, the bytes, eight spaces
    buf[0] = '"';
    if (n) std::memcpy(buf + 1, d, n);  // d may be null when n is 0
    std::memset(buf + 1 + n, ' ', 8);
    std::size_t k = 0;
    while (k < n && plain8(buf + 1 + k)) k += 8;
    if (k >= n) {
      buf[1 + n] = '"';
      out.append(buf, n + 2);
      return;
    }
  }
  // Longer titles and bodies: plain runs of eight, and the last bytes read as the string's last
  // eight (n > kShort), so a plain string is one append.
  std::size_t i = 0;
  while (n - i >= 8 && plain8(d + i)) i += 8;
  if (n > kShort && n - i < 8 && plain8(d + n - 8)) {
    out.reserve(out.size() + n + 2);
    out += '"';
    out.append(d, n);
    out += '"';
    return;
  }
  out.reserve(out.size() + n + 2);
  out += '"';
  // Bytes that need no escape are copied in runs (tested eight at a time while they are plain
  // ASCII, and two-byte UTF-8 letters inline); only quotes, backslashes, controls, the
  // HTML-sensitive < > &, U+2028/U+2029 and invalid UTF-8 are handled one by one.
  std::size_t run = 0;  // bytes [run, i) are still to copy; [0, i) is plain
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
  lit(out, "{\"id\":"); append_json_string(out, c.id);
  lit(out, ",\"locale\":"); append_json_string(out, c.locale);
  lit(out, ",\"title\":"); append_json_string(out, c.title);
  lit(out, ",\"body\":"); append_json_string(out, c.body);
  lit(out, ",\"url\":"); append_json_string(out, c.url);
  lit(out, ",\"cta\":"); append_json_string(out, c.cta);
  if (c.rtl) lit(out, ",\"dir\":\"rtl\"}");
  else lit(out, ",\"dir\":\"ltr\"}");
}

void append_json(std::string& out, const Decision& d, const PackInfo& pack, const std::string* id) {
  detail::append_decision_json(out, d, id, pack, nullptr, {});
}

namespace detail {

void append_pack_json(std::string& out, const PackInfo& pack) {
  lit(out, "{\"name\":"); append_json_string(out, pack.name);
  lit(out, ",\"version\":"); append_json_string(out, pack.version);
  lit(out, ",\"hash\":"); append_json_string(out, pack.hash);
  out += '}';
}

void append_decision_json(std::string& out, const Decision& d, const std::string* id, const PackInfo& pack,
                          const CardCatalog* catalog, std::string_view pack_json) {
  // Keys and the punctuation around them are appended as one literal each.
  out += '{';
  if (id) {
    lit(out, "\"id\":");
    append_json_string(out, *id);
    out += ',';
  }
  lit(out, "\"action\":\"");
  out += to_string(d.action);  // a fixed lowercase name: nothing to escape
  lit(out, "\",\"category\":");
  if (d.category.empty()) lit(out, "null");
  else append_json_string(out, d.category);
  lit(out, ",\"score\":");
  append_number(out, d.score);
  lit(out, ",\"matches\":[");
  for (std::size_t i = 0; i < d.matches.size(); ++i) {
    const Match& m = d.matches[i];
    if (i) out += ',';
    lit(out, "{\"rule\":"); append_json_string(out, m.rule);
    lit(out, ",\"category\":"); append_json_string(out, m.category);
    lit(out, ",\"start\":"); append_number(out, m.begin);
    lit(out, ",\"end\":"); append_number(out, m.end);
    out += '}';
  }
  lit(out, "],\"cards\":[");
  for (std::size_t i = 0; i < d.cards.size(); ++i) {
    if (i) out += ',';
    const std::string_view rendered = catalog ? catalog->json(d.cards[i]) : std::string_view();
    if (!rendered.empty()) out += rendered;
    else append_json(out, d.cards[i]);
  }
  if (d.holdout) lit(out, "],\"holdout\":true,\"locale\":");
  else lit(out, "],\"holdout\":false,\"locale\":");
  if (d.locale.empty()) lit(out, "null");
  else append_json_string(out, d.locale);
  lit(out, ",\"pack\":");
  if (!pack_json.empty()) out += pack_json;
  else append_pack_json(out, pack);
  out += '}';
}

}  // namespace detail

std::string to_json(const Decision& d, const PackInfo& pack, const std::string* id) {
  std::string s;
  append_json(s, d, pack, id);
  return s;
}

}  // namespace signpost
