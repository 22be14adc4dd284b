#include "app.hpp"

#include <exception>

#include <fmt/format.h>

namespace signpost::server {
namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

PackState::PackState(Engine e)
    : engine(std::move(e)), recorder(std::make_unique<MetricsRecorder>(engine)), loaded_at(unix_now()) {}

App::App(AppConfig config, Engine initial, const Corpus& corpus, Logger logger)
    : config_(std::move(config)), corpus_(corpus), logger_(std::move(logger)) {
  state_.store(std::make_shared<const PackState>(std::move(initial)), std::memory_order_release);
}

void App::publish(Engine engine) {
  // Build the new state (and its recorder) before taking any lock; the swap itself is one atomic
  // exchange. Requests that loaded the old pointer keep using the old engine until they finish.
  auto fresh = std::make_shared<const PackState>(std::move(engine));
  auto old = state_.exchange(std::move(fresh), std::memory_order_acq_rel);
  std::lock_guard lock(retired_mutex_);
  retired_states_.push_back(std::move(old));
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

  MetricsSnapshot snapshot = current->recorder->snapshot();
  {
    std::lock_guard lock(retired_mutex_);
    // Fold the retired packs that no request holds any more; keep the others for next time.
    for (auto it = retired_states_.begin(); it != retired_states_.end();) {
      MetricsSnapshot old = (*it)->recorder->snapshot();
      if (it->use_count() == 1) {
        if (retired_) retired_->merge(old);
        else retired_ = std::move(old);
        it = retired_states_.erase(it);
      } else {
        snapshot.merge(old);
        ++it;
      }
    }
    if (retired_) snapshot.merge(*retired_);
  }
  out += snapshot.to_prometheus("signpost");
  return out;
}

}  // namespace signpost::server
