// realtext.hpp: real-text workloads for signpost-bench, from the files in bench/data/ (see its
// README for their sources and licences), timed beside the tight and naive baselines.
//
//   english       queries of 3 to 7 words drawn uniformly from the 3,000 most frequent English
//                 words (word-frequency list), locale en
//   multilingual  queries of 2 to 5 words in one of 9 languages (en fr de es ru ar fa tr vi), drawn
//                 the same way from that language's list, locale set to it
//   prose         the paragraphs of a public-domain book excerpt, Mode::post
#pragma once

#include <signpost/signpost.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "baseline.hpp"
#include "measure.hpp"
#include "synth.hpp"

namespace bench {

struct Workload {
  std::string name;
  std::vector<Sample> texts;
  signpost::Mode mode = signpost::Mode::query;
  std::size_t bytes = 0;  // total over texts
};

// The terms of a pack folder's lexicons (lexicons/*.yaml, `terms: {lang: [...]}`), with the `*` of
// prefix terms removed: the phrase list a host would hand to its own literal scanner.
std::vector<std::string> pack_terms(const std::filesystem::path& pack_dir);

// Builds the three workloads from `data_dir`; throws std::runtime_error when a file is missing.
std::vector<Workload> real_workloads(const std::filesystem::path& data_dir, std::uint64_t seed, std::size_t queries);

struct WorkloadResult {
  std::string name;
  std::size_t texts = 0;
  double mean_bytes = 0;
  // Passes over every text of the workload, one side after the other (alternating which goes
  // first): ns per text, median over passes; ratio = median over passes of engine / tight.
  double eng_ns = 0, tight_ns = 0, naive_ns = 0, ratio = 0, naive_ratio = 0;
  double eng_mbps = 0, tight_mbps = 0;
  // Single calls timed one by one (clock reads included), engine and tight baseline interleaved.
  double eng_p50 = 0, eng_p99 = 0, tight_p50 = 0, tight_p99 = 0;
  double eng_tail = 0, tight_tail = 0;  // p99 of (call / median of calls on the same text)
  double flagged = 0;        // share of texts the engine gives an action
  double tight_hits = 0;     // share of texts in which the baseline finds a phrase
  CounterTotals eng_ctr, tight_ctr;
};

// Times `w` on `engine` and `base` (built from the same pack's phrases).
WorkloadResult measure_workload(const Workload& w, const signpost::Engine& engine, Baseline& base,
                                std::size_t passes, std::size_t single_calls, ThreadCounters& counters);

// The Markdown table of the results; `pack` names the pack both sides were built from.
std::string real_report(const std::vector<WorkloadResult>& results, const std::string& pack, double goal_ratio,
                        bool counters_ok);

}  // namespace bench
