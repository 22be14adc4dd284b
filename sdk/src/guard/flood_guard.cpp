// guard/: the flood guard (signpost/flood_guard.hpp). Counting is lock-free: one compare-and-swap
// on the decisions counter per observed decision, one per distinct rule it matched, and a read of
// the rule's ring when its window holds at least min_hits. The mutex guards the quarantine list only.
#include "signpost/flood_guard.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "guard/buckets.hpp"
#include "signpost/engine.hpp"
#include "signpost/trace.hpp"

namespace signpost {
namespace {

struct IdHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct RuleSlot {
  std::string id, category;
  std::atomic<bool> quarantined{false};
  std::atomic<std::uint64_t> exempt_until{0};  // bucket index before which it cannot trip
};

}  // namespace

struct FloodGuard::State {
  FloodGuardOptions options;
  std::uint64_t window_ms = 0;
  std::size_t ring = 0;  // buckets kept: the baseline, the previous bucket and the current one
  std::uint64_t start_bucket = 0;
  std::vector<RuleSlot> rules;
  std::unordered_map<std::string, std::size_t, IdHash, std::equal_to<>> index;
  std::vector<detail::BucketSlot> rule_buckets;  // rules.size() * ring
  std::vector<detail::BucketSlot> total_buckets;  // ring
  std::atomic<std::size_t> quarantined_count{0};
  mutable std::mutex mutex;  // quarantine list; each rule's flag changes only under it
  std::vector<Quarantine> quarantine_list;

  std::uint64_t bucket_of(Clock::time_point t, double* fraction = nullptr) const noexcept {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    const std::uint64_t u = ms < 0 ? 0 : static_cast<std::uint64_t>(ms);
    if (fraction) *fraction = static_cast<double>(u % window_ms) / static_cast<double>(window_ms);
    return u / window_ms;
  }

  const RuleSlot* find(std::string_view id) const noexcept {
    const auto it = index.find(id);
    return it == index.end() ? nullptr : &rules[it->second];
  }

  detail::BucketSlot& rule_bucket(std::size_t rule, std::uint64_t b) noexcept {
    return rule_buckets[rule * ring + b % ring];
  }

  // The trip test for one rule at bucket b; fills `q` when it trips.
  bool trips(std::size_t rule, std::uint64_t b, double fraction, Quarantine& q) noexcept {
    const FloodGuardOptions& o = options;
    if (o.warmup_windows > 0 && b < start_bucket + o.warmup_windows + 1) return false;
    if (b < rules[rule].exempt_until.load(std::memory_order_relaxed)) return false;
    const auto count = [&](const std::vector<detail::BucketSlot>& slots, std::size_t base, std::uint64_t i) {
      return static_cast<double>(slots[base + i % ring].read(i));
    };
    const std::size_t base = rule * ring;
    const double keep = 1.0 - fraction;  // the share of the previous bucket still in the window
    const double hits = count(rule_buckets, base, b) + keep * count(rule_buckets, base, b - 1);
    if (hits < static_cast<double>(o.min_hits)) return false;
    const double total = count(total_buckets, 0, b) + keep * count(total_buckets, 0, b - 1);
    if (total <= 0) return false;
    double base_hits = 0, base_total = 0;
    // The baseline: the buckets before the previous one, back to the guard's start.
    const std::uint64_t first = b >= start_bucket + 1 + o.baseline_windows ? b - 1 - o.baseline_windows : start_bucket;
    for (std::uint64_t i = first; i + 1 < b; ++i) {
      base_hits += count(rule_buckets, base, i);
      base_total += count(total_buckets, 0, i);
    }
    const double rate = hits / total;
    const double baseline = base_total > 0 ? base_hits / base_total : 0.0;
    if (rate <= o.jump_factor * std::max(baseline, o.min_baseline_rate)) return false;
    q.rate = rate;
    q.baseline = baseline;
    q.hits = static_cast<std::uint64_t>(hits);
    return true;
  }

  void quarantine(std::size_t rule, Quarantine q) noexcept {
    RuleSlot& r = rules[rule];
    try {
      {
        std::lock_guard lock(mutex);
        if (r.quarantined.load(std::memory_order_relaxed)) return;
        q.rule = r.id;
        q.category = r.category;
        quarantine_list.push_back(q);
        r.quarantined.store(true, std::memory_order_release);
        quarantined_count.fetch_add(1, std::memory_order_release);
      }
      if (options.on_quarantine) options.on_quarantine(q);
    } catch (...) {
      // Out of memory while recording (or a throwing callback): the rule is quarantined when
      // the list could take it; the caller's decision goes on either way.
    }
  }

