// signpost/validate.hpp: the one validation of request fields, shared by every front end.
//
// The command-line tool (check, explain, scan lines), the Python package (evaluate, redirect,
// evaluate_many, filter_suggestions) and the demo server's JSON API accept and refuse the same
// values because they all ask these functions. The engine itself never refuses a query: these
// checks are for the edges where a person or a client program types the fields.
//
// Each function returns an empty string when the value is accepted, else one sentence saying why
// it is not, naming the field in JSON quotes ("\"locale\" must be ...") and never quoting the
// value (request values are not echoed into logs or error lines). Standard library only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "signpost/export.hpp"

namespace signpost {

// Longest accepted value of each field, in characters (code points, as JSON Schema's maxLength
// counts them in docs/openapi.yaml).
inline constexpr std::size_t max_locale_chars = 35;
inline constexpr std::size_t max_subject_chars = 256;
inline constexpr std::size_t max_id_chars = 256;

// A locale tag as Query::locale takes it: empty (no locale), or BCP 47-shaped: a language subtag
// of 2 to 8 ASCII letters, then up to 4 subtags of 1 to 8 ASCII letters or digits, separated by
// '-' or '_' (read as '-', as the library folds every tag), at most 35 characters ("en", "fr-BE",
// "en_GB", "ckb", "zh-Hant-TW"; not "e", "en-", "fr--BE" or "fr BE").
SIGNPOST_API std::string check_locale(std::string_view tag);
// "query" or "post" (case-sensitive, as parse_mode).
SIGNPOST_API std::string check_mode(std::string_view mode);
// Any bytes, at most max_subject_chars characters.
SIGNPOST_API std::string check_subject(std::string_view subject);
// Any bytes, at most max_id_chars characters.
SIGNPOST_API std::string check_id(std::string_view id);

}  // namespace signpost
