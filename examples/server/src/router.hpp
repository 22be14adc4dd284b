// router.hpp: request handling without sockets.
//
//   Response res = handle(request, app);
//
// handle() routes a complete, parsed request, runs it against the pack state current at the start
// of the call, and returns the whole response (status, headers, body) including the security
// headers. It never throws. The connection layer adds only framing (Content-Length, Connection).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app.hpp"
#include "http.hpp"

namespace signpost::server {

// Answers one request. On the admin listener only /admin/reload, /healthz and /metrics exist;
// /admin/reload reloads the pack synchronously, so the connection layer runs admin requests off
// its I/O threads.
Response handle(const Request& req, App& app);

// A JSON error response {"error": message} with the security headers. `message` must be fixed
// text or pack data: never client text.
Response error_response(int status, std::string_view message, Route route = Route::none);

// The Content-Security-Policy every response carries. Scripts only from files this server serves
// (/static/suggest.js: no inline script, no eval), which may call this server only.
inline constexpr std::string_view content_security_policy =
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

// Adds Content-Security-Policy, X-Content-Type-Options, Referrer-Policy, X-Frame-Options and,
// unless one is set, Cache-Control: no-store.
void add_security_headers(Response& res);

// Splits "a=1&b=x+y" into decoded (name, value) pairs. nullopt on a malformed %-escape.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query_string(std::string_view query);

// Whether a string has the shape of a pack id: [a-z0-9][a-z0-9_.-]{0,63}.
bool is_pack_id(std::string_view id) noexcept;

}  // namespace signpost::server
