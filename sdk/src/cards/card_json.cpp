#include "cards/card_json.hpp"

#include <algorithm>
#include <tuple>

#include "cards/catalog.hpp"
#include "signpost/json.hpp"

namespace signpost::detail {
namespace {

auto key_of(const Card& c) noexcept { return std::tie(c.id, c.locale); }

}  // namespace

void CardJson::build(const CardCatalog& catalog) {
  entries_.clear();
  catalog.for_each([&](const Card& c) {
    Entry e{c, {}};
    append_json(e.json, c);
    entries_.push_back(std::move(e));
  });
  std::stable_sort(entries_.begin(), entries_.end(),
                   [](const Entry& a, const Entry& b) { return key_of(a.card) < key_of(b.card); });
}

std::string_view CardJson::find(const Card& c) const noexcept {
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), c,
                                   [](const Entry& e, const Card& k) { return key_of(e.card) < key_of(k); });
  // Equal ids and locales are not enough: a host may have changed any other field of the copy.
  if (it != entries_.end() && it->card == c) return it->json;
  return {};
}

}  // namespace signpost::detail
