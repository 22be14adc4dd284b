// signpost/json.hpp: the decision JSON shared by the CLI, the server and Python's to_dict().
#pragma once

#include <string>
#include <string_view>

#include "signpost/export.hpp"
#include "signpost/types.hpp"

namespace signpost {

// Appends one decision as a single-line JSON object, in the shape of docs/json.md:
// {"id"?, "action", "category", "score", "matches", "cards", "holdout", "locale", "pack"}.
// `id` is written only when non-null. Strings are escaped (control characters, quotes,
// U+2028/U+2029 and '<' '>' '&' as \u escapes, so the output is safe inside HTML).
SIGNPOST_API void append_json(std::string& out, const Decision& d, const PackInfo& pack, const std::string* id = nullptr);
SIGNPOST_API std::string to_json(const Decision& d, const PackInfo& pack, const std::string* id = nullptr);

// Appends `s` as a JSON string literal, quotes included. Invalid UTF-8 becomes U+FFFD.
SIGNPOST_API void append_json_string(std::string& out, std::string_view s);

// One card as a JSON object: {"id","locale","title","body","url","cta","dir"}.
SIGNPOST_API void append_json(std::string& out, const Card& c);

}  // namespace signpost
