// decision_json.hpp: the decision JSON writer behind signpost::append_json and Engine::append_json.
//
// An engine supplies two shortcuts: its card catalog, whose cards' JSON was rendered when the pack
// was loaded (CardCatalog::json: a card equal in every field to a pack card is appended as
// rendered, any other card is escaped), and its pack's identity object, rendered by
// append_pack_json() at load. Without them (catalog null, pack_json empty) everything is escaped;
// the bytes are the same either way.
#pragma once

#include <string>
#include <string_view>

#include "signpost/types.hpp"

namespace signpost::detail {

class CardCatalog;

void append_decision_json(std::string& out, const Decision& d, const std::string* id, const PackInfo& pack,
                          const CardCatalog* catalog, std::string_view pack_json);

// {"name":...,"version":...,"hash":...}
void append_pack_json(std::string& out, const PackInfo& pack);

}  // namespace signpost::detail
