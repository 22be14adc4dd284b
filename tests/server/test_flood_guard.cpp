// The flood guard in the server: a flood of one risky phrase caps its decisions, /metrics and the
// log say so with ids only, the admin call and a reload release it.
#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "fixture.hpp"
#include "guard.hpp"
#include "options.hpp"

using namespace signpost;
using namespace signpost::server;
using namespace signpost::server::test;

namespace {

// No warm-up and 20 hits: a flood of a hundred requests trips whatever the wall clock does.
FloodGuardOptions quick_guard() {
  FloodGuardOptions o;
  o.warmup_windows = 0;
  o.min_hits = 20;
  return o;
}

constexpr std::string_view risky = R"({"text": "boat to uk price", "locale": "en"})";

struct GuardFixture {
  std::shared_ptr<std::vector<std::string>> lines = std::make_shared<std::vector<std::string>>();
  App app;

  explicit GuardFixture(std::optional<FloodGuardOptions> guard = quick_guard())
      : app(AppConfig{.load = [] { return Engine::load(default_pack()); },
                      .admin_token = std::string(admin_token),
                      .flood_guard = std::move(guard)},
            shared_engine(), Corpus::builtin(),
            Logger(LogFormat::json, [l = lines](std::string_view line) { l->emplace_back(line); })) {}

  Response post(std::string target, std::string body, Listener listener = Listener::main,
                std::string authorization = "Bearer " + std::string(admin_token)) {
    Request req;
    req.method = "POST";
    req.target = std::move(target);
    req.headers.push_back({"Host", "localhost"});
    if (listener == Listener::main) req.headers.push_back({"Content-Type", "application/json"});
    req.headers.push_back({"Content-Length", std::to_string(body.size())});
    if (listener == Listener::admin && !authorization.empty()) req.headers.push_back({"Authorization", authorization});
    req.body = std::move(body);
    req.listener = listener;
    return handle(req, app);
  }

  Response evaluate(std::string_view body = risky) { return post("/v1/evaluate", std::string(body)); }
  Response release(std::string query = "", std::string authorization = "Bearer " + std::string(admin_token)) {
    return post("/admin/flood-guard/release" + query, "", Listener::admin, std::move(authorization));
  }
  std::string flood() {
    std::string last;
    for (int i = 0; i < 100; ++i) last = evaluate().action;
    return last;
  }
};

}  // namespace

TEST_CASE("a flood of one risky phrase is capped at annotate, and /metrics names the rules") {
  GuardFixture f;
  CHECK(f.evaluate().action == "redirect");
  CHECK(f.flood() == "annotate");
  const Response res = f.evaluate();
  CHECK(res.status == 200);
  CHECK(contains(res.body, "\"action\":\"annotate\""));
  CHECK(contains(res.body, "\"cards\":[{"));  // annotate keeps the help cards
  const std::string metrics = f.app.metrics_text();
  CHECK(contains(metrics, "signpost_server_flood_guard_enabled 1"));
  CHECK(contains(metrics, "signpost_server_flood_guard_quarantined{rule=\"boat-to-uk\",category=\"crossing_offers\"} 1"));
  CHECK_FALSE(contains(metrics, "signpost_server_flood_guard_quarantines_total 0"));
  CHECK_FALSE(contains(metrics, "signpost_server_flood_guard_capped_total 0"));
  // Ordinary and other risky searches are untouched.
  CHECK(f.evaluate(R"({"text": "fake passport for sale", "locale": "en"})").action != "annotate");
}

TEST_CASE("the quarantine is logged with ids and numbers, never the text") {
  GuardFixture f;
  (void)f.flood();
  int events = 0;
  for (const std::string& line : *f.lines) {
    CHECK_FALSE(contains(line, "boat to uk price"));
    if (!contains(line, "\"event\":\"flood_guard\"")) continue;
    ++events;
    CHECK(contains(line, "\"action\":\"quarantine\""));
    CHECK(contains(line, "\"rule\":\""));
    CHECK(contains(line, "\"category\":\"crossing_offers\""));
    CHECK(contains(line, "\"rate\":\""));
  }
  CHECK(events >= 1);
}

TEST_CASE("the redirect route and the demo search page are capped too") {
  GuardFixture f;
  (void)f.flood();
  const Response rr = f.post("/v1/redirect", R"({"query": {"text": "boat to uk price", "locale": "en"}, "results": []})");
  CHECK(rr.status == 200);
  CHECK(rr.action == "annotate");
  Request req;
  req.method = "GET";
  req.target = "/search?q=boat+to+uk+price&hl=en";
  req.headers.push_back({"Host", "localhost"});
  CHECK(handle(req, f.app).action == "annotate");
}

