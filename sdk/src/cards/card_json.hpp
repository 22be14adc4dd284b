// cards/card_json.hpp: the JSON of every card of a pack, rendered once when the pack is loaded.
//
// A card's JSON never changes while its pack is loaded, yet escaping its title, body, URL and call
// to action was half of the decision JSON's cost per request. The engine renders each card (every
// id in every locale) here at load, and its decision writer appends the rendered bytes instead.
//
// Contract: find(c) returns exactly what signpost::append_json(out, c) appends, for a card equal
// in every field to one of the pack's; for any other card (one a host built or changed) it returns
// an empty view, and the caller escapes that card as usual. Immutable after build(); find() is
// thread-safe, allocates nothing and costs a hash of (id, locale), usually one probe, and one
// comparison of the card's fields.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/types.hpp"

namespace signpost::detail {

class CardCatalog;

class CardJson {
 public:
  void build(const CardCatalog& catalog);

  std::string_view find(const Card& c) const noexcept;
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Entry {
    Card card;         // the pack's card, compared field by field with the one to write
    std::string json;  // append_json(card)
  };
  std::vector<Entry> entries_;
  std::vector<std::uint32_t> slots_;  // open addressing on hash(id, locale): entry index + 1, 0 = free
  std::size_t mask_ = 0;
};

// The decision JSON that signpost::append_json writes, with two shortcuts an engine can supply:
// `cards` (may be null) for the cards of its pack, and `pack_json` (may be empty) for the pack's
// identity object already rendered by append_pack_json(); without them, everything is escaped.
void append_decision_json(std::string& out, const Decision& d, const std::string* id, const PackInfo& pack,
                          const CardJson* cards, std::string_view pack_json);

// {"name":...,"version":...,"hash":...}
void append_pack_json(std::string& out, const PackInfo& pack);

}  // namespace signpost::detail
