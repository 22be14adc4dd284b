// Reloads under load: many threads use the pack state (and the request handler) while another
// thread swaps packs. Built and run under ThreadSanitizer by scripts/test.sh (see
// docs/reliability.md); in the ordinary build they check that no count is lost across swaps.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "fixture.hpp"

using namespace signpost;
using namespace signpost::server;
using namespace signpost::server::test;

namespace {

constexpr int kThreads = 8;

// Runs `work(thread_index)` on kThreads threads, paced, until `swapper()` returns, then joins them.
template <class Work, class Swapper>
void under_load(Work work, Swapper swapper) {
  std::atomic<bool> done{false};
  std::atomic<int> started{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      started.fetch_add(1);
      while (!done.load(std::memory_order_acquire)) paced(kThreads, [&] { work(t); });
    });
  while (started.load() < kThreads) std::this_thread::yield();
  swapper();
  done.store(true, std::memory_order_release);
  for (auto& th : threads) th.join();
}

}  // namespace

TEST_SUITE("threads") {

TEST_CASE("8 threads share the engine while another swaps packs; no decision is lost or wrong") {
  Fixture f;
  std::vector<std::uint64_t> made(kThreads, 0), wrong(kThreads, 0);
  under_load(
      [&](int t) {
        const auto state = f.app.state();
        const bool risky = made[t] % 2 == 0;
        const Decision d = state->engine.evaluate(
            {.text = risky ? "boat to uk price" : "ferry timetable dover calais", .locale = "en"});
        if ((d.action == Action::redirect) != risky) ++wrong[t];
        state->recorder->record(d);
        ++made[t];
      },
      [&] {
        for (int i = 0; i < 3; ++i) f.app.publish(Engine::load(default_pack()));
      });
  std::uint64_t total = 0;
  for (int t = 0; t < kThreads; ++t) {
    CHECK(wrong[t] == 0);
    total += made[t];
  }
  CHECK(total > 0);
  CHECK(f.app.totals().evaluations == total);
}

TEST_CASE("8 threads call the request handler while admin reloads swap good and broken packs") {
  Fixture f;
  TempPack pack;
  *f.pack_dir = pack.dir;
  const std::string card = f.app.state()->engine.card_ids().front();
  std::vector<std::uint64_t> answered(kThreads, 0), unexpected(kThreads, 0);
  under_load(
      [&](int t) {
        Response res;
        int want = 200;
        switch (answered[t] % 5) {
          case 0: res = f.post("/v1/evaluate", R"({"text": "boat to uk price", "locale": "en"})"); break;
          case 1: res = f.get("/search?q=small+boat+crossing+price&hl=fr"); break;
          case 2: res = f.get("/go/" + card + "?hl=en"); want = 302; break;
          case 3: res = f.get("/metrics"); break;
          default: res = f.post("/v1/redirect", R"({"query": {"text": "boat to uk"}, "results": [{"id": "1"}]})");
        }
        if (res.status != want) ++unexpected[t];
        ++answered[t];
      },
      [&] {
        const std::string bearer = "Bearer " + std::string(admin_token);
        CHECK(f.reload(bearer).status == 204);
        pack.write("rules/zz-broken.yaml", "rules:\n  - id: Not An Id\n");
        CHECK(f.reload(bearer).status == 500);
        std::filesystem::remove(pack.dir / "rules/zz-broken.yaml");
        CHECK(f.reload(bearer).status == 204);
      });
  for (int t = 0; t < kThreads; ++t) {
    CHECK(unexpected[t] == 0);
    CHECK(answered[t] > 0);
  }
}

}  // TEST_SUITE
