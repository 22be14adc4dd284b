// realtext.cpp: see realtext.hpp.
#include "realtext.hpp"

#include "report.hpp"
#include "synth.hpp"  // below()

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>

namespace bench {
namespace {

std::vector<std::string> read_lines(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + p.string() + " (see --data)");
  std::vector<std::string> out;
  for (std::string line; std::getline(f, line);)
    if (!line.empty()) out.push_back(line);
  if (out.empty()) throw std::runtime_error(p.string() + " is empty");
  return out;
}

// Paragraphs: blocks separated by blank lines, their lines joined by one space, trimmed.
std::vector<std::string> read_paragraphs(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + p.string() + " (see --data)");
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (std::string line; std::getline(f, line);) {
    const auto a = line.find_first_not_of(" \t\r");
    if (a == std::string::npos) {
      flush();
      continue;
    }
    const auto b = line.find_last_not_of(" \t\r");
    if (!cur.empty()) cur += ' ';
    cur.append(line, a, b - a + 1);
  }
  flush();
  return out;
}

std::string words_query(std::mt19937_64& rng, const std::vector<std::string>& words, std::size_t lo, std::size_t hi) {
  const std::size_t n = lo + below(rng, hi - lo + 1);
  std::string q;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) q += ' ';
    q += words[below(rng, words.size())];
  }
  return q;
}

volatile std::size_t g_sink = 0;

std::size_t consume(const signpost::Decision& d) { return static_cast<std::size_t>(d.action) + d.matches.size(); }

}  // namespace

std::vector<std::string> pack_terms(const std::filesystem::path& pack_dir) {
  std::vector<std::string> out;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(pack_dir / "lexicons"))
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    const YAML::Node root = YAML::LoadFile(f.string());
    for (const auto& lex : root["lexicons"])
      for (const auto& lang : lex["terms"])
        for (const auto& t : lang.second) {
          std::string s = t.as<std::string>();
          if (!s.empty() && s.back() == '*') s.pop_back();
          if (!s.empty()) out.push_back(std::move(s));
        }
  }
  if (out.empty()) throw std::runtime_error("no terms in " + (pack_dir / "lexicons").string());
  return out;
}

std::vector<Workload> real_workloads(const std::filesystem::path& data_dir, std::uint64_t seed, std::size_t queries) {
  static const char* const kLangs[] = {"en", "fr", "de", "es", "ru", "ar", "fa", "tr", "vi"};
  std::mt19937_64 rng(seed ^ 0x5eed0f7e87ull);
  std::vector<std::vector<std::string>> lists;
  for (const char* l : kLangs) lists.push_back(read_lines(data_dir / "words" / (std::string(l) + ".txt")));

  std::vector<Workload> out(3);
  out[0].name = "English queries (word-frequency list)";
  for (std::size_t i = 0; i < queries; ++i) out[0].texts.push_back({words_query(rng, lists[0], 3, 7), "en", false});
  out[1].name = "multilingual queries (9 languages)";
  for (std::size_t i = 0; i < queries; ++i) {
    const std::size_t l = below(rng, std::size(kLangs));
    out[1].texts.push_back({words_query(rng, lists[l], 2, 5), kLangs[l], false});
  }
  out[2].name = "prose paragraphs, post mode";
  out[2].mode = signpost::Mode::post;
  for (auto& p : read_paragraphs(data_dir / "prose" / "alice-chapters-1-3.txt")) out[2].texts.push_back({p, "en", false});
  for (auto& w : out)
    for (const auto& t : w.texts) w.bytes += t.text.size();
  return out;
}

