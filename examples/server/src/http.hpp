// http.hpp: requests and responses as plain values, independent of any socket library.
//
// The connection layer (server.cpp) turns what Beast parsed into a Request, calls handle()
// (router.hpp), and writes the Response back. Everything between is testable without a network.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signpost::server {

// Which listener a request came in on. Admin routes exist only on the admin listener.
enum class Listener { main, admin };

// Route templates: what logs and metrics call a request, never the path it was sent to.
enum class Route : std::uint8_t {
  none,      // rejected before a target could be read (431, framing errors, timeouts)
  other,     // no such route (404)
  home,      // GET /
  search,    // GET /search
  go,        // GET /go/{card_id}
  static_,   // GET /static/{file}
  healthz,   // GET /healthz
  metrics,   // GET /metrics
  evaluate,  // POST /v1/evaluate
  redirect,  // POST /v1/redirect
  reload,    // POST /admin/reload
  suggest,   // POST /v1/suggest
  flood_guard,  // POST /admin/flood-guard/release
};
inline constexpr std::size_t route_count = 13;
std::string_view route_template(Route r) noexcept;

struct Header {
  std::string name, value;
};

struct Request {
  std::string method{};  // as sent: "GET", "POST", ...
  std::string target{};  // origin-form: "/search?q=..."
  unsigned version = 11;  // 10 or 11
  std::vector<Header> headers{};
  std::string body{};
  Listener listener = Listener::main;

  // The first header of that name (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const noexcept;
  std::size_t count(std::string_view name) const noexcept;
};

struct Response {
  int status = 200;
  std::string content_type;     // empty: no body
  std::vector<Header> headers;  // besides Content-Type, Content-Length and the security headers
  std::string body;
  bool close = false;           // close the connection after this response
  bool head = false;            // answer to HEAD: headers only (Content-Length of the GET body)

  // For the request log and metrics: ids from the route table and the pack, never user text.
  Route route = Route::none;
  std::string action;    // the decision's action ("" when the route makes none)
  std::string category;  // the decision's category
  std::string card;      // /go: the card id, only when the pack has it
};

// "OK", "Not Found", ...
std::string_view reason(int status) noexcept;

// The method as it may appear in logs and metrics: one of the standard methods, else "OTHER"
// (the method token is client text).
std::string_view method_label(std::string_view method) noexcept;

// Case-insensitive ASCII comparison.
bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace signpost::server
