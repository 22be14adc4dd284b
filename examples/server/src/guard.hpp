// guard.hpp: the flood guard in the server (signpost/flood_guard.hpp; docs/operations.md, "Flood
// guard"): its command-line flags, one guard per pack state (a reload starts a new one, so it
// releases every quarantine), the metrics, the log events and POST /admin/flood-guard/release.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <signpost/flood_guard.hpp>
#include <signpost/signpost.hpp>

#include "http.hpp"
#include "log.hpp"

namespace signpost::server {

class App;
struct PackState;

// Counts since the server started, across reloads.
struct FloodGuardCounters {
  std::atomic<std::uint64_t> quarantines{0};  // rules quarantined
  std::atomic<std::uint64_t> releases{0};     // quarantines lifted by the admin call
  std::atomic<std::uint64_t> capped{0};       // decisions whose action was capped
};

// The guard of one pack state: the library's FloodGuard, with its quarantines logged (ids and
// numbers only) and counted.
class ServerFloodGuard {
 public:
  ServerFloodGuard(const Engine& engine, FloodGuardOptions options, Logger logger,
                   std::shared_ptr<FloodGuardCounters> counters);

  // Counts a query's decision and caps it when a quarantined rule fired in it. Never throws.
  void guard(Decision& d) noexcept;
  void guard(RedirectedResults& r) noexcept;

  FloodGuard& library() noexcept { return guard_; }
  const FloodGuard& library() const noexcept { return guard_; }

 private:
  std::shared_ptr<FloodGuardCounters> counters_;
  FloodGuard guard_;
};

// The flags: --flood-guard on|off, --flood-guard-window SECONDS, --flood-guard-baseline WINDOWS,
// --flood-guard-warmup WINDOWS, --flood-guard-factor X, --flood-guard-min-hits N,
// --flood-guard-floor SHARE, --flood-guard-action none|annotate.
inline constexpr std::string_view flood_guard_flags[] = {
    "--flood-guard",        "--flood-guard-window", "--flood-guard-baseline", "--flood-guard-warmup",
    "--flood-guard-factor", "--flood-guard-min-hits", "--flood-guard-floor",  "--flood-guard-action"};
bool is_flood_guard_flag(std::string_view name) noexcept;

// Applies one flood-guard flag: --flood-guard sets `on`, the others tune `tuning`. Returns the
// error message, one line, or "" when the value is good.
std::string apply_flood_guard_flag(std::string_view name, std::string_view value, bool& on, FloodGuardOptions& tuning);
// The options' checks that need every flag (warm-up within the baseline); "" when fine.
std::string check_flood_guard(const FloodGuardOptions& tuning);

// The --help lines.
std::string flood_guard_usage();

// /metrics: the quarantined rules of the pack being served (a gauge, 1 each), and the counters.
std::string flood_guard_prometheus(const PackState& current, const FloodGuardCounters& counters, bool enabled);

// POST /admin/flood-guard/release (all) or ?rule=ID (one); the caller has checked the token.
Response flood_guard_release(const std::vector<std::pair<std::string, std::string>>& params, App& app);

}  // namespace signpost::server