WorkloadResult measure_workload(const Workload& w, const signpost::Engine& engine, Baseline& base,
                                std::size_t passes, std::size_t single_calls, ThreadCounters& counters) {
  WorkloadResult r;
  r.name = w.name;
  r.texts = w.texts.size();
  r.mean_bytes = static_cast<double>(w.bytes) / static_cast<double>(std::max<std::size_t>(1, r.texts));
  const signpost::Mode mode = w.mode;
  auto eval = [&](const Sample& s) { return consume(engine.evaluate({.text = s.text, .locale = s.locale, .mode = mode})); };

  // Untimed pass: what each side finds, and warm caches.
  std::size_t flagged = 0, hits = 0;
  for (const auto& s : w.texts) {
    flagged += engine.evaluate({.text = s.text, .locale = s.locale, .mode = mode}).action != signpost::Action::none;
    hits += base.run(s.text) > 0;
    g_sink = g_sink + base.run_naive(s.text);
  }
  r.flagged = static_cast<double>(flagged) / static_cast<double>(r.texts);
  r.tight_hits = static_cast<double>(hits) / static_cast<double>(r.texts);

  // Passes: engine, tight and naive in turn over every text, the order rotating per pass.
  std::vector<double> eng, tight, naive, ratio, nratio;
  const double n = static_cast<double>(r.texts);
  for (std::size_t p = 0; p < passes; ++p) {
    double t[3] = {0, 0, 0};
    for (std::size_t k = 0; k < 3; ++k) {
      const std::size_t side = (p + k) % 3;
      std::size_t sink = 0;
      const auto c0 = counters.read();
      const auto a = Clock::now();
      if (side == 0)
        for (const auto& s : w.texts) sink += eval(s);
      else if (side == 1)
        for (const auto& s : w.texts) sink += base.run(s.text);
      else
        for (const auto& s : w.texts) sink += base.run_naive(s.text);
      const auto b = Clock::now();
      const auto c1 = counters.read();
      g_sink = g_sink + sink;
      t[side] = ns_between(a, b) / n;
      if (side == 0) r.eng_ctr.add(c0, c1, r.texts);
      if (side == 1) r.tight_ctr.add(c0, c1, r.texts);
    }
    eng.push_back(t[0]);
    tight.push_back(t[1]);
    naive.push_back(t[2]);
    ratio.push_back(t[0] / t[1]);
    nratio.push_back(t[0] / t[2]);
  }
  r.eng_ns = quantile(eng, 0.5);
  r.tight_ns = quantile(tight, 0.5);
  r.naive_ns = quantile(naive, 0.5);
  r.ratio = quantile(ratio, 0.5);
  r.naive_ratio = quantile(nratio, 0.5);
  r.eng_mbps = r.mean_bytes / r.eng_ns * 1e3;
  r.tight_mbps = r.mean_bytes / r.tight_ns * 1e3;

  // Single calls, engine and tight baseline interleaved, for the tail.
  std::vector<double> ec, tc;
  ec.reserve(single_calls);
  tc.reserve(single_calls);
  for (std::size_t i = 0; i < single_calls; ++i) {
    const Sample& s = w.texts[i % w.texts.size()];
    const auto a = Clock::now();
    const std::size_t r1 = eval(s);
    const auto b = Clock::now();
    const std::size_t r2 = base.run(s.text);
    const auto c = Clock::now();
    g_sink = g_sink + r1 + r2;
    ec.push_back(ns_between(a, b));
    tc.push_back(ns_between(b, c));
  }
  r.eng_p50 = quantile(ec, 0.5);
  r.eng_p99 = quantile(ec, 0.99);
  r.tight_p50 = quantile(tc, 0.5);
  r.tight_p99 = quantile(tc, 0.99);
  // The tail of a call against calls of the same text: texts differ in length (prose paragraphs
  // from 20 to 1,500 bytes), which a p99 over all calls would mistake for jitter.
  auto tail = [&](const std::vector<double>& calls) {
    const std::size_t nt = w.texts.size();
    std::vector<std::vector<double>> per(nt);
    for (std::size_t i = 0; i < calls.size(); ++i) per[i % nt].push_back(calls[i]);
    std::vector<double> rel;
    for (const auto& v : per) {
      if (v.size() < 5) continue;
      const double med = quantile(v, 0.5);
      for (double x : v) rel.push_back(x / med);
    }
    return quantile(rel, 0.99);
  };
  r.eng_tail = tail(ec);
  r.tight_tail = tail(tc);
  return r;
}

