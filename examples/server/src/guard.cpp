#include "guard.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include <signpost/json.hpp>

#include "app.hpp"
#include "router.hpp"

namespace signpost::server {

ServerFloodGuard::ServerFloodGuard(const Engine& engine, FloodGuardOptions options, Logger logger,
                                   std::shared_ptr<FloodGuardCounters> counters)
    : counters_(counters), guard_(engine, [&] {
        // Quarantines are rare: one log line each, with the rule's ids and the numbers that tripped it.
        options.on_quarantine = [logger = std::move(logger), counters = std::move(counters)](const Quarantine& q) {
          counters->quarantines.fetch_add(1, std::memory_order_relaxed);
          const std::string rate = fmt::format("{:.4f}", q.rate), baseline = fmt::format("{:.4f}", q.baseline),
                            hits = std::to_string(q.hits);
          logger.event("flood_guard", {{"action", "quarantine"}, {"rule", q.rule}, {"category", q.category},
                                       {"rate", rate}, {"baseline", baseline}, {"hits", hits}});
        };
        return std::move(options);
      }()) {}

void ServerFloodGuard::guard(Decision& d) noexcept {
  if (guard_.guard(d)) counters_->capped.fetch_add(1, std::memory_order_relaxed);
}

void ServerFloodGuard::guard(RedirectedResults& r) noexcept {
  if (guard_.guard(r)) counters_->capped.fetch_add(1, std::memory_order_relaxed);
}

bool is_flood_guard_flag(std::string_view name) noexcept {
  for (std::string_view f : flood_guard_flags)
    if (f == name) return true;
  return false;
}

std::string apply_flood_guard_flag(std::string_view name, std::string_view value, bool& on, FloodGuardOptions& tuning) {
  const auto number = [&](unsigned long long min, unsigned long long max, unsigned long long& v) {
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    return ec == std::errc{} && ptr == value.data() + value.size() && v >= min && v <= max;
  };
  const auto real = [&](double min, double max, double& v) {
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    return ec == std::errc{} && ptr == value.data() + value.size() && std::isfinite(v) && v >= min && v <= max;
  };
  unsigned long long n = 0;
  double x = 0;
  if (name == "--flood-guard") {
    if (value != "on" && value != "off") return "--flood-guard expects on or off";
    on = value == "on";
  } else if (name == "--flood-guard-window") {
    if (!number(1, 86'400, n)) return "--flood-guard-window expects seconds from 1 to 86400";
    tuning.window = std::chrono::seconds(n);
  } else if (name == "--flood-guard-baseline") {
    if (!number(1, 10'000, n)) return "--flood-guard-baseline expects a number of windows from 1 to 10000";
    tuning.baseline_windows = static_cast<unsigned>(n);
  } else if (name == "--flood-guard-warmup") {
    if (!number(0, 10'000, n)) return "--flood-guard-warmup expects a number of windows from 0 to 10000";
    tuning.warmup_windows = static_cast<unsigned>(n);
  } else if (name == "--flood-guard-factor") {
    if (!real(1, 1e6, x)) return "--flood-guard-factor expects a number of at least 1";
    tuning.jump_factor = x;
  } else if (name == "--flood-guard-min-hits") {
    if (!number(1, 1'000'000'000, n)) return "--flood-guard-min-hits expects a number from 1 to 1000000000";
    tuning.min_hits = n;
  } else if (name == "--flood-guard-floor") {
    if (!real(0, 1, x)) return "--flood-guard-floor expects a share from 0 to 1 (0.001 = one in a thousand)";
    tuning.min_baseline_rate = x;
  } else if (name == "--flood-guard-action") {
    if (value == "none") tuning.safe_action = Action::none;
    else if (value == "annotate") tuning.safe_action = Action::annotate;
    else return "--flood-guard-action expects none or annotate";
  }
  return {};
}

std::string check_flood_guard(const FloodGuardOptions& tuning) {
  if (tuning.warmup_windows > tuning.baseline_windows)
    return "--flood-guard-warmup cannot be more windows than --flood-guard-baseline";
  return {};
}

std::string flood_guard_usage() {
  const FloodGuardOptions d;
  return fmt::format(
      "  --flood-guard on|off    quarantine a rule whose share of queries jumps far above its\n"
      "                          baseline: its decisions are capped (default on; docs/operations.md)\n"
      "  --flood-guard-window SECONDS    sliding window (default {})\n"
      "  --flood-guard-baseline WINDOWS  windows of baseline (default {})\n"
      "  --flood-guard-warmup WINDOWS    windows seen before anything trips (default {})\n"
      "  --flood-guard-factor X          jump over the baseline that trips (default {})\n"
      "  --flood-guard-min-hits N        hits in the window before anything trips (default {})\n"
      "  --flood-guard-floor SHARE       least baseline share of queries (default {})\n"
      "  --flood-guard-action none|annotate  what a quarantined rule's decisions become\n"
      "                          (default annotate)\n",
      d.window.count(), d.baseline_windows, d.warmup_windows, d.jump_factor, d.min_hits, d.min_baseline_rate);
}

std::string flood_guard_prometheus(const PackState& current, const FloodGuardCounters& counters, bool enabled) {
  std::string out =
      "# HELP signpost_server_flood_guard_enabled Whether the flood guard watches the pack being served.\n"
      "# TYPE signpost_server_flood_guard_enabled gauge\n";
  out += fmt::format("signpost_server_flood_guard_enabled {}\n", enabled ? 1 : 0);
  out +=
      "# HELP signpost_server_flood_guard_quarantined Rules of the pack being served that the flood guard "
      "quarantined (1 each).\n"
      "# TYPE signpost_server_flood_guard_quarantined gauge\n";
  if (current.flood_guard)
    for (const Quarantine& q : current.flood_guard->library().quarantined())
      out += fmt::format("signpost_server_flood_guard_quarantined{{rule=\"{}\",category=\"{}\"}} 1\n", q.rule, q.category);
  out += fmt::format(
      "# HELP signpost_server_flood_guard_quarantines_total Rules quarantined by the flood guard since start.\n"
      "# TYPE signpost_server_flood_guard_quarantines_total counter\n"
      "signpost_server_flood_guard_quarantines_total {}\n"
      "# HELP signpost_server_flood_guard_releases_total Quarantines lifted by POST /admin/flood-guard/release.\n"
      "# TYPE signpost_server_flood_guard_releases_total counter\n"
      "signpost_server_flood_guard_releases_total {}\n"
      "# HELP signpost_server_flood_guard_capped_total Decisions whose action the flood guard capped.\n"
      "# TYPE signpost_server_flood_guard_capped_total counter\n"
      "signpost_server_flood_guard_capped_total {}\n",
      counters.quarantines.load(std::memory_order_relaxed), counters.releases.load(std::memory_order_relaxed),
      counters.capped.load(std::memory_order_relaxed));
  return out;
}

Response flood_guard_release(const std::vector<std::pair<std::string, std::string>>& params, App& app) {
  const auto state = app.state();
  if (!state->flood_guard) return error_response(404, "the flood guard is off", Route::flood_guard);
  FloodGuard& guard = state->flood_guard->library();
  const std::string* rule = nullptr;
  for (const auto& [k, v] : params)
    if (k == "rule") {
      if (rule) return error_response(400, "at most one rule per call", Route::flood_guard);
      rule = &v;
    }
  std::vector<std::string> released;
  if (rule) {
    // The id is client text: it is only compared, never written back unless the pack has it.
    if (!is_pack_id(*rule) || !guard.release(*rule))
      return error_response(404, "no such rule is quarantined", Route::flood_guard);
    released.push_back(*rule);
  } else {
    released = guard.release_all();
  }
  app.flood_guard_counters().releases.fetch_add(released.size(), std::memory_order_relaxed);
  std::string body = "{\"released\":[";
  for (std::size_t i = 0; i < released.size(); ++i) {
    if (i) body += ',';
    append_json_string(body, released[i]);
    app.logger().event("flood_guard", {{"action", "release"}, {"rule", released[i]}});
  }
  body += "]}\n";
  Response res;
  res.route = Route::flood_guard;
  res.content_type = "application/json";
  res.body = std::move(body);
  return res;
}

}  // namespace signpost::server
