// POST /v1/evaluate and POST /v1/redirect: JSON in, the library's decision JSON out. POST /v1/suggest:
// typeahead suggestions in, the ones safe to show out.
#include <algorithm>
#include <optional>
#include <string>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include <signpost/json.hpp>
#include <signpost/validate.hpp>

#include "handlers.hpp"
#include "html.hpp"
#include "limits.hpp"
#include "router.hpp"

namespace signpost::server {
namespace {

namespace js = boost::json;

// What the decision JSON of /v1/evaluate reserves up front.
constexpr std::size_t decision_json_reserve = 2048;

// Parses a request body. Invalid UTF-8 inside strings is let through: the engine judges any bytes,
// and what is echoed back is escaped by the library's JSON writer.
// The document lives in `storage` (a per-request arena): one allocation or none per request.
std::optional<js::value> parse_body(std::string_view body, js::storage_ptr storage, std::string& error) {
  js::parse_options options;
  options.allow_invalid_utf8 = true;
  options.max_depth = limits::json_depth;
  boost::system::error_code ec;
  js::value v = js::parse(body, ec, std::move(storage), options);
  if (ec) {
    error = fmt::format("the body is not valid JSON ({})", ec.message());
    return std::nullopt;
  }
  return v;
}

// Characters in a string as JSON Schema's maxLength counts them (code points): bytes that do not
// continue a UTF-8 sequence.
std::size_t characters(std::string_view s) noexcept {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Reads an optional string member (null is the same as absent); sets `error` when it is there but
// not a string or longer than max_chars characters, the limit docs/openapi.yaml states.
std::optional<std::string_view> string_member(const js::object& o, std::string_view name, std::size_t max_chars,
                                              std::string& error) {
  const js::value* v = o.if_contains(name);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) {
    error = fmt::format("\"{}\" must be a string", name);
    return std::nullopt;
  }
  const js::string& s = v->as_string();
  if (s.size() > max_chars && characters(s) > max_chars) {
    error = fmt::format("\"{}\" is longer than {} characters", name, max_chars);
    return std::nullopt;
  }
  return std::string_view(s.data(), s.size());
}

// An optional string member that the SDK's request-field validation accepts (signpost/validate.hpp:
// the CLI and the Python package ask the same functions).
std::optional<std::string_view> checked_member(const js::object& o, std::string_view name,
                                               std::string (*check)(std::string_view), std::string& error) {
  auto v = string_member(o, name, limits::body_bytes, error);
  if (v) error = check(*v);
  if (!error.empty()) return std::nullopt;
  return v;
}

// The fields of a query object: text (required), locale, mode, subject.
struct QueryFields {
  std::string_view text, locale, subject;
  Mode mode = Mode::query;
};

std::optional<QueryFields> read_query(const js::object& o, std::string& error) {
  QueryFields q;
  const js::value* text = o.if_contains("text");
  if (!text || !text->is_string()) {
    error = "\"text\" is required and must be a string";
    return std::nullopt;
  }
  q.text = std::string_view(text->as_string().data(), text->as_string().size());
  if (auto locale = checked_member(o, "locale", check_locale, error)) q.locale = *locale;
  if (!error.empty()) return std::nullopt;
  if (auto mode = checked_member(o, "mode", check_mode, error)) q.mode = *parse_mode(*mode);
  if (!error.empty()) return std::nullopt;
  if (auto subject = checked_member(o, "subject", check_subject, error)) q.subject = *subject;
  if (!error.empty()) return std::nullopt;
  return q;
}

Response json_ok(Route route, std::string body) {
  Response res;
  res.route = route;
  res.content_type = "application/json";
  res.body = std::move(body);
  res.body += '\n';
  return res;
}

void count_decision(const PackState& state, const Decision& d) { state.recorder->record(d); }

// The subject of an API request: the query's "subject" when it has one, else the header.
std::optional<std::string_view> api_subject(const Request& req, std::string_view from_body, std::string& error) {
  if (!from_body.empty()) return from_body;
  return subject_header(req, error);
}

}  // namespace

std::optional<std::string_view> subject_header(const Request& req, std::string& error) {
  const std::string* h = req.header(subject_header_name);
  if (!h || h->empty()) return std::string_view{};
  if (req.count(subject_header_name) != 1) {
    error = fmt::format("at most one {} header", subject_header_name);
    return std::nullopt;
  }
  // The same rule as a subject in a JSON body, the CLI and Python (signpost/validate.hpp).
  if (std::string why = check_subject(*h); !why.empty()) {
    error = fmt::format("the {} header: {}", subject_header_name, why);
    return std::nullopt;
  }
  return std::string_view(*h);
}

Response api_evaluate(const Request& req, const PackState& state) {
  std::string error;
  unsigned char arena[4096];
  js::monotonic_resource resource(arena, sizeof arena);
  const auto doc = parse_body(req.body, &resource, error);
  if (!doc) return error_response(400, error, Route::evaluate);
  if (!doc->is_object()) return error_response(400, "the body must be a JSON object", Route::evaluate);
  const js::object& o = doc->as_object();
  const auto q = read_query(o, error);
  if (!q) return error_response(400, error, Route::evaluate);
  std::optional<std::string> id;
  if (auto v = checked_member(o, "id", check_id, error)) id = std::string(*v);
  if (!error.empty()) return error_response(400, error, Route::evaluate);

  const auto subject = api_subject(req, q->subject, error);
  if (!subject) return error_response(400, error, Route::evaluate);

  // The canary serves its share of subjects; the shadow judges the same query unseen (arms.hpp).
  const Arm arm = choose_arm(state, *subject);
  const PackState& served = served_state(state, arm);
  const Query query{.text = q->text, .locale = q->locale, .mode = q->mode, .subject = *subject};
  Decision d = served.engine.evaluate(query);
  if (served.flood_guard) served.flood_guard->guard(d);
  count_decision(served, d);
  // Exactly the library's decision JSON, as the CLI writes it, into a buffer reserved once (a
  // decision with cards is one to two kilobytes; growing from empty would reallocate six times).
  std::string body;
  body.reserve(decision_json_reserve);
  served.engine.append_json(body, d, id ? &*id : nullptr);  // the pack's cards rendered at load
  Response res = json_ok(Route::evaluate, std::move(body));
  res.action = std::string(to_string(d.action));
  res.category = d.category;
  observe(state, arm, query, d);
  return res;
}

Response api_redirect(const Request& req, const PackState& state) {
  std::string error;
  unsigned char arena[4096];
  js::monotonic_resource resource(arena, sizeof arena);
  const auto doc = parse_body(req.body, &resource, error);
  if (!doc) return error_response(400, error, Route::redirect);
  if (!doc->is_object()) return error_response(400, "the body must be a JSON object", Route::redirect);
  const js::object& o = doc->as_object();
  const js::value* query = o.if_contains("query");
  if (!query || !query->is_object()) return error_response(400, "\"query\" is required and must be an object", Route::redirect);
  const auto q = read_query(query->as_object(), error);
  if (!q) return error_response(400, "query: " + error, Route::redirect);

  const js::value* results = o.if_contains("results");
  if (!results || !results->is_array()) return error_response(400, "\"results\" is required and must be an array", Route::redirect);
  const js::array& items = results->as_array();
  if (items.size() > limits::redirect_results)
    return error_response(400, fmt::format("at most {} results per call", limits::redirect_results), Route::redirect);
  std::vector<Result> list;
  list.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_object()) return error_response(400, fmt::format("results[{}] must be an object", i), Route::redirect);
    const js::object& r = items[i].as_object();
    Result result;
    for (auto [name, field] : {std::pair{"id", &result.id}, std::pair{"title", &result.title},
                               std::pair{"snippet", &result.snippet}, std::pair{"url", &result.url}}) {
      auto v = string_member(r, name, limits::body_bytes, error);
      if (!error.empty()) return error_response(400, fmt::format("results[{}]: {}", i, error), Route::redirect);
      if (v) *field = std::string(*v);
    }
    list.push_back(std::move(result));
  }

  const auto subject = api_subject(req, q->subject, error);
  if (!subject) return error_response(400, error, Route::redirect);

  const Arm arm = choose_arm(state, *subject);
  const PackState& served = served_state(state, arm);
  const Query judged{.text = q->text, .locale = q->locale, .mode = q->mode, .subject = *subject};
  RedirectedResults rr = served.engine.redirect(judged, list);
  if (served.flood_guard) served.flood_guard->guard(rr);
  count_decision(served, rr.decision);
  // The shadow judges the query (the decision compared), not each result.
  observe(state, arm, judged, rr.decision);

  // {"decision": <decision JSON>, "results": [...], "removed": n, "flagged": n}
  std::string body = "{\"decision\":";
  served.engine.append_json(body, rr.decision);
  body += ",\"results\":[";
  bool first = true;
  for (const RedirectEntry& e : rr.entries) {
    if (!first) body += ',';
    first = false;
    if (e.kind == RedirectEntry::Kind::card) {
      const bool from_decision = rr.decision.action != Action::none &&
                                 std::any_of(rr.decision.cards.begin(), rr.decision.cards.end(),
                                             [&](const Card& c) { return c.id == e.card.id && c.locale == e.card.locale; });
      if (!from_decision) served.recorder->record_impression(e.card.id, e.card.locale);
      body += "{\"kind\":\"card\",\"category\":";
      append_json_string(body, e.category);
      body += ",\"card\":";
      append_json(body, e.card);
      body += '}';
    } else {
      body += "{\"kind\":\"result\",\"id\":";
      append_json_string(body, e.result.id);
      body += ",\"title\":";
      append_json_string(body, e.result.title);
      body += ",\"snippet\":";
      append_json_string(body, e.result.snippet);
      body += ",\"url\":";
      append_json_string(body, e.result.url);
      body += fmt::format(",\"flagged\":{},\"action\":\"{}\",\"category\":", e.flagged ? "true" : "false",
                          to_string(e.action));
      append_json_string(body, e.category);
      body += fmt::format(",\"score\":{}}}", e.score);
    }
  }
  body += fmt::format("],\"removed\":{},\"flagged\":{}}}", rr.removed, rr.flagged);

  Response res = json_ok(Route::redirect, std::move(body));
  res.action = std::string(to_string(rr.decision.action));
  res.category = rr.decision.category;
  return res;
}

