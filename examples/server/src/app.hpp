// app.hpp: what every request handler shares: the pack being served (swapped atomically on
// reload), the demo corpus, metrics, the log and the admin token.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <signpost/signpost.hpp>

#include "arms.hpp"
#include "corpus.hpp"
#include "guard.hpp"
#include "http.hpp"
#include "log.hpp"
#include "metrics.hpp"

namespace signpost::server {

class Ledger;

// One loaded pack and the counters of the decisions made with it. Immutable once published:
// requests hold a shared_ptr to the state they started with, so a reload never changes the engine
// under a request in flight. A state is freed as soon as the last request holding it ends; its
// counts then move into the App's ledger, so nothing counted is lost.
struct PackState {
  PackState(Engine e, std::shared_ptr<Ledger> ledger, std::unique_ptr<const Arms> arms = nullptr);
  ~PackState();
  PackState(const PackState&) = delete;
  PackState& operator=(const PackState&) = delete;

  Engine engine;
  // Counts decisions, impressions and clicks made with this engine. Recording is thread-safe.
  std::unique_ptr<MetricsRecorder> recorder;
  std::int64_t loaded_at = 0;  // unix seconds
  // The shadow and canary packs loaded with this one (arms.hpp); null when none is configured.
  std::unique_ptr<const Arms> arms;
  // The flood guard of this pack (guard.hpp); null when it is off. Set before the state is published.
  std::unique_ptr<ServerFloodGuard> flood_guard;

 private:
  std::shared_ptr<Ledger> ledger_;
};

// The counts of every pack state since the server started: the states alive now (serving, or
// retired and still held by a request) and those already freed, folded into one snapshot.
class Ledger {
 public:
  // Every count so far. Counts only go up between calls (a state's counts are folded in the same
  // step that removes it from the live list).
  MetricsSnapshot totals() const;
  // The shadow and canary counters (arms.hpp) of every state so far, the same way.
  SeriesCounts arm_totals() const;

 private:
  friend struct PackState;
  void enroll(const PackState* state);
  void retire(const PackState* state) noexcept;

  mutable std::mutex mutex_;
  std::vector<const PackState*> live_;
  std::optional<MetricsSnapshot> freed_;
  SeriesCounts freed_arms_;
};

// What a reload did. On failure the previous state keeps serving.
struct ReloadOutcome {
  bool ok = false;
  std::string error;              // one line, when !ok
  std::vector<Problem> problems;  // every problem in the pack, when it failed to load
};

struct AppConfig {
  // Builds the engine for a reload (and for nothing else). Default: Engine::load(pack) when a pack
  // folder was given, else Engine::load_default().
  std::function<Engine()> load;
  // When set, reloads use this instead of `load`: every pack of the set (live, shadow, canary) is
  // loaded, and published only when all of them load (arms.hpp, load_pack_set).
  std::function<PackSet()> load_set = {};
  std::string admin_token;  // empty: /admin/reload is refused (no token was configured)
  std::optional<FloodGuardOptions> flood_guard = std::nullopt;  // none: no flood guard
};

class App {
 public:
  App(AppConfig config, Engine initial, const Corpus& corpus, Logger logger);
  App(AppConfig config, PackSet initial, const Corpus& corpus, Logger logger);
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // The state to use for one request; keep the pointer for the whole request. A copy under a
  // mutex held for a reference-count increment: ThreadSanitizer follows it, unlike libstdc++ 12's
  // std::atomic<std::shared_ptr> (whose load also locks; docs/reliability.md has the figures).
  std::shared_ptr<const PackState> state() const noexcept {
    std::lock_guard lock(state_mutex_);
    return state_;
  }

  // Builds a new engine with config.load, off any request path (the caller's thread), and on
  // success publishes it. Reloads are serialized. Never throws.
  ReloadOutcome reload();
  // Publishes an engine built elsewhere. The state it replaces is freed here unless a request
  // still holds it (then when that request ends).
  void publish(Engine engine);
  // Publishes a live engine with its shadow and canary in one swap.
  void publish(PackSet set);

  // Counts one answered request and writes its log line.
  void record_request(std::string_view method, const Response& res, std::chrono::microseconds latency);

  // /metrics: the server's counters, then the decision counters of every pack served since start
  // (merged), in Prometheus text format.
  std::string metrics_text() const;

  // The decision, impression and click counts of every pack served since start, merged: what
  // /metrics shows and what --metrics-out writes.
  MetricsSnapshot totals() const { return ledger_->totals(); }

  ServerMetrics& server_metrics() noexcept { return server_metrics_; }
  const Logger& logger() const noexcept { return logger_; }
  const Corpus& corpus() const noexcept { return corpus_; }
  const std::string& admin_token() const noexcept { return config_.admin_token; }
  FloodGuardCounters& flood_guard_counters() noexcept { return *flood_guard_counters_; }

 private:
  // A new state for `engine`, with its flood guard when the guard is on.
  std::shared_ptr<const PackState> make_state(Engine engine);

  AppConfig config_;
  const Corpus& corpus_;
  Logger logger_;
  ServerMetrics server_metrics_;
  std::shared_ptr<FloodGuardCounters> flood_guard_counters_ = std::make_shared<FloodGuardCounters>();
  std::shared_ptr<Ledger> ledger_ = std::make_shared<Ledger>();
  mutable std::mutex state_mutex_;
  std::shared_ptr<const PackState> state_;
  std::mutex reload_mutex_;

  std::shared_ptr<const PackState> make_state(PackSet set);
};

}  // namespace signpost::server
