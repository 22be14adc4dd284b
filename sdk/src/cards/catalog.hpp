// cards/catalog.hpp: cards by id and locale, and the locale chains used to pick them.
//
// Contract: every card id a category uses exists in every pack language (the loader enforces
// it), so pick() always finds a card once the chain reaches the default locale. Locale tags are
// compared case-insensitively with '_' read as '-'.
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
      for (const auto& [locale, card] : by_locale) f(card);
  }
  const std::string& default_locale() const noexcept { return default_locale_; }

 private:
  std::map<std::string, std::map<std::string, Card>, std::less<>> cards_;  // id -> locale -> card
  std::map<std::string, std::vector<std::string>, std::less<>> fallback_;
  std::map<std::string, std::vector<std::string>, std::less<>> chains_;  // folded tag -> chain(tag)
  std::string default_locale_;
};

}  // namespace signpost::detail
