// The demo server's request handler, handle() (examples/server), without sockets: any method,
// target, headers and body, on either listener. Input: byte 0 picks the listener, the method and
// the HTTP version; then the target up to '\n', header lines "Name: value" up to an empty line,
// and the body. Invariants: never throws; a status from 100 to 599 with its reason; the security
// headers on every response; a JSON response is valid JSON; what logs and metrics see (route,
// action, category, card) are ids, never request text; each log line is one line.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>

#include <signpost/signpost.hpp>

#include "app.hpp"
#include "fuzz_support.hpp"
#include "router.hpp"

namespace server = signpost::server;

namespace {

constexpr std::string_view kToken = "fuzz-admin-token-0123456789";
constexpr std::string_view kMethods[] = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "get", "BREW"};

const signpost::Engine& engine() {
  static const signpost::Engine e = signpost::Engine::load(SIGNPOST_DEFAULT_PACK_DIR);
  return e;
}

server::App& app() {
  static server::App a(
      server::AppConfig{.load = [] { return engine(); }, .admin_token = std::string(kToken)}, engine(),
      server::Corpus::builtin(), server::Logger(server::LogFormat::json, [](std::string_view line) {
        SIGNPOST_FUZZ_CHECK(!line.empty() && line.back() == '\n');
        SIGNPOST_FUZZ_CHECK(signpost::fuzz::one_clean_line(line.substr(0, line.size() - 1)));
      }));
  return a;
}

bool id_or_empty(std::string_view s) { return s.empty() || server::is_pack_id(s); }

server::Request request(const std::uint8_t* data, std::size_t size) {
  server::Request req;
  req.listener = (data[0] & 1) ? server::Listener::admin : server::Listener::main;
  req.method = std::string(kMethods[(data[0] >> 1) & 7]);
  req.version = (data[0] & 16) ? 10 : 11;
  std::string_view in = signpost::fuzz::as_text(data + 1, size - 1);
  std::size_t nl = in.find('\n');
  req.target = std::string(in.substr(0, nl));
  in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  bool has_length = false;
  while (!in.empty()) {
    nl = in.find('\n');
    const std::string_view line = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    std::string name(line.substr(0, colon));
    std::string value(colon == std::string_view::npos ? "" : line.substr(colon + 1));
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    if (value == "$TOKEN") value = "Bearer " + std::string(kToken);
    has_length = has_length || server::iequals(name, "Content-Length");
    req.headers.push_back({std::move(name), std::move(value)});
  }
  req.body = std::string(in);
  if (!has_length && req.method == "POST") req.headers.push_back({"Content-Length", std::to_string(req.body.size())});
  return req;
}

void run(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return;
  const server::Request req = request(data, size);
  const auto start = std::chrono::steady_clock::now();
  const server::Response res = server::handle(req, app());
  app().record_request(req.method, res, std::chrono::duration_cast<std::chrono::microseconds>(
                                            std::chrono::steady_clock::now() - start));
  SIGNPOST_FUZZ_CHECK(res.status >= 100 && res.status <= 599);
  SIGNPOST_FUZZ_CHECK(!server::reason(res.status).empty());
  bool csp = false, nosniff = false;
  for (const server::Header& h : res.headers) {
    csp = csp || server::iequals(h.name, "Content-Security-Policy");
    nosniff = nosniff || server::iequals(h.name, "X-Content-Type-Options");
    SIGNPOST_FUZZ_CHECK(h.name.find_first_of("\r\n") == std::string::npos);
    SIGNPOST_FUZZ_CHECK(h.value.find_first_of("\r\n") == std::string::npos);
  }
  SIGNPOST_FUZZ_CHECK(csp && nosniff);
  if (res.content_type.starts_with("application/json")) {
    boost::system::error_code ec;
    boost::json::parse(res.body, ec);
    SIGNPOST_FUZZ_CHECK(!ec);
  }
  SIGNPOST_FUZZ_CHECK(id_or_empty(res.action) && id_or_empty(res.category) && id_or_empty(res.card));
  const std::string_view method = server::method_label(req.method);
  SIGNPOST_FUZZ_CHECK(method == "OTHER" || method.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    run(data, size);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "threw: %s\n", e.what());
    std::abort();
  }
  return 0;
}
