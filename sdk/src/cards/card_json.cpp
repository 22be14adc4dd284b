#include "cards/card_json.hpp"

#include <functional>

#include "cards/catalog.hpp"
#include "signpost/json.hpp"

namespace signpost::detail {
namespace {

std::size_t hash_of(const Card& c) noexcept {
  const std::hash<std::string_view> h;
  return h(c.id) * 31 + h(c.locale);
}

}  // namespace

void CardJson::build(const CardCatalog& catalog) {
  entries_.clear();
  catalog.for_each([&](const Card& c) {
    Entry e{c, {}};
    append_json(e.json, c);
    entries_.push_back(std::move(e));
  });
  std::size_t size = 16;
  while (size < 2 * entries_.size()) size *= 2;  // at most half full: probes stay short
  slots_.assign(size, 0);
  mask_ = size - 1;
  for (std::size_t k = 0; k < entries_.size(); ++k) {
    std::size_t i = hash_of(entries_[k].card) & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = static_cast<std::uint32_t>(k + 1);
  }
}

std::string_view CardJson::find(const Card& c) const noexcept {
  if (slots_.empty()) return {};
  for (std::size_t i = hash_of(c) & mask_;; i = (i + 1) & mask_) {
    const std::uint32_t slot = slots_[i];
    if (slot == 0) return {};
    const Entry& e = entries_[slot - 1];
    // The catalog holds one card per (id, locale). Equal ids and locales are not enough: a host
    // may have changed any other field of its copy, so every field is compared.
    if (e.card.id == c.id && e.card.locale == c.locale) return e.card == c ? std::string_view(e.json) : std::string_view();
  }
}

}  // namespace signpost::detail
