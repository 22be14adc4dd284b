// POST /admin/reload and App::reload: token checks, state swap, failures keep the old pack.
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>

#include "fixture.hpp"

using namespace signpost;
using namespace signpost::server;
using namespace signpost::server::test;
namespace fs = std::filesystem;

TEST_CASE("reload needs the bearer token: 401 without or malformed, 403 when wrong") {
  Fixture f;
  CHECK(f.reload("").status == 401);
  CHECK(find_header(f.reload(""), "WWW-Authenticate"));
  CHECK(f.reload("Basic dXNlcjpwYXNz").status == 401);
  CHECK(f.reload("Bearer").status == 401);
  CHECK(f.reload("Bearer ").status == 401);
  CHECK(f.reload("Bearer two words").status == 401);
  CHECK(f.reload("Bearer wrong-token-0123456789abcdef").status == 403);
  CHECK(f.reload("Bearer " + std::string(admin_token) + "x").status == 403);
  CHECK(f.reload("Bearer " + std::string(admin_token)).status == 204);
}

TEST_CASE("a successful reload swaps the state; requests holding the old one keep it") {
  Fixture f;
  const std::shared_ptr<const PackState> before = f.app.state();
  const Response res = f.reload("Bearer " + std::string(admin_token));
  CHECK(res.status == 204);
  CHECK(res.body.empty());
  const auto after = f.app.state();
  CHECK(after != before);
  // The old state is still whole for whoever holds it.
  CHECK(before->engine.evaluate({.text = "boat to uk price", .locale = "en"}).action == Action::redirect);
  CHECK(f.app.metrics_text().find("signpost_server_reloads_total{outcome=\"success\"} 1") != std::string::npos);
}

TEST_CASE("a failed reload answers every problem as file:line:col and keeps the previous pack") {
  Fixture f;
  TempPack pack;
  pack.write("rules/zz-broken.yaml", "rules:\n  - id: Not An Id\n    category: nowhere\n");
  *f.pack_dir = pack.dir;
  const auto before = f.app.state();
  const Response res = f.reload("Bearer " + std::string(admin_token));
  CHECK(res.status == 500);
  CHECK(res.content_type == "application/json");
  CHECK(res.body.find("\"error\":") != std::string::npos);
  CHECK(res.body.find("\"problems\":[{") != std::string::npos);
  CHECK(res.body.find("zz-broken.yaml:2:") != std::string::npos);
  CHECK(f.app.state() == before);
  CHECK(f.get("/healthz").status == 200);
  CHECK(f.app.metrics_text().find("signpost_server_reloads_total{outcome=\"failure\"} 1") != std::string::npos);
  // Fixed again: the next reload works.
  fs::remove(pack.dir / "rules/zz-broken.yaml");
  CHECK(f.reload("Bearer " + std::string(admin_token)).status == 204);
}

TEST_CASE("a reload of a missing folder fails cleanly") {
  Fixture f;
  *f.pack_dir = fs::temp_directory_path() / "signpost-no-such-pack-folder";
  const Response res = f.reload("Bearer " + std::string(admin_token));
  CHECK(res.status == 500);
  CHECK(res.body.find("\"error\":") != std::string::npos);
}

TEST_CASE("counts made before a reload stay in /metrics") {
  Fixture f;
  CHECK(f.post("/v1/evaluate", R"({"text": "boat to uk price", "locale": "en"})").status == 200);
  CHECK(f.reload("Bearer " + std::string(admin_token)).status == 204);
  CHECK(f.post("/v1/evaluate", R"({"text": "boat to uk price", "locale": "en"})").status == 200);
  const std::string text = f.app.metrics_text();
  CHECK(text.find("action=\"redirect\",locale=\"en\",holdout=\"false\"} 2") != std::string::npos);
}

TEST_CASE("a retired pack is freed as soon as no request holds it, without a /metrics scrape") {
  Fixture f;
  std::weak_ptr<const PackState> first = f.app.state();
  REQUIRE(f.reload("Bearer " + std::string(admin_token)).status == 204);
  CHECK(first.expired());  // nobody held it: freed by the reload itself

  // A request still holding the old state keeps it alive; it is freed when that request ends, and
  // what the request counted after the swap is still in /metrics.
  auto held = f.app.state();
  std::weak_ptr<const PackState> second = held;
  REQUIRE(f.reload("Bearer " + std::string(admin_token)).status == 204);
  CHECK_FALSE(second.expired());
  held->recorder->record(held->engine.evaluate({.text = "boat to uk price", .locale = "en"}));
  held.reset();
  CHECK(second.expired());
  CHECK(f.app.metrics_text().find("action=\"redirect\",locale=\"en\",holdout=\"false\"} 1") != std::string::npos);
}

TEST_CASE("a hundred reloads leave one pack alive") {
  Fixture f;
  std::vector<std::weak_ptr<const PackState>> seen;
  for (int i = 0; i < 100; ++i) {
    seen.push_back(f.app.state());
    f.app.publish(shared_engine());
  }
  std::size_t alive = 0;
  for (const auto& w : seen) alive += w.expired() ? 0 : 1;
  CHECK(alive == 0);
}
