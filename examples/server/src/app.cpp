#include "app.hpp"

#include <malloc.h>

#include <exception>

#include <fmt/format.h>

namespace signpost::server {
namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

PackState::PackState(Engine e, std::shared_ptr<Ledger> ledger)
    : engine(std::move(e)), recorder(std::make_unique<MetricsRecorder>(engine)), loaded_at(unix_now()),
      ledger_(std::move(ledger)) {
  ledger_->enroll(this);
}

PackState::~PackState() { ledger_->retire(this); }

void Ledger::enroll(const PackState* state) {
  std::lock_guard lock(mutex_);
  live_.push_back(state);
}

void Ledger::retire(const PackState* state) noexcept {
  std::lock_guard lock(mutex_);
  try {
    MetricsSnapshot counts = state->recorder->snapshot();
    if (freed_) freed_->merge(counts);
    else freed_ = std::move(counts);
  } catch (const std::exception&) {
    // Out of memory while freeing: the counts of this state are lost, the process goes on.
  }
  std::erase(live_, state);
}

MetricsSnapshot Ledger::totals() const {
  std::lock_guard lock(mutex_);
  MetricsSnapshot out = freed_ ? *freed_ : MetricsSnapshot{};
  for (const PackState* s : live_) out.merge(s->recorder->snapshot());
  return out;
}

App::App(AppConfig config, Engine initial, const Corpus& corpus, Logger logger)
    : config_(std::move(config)), corpus_(corpus), logger_(std::move(logger)),
      state_(make_state(std::move(initial))) {}

std::shared_ptr<const PackState> App::make_state(Engine engine) {
  auto state = std::make_shared<PackState>(std::move(engine), ledger_);
  if (config_.flood_guard)
    state->flood_guard = std::make_unique<ServerFloodGuard>(state->engine, *config_.flood_guard, logger_,
                                                            flood_guard_counters_);
  return state;
}

void App::publish(Engine engine) {
  // Build the new state (and its recorder) before taking the lock; the swap itself is a pointer
  // exchange. Requests that copied the old pointer keep using the old engine until they finish;
  // the last one out frees it (here, when none holds it).
  auto fresh = make_state(std::move(engine));
  {
    std::lock_guard lock(state_mutex_);
    state_.swap(fresh);
  }
}

ReloadOutcome App::reload() {
  std::lock_guard serial(reload_mutex_);
  ReloadOutcome outcome;
  try {
    if (!config_.load) throw std::runtime_error("no pack loader configured");
    publish(config_.load());
    outcome.ok = true;
  } catch (const ConfigError& e) {
    outcome.problems = e.problems;
    if (outcome.problems.empty()) outcome.problems.push_back(Problem{e.file, e.line, e.column, e.what()});
    outcome.error = fmt::format("the pack has {} problem{}; the previous pack keeps serving", outcome.problems.size(),
                                outcome.problems.size() == 1 ? "" : "s");
  } catch (const std::exception& e) {
    outcome.error = fmt::format("the pack could not be loaded ({}); the previous pack keeps serving", e.what());
  }
  // A pack build allocates and frees megabytes (and a failed one throws them away): give the free
  // pages back to the system so that resident memory follows what is in use, not the high-water
  // mark of reloads. Off the request path (reloads run on their own thread).
  ::malloc_trim(0);
  server_metrics_.reload(outcome.ok);
  const auto s = state();
  if (outcome.ok) {
    logger_.event("reload", {{"outcome", "success"}, {"pack", s->engine.pack().name},
                             {"version", s->engine.pack().version}, {"hash", s->engine.pack().hash}});
  } else {
    logger_.event("reload", {{"outcome", "failure"}, {"error", outcome.error}});
    for (const Problem& p : outcome.problems) logger_.event("pack_problem", {{"problem", p.to_string()}});
  }
  return outcome;
}

void App::record_request(std::string_view method, const Response& res, std::chrono::microseconds latency) {
  server_metrics_.observe(res.route, res.status, latency);
  logger_.request(method, res, latency);
}

std::string App::metrics_text() const {
  const auto current = state();
  std::string out = server_metrics_.to_prometheus(current->engine.pack(), current->loaded_at);

  out += flood_guard_prometheus(*current, *flood_guard_counters_, config_.flood_guard.has_value());
  out += totals().to_prometheus("signpost");
  return out;
}

}  // namespace signpost::server
