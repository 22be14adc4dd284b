// html.hpp: escaping and the small text helpers the pages are built from.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace signpost::server {

// Appends text escaped for HTML element content and double- or single-quoted attribute values:
// & < > " ' become entities, invalid UTF-8 and C0/C1 controls other than tab and newline become
// U+FFFD. Safe for any input bytes.
void append_html(std::string& out, std::string_view text);
std::string html_escape(std::string_view text);

// Percent-encodes everything but unreserved characters (RFC 3986), for a query component.
std::string percent_encode(std::string_view text);

// Decodes %XX escapes (and '+' as a space when plus_as_space). nullopt when a '%' is not followed
// by two hex digits. The result may be any bytes, invalid UTF-8 included.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space);

// A BCP 47-shaped tag as signpost::check_locale accepts it, with '-' only (an HTML lang value) and
// not empty: 2 to 8 letters, then up to 4 subtags of 1 to 8 letters or digits, at most 35
// characters ("en", "fr-BE", "zh-Hant-TW"). For the pages' hl parameter.
bool is_locale_tag(std::string_view tag) noexcept;

// The language subtag, lowercased ("fr" for "fr-BE").
std::string language_of(std::string_view tag);

// Whether a locale is written right to left: ar, fa, prs, ckb, ps, ur, he, yi, ug, sd, dv.
bool is_rtl_locale(std::string_view tag);

// Replaces invalid UTF-8 with U+FFFD (for text echoed in JSON or HTML).
std::string valid_utf8(std::string_view text);

}  // namespace signpost::server
