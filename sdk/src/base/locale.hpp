// base/locale.hpp: the one locale-tag type of the library.
//
// Locale tags are BCP 47-shaped ("en", "fr-BE", "ckb", "zh-Hant-TW"). Everywhere a tag is
// compared, keyed or reduced (card chains, metrics, eval tables, rule scopes), it is folded the
// same way: ASCII letters lowercased, '_' read as '-'. Only this header does that folding.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace signpost::detail {

// One byte of a tag as compared: 'A'..'Z' -> 'a'..'z', '_' -> '-', anything else as is.
constexpr char fold_tag_char(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  return c == '_' ? '-' : c;
}

class LocaleTag {
 public:
  LocaleTag() = default;
  explicit LocaleTag(std::string_view tag) : tag_(tag) {
    for (char& c : tag_) c = fold_tag_char(c);
  }

  // The folded tag: "EN_gb" -> "en-gb".
  const std::string& str() const noexcept { return tag_; }
  bool empty() const noexcept { return tag_.empty(); }
  // The language subtag of the folded tag: "fa-ir" -> "fa"; "" for an empty tag.
  std::string_view language() const noexcept { return language_of(tag_); }

  // The language subtag of a tag as given (not folded): everything before the first '-' or '_'.
  // A loop of byte compares: find_first_of("-_") costs two memchr calls per byte of the tag, and
  // every evaluate() reads the query's tag.
  static constexpr std::string_view language_of(std::string_view tag) noexcept {
    std::size_t end = 0;
    while (end < tag.size() && tag[end] != '-' && tag[end] != '_') ++end;
    return tag.substr(0, end);
  }
  // Whether two tags are the same once folded. Allocates nothing.
  static constexpr bool same(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (fold_tag_char(a[i]) != fold_tag_char(b[i])) return false;
    return true;
  }
  // The folded language subtag into a caller's buffer (no allocation); cut at the buffer's size.
  // One loop: the subtag's end and its folding together.
  template <std::size_t N>
  static std::string_view language_into(std::string_view tag, char (&buf)[N]) noexcept {
    std::size_t n = 0;
    for (; n < tag.size() && n < N && tag[n] != '-' && tag[n] != '_'; ++n) buf[n] = fold_tag_char(tag[n]);
    return {buf, n};
  }

  friend bool operator==(const LocaleTag&, const LocaleTag&) = default;
  friend auto operator<=>(const LocaleTag&, const LocaleTag&) = default;

 private:
  std::string tag_;
};

}  // namespace signpost::detail
