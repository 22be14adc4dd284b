// check_url: the only URLs a pack may show are absolute https URLs to a named host. Hosts put them
// behind buttons, so anything that could confuse a reader or a URL parser is refused rather than
// repaired: credentials ("https://good.org@evil.example"), spaces, controls, backslashes (which
// some parsers read as '/'), invisible and bidirectional formatting characters.
#include <cstddef>
#include <string>
#include <string_view>

#include "base/utf8.hpp"
#include "pack/loader.hpp"

namespace signpost::detail {
namespace {

constexpr std::size_t kMaxUrlBytes = 2048;

bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_hex(char c) noexcept { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Characters that are invisible or reorder text: a URL holding one may not read as it goes.
bool is_format_char(char32_t cp) noexcept {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0xAD || cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF ||
         (cp >= 0xFFF9 && cp <= 0xFFFB);
}

bool is_space_char(char32_t cp) noexcept {
  return cp == ' ' || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

std::string check_host(std::string_view host) {
  if (host.empty()) return "no host";
  if (host.front() == '[') {
    if (host.size() < 4 || host.back() != ']') return "malformed host";
    for (const char c : host.substr(1, host.size() - 2))
      if (!is_hex(c) && c != ':' && c != '.') return "malformed host";
    return {};
  }
  if (host.size() > 253) return "malformed host";
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = host.find('.', start);
    const std::string_view label = host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return "malformed host";
    for (const char c : label)
      if (!is_alpha(c) && !is_digit(c) && c != '-') return "malformed host";
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return {};
}

}  // namespace

std::string check_url(std::string_view url) {
  if (url.empty()) return "empty";
  if (url.size() > kMaxUrlBytes) return "longer than " + std::to_string(kMaxUrlBytes) + " bytes";
  for (std::size_t i = 0; i < url.size();) {
    char32_t cp = 0;
    const std::size_t len = decode_utf8(url, i, cp);
    if (len == 0) return "invalid UTF-8";
    if (cp < 0x20 || cp == 0x7F || is_format_char(cp)) return "control or invisible character";
    if (is_space_char(cp)) return "contains a space";
    if (cp == '\\') return "contains a backslash";
    i += len;
  }
  constexpr std::string_view kScheme = "https://";
  bool https = url.size() >= kScheme.size();
  for (std::size_t i = 0; https && i < kScheme.size(); ++i) {
    const char c = url[i];
    https = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == kScheme[i];
  }
  if (!https) return "not an https:// URL";

  const std::string_view rest = url.substr(kScheme.size());
  const std::size_t authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  if (authority.find('@') != std::string_view::npos) return "credentials are not allowed";
  std::string_view host = authority;
  if (const std::size_t colon = authority.rfind(':');
      colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    host = authority.substr(0, colon);
    if (port.empty() || port.size() > 5) return "bad port";
    unsigned value = 0;
    for (const char c : port) {
      if (!is_digit(c)) return "bad port";
      value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value == 0 || value > 65535) return "bad port";
  }
  if (std::string reason = check_host(host); !reason.empty()) return reason;

  if (authority_end != std::string_view::npos) {
    const std::string_view tail = rest.substr(authority_end);
    for (std::size_t i = 0; i < tail.size(); ++i)
      if (tail[i] == '%' && (i + 2 >= tail.size() || !is_hex(tail[i + 1]) || !is_hex(tail[i + 2])))
        return "bad percent-encoding";
  }
  return {};
}

}  // namespace signpost::detail
