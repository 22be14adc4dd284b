// arms.hpp: the packs a server judges beside its live pack.
//
//   shadow  judged on every request that evaluates, never shown: /metrics counts how its decisions
//           compare with the ones served (agree, stronger, weaker, other category).
//   canary  serves a share R of subjects (bucketed like holdouts, so a subject stays on one side);
//           /metrics counts decisions by arm.
//
// The live PackState owns its Arms, so one pointer swap publishes every pack of a reload at once,
// and a request uses the packs of one set from start to end. Counting is relaxed atomic increments
// into a table laid out when the set is loaded: no lock on the request path. See docs/server.md.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <signpost/signpost.hpp>

#include "log.hpp"

namespace signpost::server {

struct PackState;

// Which pack served a request.
enum class Arm : std::uint8_t { live, canary };
inline constexpr std::size_t arm_count = 2;
std::string_view to_string(Arm arm) noexcept;  // "live", "canary"

// How the shadow pack's decision on a query compares with the decision served for it.
//   agree           same action, and same category when the action is not none
//   stronger        the shadow acts more (none < annotate < interstitial < redirect)
//   weaker          the shadow acts less
//   other_category  same action (not none), another category
enum class ShadowOutcome : std::uint8_t { agree, stronger, weaker, other_category };
inline constexpr std::size_t shadow_outcome_count = 4;
std::string_view to_string(ShadowOutcome outcome) noexcept;
ShadowOutcome compare(const Decision& served, const Decision& shadow) noexcept;

// The salt of canary bucketing: holdout_bucket(canary_salt, subject) < rate puts a subject on the
// canary. Distinct from every holdout salt (the pack's name or EngineOptions::holdout_salt), so the
// canary split and the holdout split are independent; fixed, so a subject keeps its side across
// reloads, restarts and servers.
inline constexpr std::string_view canary_salt = "signpost-server canary v1";

// Prometheus series ("name{labels}") -> count. Labels are ids from the packs and fixed words.
using SeriesCounts = std::map<std::string, std::uint64_t>;
void merge(SeriesCounts& into, const SeriesCounts& from);

// Counters of one pack set, laid out from the categories of its packs:
//   signpost_server_arm_decisions_total{arm, category, action}
//   signpost_server_shadow_decisions_total{arm, outcome, category, shadow_category}
// A decision's category is "none" when its action is none (a holdout included). Thread-safe;
// recording takes no lock and allocates nothing.
class ArmCounters {
 public:
  explicit ArmCounters(std::vector<std::string> categories);
  ArmCounters(const ArmCounters&) = delete;
  ArmCounters& operator=(const ArmCounters&) = delete;

  void decision(Arm arm, const Decision& d) noexcept;
  void shadow(Arm arm, const Decision& served, const Decision& shadow) noexcept;
  // Every non-zero series.
  SeriesCounts series() const;

 private:
  static constexpr std::size_t action_count = 4;
  std::size_t slot(const Decision& d) const noexcept;  // index into categories_; npos when unknown

  std::vector<std::string> categories_;  // [0] is "none"
  std::unique_ptr<std::atomic<std::uint64_t>[]> decisions_;  // arm x category x action
  std::unique_ptr<std::atomic<std::uint64_t>[]> shadow_;     // arm x outcome x category x shadow category
};

// The packs beside a live one, loaded and published together with it.
struct Arms {
  std::shared_ptr<const PackState> canary;  // null: no canary
  double canary_rate = 0.0;
  std::optional<Engine> shadow;
  std::unique_ptr<ArmCounters> counters;  // laid out from the live, canary and shadow packs
};

// Which arm serves a subject: the canary when there is one, the subject is not empty, and its
// canary bucket is below the rate. Subjects without a key are served by the live pack.
// Allocates nothing, never throws.
Arm choose_arm(const PackState& live, std::string_view subject) noexcept;
// The state that serves `arm`: the canary's state, or `live` itself.
const PackState& served_state(const PackState& live, Arm arm) noexcept;

// After a decision was served for `q` by `arm`: counts it by arm and, with a shadow pack, judges
// `q` with the shadow engine and counts how the two compare. Never throws (a shadow that runs out
// of memory is not counted), and never changes what was served.
void observe(const PackState& live, Arm arm, const Query& q, const Decision& served) noexcept;

// The arm and shadow counters in Prometheus text (HELP and TYPE once per family), then the shadow
// and canary packs being served (signpost_server_shadow_pack_info, signpost_server_canary_pack_info,
// signpost_server_canary_rate) when `live` has them.
std::string arms_to_prometheus(const PackState& live, const SeriesCounts& counts);

// Logs a "shadow" and a "canary" event (pack, version, hash; the rate) for the packs beside `live`.
void log_arms(const Logger& logger, const PackState& live);

// ---- loading -------------------------------------------------------------------------------

// Where the packs of a set come from, and the keys every one of them must be signed with.
struct PackPaths {
  std::optional<std::filesystem::path> live;  // none: Engine::load_default()
  std::optional<std::filesystem::path> shadow, canary;
  double canary_rate = 0.0;
  std::vector<std::string> trusted_keys;  // EngineOptions::trusted_keys, for every pack
};

// The engines of a set, loaded but not yet published.
struct PackSet {
  Engine live;
  std::optional<Engine> shadow, canary;
  double canary_rate = 0.0;
};

// A pack of a set that could not be loaded: which one ("live", "shadow" or "canary"; "" when the
// live pack is the only one), every problem when it had problems, and the message ("the shadow
// pack has 2 problems", "the pack could not be loaded (...)").
class PackSetError : public std::runtime_error {
 public:
  PackSetError(std::string role, std::string message, std::vector<Problem> problems);
  std::string role;
  std::vector<Problem> problems;
};

// Loads every pack of `paths` (a folder or an archive each; Engine::load), live first. Throws
// PackSetError for the first pack that cannot be loaded: nothing of the set is kept.
PackSet load_pack_set(const PackPaths& paths);

}  // namespace signpost::server
