#include "html.hpp"

#include <array>
#include <cstdint>

#include <signpost/validate.hpp>

namespace signpost::server {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::uint32_t& cp) noexcept {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  if (c < 0x80) { cp = c; return 1; }
  std::size_t n;
  if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1Fu; }
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0Fu; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07u; }
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3Fu);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

}  // namespace

void append_html(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    const std::size_t n = utf8_sequence(text, i, cp);
    if (n == 0) { out += replacement; ++i; continue; }
    if (n == 1) {
      switch (text[i]) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '\t': case '\n': out += text[i]; break;
        default:
          if (cp < 0x20 || cp == 0x7F) out += replacement;
          else out += text[i];
      }
    } else if (cp >= 0x80 && cp <= 0x9F) {
      out += replacement;
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
}

std::string html_escape(std::string_view text) {
  std::string out;
  append_html(out, text);
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space) {
  const auto hexval = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hexval(text[i + 1]), lo = hexval(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

bool is_locale_tag(std::string_view tag) noexcept {
  // The SDK's one locale grammar (signpost/validate.hpp), the one the JSON API applies, less the
  // empty tag (no locale) and the '_' separator, which an HTML lang attribute does not take.
  try {
    return !tag.empty() && tag.find('_') == std::string_view::npos && check_locale(tag).empty();
  } catch (...) {  // std::bad_alloc from the error message
    return false;
  }
}

std::string language_of(std::string_view tag) {
  std::string out(tag.substr(0, tag.find('-')));
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_rtl_locale(std::string_view tag) {
  static constexpr std::array<std::string_view, 11> rtl = {"ar", "fa", "prs", "ckb", "ps", "ur",
                                                           "he", "yi", "ug", "sd", "dv"};
  const std::string lang = language_of(tag);
  for (std::string_view r : rtl)
    if (lang == r) return true;
  return false;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    const std::size_t n = utf8_sequence(text, i, cp);
    if (n == 0) { out += replacement; ++i; continue; }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace signpost::server
