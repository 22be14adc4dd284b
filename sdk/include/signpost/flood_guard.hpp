// signpost/flood_guard.hpp: quarantine a rule whose hit rate suddenly jumps far above its own
// baseline, so that a pack error or a news event cannot send ordinary searches to warnings.
//
//   signpost::FloodGuard guard(engine);                   // one per engine, shared by all threads
//   signpost::Decision d = engine.evaluate(query);
//   guard.guard(d);                                       // counts d's rules, caps d if quarantined
//
// The guard counts, per rule, the query decisions in which the rule fired, in time buckets of
// `window` length, beside the number of decisions seen. A rule's rate is its share of the
// decisions: hits / decisions. Over the last `window` (a sliding window: the current bucket plus
// the previous one weighted by how much of it is still inside) the rule trips when
//     hits >= min_hits  and  rate > jump_factor * max(baseline rate, min_baseline_rate)
// where the baseline rate is the rule's share over the `baseline_windows` buckets before the
// window. Shares, not counts: a busy hour doubles every rule's hits without moving their shares.
// Nothing trips until the guard has seen `warmup_windows` complete buckets besides the window
// (after a start or a reload there is nothing to compare with). A rule that never fired during the baseline (a new
// rule, or one that was silent) is compared with the floor, min_baseline_rate.
//
// A tripped rule is quarantined: every later decision whose winning category is the rule's and in
// which the rule fired gets its action capped at `safe_action` (cards cleared if that is none).
// It stays quarantined until release() or release_all(), or until the guard is dropped (a host
// builds a new guard with each new engine, so a reload releases everything). docs/operations.md,
// "Flood guard", has the defaults and how to tune them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/export.hpp"
#include "signpost/types.hpp"

namespace signpost {

class Engine;

// A rule the guard has quarantined, and why.
struct Quarantine {
  std::string rule, category;                    // ids from the pack
  std::chrono::steady_clock::time_point since;   // when it tripped
  double rate = 0.0;                             // its share of decisions over the window that tripped
  double baseline = 0.0;                         // its share over the baseline (0: never fired then)
  std::uint64_t hits = 0;                        // its hits in that window
};

struct FloodGuardOptions {
  // Length of the sliding window, and of each bucket of the baseline.
  std::chrono::seconds window{60};
  // Buckets forming the baseline: an hour of history at the default window.
  unsigned baseline_windows = 60;
  // Complete buckets seen before anything may trip (at most baseline_windows). 0: no warm-up, a
  // rule may trip from the start, compared with the floor.
  unsigned warmup_windows = 5;
  // How far above max(baseline, floor) the window's rate must be.
  double jump_factor = 10.0;
  // Hits of the rule in the window before it may trip: a handful of searches never trips.
  std::uint64_t min_hits = 50;
  // The floor under a rule's baseline rate (0.001 = one decision in a thousand): with the default
  // factor, a rule with no history trips when it fires on more than 1% of all decisions.
  double min_baseline_rate = 0.001;
  // What a quarantined rule's decisions are capped at. annotate (the default) keeps the help
  // cards beside ordinary results: if the surge is real (people do search for this after a news
  // event), they still see help; if it is a pack error, an annotation next to ordinary results is
  // the mildest visible outcome. none shows results as usual, without cards.
  Action safe_action = Action::annotate;
  // Called once per quarantine, on the thread whose decision tripped it, after the rule is
  // quarantined (ids and numbers only: never the text). Must not throw, must not call back into
  // the guard's release functions.
  std::function<void(const Quarantine&)> on_quarantine;
};

// Watches one engine's rules. Thread-safe: observe(), apply() and guard() may run on any number of
// threads at once, lock-free (relaxed atomic counters in time buckets; a mutex is taken only when
// a rule trips or is released, and by quarantined()). Memory: (baseline_windows + 2) counters per
// rule of the pack. Time is passed in (steady_clock), so tests can replay traffic without waiting.
class SIGNPOST_API FloodGuard {
 public:
  using Clock = std::chrono::steady_clock;

  // Reads the engine's rule ids and categories (the engine itself is not kept). `start` begins
  // the warm-up. Throws std::invalid_argument for a zero window, a factor below 1, a negative
  // floor, or a warm-up longer than the baseline.
  explicit FloodGuard(const Engine& engine, FloodGuardOptions options = {}, Clock::time_point start = Clock::now());
  ~FloodGuard();
  FloodGuard(const FloodGuard&) = delete;
  FloodGuard& operator=(const FloodGuard&) = delete;

  // Counts one query decision: one for the decisions seen, one for each distinct rule among its
  // matches; may quarantine a rule. Rule ids the engine does not have are ignored. Never throws.
  void observe(const Decision& d, Clock::time_point now = Clock::now()) noexcept;
  // Caps d's action at safe_action when a quarantined rule of d's winning category is among its
  // matches; true when d was changed. Never throws.
  bool apply(Decision& d) const noexcept;
  // observe() then apply().
  bool guard(Decision& d, Clock::time_point now = Clock::now()) noexcept;
  // The same for a redirected result list: observes and caps the query's decision; when capped to
  // none, the query's cards are taken off the top of the list. Results are judged on their own
  // (post mode) and are neither counted nor changed.
  bool guard(RedirectedResults& r, Clock::time_point now = Clock::now()) noexcept;

  // The rules quarantined now, in the order they tripped.
  std::vector<Quarantine> quarantined() const;
  bool is_quarantined(std::string_view rule) const noexcept;
  // Lifts a quarantine; false when the rule is not quarantined. A released rule cannot trip again
  // for baseline_windows buckets: by then its baseline holds the level it was released at.
  bool release(std::string_view rule, Clock::time_point now = Clock::now());
  // Lifts every quarantine; returns the rules released.
  std::vector<std::string> release_all(Clock::time_point now = Clock::now());

  const FloodGuardOptions& options() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace signpost
