// /metrics: route templates and ids only, never what a client sent.
#include <doctest/doctest.h>

#include <chrono>

#include "fixture.hpp"

using namespace signpost;
using namespace signpost::server;
using namespace signpost::server::test;

TEST_CASE("requests are counted by route template and status, with a latency histogram") {
  Fixture f;
  const auto answer = [&](Request req) {
    const Response res = handle(req, f.app);
    f.app.record_request(req.method, res, std::chrono::microseconds(120));
    return res;
  };
  Request search{.method = "GET", .target = "/search?q=secret+words+xyzzy", .headers = {{"Host", "x"}}};
  answer(search);
  Request go{.method = "GET", .target = "/go/no-such-card-qwerty", .headers = {{"Host", "x"}}};
  answer(go);
  Request evaluate{.method = "POST", .target = "/v1/evaluate",
                   .headers = {{"Host", "x"}, {"Content-Type", "application/json"}, {"Content-Length", "40"}},
                   .body = R"({"text": "boat to uk price plugh"})"};
  answer(evaluate);
  const std::string text = handle(Request{.method = "GET", .target = "/metrics", .headers = {{"Host", "x"}}}, f.app).body;
  CHECK(text.find("signpost_server_requests_total{route=\"/search\",status=\"200\"} 1") != std::string::npos);
  CHECK(text.find("signpost_server_requests_total{route=\"/go/{card_id}\",status=\"404\"} 1") != std::string::npos);
  CHECK(text.find("signpost_server_requests_total{route=\"/v1/evaluate\",status=\"200\"} 1") != std::string::npos);
  CHECK(text.find("signpost_server_request_duration_seconds_bucket{route=\"/search\",le=\"0.00025\"} 1") !=
        std::string::npos);
  CHECK(text.find("signpost_server_pack_info{pack=\"people-smuggling\"") != std::string::npos);
  CHECK(text.find("signpost_decisions_total{") != std::string::npos);
  CHECK(text.find("signpost_card_impressions_total{") != std::string::npos);
  // Nothing a client wrote.
  for (const char* secret : {"secret", "xyzzy", "qwerty", "plugh", "no-such-card"}) {
    CAPTURE(secret);
    CHECK(text.find(secret) == std::string::npos);
  }
}

TEST_CASE("unusual statuses are counted under 'other'") {
  ServerMetrics m;
  m.observe(Route::none, 418, std::chrono::microseconds(5));
  CHECK(m.requests(Route::none, 418) == 1);
  CHECK(m.to_prometheus({"p", "1", "sha256:0"}, 0).find("route=\"-\",status=\"other\"} 1") != std::string::npos);
}
