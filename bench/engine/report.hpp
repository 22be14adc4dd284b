// report.hpp: the markdown report of signpost-bench: the run's settings, the synthetic packs'
// tables and the goals of the performance issue (reported as PASS or MISS, never failed on).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "measure.hpp"

namespace bench {

// Goals from the performance issue; the bench reports them and never fails on them.
constexpr double kGoalRatio = 1.5;        // engine / baseline, median, 10k phrases
constexpr double kGoalMedianNs = 1000;    // engine median, 10k phrases
constexpr double kGoalGrowth = 1.3;       // engine median, 100k / 1k
constexpr double kGoalCompileS = 5;       // Engine::load, 100k phrases
constexpr double kGoalRssMb = 64;         // RSS growth, 100k phrases
constexpr double kGoalPostMbps = 200;     // post mode, 10k phrases, one thread

// One synthetic pack size: what was measured on it.
struct SizeRow {
  std::size_t phrases = 0, lexicons = 0, rules = 0;
  double yaml_mb = 0, compile_s = 0, compile_cpu_s = 0, rss_mb = 0, baseline_compile_cpu_s = 0, baseline_compile_s = 0, baseline_db_mb = 0;
  double eng_median = 0, eng_p99 = 0, base_median = 0, base_p99 = 0;  // ns per query (batch means)
  double eng_call_p99 = 0, base_call_p99 = 0;                         // ns, single calls
  double matching = 0, planted_found = 0;
  std::size_t ordinary_flagged = 0, planted = 0;
  double base_hit_share = 0;
  double mean_query_bytes = 0;
  double post_eng_mbps = 0, post_base_mbps = 0, post_matching = 0;
  // Hardware counters of this thread over the timed regions (0 when unavailable).
  CounterTotals eng_ctr, base_ctr, post_eng_ctr, post_base_ctr;
};

// What the report says of the run's settings.
struct RunSettings {
  std::uint64_t seed = 0;
  std::size_t queries = 0, batch = 0, batches = 0, posts = 0, post_bytes = 0, post_rounds = 0;
  double planted_share = 0;
  bool synthetic = true;  // the synthetic packs were timed (else only the real-text part is reported)
  bool counters = false;  // hardware counters were available
};

// `v` with `decimals` digits after the point; `n` with thousands separators (12,345).
std::string fixed(double v, int decimals);
std::string thousands(std::size_t n);

// The whole report: the run's table, `real_md` (the real-text part), then the synthetic packs.
std::string report(const RunSettings& s, const std::vector<SizeRow>& rows, const std::string& real_md,
                   const std::string& load_before, const std::string& load_after, double total_s);

}  // namespace bench