TEST_CASE("POST /admin/flood-guard/release: token, one rule, all rules") {
  GuardFixture f;
  (void)f.flood();
  CHECK(f.release("", "").status == 401);
  CHECK(f.release("", "Bearer wrong-token-0123456789abcdef").status == 403);
  CHECK(f.release("?rule=no-such-rule").status == 404);
  CHECK(f.release("?rule=Not%20An%20Id").status == 404);
  CHECK(f.release("?rule=%zz").status == 400);
  const Response one = f.release("?rule=boat-to-uk");
  CHECK(one.status == 200);
  CHECK(one.body == "{\"released\":[\"boat-to-uk\"]}\n");
  CHECK_FALSE(contains(f.app.metrics_text(), "quarantined{rule=\"boat-to-uk\""));
  const Response all = f.release();
  CHECK(all.status == 200);
  CHECK(contains(all.body, "\"released\":["));
  CHECK(f.evaluate().action == "redirect");
  CHECK(f.flood() == "redirect");  // released: the same surge does not trip it again
  CHECK(contains(f.app.metrics_text(), "signpost_server_flood_guard_releases_total"));
  Request get;
  get.method = "GET";
  get.target = "/admin/flood-guard/release";
  get.listener = Listener::admin;
  CHECK(handle(get, f.app).status == 405);
}

TEST_CASE("a reload starts a new guard: every quarantine is released") {
  GuardFixture f;
  CHECK(f.flood() == "annotate");
  CHECK(f.post("/admin/reload", "", Listener::admin).status == 204);
  CHECK(f.evaluate().action == "redirect");
  CHECK_FALSE(contains(f.app.metrics_text(), "signpost_server_flood_guard_quarantined{"));
}

TEST_CASE("with the guard off nothing is capped and the release call says so") {
  GuardFixture f(std::nullopt);
  CHECK(f.flood() == "redirect");
  CHECK(contains(f.app.metrics_text(), "signpost_server_flood_guard_enabled 0"));
  CHECK(f.release().status == 404);
}

TEST_CASE("the flood-guard flags") {
  const auto parse = [](std::vector<std::string_view> args) { return parse_command_line(args); };
  const auto defaults = parse({});
  CHECK(defaults.options.flood_guard);
  CHECK(defaults.options.flood_guard_tuning.window == std::chrono::seconds(60));
  const auto tuned = parse({"--flood-guard=on", "--flood-guard-window", "5", "--flood-guard-baseline", "12",
                            "--flood-guard-warmup", "0", "--flood-guard-factor", "20", "--flood-guard-min-hits", "7",
                            "--flood-guard-floor", "0.01", "--flood-guard-action", "none"});
  REQUIRE(tuned.kind == ParsedCommandLine::Kind::run);
  const FloodGuardOptions& t = tuned.options.flood_guard_tuning;
  CHECK(t.window == std::chrono::seconds(5));
  CHECK(t.baseline_windows == 12);
  CHECK(t.warmup_windows == 0);
  CHECK(t.jump_factor == 20);
  CHECK(t.min_hits == 7);
  CHECK(t.min_baseline_rate == 0.01);
  CHECK(t.safe_action == Action::none);
  CHECK_FALSE(parse({"--flood-guard", "off"}).options.flood_guard);
  const std::pair<std::vector<std::string_view>, std::string_view> bad[] = {
      {{"--flood-guard", "maybe"}, "--flood-guard expects on or off"},
      {{"--flood-guard-window", "0"}, "--flood-guard-window expects seconds from 1 to 86400"},
      {{"--flood-guard-factor", "0.5"}, "--flood-guard-factor expects a number of at least 1"},
      {{"--flood-guard-factor", "nan"}, "--flood-guard-factor expects a number of at least 1"},
      {{"--flood-guard-floor", "2"}, "--flood-guard-floor expects a share from 0 to 1 (0.001 = one in a thousand)"},
      {{"--flood-guard-action", "redirect"}, "--flood-guard-action expects none or annotate"},
      {{"--flood-guard-baseline", "3", "--flood-guard-warmup", "4"},
       "--flood-guard-warmup cannot be more windows than --flood-guard-baseline"},
  };
  for (const auto& [args, message] : bad) {
    const auto r = parse(args);
    CHECK(r.kind == ParsedCommandLine::Kind::error);
    CHECK(r.error == message);
  }
  CHECK(contains(usage(), "--flood-guard on|off"));
}

TEST_SUITE("threads") {

TEST_CASE("threads flood the handler while the admin releases and /metrics is read") {
  GuardFixture f;
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int k = 0; k < 4; ++k)
    threads.emplace_back([&] {
      for (int i = 0; i < 150; ++i) {
        const std::string action = f.evaluate().action;
        if (action != "redirect" && action != "annotate") bad.fetch_add(1);
      }
    });
  std::thread admin([&] {
    while (!done.load()) {
      if (f.release().status != 200) bad.fetch_add(1);
      (void)f.app.metrics_text();
    }
  });
  for (auto& t : threads) t.join();
  done.store(true);
  admin.join();
  CHECK(bad.load() == 0);
  CHECK(f.app.flood_guard_counters().quarantines.load() >= 1);
}

}  // TEST_SUITE
