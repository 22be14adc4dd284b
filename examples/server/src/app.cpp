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

PackState::PackState(Engine e, std::shared_ptr<Ledger> ledger, std::unique_ptr<const Arms> a)
    : engine(std::move(e)), recorder(std::make_unique<MetricsRecorder>(engine)), loaded_at(unix_now()),
      arms(std::move(a)), ledger_(std::move(ledger)) {
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
    if (state->arms && state->arms->counters) merge(freed_arms_, state->arms->counters->series());
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

SeriesCounts Ledger::arm_totals() const {
  std::lock_guard lock(mutex_);
  SeriesCounts out = freed_arms_;
  for (const PackState* s : live_)
    if (s->arms && s->arms->counters) merge(out, s->arms->counters->series());
  return out;
}

App::App(AppConfig config, Engine initial, const Corpus& corpus, Logger logger)
    : config_(std::move(config)), corpus_(corpus), logger_(std::move(logger)),
      state_(make_state(std::move(initial))) {}

std::shared_ptr<const PackState> App::make_state(Engine engine) {
  return make_state(PackSet{.live = std::move(engine), .shadow = std::nullopt, .canary = std::nullopt});
}

App::App(AppConfig config, PackSet initial, const Corpus& corpus, Logger logger)
    : config_(std::move(config)), corpus_(corpus), logger_(std::move(logger)), state_(make_state(std::move(initial))) {}

std::shared_ptr<const PackState> App::make_state(PackSet set) {
  // Each pack that serves requests (the live one, the canary) has its own flood guard; the shadow
  // is never shown, so nothing is capped for it.
  const auto guarded = [this](std::shared_ptr<PackState> state) {
    if (config_.flood_guard)
      state->flood_guard = std::make_unique<ServerFloodGuard>(state->engine, *config_.flood_guard, logger_,
                                                              flood_guard_counters_);
    return state;
  };
  std::unique_ptr<Arms> arms;
  if (set.shadow || set.canary) {
    arms = std::make_unique<Arms>();
    std::vector<std::string> categories = set.live.categories();
    for (const std::optional<Engine>* other : {&set.canary, &set.shadow})
      if (*other)
        for (std::string& c : (*other)->categories()) categories.push_back(std::move(c));
    arms->counters = std::make_unique<ArmCounters>(std::move(categories));
    if (set.canary) {
      arms->canary = guarded(std::make_shared<PackState>(std::move(*set.canary), ledger_));
      arms->canary_rate = set.canary_rate;
    }
    arms->shadow = std::move(set.shadow);
  }
  return guarded(std::make_shared<PackState>(std::move(set.live), ledger_, std::move(arms)));
}

void App::publish(PackSet set) {
  auto fresh = make_state(std::move(set));
  {
    std::lock_guard lock(state_mutex_);
    state_.swap(fresh);
  }
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
    if (config_.load_set) {
      publish(config_.load_set());
    } else {
      if (!config_.load) throw std::runtime_error("no pack loader configured");
      publish(config_.load());
    }
    outcome.ok = true;
  } catch (const PackSetError& e) {
    // One pack of the set failed: none of the set is published.
    outcome.problems = e.problems;
    outcome.error = e.role.empty() ? fmt::format("{}; the previous pack keeps serving", e.what())
                                   : fmt::format("{}; nothing was reloaded: the previous packs keep serving", e.what());
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
    log_arms(logger_, *s);
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
  if (SeriesCounts arms = ledger_->arm_totals(); current->arms || !arms.empty())
    out += arms_to_prometheus(*current, arms);
  return out;
}

}  // namespace signpost::server
