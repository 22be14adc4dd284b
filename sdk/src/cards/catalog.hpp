// cards/catalog.hpp: cards by id and locale, and the locale chains used to pick them.
//
// Contract: every card id a category uses exists in every pack language (the loader enforces
// it), so pick() always finds a card once the chain reaches the default locale. Locale tags are
// compared case-insensitively with '_' read as '-'.
//
// Each card's JSON (what signpost::append_json(out, card) appends) is rendered once, in build():
// a card's JSON never changes while its pack is loaded, and escaping title, body, URL and call to
// action on every request was half of the decision JSON's cost. json() finds it by the catalog's
// own index; it is thread-safe and allocates nothing.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pack/model.hpp"

namespace signpost::detail {

// "fr-BE" -> "fr"; "" -> "". Lowercase, '_' treated as '-'.
std::string canonical_locale(std::string_view tag);
std::string language_subtag(std::string_view tag);

class CardCatalog {
 public:
  void build(const PackModel& model);

  // tag, its fallbacks, its language subtag and that one's fallbacks, the default locale;
  // without duplicates. An empty tag gives just the default locale.
  std::vector<std::string> chain(std::string_view tag) const;
  // The same chain without building it when `tag` is already folded and names a locale the pack
  // knows (the usual case: chains for those are built once, at load); else built into `scratch`.
  const std::vector<std::string>& chain(std::string_view tag, std::vector<std::string>& scratch) const;

  // The card `id` in the first locale of `chain` that has it.
  const Card* pick(std::string_view id, const std::vector<std::string>& chain) const;

  std::vector<std::string> ids() const;
  // Calls f(const Card&) for every card of every locale.
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [id, by_locale] : cards_)
      for (const auto& [locale, entry] : by_locale) f(entry.card);
  }
  const std::string& default_locale() const noexcept { return default_locale_; }

  // The JSON rendered at build() for a card equal in every field to one of the catalog's; for any
  // other card (one a host built or changed) an empty view, and the caller escapes it as usual.
  std::string_view json(const Card& c) const noexcept;

 private:
  struct Entry {
    Card card;
    std::string json;  // signpost::append_json(json, card)
  };
  std::map<std::string, std::map<std::string, Entry, std::less<>>, std::less<>> cards_;  // id -> locale -> card
  std::map<std::string, std::vector<std::string>, std::less<>> fallback_;
  std::map<std::string, std::vector<std::string>, std::less<>> chains_;  // folded tag -> chain(tag)
  std::string default_locale_;
};

}  // namespace signpost::detail