  void lift(RuleSlot& r, std::uint64_t b) noexcept {
    r.exempt_until.store(b + options.baseline_windows, std::memory_order_relaxed);
    r.quarantined.store(false, std::memory_order_release);
    quarantined_count.fetch_sub(1, std::memory_order_release);
  }
};

FloodGuard::FloodGuard(const Engine& engine, FloodGuardOptions options, Clock::time_point start)
    : state_(std::make_unique<State>()) {
  if (options.window.count() <= 0) throw std::invalid_argument("flood guard: the window must be at least 1 second");
  if (!(options.jump_factor >= 1.0)) throw std::invalid_argument("flood guard: the jump factor must be at least 1");
  if (!(options.min_baseline_rate >= 0.0) || options.min_baseline_rate > 1.0)
    throw std::invalid_argument("flood guard: the baseline floor must be a share from 0 to 1");
  if (options.baseline_windows < 1) throw std::invalid_argument("flood guard: the baseline needs at least 1 window");
  if (options.warmup_windows > options.baseline_windows)
    throw std::invalid_argument("flood guard: the warm-up cannot be longer than the baseline");
  State& s = *state_;
  s.options = std::move(options);
  s.window_ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(s.options.window).count());
  s.ring = static_cast<std::size_t>(s.options.baseline_windows) + 2;
  s.start_bucket = s.bucket_of(start);
  // The pack's rules, in pack order, as the engine's trace lists them (the empty text fires none).
  const Trace t = engine.trace(Query{});
  s.rules = std::vector<RuleSlot>(t.rules.size());
  for (std::size_t i = 0; i < t.rules.size(); ++i) {
    s.rules[i].id = t.rules[i].id;
    s.rules[i].category = t.rules[i].category;
    s.index.emplace(t.rules[i].id, i);
  }
  s.rule_buckets = std::vector<detail::BucketSlot>(s.rules.size() * s.ring);
  s.total_buckets = std::vector<detail::BucketSlot>(s.ring);
}

FloodGuard::~FloodGuard() = default;

const FloodGuardOptions& FloodGuard::options() const noexcept { return state_->options; }

void FloodGuard::observe(const Decision& d, Clock::time_point now) noexcept {
  State& s = *state_;
  double fraction = 0;
  const std::uint64_t b = s.bucket_of(now, &fraction);
  s.total_buckets[b % s.ring].bump(b);
  for (std::size_t m = 0; m < d.matches.size(); ++m) {
    const std::string& id = d.matches[m].rule;
    bool seen = false;  // count a rule once per decision, however often it matched
    for (std::size_t k = 0; k < m && !seen; ++k) seen = d.matches[k].rule == id;
    if (seen) continue;
    const auto it = s.index.find(std::string_view(id));
    if (it == s.index.end()) continue;
    const std::size_t rule = it->second;
    s.rule_bucket(rule, b).bump(b);
    if (s.rules[rule].quarantined.load(std::memory_order_relaxed)) continue;
    Quarantine q;
    q.since = now;
    if (s.trips(rule, b, fraction, q)) s.quarantine(rule, std::move(q));
  }
}

bool FloodGuard::apply(Decision& d) const noexcept {
  const State& s = *state_;
  if (s.quarantined_count.load(std::memory_order_acquire) == 0) return false;
  const Action safe = s.options.safe_action;
  if (static_cast<int>(d.action) <= static_cast<int>(safe)) return false;
  for (const Match& m : d.matches) {
    if (m.category != d.category) continue;
    const RuleSlot* r = s.find(m.rule);
    if (!r || !r->quarantined.load(std::memory_order_acquire)) continue;
    d.action = safe;
    if (safe == Action::none) d.cards.clear();
    return true;
  }
  return false;
}

bool FloodGuard::guard(Decision& d, Clock::time_point now) noexcept {
  observe(d, now);
  return apply(d);
}

bool FloodGuard::guard(RedirectedResults& r, Clock::time_point now) noexcept {
  Decision& d = r.decision;
  const std::size_t shown_first = d.action != Action::none ? d.cards.size() : 0;
  if (!guard(d, now)) return false;
  if (d.action == Action::none && shown_first > 0) {
    // The query's cards lead the list (see docs/redirect.md): take them off.
    std::size_t n = 0;
    while (n < shown_first && n < r.entries.size() && r.entries[n].kind == RedirectEntry::Kind::card &&
           r.entries[n].category == d.category)
      ++n;
    r.entries.erase(r.entries.begin(), r.entries.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return true;
}

std::vector<Quarantine> FloodGuard::quarantined() const {
  std::lock_guard lock(state_->mutex);
  return state_->quarantine_list;
}

bool FloodGuard::is_quarantined(std::string_view rule) const noexcept {
  const RuleSlot* r = state_->find(rule);
  return r && r->quarantined.load(std::memory_order_acquire);
}

bool FloodGuard::release(std::string_view rule, Clock::time_point now) {
  State& s = *state_;
  const auto it = s.index.find(rule);
  if (it == s.index.end()) return false;
  std::lock_guard lock(s.mutex);
  RuleSlot& r = s.rules[it->second];
  if (!r.quarantined.load(std::memory_order_relaxed)) return false;
  std::erase_if(s.quarantine_list, [&](const Quarantine& q) { return q.rule == r.id; });
  s.lift(r, s.bucket_of(now));
  return true;
}

std::vector<std::string> FloodGuard::release_all(Clock::time_point now) {
  State& s = *state_;
  std::vector<std::string> out;
  std::lock_guard lock(s.mutex);
  out.reserve(s.quarantine_list.size());
  const std::uint64_t b = s.bucket_of(now);
  for (const Quarantine& q : s.quarantine_list) {
    s.lift(s.rules[s.index.find(std::string_view(q.rule))->second], b);
    out.push_back(q.rule);
  }
  s.quarantine_list.clear();
  return out;
}

}  // namespace signpost
