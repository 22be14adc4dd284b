#include "router.hpp"

#include <algorithm>
#include <array>
#include <exception>

#include <fmt/format.h>

#include <signpost/json.hpp>

#include "assets.hpp"
#include "guard.hpp"
#include "handlers.hpp"
#include "html.hpp"
#include "limits.hpp"
#include "options.hpp"

namespace signpost::server {

// ---- http.hpp ------------------------------------------------------------------------------

std::string_view route_template(Route r) noexcept {
  switch (r) {
    case Route::none: return "-";
    case Route::other: return "other";
    case Route::home: return "/";
    case Route::search: return "/search";
    case Route::go: return "/go/{card_id}";
    case Route::static_: return "/static/{file}";
    case Route::healthz: return "/healthz";
    case Route::metrics: return "/metrics";
    case Route::evaluate: return "/v1/evaluate";
    case Route::redirect: return "/v1/redirect";
    case Route::reload: return "/admin/reload";
    case Route::suggest: return "/v1/suggest";
    case Route::flood_guard: return "/admin/flood-guard/release";
  }
  return "-";
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

const std::string* Request::header(std::string_view name) const noexcept {
  for (const Header& h : headers)
    if (iequals(h.name, name)) return &h.value;
  return nullptr;
}

std::size_t Request::count(std::string_view name) const noexcept {
  return static_cast<std::size_t>(
      std::count_if(headers.begin(), headers.end(), [&](const Header& h) { return iequals(h.name, name); }));
}

std::string_view reason(int status) noexcept {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 204: return "No Content";
    case 302: return "Found";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

std::string_view method_label(std::string_view method) noexcept {
  static constexpr std::array<std::string_view, 9> known = {"GET",    "HEAD",    "POST",    "PUT",  "DELETE",
                                                            "PATCH", "OPTIONS", "CONNECT", "TRACE"};
  for (std::string_view m : known)
    if (m == method) return m;
  return "OTHER";
}

// ---- helpers -------------------------------------------------------------------------------

void add_security_headers(Response& res) {
  const auto has = [&](std::string_view name) {
    return std::any_of(res.headers.begin(), res.headers.end(), [&](const Header& h) { return iequals(h.name, name); });
  };
  res.headers.reserve(res.headers.size() + 5);
  res.headers.push_back({"Content-Security-Policy", std::string(content_security_policy)});
  res.headers.push_back({"X-Content-Type-Options", "nosniff"});
  res.headers.push_back({"Referrer-Policy", "no-referrer"});
  res.headers.push_back({"X-Frame-Options", "DENY"});
  if (!has("Cache-Control")) res.headers.push_back({"Cache-Control", "no-store"});
}

Response error_response(int status, std::string_view message, Route route) {
  Response res;
  res.status = status;
  res.route = route;
  res.content_type = "application/json";
  res.body = "{\"error\":";
  append_json_string(res.body, message);
  res.body += "}\n";
  add_security_headers(res);
  return res;
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_query_string(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    auto name = percent_decode(part.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

bool is_pack_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && (c == '_' || c == '.' || c == '-'));
    if (!ok) return false;
  }
  return true;
}

namespace {

Response method_not_allowed(Route route, std::string_view allow) {
  Response res = error_response(405, fmt::format("method not allowed; use {}", allow), route);
  res.headers.push_back({"Allow", std::string(allow)});
  return res;
}

Response ok(Route route, std::string content_type, std::string body) {
  Response res;
  res.route = route;
  res.content_type = std::move(content_type);
  res.body = std::move(body);
  return res;
}

// The media type of a Content-Type value, without parameters, lowercased.
std::string media_type(std::string_view value) {
  value = value.substr(0, value.find(';'));
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  std::string out(value);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Length and type checks shared by the POST routes; nullopt when the request may go on.
std::optional<Response> check_post(const Request& req, Route route, bool needs_json) {
  const std::string* te = req.header("transfer-encoding");
  const bool chunked = te && iequals(*te, "chunked");
  if (!req.header("content-length") && !chunked)
    return error_response(411, "a Content-Length header is required", route);
  if (req.body.size() > limits::body_bytes)
    return error_response(413, fmt::format("the body is larger than {} bytes", limits::body_bytes), route);
  if (needs_json) {
    const std::string* ct = req.header("content-type");
    if (!ct || media_type(*ct) != "application/json")
      return error_response(415, "the body must be application/json", route);
  }
  return std::nullopt;
}

Response page(Route route, std::string html) {
  Response res = ok(route, "text/html; charset=utf-8", std::move(html));
  return res;
}

Response search_page(const Request& req, const std::vector<std::pair<std::string, std::string>>& params, App& app) {
  std::string_view q, hl;
  bool have_q = false, have_hl = false;
  for (const auto& [k, v] : params) {
    if (k == "q" && !have_q) { q = v; have_q = true; }
    if (k == "hl" && !have_hl) { hl = v; have_hl = true; }
  }
  if (!is_locale_tag(hl)) hl = {};
  // A bad subject header is refused whatever the query (the home page included).
  std::string error;
  const auto subject = subject_header(req, error);
  if (!subject) return error_response(400, error, Route::search);
  const auto live = app.state();
  if (q.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return page(Route::search, render_home(hl, live->engine));
  const Arm arm = choose_arm(*live, *subject);
  const PackState* state = &served_state(*live, arm);
  const Engine& engine = state->engine;

  const std::vector<Result> found = app.corpus().search(q);
  const Query query{.text = q, .locale = hl, .mode = Mode::query, .subject = *subject};
  RedirectedResults shown = engine.redirect(query, found);
  if (state->flood_guard) state->flood_guard->guard(shown);
  observe(*live, arm, query, shown.decision);

  // Count the decision, then the impressions of cards shown for risky results (the decision's own
  // cards are counted by record()).
  state->recorder->record(shown.decision);
  for (const RedirectEntry& e : shown.entries) {
    if (e.kind != RedirectEntry::Kind::card) continue;
    const bool from_decision =
        shown.decision.action != Action::none &&
        std::any_of(shown.decision.cards.begin(), shown.decision.cards.end(),
                    [&](const Card& c) { return c.id == e.card.id && c.locale == e.card.locale; });
    if (!from_decision) state->recorder->record_impression(e.card.id, e.card.locale);
  }

  Response res = page(Route::search, render_search(q, hl, shown, found.size(), engine, app.corpus()));
  res.action = std::string(to_string(shown.decision.action));
  res.category = shown.decision.category;
  return res;
}

// Whether a URL starts with "https://" in any case, as the pack loader accepts it (RFC 3986:
// schemes are case-insensitive). The Location is written with the scheme in lower case.
bool has_https_scheme(std::string_view url) noexcept {
  return url.size() > 8 && iequals(url.substr(0, 8), "https://");
}

Response go(std::string_view segment, const std::vector<std::pair<std::string, std::string>>& params, App& app,
            bool count) {
  // Only an id the pack catalogues leads anywhere, and only to the URL the pack gives for it.
  // Nothing from the request is ever part of the Location. A click is a GET: HEAD (link checkers,
  // previews) is answered the same way and never counted.
  const auto id = percent_decode(segment, false);
  if (!id || !is_pack_id(*id)) return error_response(404, "no such card", Route::go);
  std::string_view hl;
  for (const auto& [k, v] : params)
    if (k == "hl") { hl = v; break; }
  if (!is_locale_tag(hl)) hl = {};
  const auto live = app.state();
  const PackState* state = live.get();
  std::optional<Card> card = state->engine.card(*id, hl);
  // A card only the canary pack has was shown by the canary: its click is the canary's.
  if (!card && live->arms && live->arms->canary) {
    state = live->arms->canary.get();
    card = state->engine.card(*id, hl);
  }
  if (!card || !has_https_scheme(card->url)) return error_response(404, "no such card", Route::go);
  if (count) state->recorder->record_click(card->id, card->locale);
  Response res;
  res.status = 302;
  res.route = Route::go;
  res.card = card->id;
  res.headers.push_back({"Location", "https://" + card->url.substr(8)});
  return res;
}

Response healthz(App& app) {
  const auto state = app.state();
  const PackInfo& p = state->engine.pack();
  std::string body = "{\"status\":\"ok\",\"pack\":{\"name\":";
  append_json_string(body, p.name);
  body += ",\"version\":";
  append_json_string(body, p.version);
  body += ",\"hash\":";
  append_json_string(body, p.hash);
  body += "}}\n";
  return ok(Route::healthz, "application/json", std::move(body));
}

// The checks of every admin POST: length, then the bearer token; nullopt when the request may go on.
std::optional<Response> check_admin(const Request& req, Route route, const App& app) {
  if (auto refused = check_post(req, route, false)) return refused;
  Response unauthorized = error_response(401, "a bearer token is required", route);
  unauthorized.headers.push_back({"WWW-Authenticate", "Bearer realm=\"signpost-admin\""});
  if (req.count("authorization") != 1) return unauthorized;
  const std::string& auth = *req.header("authorization");
  constexpr std::string_view scheme = "Bearer ";
  if (auth.size() <= scheme.size() || !iequals(std::string_view(auth).substr(0, scheme.size()), scheme))
    return unauthorized;
  const std::string_view token = std::string_view(auth).substr(scheme.size());
  for (char c : token)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7E) return unauthorized;
  if (app.admin_token().empty() || !constant_time_equal(token, app.admin_token()))
    return error_response(403, "wrong token", route);
  return std::nullopt;
}

Response reload(const Request& req, App& app) {
  if (auto refused = check_admin(req, Route::reload, app)) return *refused;

  const ReloadOutcome outcome = app.reload();
  if (outcome.ok) {
    Response res;
    res.status = 204;
    res.route = Route::reload;
    return res;
  }
  Response res = error_response(500, outcome.error, Route::reload);
  // {"error": "...", "problems": [{"file","line","column","message","text"}]}
  res.body.resize(res.body.size() - 2);  // drop "}\n"
  res.body += ",\"problems\":[";
  for (std::size_t i = 0; i < outcome.problems.size(); ++i) {
    const Problem& p = outcome.problems[i];
    if (i) res.body += ',';
    res.body += "{\"file\":";
    append_json_string(res.body, p.file);
    res.body += fmt::format(",\"line\":{},\"column\":{},\"message\":", p.line, p.column);
    append_json_string(res.body, p.message);
    res.body += ",\"text\":";
    append_json_string(res.body, p.to_string());
    res.body += '}';
  }
  res.body += "]}\n";
  return res;
}

// The path and query of a request target. The origin form ("/path?query") is the usual one; the
// absolute form ("http://host:port/path?query", scheme in any case) must be accepted too (RFC 9112,
// 3.2.2): its authority is not used (no virtual hosts) and an empty path is "/". nullopt for
// anything else: other schemes, no authority, userinfo, a fragment, "*".
struct Target {
  std::string_view path, query;
};
std::optional<Target> split_target(std::string_view target) noexcept {
  if (target.find('#') != std::string_view::npos) return std::nullopt;
  if (!target.starts_with('/')) {
    std::size_t scheme = 0;
    if (target.size() > 7 && iequals(target.substr(0, 7), "http://")) scheme = 7;
    else if (target.size() > 8 && iequals(target.substr(0, 8), "https://")) scheme = 8;
    else return std::nullopt;
    target.remove_prefix(scheme);
    const std::size_t end = target.find_first_of("/?");
    const std::string_view authority = target.substr(0, end);
    if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
    target = end == std::string_view::npos ? std::string_view{} : target.substr(end);
    if (target.empty() || target.front() == '?') {
      return Target{"/", target.empty() ? std::string_view{} : target.substr(1)};
    }
  }
  const std::size_t qmark = target.find('?');
  if (qmark == std::string_view::npos) return Target{target, {}};
  return Target{target.substr(0, qmark), target.substr(qmark + 1)};
}

Response dispatch(const Request& req, App& app) {
  const std::optional<Target> target = split_target(req.target);
  if (!target) return error_response(400, "the request target must be an absolute path or an http(s) URL");
  const std::string_view path = target->path, query = target->query;
  const bool get = req.method == "GET" || req.method == "HEAD";
  const bool post = req.method == "POST";
  const bool admin = req.listener == Listener::admin;

  const auto params = [&]() -> std::optional<std::vector<std::pair<std::string, std::string>>> {
    return parse_query_string(query);
  };

  if (path == "/healthz") return get ? healthz(app) : method_not_allowed(Route::healthz, "GET, HEAD");
  if (path == "/metrics") {
    if (!get) return method_not_allowed(Route::metrics, "GET, HEAD");
    return ok(Route::metrics, "text/plain; version=0.0.4; charset=utf-8", app.metrics_text());
  }
  if (admin) {
    if (path == "/admin/reload") return post ? reload(req, app) : method_not_allowed(Route::reload, "POST");
    if (path == "/admin/flood-guard/release") {
      if (!post) return method_not_allowed(Route::flood_guard, "POST");
      if (auto refused = check_admin(req, Route::flood_guard, app)) return *refused;
      auto p = params();
      if (!p) return error_response(400, "malformed percent-encoding in the query string", Route::flood_guard);
      return flood_guard_release(*p, app);
    }
    return error_response(404, "no such route on the admin listener", Route::other);
  }

  if (path == "/") {
    if (!get) return method_not_allowed(Route::home, "GET, HEAD");
    auto p = params();
    if (!p) return error_response(400, "malformed percent-encoding in the query string", Route::home);
    std::string_view hl;
    for (const auto& [k, v] : *p)
      if (k == "hl") { hl = v; break; }
    if (!is_locale_tag(hl)) hl = {};
    return page(Route::home, render_home(hl, app.state()->engine));
  }
  if (path == "/search") {
    if (!get) return method_not_allowed(Route::search, "GET, HEAD");
    auto p = params();
    if (!p) return error_response(400, "malformed percent-encoding in the query string", Route::search);
    return search_page(req, *p, app);
  }
  if (path.starts_with("/go/")) {
    if (!get) return method_not_allowed(Route::go, "GET, HEAD");
    auto p = params();
    if (!p) return error_response(400, "malformed percent-encoding in the query string", Route::go);
    return go(path.substr(4), *p, app, req.method == "GET");
  }
  if (path.starts_with("/static/")) {
    const assets::StaticFile* file = assets::static_file(path.substr(8));
    if (!file) return error_response(404, "no such file", Route::static_);
    if (!get) return method_not_allowed(Route::static_, "GET, HEAD");
    Response res = ok(Route::static_, std::string(file->content_type), std::string(file->body));
    res.headers.push_back({"Cache-Control", "public, max-age=3600"});
    return res;
  }
  if (path == "/v1/evaluate" || path == "/v1/redirect") {
    const Route route = path == "/v1/evaluate" ? Route::evaluate : Route::redirect;
    if (!post) return method_not_allowed(route, "POST");
    if (auto refused = check_post(req, route, true)) return *refused;
    const auto state = app.state();
    Response res = route == Route::evaluate ? api_evaluate(req, *state) : api_redirect(req, *state);
    return res;
  }
  if (path == "/v1/suggest") {
    if (!post) return method_not_allowed(Route::suggest, "POST");
    if (auto refused = check_post(req, Route::suggest, true)) return *refused;
    return api_suggest(req, *app.state());
  }
  return error_response(404, "no such route", Route::other);
}

}  // namespace

Response handle(const Request& req, App& app) {
  Response res;
  try {
    res = dispatch(req, app);
  } catch (const std::exception&) {
    res = error_response(500, "internal error");
  }
  if (res.headers.empty() || std::none_of(res.headers.begin(), res.headers.end(),
                                          [](const Header& h) { return h.name == "X-Content-Type-Options"; }))
    add_security_headers(res);
  res.head = req.method == "HEAD";
  return res;
}

}  // namespace signpost::server
