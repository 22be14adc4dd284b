// /metrics: route templates and ids only, never what a client sent.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "fixture.hpp"
#include "metrics.hpp"

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

namespace {

struct TempDir {
  std::filesystem::path dir;
  TempDir() {
    dir = std::filesystem::temp_directory_path() / ("signpost-metrics-test-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("the snapshot writer replaces its file atomically with the totals, and writes once more on stop") {
  Fixture f;
  TempDir tmp;
  const auto file = tmp.dir / "server.json";
  SnapshotWriter writer(file, std::chrono::seconds(3600), [&] { return f.app.totals(); },
                        [](const std::string& message) { FAIL(message); });
  REQUIRE(writer.write());
  CHECK(MetricsSnapshot::from_json(slurp(file)).evaluations == 0);
  CHECK(f.post("/v1/evaluate", R"({"text": "boat to uk price", "locale": "en"})").status == 200);
  writer.stop();
  const MetricsSnapshot s = MetricsSnapshot::from_json(slurp(file));
  CHECK(s.evaluations == 1);
  CHECK(s.pack_name == "people-smuggling");
  CHECK(tmp.names() == std::vector<std::string>{"server.json"});
}

TEST_CASE("a write that fails is reported, not thrown") {
  TempDir tmp;
  std::vector<std::string> errors;
  SnapshotWriter writer(tmp.dir / "no-such-folder" / "m.json", std::chrono::seconds(3600),
                        [] { return MetricsSnapshot{}; }, [&](const std::string& m) { errors.push_back(m); });
  CHECK_FALSE(writer.write());
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("no-such-folder") != std::string::npos);
}

TEST_CASE("an earlier run's snapshot is kept under its period; anything else is refused and left alone") {
  TempDir tmp;
  const auto file = tmp.dir / "server.json";
  CHECK_FALSE(keep_previous_snapshot(file));
  MetricsSnapshot earlier;
  earlier.period_start = 100;
  earlier.period_end = 200;
  write_file_atomically(file, earlier.to_json());
  const auto kept = keep_previous_snapshot(file);
  REQUIRE(kept);
  CHECK(kept->filename() == "server.100-200.json");
  write_file_atomically(file, earlier.to_json());
  CHECK(keep_previous_snapshot(file)->filename() == "server.100-200.2.json");
  CHECK(tmp.names() == std::vector<std::string>{"server.100-200.2.json", "server.100-200.json"});

  write_file_atomically(file, "my notes\n");
  CHECK_THROWS_AS(keep_previous_snapshot(file), std::runtime_error);
  CHECK(slurp(file) == "my notes\n");
}
