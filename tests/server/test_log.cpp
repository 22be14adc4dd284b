// Request logs: one line, ids and numbers only.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fixture.hpp"
#include "log.hpp"

using namespace signpost::server;
using namespace signpost::server::test;

TEST_CASE("a JSON request line has time, method, route, status, latency, action and category") {
  Logger log(LogFormat::json);
  Response res;
  res.status = 200;
  res.route = Route::evaluate;
  res.action = "redirect";
  res.category = "crossing_offers";
  const auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(1700000000123));
  CHECK(log.format_request("POST", res, std::chrono::microseconds(87), t) ==
        R"({"time":"2023-11-14T22:13:20.123Z","method":"POST","route":"/v1/evaluate","status":200,"latency_us":87,"action":"redirect","category":"crossing_offers"})"
        "\n");
}

TEST_CASE("a text request line") {
  Logger log(LogFormat::text);
  Response res;
  res.status = 404;
  res.route = Route::other;
  const auto t = std::chrono::system_clock::time_point(std::chrono::milliseconds(0));
  CHECK(log.format_request("BREW", res, std::chrono::microseconds(3), t) ==
        "1970-01-01T00:00:00.000Z method=OTHER route=other status=404 latency_us=3\n");
}

TEST_CASE("handled requests never log the query, the path or the body") {
  Fixture f;
  for (const char* target : {"/search?q=secretword+boat+to+uk", "/go/secretcard", "/secretpath"}) {
    Request req{.method = "GET", .target = target, .headers = {{"Host", "x"}}};
    f.app.record_request(req.method, handle(req, f.app), std::chrono::microseconds(1));
  }
  REQUIRE(f.lines->size() == 3);
  for (const std::string& line : *f.lines) {
    CAPTURE(line);
    CHECK(line.find("secret") == std::string::npos);
    CHECK(line.find("\"route\":") != std::string::npos);
  }
  CHECK((*f.lines)[0].find("\"route\":\"/search\"") != std::string::npos);
  CHECK((*f.lines)[0].find("\"action\":\"redirect\"") != std::string::npos);
}

TEST_SUITE("threads") {

// Regression: the flood guard logs from request threads while the admin thread logs releases. A
// sink was called from several threads at once, and a test sink appending to a vector corrupted
// the heap. The Logger now calls its sink (shared by its copies) one call at a time.
TEST_CASE("a log sink is never entered by two threads at once, copies of the logger included") {
  std::atomic<int> inside{0};
  std::atomic<int> overlaps{0};
  std::vector<std::string> lines;  // deliberately unsynchronized: the Logger must serialize
  const Logger log(LogFormat::json, [&](std::string_view line) {
    if (inside.fetch_add(1) != 0) overlaps.fetch_add(1);
    lines.emplace_back(line);
    std::this_thread::yield();
    inside.fetch_sub(1);
  });
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([log, k] {  // each thread writes through its own copy
      for (int i = 0; i < 500; ++i) log.event("flood_guard", {{"action", k % 2 ? "quarantine" : "release"}});
    });
  for (std::thread& t : threads) t.join();
  CHECK(overlaps.load() == 0);
  CHECK(lines.size() == 2000);
}

}  // TEST_SUITE
