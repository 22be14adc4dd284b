// app.hpp: what every request handler shares: the pack being served (swapped atomically on
// reload), the demo corpus, metrics, the log and the admin token.
#pragma once

#include <atomic>
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

#include "corpus.hpp"
#include "http.hpp"
#include "log.hpp"
#include "metrics.hpp"

namespace signpost::server {

// One loaded pack and the counters of the decisions made with it. Immutable once published:
// requests hold a shared_ptr to the state they started with, so a reload never changes the engine
// under a request in flight.
struct PackState {
  explicit PackState(Engine e);
  Engine engine;
  // Counts decisions, impressions and clicks made with this engine. Recording is thread-safe.
  std::unique_ptr<MetricsRecorder> recorder;
  std::int64_t loaded_at = 0;  // unix seconds
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
  std::string admin_token;  // empty: /admin/reload is refused (no token was configured)
};

class App {
 public:
  App(AppConfig config, Engine initial, const Corpus& corpus, Logger logger);
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // The state to use for one request. Lock-free to read for the caller's purposes; keep the
  // pointer for the whole request.
  std::shared_ptr<const PackState> state() const noexcept { return state_.load(std::memory_order_acquire); }

  // Builds a new engine with config.load, off any request path (the caller's thread), and on
  // success publishes it. Reloads are serialized. Never throws.
  ReloadOutcome reload();
  // Publishes an engine built elsewhere.
  void publish(Engine engine);

  // Counts one answered request and writes its log line.
  void record_request(std::string_view method, const Response& res, std::chrono::microseconds latency);

  // /metrics: the server's counters, then the decision counters of every pack served since start
  // (merged), in Prometheus text format.
  std::string metrics_text() const;

  ServerMetrics& server_metrics() noexcept { return server_metrics_; }
  const Logger& logger() const noexcept { return logger_; }
  const Corpus& corpus() const noexcept { return corpus_; }
  const std::string& admin_token() const noexcept { return config_.admin_token; }

 private:
  AppConfig config_;
  const Corpus& corpus_;
  Logger logger_;
  ServerMetrics server_metrics_;
  std::atomic<std::shared_ptr<const PackState>> state_;
  std::mutex reload_mutex_;

  // Packs no longer served. Their counts stay in /metrics: a retired state is folded into
  // `retired_` (and freed) once no request holds it any more.
  mutable std::mutex retired_mutex_;
  mutable std::vector<std::shared_ptr<const PackState>> retired_states_;
  mutable std::optional<MetricsSnapshot> retired_;
};

}  // namespace signpost::server
