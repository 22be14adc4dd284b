// report.cpp: see report.hpp.
#include "report.hpp"

#include <signpost/signpost.hpp>

#include <hs/hs.h>
#include <unicode/uvernum.h>

#include <cstdio>
#include <sstream>

#ifndef SIGNPOST_BENCH_BUILD_TYPE
#define SIGNPOST_BENCH_BUILD_TYPE "unknown"
#endif

namespace bench {

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string thousands(std::size_t n) {
  std::string s = std::to_string(n), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

namespace {

const SizeRow* find(const std::vector<SizeRow>& rows, std::size_t phrases) {
  for (const SizeRow& r : rows)
    if (r.phrases == phrases) return &r;
  return nullptr;
}

std::string verdict(bool ok) { return ok ? "PASS" : "MISS"; }

}  // namespace

std::string report(const RunSettings& s, const std::vector<SizeRow>& rows, const std::string& real_md,
                   const std::string& load_before, const std::string& load_after, double total_s) {
  std::ostringstream md;
  md << "### Engine benchmark\n\n";
  md << "| | |\n| --- | --- |\n";
  md << "| CPU | " << cpu_model() << " |\n";
  md << "| online CPUs (nproc) | " << online_cpus() << " |\n";
  md << "| nominal clock (cpu MHz) | " << cpu_mhz() << " |\n";
  md << "| compiler | " << compiler() << " |\n";
  md << "| build type | " << SIGNPOST_BENCH_BUILD_TYPE << " |\n";
  md << "| signpost | " << signpost::version << " |\n";
  std::string hs = hs_version();
  while (!hs.empty() && hs.back() == ' ') hs.pop_back();
  md << "| Vectorscan | " << hs << " |\n";
  md << "| ICU | " << U_ICU_VERSION << " |\n";
  md << "| load average before / after | " << load_before << " / " << load_after << " |\n";
  md << "| seed | " << s.seed << " |\n";
  md << "| queries | " << s.queries << " distinct, " << fixed(s.planted_share * 100, 0)
     << "% carrying a pack phrase; " << s.batches << " batches of " << s.batch << " per side |\n";
  md << "| posts | " << s.posts << " distinct of " << s.post_bytes << " bytes; " << s.post_rounds
     << " rounds per side |\n";
  md << "| run time | " << fixed(total_s, 1) << " s |\n\n";
  md << "Baselines: *tight* = ICU `normalizeUTF8` (NFKC_Casefold) into a reused string, then one Vectorscan "
        "block-mode scan over the pack's phrases (literal database); *naive* = the same with a UTF-8 → "
        "`icu::UnicodeString` → UTF-8 round trip and fresh temporaries on each call.\n\n";
  md << real_md;
  if (!s.synthetic) return md.str();
  md << "#### Synthetic packs (baseline: tight)\n\n";

  md << "Queries (per query: median and p99 of batch means; ratio = engine median / baseline median):\n\n";
  md << "| phrases | lexicons / rules | compile s (CPU s) | RSS MB | engine median ns | engine p99 ns | baseline median ns "
        "| baseline p99 ns | ratio | matching share |\n";
  md << "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const SizeRow& r : rows)
    md << "| " << thousands(r.phrases) << " | " << r.lexicons << " / " << r.rules << " | " << fixed(r.compile_s, 2)
       << " (" << fixed(r.compile_cpu_s, 2) << ") | " << fixed(r.rss_mb, 1) << " | " << fixed(r.eng_median, 0) << " | " << fixed(r.eng_p99, 0) << " | "
       << fixed(r.base_median, 0) << " | " << fixed(r.base_p99, 0) << " | " << fixed(r.eng_median / r.base_median, 2)
       << " | " << fixed(r.matching * 100, 2) << "% |\n";
  md << "\n";

  md << "Checks and details:\n\n";
  md << "| phrases | mean query bytes | planted queries flagged | ordinary queries flagged | baseline: queries with a "
        "substring hit | single-call p99 ns engine / baseline | pack YAML MB | baseline compile s (CPU s) | baseline DB MB |\n";
  md << "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const SizeRow& r : rows)
    md << "| " << thousands(r.phrases) << " | " << fixed(r.mean_query_bytes, 1) << " | "
       << fixed(r.planted_found * 100, 1) << "% of " << r.planted << " | " << r.ordinary_flagged << " | "
       << fixed(r.base_hit_share * 100, 1) << "% | " << fixed(r.eng_call_p99, 0) << " / " << fixed(r.base_call_p99, 0)
       << " | " << fixed(r.yaml_mb, 2) << " | " << fixed(r.baseline_compile_s, 2) << " ("
       << fixed(r.baseline_compile_cpu_s, 2) << ") | " << fixed(r.baseline_db_mb, 1)
       << " |\n";
  md << "\n";

  if (s.counters) {
    md << "CPU work of the benchmark thread alone over the same timed batches (means of user-space hardware "
          "counters: time other processes hold the CPU is not counted, but cycles still rise when they share the "
          "core or its caches; instructions do not):\n\n";
    md << "| phrases | engine cycles / query | baseline cycles / query | ratio (cycles) | engine instructions / query | "
          "baseline instructions / query | post: engine cycles / byte | post: baseline cycles / byte |\n";
    md << "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    for (const SizeRow& r : rows)
      md << "| " << thousands(r.phrases) << " | " << fixed(r.eng_ctr.cycles_per(), 0) << " | "
         << fixed(r.base_ctr.cycles_per(), 0) << " | " << fixed(r.eng_ctr.cycles_per() / r.base_ctr.cycles_per(), 2)
         << " | " << fixed(r.eng_ctr.instructions_per(), 0) << " | " << fixed(r.base_ctr.instructions_per(), 0) << " | "
         << fixed(r.post_eng_ctr.cycles_per(), 1) << " | " << fixed(r.post_base_ctr.cycles_per(), 1) << " |\n";
    md << "\n";
    const SizeRow* a = find(rows, 1000);
    const SizeRow* b = find(rows, 100000);
    if (a && b && a->eng_ctr.units && b->eng_ctr.units)
      md << "Growth 1k → 100k phrases in cycles per query: engine "
         << fixed(b->eng_ctr.cycles_per() / a->eng_ctr.cycles_per(), 2) << "×, baseline "
         << fixed(b->base_ctr.cycles_per() / a->base_ctr.cycles_per(), 2) << "×; in instructions: engine "
         << fixed(b->eng_ctr.instructions_per() / a->eng_ctr.instructions_per(), 2) << "×, baseline "
         << fixed(b->base_ctr.instructions_per() / a->base_ctr.instructions_per(), 2) << "×.\n\n";
  }

  const SizeRow* small = find(rows, 1000);
  const SizeRow* mid = find(rows, 10000);
  const SizeRow* big = find(rows, 100000);
  if (small && big)
    md << "Growth 1k → 100k phrases (median): engine " << fixed(big->eng_median / small->eng_median, 2)
       << "×, baseline " << fixed(big->base_median / small->base_median, 2) << "×.\n\n";

  md << "Post mode (" << s.post_bytes << "-byte texts, one thread; MB = 10^6 bytes; median over rounds):\n\n";
  md << "| phrases | engine MB/s | baseline MB/s | baseline / engine | posts flagged |\n| ---: | ---: | ---: | ---: | ---: |\n";
  for (const SizeRow& r : rows)
    md << "| " << thousands(r.phrases) << " | " << fixed(r.post_eng_mbps, 0) << " | " << fixed(r.post_base_mbps, 0) << " | "
       << fixed(r.post_base_mbps / r.post_eng_mbps, 2) << " | " << fixed(r.post_matching * 100, 0) << "% |\n";
  md << "\n";

  md << "Goals (informational):\n\n| goal | measured | result |\n| --- | ---: | :---: |\n";
  auto goal = [&](const std::string& what, const SizeRow* r, auto value, auto ok, int decimals, const char* unit) {
    if (!r) {
      md << "| " << what << " | not run | n/a |\n";
      return;
    }
    const double v = value(*r);
    md << "| " << what << " | " << fixed(v, decimals) << unit << " | " << verdict(ok(v)) << " |\n";
  };
  goal("engine ≤ " + fixed(kGoalRatio, 1) + "× baseline, median, 10k phrases", mid,
       [](const SizeRow& r) { return r.eng_median / r.base_median; }, [](double v) { return v <= kGoalRatio; }, 2, "×");
  goal("engine median ≤ " + fixed(kGoalMedianNs, 0) + " ns, 10k phrases", mid,
       [](const SizeRow& r) { return r.eng_median; }, [](double v) { return v <= kGoalMedianNs; }, 0, " ns");
  if (small && big) {
    const double g = big->eng_median / small->eng_median;
    md << "| growth 1k → 100k ≤ " << fixed(kGoalGrowth, 1) << "× | " << fixed(g, 2) << "× | " << verdict(g <= kGoalGrowth)
       << " |\n";
  } else {
    md << "| growth 1k → 100k ≤ " << fixed(kGoalGrowth, 1) << "× | not run | n/a |\n";
  }
  goal("Engine::load ≤ " + fixed(kGoalCompileS, 0) + " s, 100k phrases", big, [](const SizeRow& r) { return r.compile_s; },
       [](double v) { return v <= kGoalCompileS; }, 2, " s");
  goal("RSS growth ≤ " + fixed(kGoalRssMb, 0) + " MB, 100k phrases", big, [](const SizeRow& r) { return r.rss_mb; },
       [](double v) { return v <= kGoalRssMb; }, 1, " MB");
  goal("post mode ≥ " + fixed(kGoalPostMbps, 0) + " MB/s per core, 10k phrases", mid,
       [](const SizeRow& r) { return r.post_eng_mbps; }, [](double v) { return v >= kGoalPostMbps; }, 0, " MB/s");
  return md.str();
}

}  // namespace bench