// {"query": {"text", "locale"?, "mode"?}, "suggestions": ["..."]} -> {"suggestions": [kept...], "removed": n}.
// Nothing is recorded: a suggestion list is not a decision shown to anyone.
Response api_suggest(const Request& req, const PackState& state) {
  std::string error;
  unsigned char arena[4096];
  js::monotonic_resource resource(arena, sizeof arena);
  const auto doc = parse_body(req.body, &resource, error);
  if (!doc) return error_response(400, error, Route::suggest);
  if (!doc->is_object()) return error_response(400, "the body must be a JSON object", Route::suggest);
  const js::object& o = doc->as_object();
  const js::value* query = o.if_contains("query");
  if (!query || !query->is_object()) return error_response(400, "\"query\" is required and must be an object", Route::suggest);
  const auto q = read_query(query->as_object(), error);
  if (!q) return error_response(400, "query: " + error, Route::suggest);
  const js::value* suggestions = o.if_contains("suggestions");
  if (!suggestions || !suggestions->is_array())
    return error_response(400, "\"suggestions\" is required and must be an array", Route::suggest);
  const js::array& items = suggestions->as_array();
  if (items.size() > limits::suggestions)
    return error_response(400, fmt::format("at most {} suggestions per call", limits::suggestions), Route::suggest);
  std::vector<std::string> list;
  list.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_string() || items[i].as_string().size() > limits::suggestion_bytes)
      return error_response(400, fmt::format("suggestions[{}] must be a string of at most {} bytes", i, limits::suggestion_bytes),
                            Route::suggest);
    list.emplace_back(items[i].as_string().data(), items[i].as_string().size());
  }
  const std::vector<std::size_t> kept =
      state.engine.filter_suggestions({.text = q->text, .locale = q->locale, .mode = q->mode, .subject = {}}, list);
  std::string body = "{\"suggestions\":[";
  for (std::size_t k = 0; k < kept.size(); ++k) {
    if (k) body += ',';
    append_json_string(body, list[kept[k]]);
  }
  body += fmt::format("],\"removed\":{}}}", list.size() - kept.size());
  return json_ok(Route::suggest, std::move(body));
}

}  // namespace signpost::server
