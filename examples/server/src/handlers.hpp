// handlers.hpp: the route handlers behind handle() (internal to signpost_server_core).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app.hpp"
#include "http.hpp"

namespace signpost::server {

// The header that carries a request's subject key (for canary and holdout bucketing) when the
// request has no JSON "subject": set by the platform in front of the server, never logged.
inline constexpr std::string_view subject_header_name = "X-Signpost-Subject";
// The value of that header ("" when absent); nullopt, with `error` set, when it is repeated or
// longer than a subject may be (check_subject in signpost/validate.hpp).
std::optional<std::string_view> subject_header(const Request& req, std::string& error);

// POST /v1/evaluate and POST /v1/redirect (api.cpp). The request's Content-Type and length have
// been checked; these parse and validate the JSON.
Response api_evaluate(const Request& req, const PackState& state);
Response api_redirect(const Request& req, const PackState& state);
// POST /v1/suggest (api.cpp): typeahead suggestions filtered by Engine::filter_suggestions.
Response api_suggest(const Request& req, const PackState& state);

// The demo pages (pages.cpp). `hl` is a valid locale tag or empty.
std::string render_home(std::string_view hl, const Engine& engine);
std::string render_search(std::string_view q, std::string_view hl, const RedirectedResults& shown,
                          std::size_t found, const Engine& engine, const Corpus& corpus);

}  // namespace signpost::server
