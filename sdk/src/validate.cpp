// validate.cpp: the request-field checks of signpost/validate.hpp.
#include "signpost/validate.hpp"

#include <algorithm>

#include "signpost/types.hpp"

namespace signpost {
namespace {

// Code points in `s` as JSON Schema counts them: bytes that do not continue a UTF-8 sequence
// (invalid bytes count one each).
std::size_t characters(std::string_view s) noexcept {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

std::string too_long(std::string_view field, std::size_t max) {
  return "\"" + std::string(field) + "\" is longer than " + std::to_string(max) + " characters";
}

}  // namespace

std::string check_locale(std::string_view tag) {
  if (tag.empty()) return {};
  if (characters(tag) > max_locale_chars) return too_long("locale", max_locale_chars);
  std::size_t subtag = 0, len = 0;
  bool ok = true;
  for (std::size_t i = 0; i <= tag.size() && ok; ++i) {
    if (i == tag.size() || tag[i] == '-' || tag[i] == '_') {  // '_' as '-', as LocaleTag folds it
      ok = subtag == 0 ? (len >= 2 && len <= 8) : (len >= 1 && len <= 8);
      ok = ok && ++subtag <= 5;
      len = 0;
      continue;
    }
    ok = subtag == 0 ? is_alpha(tag[i]) : (is_alpha(tag[i]) || is_digit(tag[i]));
    ++len;
  }
  if (!ok) return "\"locale\" must be a language tag such as \"en\" or \"fr-BE\"";
  return {};
}

std::string check_mode(std::string_view mode) {
  if (parse_mode(mode)) return {};
  return "\"mode\" must be \"query\" or \"post\"";
}

std::string check_subject(std::string_view subject) {
  if (characters(subject) > max_subject_chars) return too_long("subject", max_subject_chars);
  return {};
}

std::string check_id(std::string_view id) {
  if (characters(id) > max_id_chars) return too_long("id", max_id_chars);
  return {};
}

}  // namespace signpost
