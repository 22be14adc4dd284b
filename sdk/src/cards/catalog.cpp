#include "cards/catalog.hpp"

#include <algorithm>

#include "base/locale.hpp"
#include "signpost/json.hpp"

namespace signpost::detail {

std::string canonical_locale(std::string_view tag) { return LocaleTag(tag).str(); }

std::string language_subtag(std::string_view tag) { return std::string(LocaleTag(tag).language()); }

void CardCatalog::build(const PackModel& model) {
  for (const CardText& ct : model.cards) {
    Entry& e = cards_[ct.card.id][canonical_locale(ct.card.locale)];
    e.card = ct.card;
    e.json.clear();
    append_json(e.json, e.card);
  }
  for (const auto& [k, v] : model.fallback) {
    std::vector<std::string> list;
    for (const auto& l : v) list.push_back(canonical_locale(l));
    fallback_[canonical_locale(k)] = std::move(list);
  }
  default_locale_ = canonical_locale(model.default_locale);
  chains_.clear();
  std::vector<std::string> tags{default_locale_};
  for (const auto& [id, by_locale] : cards_)
    for (const auto& [locale, card] : by_locale) tags.push_back(locale);
  for (const auto& [tag, list] : fallback_) tags.push_back(tag);
  for (const auto& tag : tags)
    if (!tag.empty() && !chains_.contains(tag)) chains_.emplace(tag, chain(tag));
}

const std::vector<std::string>& CardCatalog::chain(std::string_view tag, std::vector<std::string>& scratch) const {
  const bool folded = std::none_of(tag.begin(), tag.end(), [](char c) { return fold_tag_char(c) != c; });
  if (folded)
    if (auto it = chains_.find(tag); it != chains_.end()) return it->second;
  scratch = chain(tag);
  return scratch;
}

std::vector<std::string> CardCatalog::chain(std::string_view tag) const {
  std::vector<std::string> out;
  auto add = [&](const std::string& l) {
    if (!l.empty() && std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
  };
  auto add_with_fallbacks = [&](const std::string& l) {
    add(l);
    if (auto it = fallback_.find(l); it != fallback_.end())
      for (const auto& f : it->second) add(f);
  };
  if (!tag.empty()) {
    add_with_fallbacks(canonical_locale(tag));
    add_with_fallbacks(language_subtag(tag));
  }
  add(default_locale_);
  return out;
}

const Card* CardCatalog::pick(std::string_view id, const std::vector<std::string>& chain) const {
  auto it = cards_.find(id);
  if (it == cards_.end()) return nullptr;
  for (const auto& l : chain)
    if (auto c = it->second.find(l); c != it->second.end()) return &c->second.card;
  return nullptr;
}

std::string_view CardCatalog::json(const Card& c) const noexcept {
  auto it = cards_.find(c.id);
  if (it == cards_.end()) return {};
  // Equal ids and locales are not enough: a host may have changed any other field of its copy.
  if (auto l = it->second.find(c.locale); l != it->second.end()) return l->second.card == c ? l->second.json : std::string_view();
  for (const auto& [locale, e] : it->second)  // a locale written otherwise than the catalog's key
    if (e.card == c) return e.json;
  return {};
}

std::vector<std::string> CardCatalog::ids() const {
  std::vector<std::string> v;
  for (const auto& [id, _] : cards_) v.push_back(id);
  return v;
}

}  // namespace signpost::detail