std::string real_report(const std::vector<WorkloadResult>& results, const std::string& pack, double goal_ratio,
                        bool counters_ok) {
  std::ostringstream md;
  md << "Real text, " << pack
     << " (ns per text: median over passes of the mean per text; ratio = median over passes of "
        "engine / tight baseline; p50 / p99 from single calls, clock reads included):\n\n";
  md << "| workload | texts | mean bytes | engine ns | tight baseline ns | **ratio** | naive baseline ns | engine / naive "
        "| engine MB/s | tight MB/s | engine p50 / p99 ns | tight p50 / p99 ns | engine p99 / p50 | engine / tight tail "
        "| flagged | tight: texts with a substring hit |\n";
  md << "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
  for (const auto& r : results)
    md << "| " << r.name << " | " << r.texts << " | " << fixed(r.mean_bytes, 1) << " | " << fixed(r.eng_ns, 0) << " | "
       << fixed(r.tight_ns, 0) << " | **" << fixed(r.ratio, 2) << "** | " << fixed(r.naive_ns, 0) << " | "
       << fixed(r.naive_ratio, 2) << " | " << fixed(r.eng_mbps, 0) << " | " << fixed(r.tight_mbps, 0) << " | "
       << fixed(r.eng_p50, 0) << " / " << fixed(r.eng_p99, 0) << " | " << fixed(r.tight_p50, 0) << " / "
       << fixed(r.tight_p99, 0) << " | " << fixed(r.eng_p99 / r.eng_p50, 2) << " | " << fixed(r.eng_tail, 2) << " / "
       << fixed(r.tight_tail, 2) << " | " << fixed(r.flagged * 100, 1) << "% | "
       << fixed(r.tight_hits * 100, 1) << "% |\n";
  md << "\n";
  if (counters_ok) {
    md << "The same passes in user-space hardware counters of the benchmark thread:\n\n";
    md << "| workload | engine cycles / text | tight cycles / text | ratio (cycles) | engine instructions / text | "
          "tight instructions / text | engine cycles / byte |\n";
    md << "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n";
    for (const auto& r : results)
      md << "| " << r.name << " | " << fixed(r.eng_ctr.cycles_per(), 0) << " | " << fixed(r.tight_ctr.cycles_per(), 0)
         << " | " << fixed(r.eng_ctr.cycles_per() / r.tight_ctr.cycles_per(), 2) << " | "
         << fixed(r.eng_ctr.instructions_per(), 0) << " | " << fixed(r.tight_ctr.instructions_per(), 0) << " | "
         << fixed(r.eng_ctr.cycles_per() / r.mean_bytes, 1) << " |\n";
    md << "\n";
  }
  md << "Tail = p99 over single calls of (call time / median time of calls on the same text).\n\n";
  md << "Goals on real text (informational): engine ≤ " << fixed(goal_ratio, 1)
     << "× the tight baseline; single-call p99 ≤ 3× the median (over all calls, and per text).\n\n";
  md << "| workload | ratio | result | p99 / p50 | result | tail | result |\n"
        "| --- | ---: | :---: | ---: | :---: | ---: | :---: |\n";
  for (const auto& r : results)
    md << "| " << r.name << " | " << fixed(r.ratio, 2) << "× | " << (r.ratio <= goal_ratio ? "PASS" : "MISS") << " | "
       << fixed(r.eng_p99 / r.eng_p50, 2) << "× | " << (r.eng_p99 <= 3 * r.eng_p50 ? "PASS" : "MISS") << " | "
       << fixed(r.eng_tail, 2) << "× | " << (r.eng_tail <= 3 ? "PASS" : "MISS") << " |\n";
  md << "\n";
  return md.str();
}

}  // namespace bench
