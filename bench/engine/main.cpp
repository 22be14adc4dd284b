// signpost-bench: evaluate() on real text (word-frequency queries, prose) and on synthetic packs of
// growing size, beside baselines measured in the same run over the same texts. See
// docs/performance.md ("Engine") for what is measured and how to read the result.
//
//   signpost-bench [--sizes 1000,10000,100000] [--queries N] [--batch N] [--batches N]
//                  [--single-calls N] [--posts N] [--post-rounds N] [--planted SHARE] [--seed N]
//                  [--data DIR] [--real-queries N] [--real-passes N] [--real-calls N]
//                  [--real-only | --no-real] [--markdown FILE] [--keep-packs DIR] [--show-misses] [--quick]
//   signpost-bench --profile query|post|english|multilingual|prose [--side engine|baseline] [--passes N] [--sizes N]
//
// The exit status is 0 whatever the figures (goals are reported as PASS or MISS, for information);
// it is 1 only when the benchmark cannot run (a synthetic pack refused, a file not writable).
#include <signpost/signpost.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "baseline.hpp"
#include "measure.hpp"
#include "realtext.hpp"
#include "report.hpp"
#include "synth.hpp"

#ifndef SIGNPOST_BENCH_DATA_DIR
#define SIGNPOST_BENCH_DATA_DIR "bench/data"
#endif

namespace fs = std::filesystem;
using bench::kGoalRatio;
using bench::thousands;
using Row = bench::SizeRow;

namespace {

struct Options {
  std::vector<std::size_t> sizes{1000, 10000, 100000};
  std::size_t queries = 4096;      // distinct queries in the mix
  std::size_t batch = 64;          // queries per timed batch
  std::size_t batches = 4000;      // timed batches per side and pack
  std::size_t single_calls = 40000;  // individually timed calls per side and pack
  std::size_t posts = 16;          // distinct 4 KB posts
  std::size_t post_rounds = 200;   // timed passes over all posts per side and pack
  std::size_t query_bytes = 40;
  std::size_t post_bytes = 4096;
  double planted_share = 0.05;
  std::uint64_t seed = 20240611;
  std::string markdown;
  std::string keep_packs;
  bool show_misses = false;        // print planted queries left unflagged, ordinary ones flagged
  std::string profile;             // "", "query", "post": run one side only, untimed, for a profiler
  std::string profile_side = "engine";
  std::size_t profile_passes = 200;
  std::string texts_file;           // --profile texts: "locale<TAB>text" lines (or "label<TAB>locale<TAB>text")
  std::string data = SIGNPOST_BENCH_DATA_DIR;  // bench/data: word lists and prose
  std::size_t real_queries = 2000;  // distinct queries per real-text query workload
  std::size_t real_passes = 40;     // timed passes per real-text workload (each side)
  std::size_t real_calls = 20000;   // single calls per real-text workload (each side)
  std::size_t real_pack = 10000;    // pack size the real-text workloads run against
  bool real = true;                 // run the real-text workloads
  bool synthetic = true;            // time the synthetic traffic
  std::string default_pack = signpost::Engine::default_pack_path().string();  // "" = skip
};


// Opened once, for the main thread (the only one that evaluates).
bench::ThreadCounters& counters() {
  static bench::ThreadCounters c;
  return c;
}

[[noreturn]] void usage(int code) {
  std::fputs(
      "usage: signpost-bench [options]\n"
      "  --sizes LIST        pack sizes in phrases, comma-separated (default 1000,10000,100000)\n"
      "  --queries N         distinct queries in the traffic mix (default 4096)\n"
      "  --batch N           queries per timed batch (default 64)\n"
      "  --batches N         timed batches per side and pack (default 4000)\n"
      "  --single-calls N    individually timed calls per side and pack (default 40000)\n"
      "  --posts N           distinct 4 KB posts (default 16)\n"
      "  --post-rounds N     timed passes over the posts per side and pack (default 200)\n"
      "  --planted SHARE     share of queries carrying a pack phrase (default 0.05)\n"
      "  --seed N            generator seed (default 20240611)\n"
      "  --markdown FILE     also write the report to FILE\n"
      "  --keep-packs DIR    write the synthetic packs under DIR and keep them\n"
      "  --quick             sizes 1000,10000 and fewer batches, for a smoke run\n"
      "  --data DIR          word lists and prose for the real-text workloads (default: the source tree's\n"
      "                      bench/data)\n"
      "  --real-queries N    distinct queries per real-text query workload (default 2000)\n"
      "  --real-passes N     timed passes per real-text workload and side (default 40)\n"
      "  --real-calls N      single calls per real-text workload and side (default 20000)\n"
      "  --real-only         time only the real-text workloads (against the 10k-phrase pack, or the\n"
      "                      first of --sizes when 10000 is not among them)\n"
      "  --no-real           skip the real-text workloads\n"
      "  --default-pack DIR  also run the real-text workloads against this pack folder, the baseline\n"
      "                      scanning for its terms (default: the default pack; \"\" skips it)\n"
      "  --show-misses       print planted queries the engine let through and ordinary ones it flagged\n"
      "  --profile WHAT      WHAT = query, post (synthetic) or english, multilingual, prose (real text):\n"
      "                      load the first size, then only run one side over the texts, untimed, for\n"
      "                      perf or callgrind (no report)\n"
      "  --side SIDE         with --profile: engine (default) or baseline\n"
      "  --passes N          with --profile: passes over the texts (default 200)\n"
      "  --texts FILE        with --profile texts: the texts, one per line as \"locale<TAB>text\" or\n"
      "                      \"label<TAB>locale<TAB>text\" (tests/data/eval/dev-queries.tsv), '#' lines\n"
      "                      skipped; run against the default pack (what scripts/bench-hosts.sh compares\n"
      "                      the Python binding's single call with)\n",
      code == 0 ? stdout : stderr);
  std::exit(code);
}

std::size_t to_size(const char* s) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(s, &end, 10);
  if (end == s || *end != '\0') usage(2);
  return static_cast<std::size_t>(v);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage(2);
      return argv[++i];
    };
    if (a == "--help" || a == "-h") usage(0);
    else if (a == "--sizes") {
      o.sizes.clear();
      std::stringstream ss(value());
      for (std::string item; std::getline(ss, item, ',');)
        if (!item.empty()) o.sizes.push_back(to_size(item.c_str()));
      if (o.sizes.empty()) usage(2);
    } else if (a == "--queries") o.queries = std::max<std::size_t>(1, to_size(value()));
    else if (a == "--batch") o.batch = std::max<std::size_t>(1, to_size(value()));
    else if (a == "--batches") o.batches = std::max<std::size_t>(1, to_size(value()));
    else if (a == "--single-calls") o.single_calls = to_size(value());
    else if (a == "--posts") o.posts = std::max<std::size_t>(1, to_size(value()));
    else if (a == "--post-rounds") o.post_rounds = std::max<std::size_t>(1, to_size(value()));
    else if (a == "--planted") o.planted_share = std::atof(value());
    else if (a == "--seed") o.seed = to_size(value());
    else if (a == "--markdown") o.markdown = value();
    else if (a == "--keep-packs") o.keep_packs = value();
    else if (a == "--show-misses") o.show_misses = true;
    else if (a == "--data") o.data = value();
    else if (a == "--real-queries") o.real_queries = std::max<std::size_t>(1, to_size(value()));
    else if (a == "--real-passes") o.real_passes = std::max<std::size_t>(1, to_size(value()));
    else if (a == "--real-calls") o.real_calls = to_size(value());
    else if (a == "--real-only") o.synthetic = false;
    else if (a == "--no-real") o.real = false;
    else if (a == "--default-pack") o.default_pack = value();
    else if (a == "--profile") {
      o.profile = value();
      if (o.profile != "query" && o.profile != "post" && o.profile != "english" && o.profile != "multilingual" &&
          o.profile != "prose" && o.profile != "texts")
        usage(2);
    } else if (a == "--side") {
      o.profile_side = value();
      if (o.profile_side != "engine" && o.profile_side != "baseline") usage(2);
    } else if (a == "--passes") o.profile_passes = to_size(value());
    else if (a == "--texts") o.texts_file = value();
    else if (a == "--quick") {
      o.sizes = {1000, 10000};
      o.batches = 800;
      o.single_calls = 8000;
      o.post_rounds = 40;
      o.real_passes = 10;
      o.real_calls = 4000;
    } else {
      std::fprintf(stderr, "signpost-bench: unknown option '%s'\n", argv[i]);
      usage(2);
    }
  }
  if (o.batch > o.queries) o.batch = o.queries;
  return o;
}

// A scratch folder for the packs, removed at exit unless --keep-packs was given.
struct WorkDir {
  fs::path path;
  bool keep = false;
  explicit WorkDir(const std::string& keep_dir) {
    if (!keep_dir.empty()) {
      path = keep_dir;
      keep = true;
      fs::create_directories(path);
      return;
    }
    std::string tmpl = (fs::temp_directory_path() / "signpost-bench-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary folder");
    path = tmpl;
  }
  ~WorkDir() {
    if (!keep) {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  }
};

volatile std::size_t g_sink = 0;  // keeps results alive

std::size_t consume(const signpost::Decision& d) {
  return static_cast<std::size_t>(d.action) + d.matches.size();
}


// One pack size: its pack, texts, engine, baseline and the samples timed so far.
struct Case {
  Row row;
  fs::path dir;
  std::vector<bench::Sample> queries, posts;
  std::size_t post_bytes = 0;
  std::optional<signpost::Engine> engine;
  std::unique_ptr<bench::Baseline> base;
  std::vector<double> eng, bas, eng_call, bas_call, post_eng, post_bas;  // ns per query; MB/s
};

// Writes the pack, compiles it (timing Engine::load and its memory), builds the baseline and
// checks what each side finds on one untimed pass over the queries.
void prepare(const Options& o, std::size_t phrases, const fs::path& work, Case& c) {
  Row& row = c.row;
  row.phrases = phrases;
  c.dir = work / ("pack-" + std::to_string(phrases));
  std::error_code ec;
  fs::remove_all(c.dir, ec);

  std::fprintf(stderr, "[%zu phrases] writing the pack\n", phrases);
  const bench::SynthPack pack = bench::write_pack(c.dir, phrases, o.seed ^ (phrases * 0x9E3779B97F4A7C15ull));
  row.lexicons = pack.lexicons;
  row.rules = pack.rules;
  row.yaml_mb = static_cast<double>(pack.bytes) / 1e6;

  bench::TextGen gen(o.seed + phrases);
  c.queries = gen.query_mix(pack.phrases, pack.lexicons, o.queries, o.planted_share, o.query_bytes);
  for (std::size_t i = 0; i < o.posts; ++i) c.posts.push_back(gen.post(pack.phrases, o.post_bytes, i % 4 == 0));
  std::size_t qbytes = 0;
  for (const auto& q : c.queries) qbytes += q.text.size();
  for (const auto& p : c.posts) c.post_bytes += p.text.size();
  row.mean_query_bytes = static_cast<double>(qbytes) / static_cast<double>(c.queries.size());

  // Compile time and memory: RSS growth across the load and one warm-up evaluate.
  std::fprintf(stderr, "[%zu phrases] Engine::load\n", phrases);
  bench::trim_heap();
  const std::uint64_t rss0 = bench::rss_bytes();
  const double cpu0 = bench::process_cpu_seconds();
  const auto t0 = bench::Clock::now();
  c.engine.emplace(signpost::Engine::load(c.dir));
  row.compile_s = bench::seconds_since(t0);
  row.compile_cpu_s = bench::process_cpu_seconds() - cpu0;
  g_sink = g_sink + consume(c.engine->evaluate({.text = c.queries.front().text, .locale = c.queries.front().locale}));
  bench::trim_heap();
  const std::uint64_t rss1 = bench::rss_bytes();
  row.rss_mb = (static_cast<double>(rss1) - static_cast<double>(rss0)) / (1024.0 * 1024.0);

  std::fprintf(stderr, "[%zu phrases] baseline compile\n", phrases);
  std::vector<std::string> texts;
  texts.reserve(pack.phrases.size());
  for (const auto& p : pack.phrases) texts.push_back(p.text);
  const double bcpu0 = bench::process_cpu_seconds();
  c.base = std::make_unique<bench::Baseline>(texts);
  row.baseline_compile_cpu_s = bench::process_cpu_seconds() - bcpu0;  // includes case-folding the phrases
  row.baseline_compile_s = c.base->compile_seconds();
  row.baseline_db_mb = static_cast<double>(c.base->database_bytes()) / (1024.0 * 1024.0);

  // One untimed pass over every query and post; records what each side finds.
  std::size_t matched = 0, found = 0, base_hits = 0;
  for (const auto& q : c.queries) {
    const signpost::Decision d = c.engine->evaluate({.text = q.text, .locale = q.locale});
    const bool hit = d.action != signpost::Action::none;
    matched += hit;
    if (q.planted) {
      ++row.planted;
      found += hit;
    } else if (hit) {
      ++row.ordinary_flagged;
    }
    if (o.show_misses && hit != q.planted)
      std::fprintf(stderr, "  %s [%s] %s\n", q.planted ? "planted, not flagged:" : "ordinary, flagged:",
                   q.locale.c_str(), q.text.c_str());
    base_hits += c.base->run(q.text) > 0;
  }
  row.matching = static_cast<double>(matched) / static_cast<double>(c.queries.size());
  row.planted_found = row.planted ? static_cast<double>(found) / static_cast<double>(row.planted) : 0;
  row.base_hit_share = static_cast<double>(base_hits) / static_cast<double>(c.queries.size());
  std::size_t post_hits = 0;
  for (const auto& p : c.posts) {
    post_hits += c.engine->evaluate({.text = p.text, .locale = p.locale, .mode = signpost::Mode::post}).action !=
                 signpost::Action::none;
    g_sink = g_sink + c.base->run(p.text);
  }
  row.post_matching = static_cast<double>(post_hits) / static_cast<double>(c.posts.size());
}

// One timed batch of queries [first, first + n) on one side.
void query_batch(const Options& o, Case& c, std::size_t first, bool engine_side, bool record) {
  const bench::ThreadCounters& ctr = counters();
  std::size_t sink = 0;
  const auto c0 = ctr.read();
  const auto a = bench::Clock::now();
  if (engine_side) {
    for (std::size_t i = first; i < first + o.batch; ++i)
      sink += consume(c.engine->evaluate({.text = c.queries[i].text, .locale = c.queries[i].locale}));
  } else {
    for (std::size_t i = first; i < first + o.batch; ++i) sink += c.base->run(c.queries[i].text);
  }
  const auto b = bench::Clock::now();
  const auto c1 = ctr.read();
  g_sink = g_sink + sink;
  if (!record) return;
  (engine_side ? c.row.eng_ctr : c.row.base_ctr).add(c0, c1, o.batch);
  (engine_side ? c.eng : c.bas).push_back(bench::ns_between(a, b) / static_cast<double>(o.batch));
}

// One timed pass over every post on one side.
void post_round(Case& c, bool engine_side, bool record) {
  const bench::ThreadCounters& ctr = counters();
  std::size_t sink = 0;
  const auto c0 = ctr.read();
  const auto a = bench::Clock::now();
  for (const auto& p : c.posts) {
    if (engine_side)
      sink += consume(c.engine->evaluate({.text = p.text, .locale = p.locale, .mode = signpost::Mode::post}));
    else
      sink += c.base->run(p.text);
  }
  const double s = std::chrono::duration<double>(bench::Clock::now() - a).count();
  const auto c1 = ctr.read();
  g_sink = g_sink + sink;
  if (!record) return;
  (engine_side ? c.row.post_eng_ctr : c.row.post_base_ctr).add(c0, c1, c.post_bytes);
  (engine_side ? c.post_eng : c.post_bas).push_back(static_cast<double>(c.post_bytes) / s / 1e6);
}

// Times every size. On a machine shared with other work the speed available changes from second to
// second, so the sizes take turns in short blocks (each opened by one untimed batch per side, to
// refill the caches the other sizes used), and engine and baseline alternate within each block:
// every ratio, across sides and across sizes, compares figures taken under the same conditions.
void measure(const Options& o, std::vector<Case>& cases) {
  constexpr std::size_t kBlock = 32;  // batches (or post rounds, or calls / 64) per turn
  const std::size_t chunks = cases.front().queries.size() / o.batch;
  std::fprintf(stderr, "timing %zu batches of %zu queries per side and size\n", o.batches, o.batch);
  std::size_t done = 0, turn = 0;
  while (done < o.batches) {
    const std::size_t n = std::min(kBlock, o.batches - done);
    for (std::size_t k = 0; k < cases.size(); ++k) {
      Case& c = cases[(turn + k) % cases.size()];
      query_batch(o, c, 0, true, false);
      query_batch(o, c, 0, false, false);
      for (std::size_t b = done; b < done + n; ++b) {
        const std::size_t first = (b % chunks) * o.batch;
        const bool engine_first = (b + b / chunks) % 2 == 0;  // alternates per batch, and per round
        query_batch(o, c, first, engine_first, true);
        query_batch(o, c, first, !engine_first, true);
      }
    }
    done += n;
    ++turn;
  }

  // Single calls, for the tail that batch means smooth out (includes ~20 ns of clock reads).
  std::fprintf(stderr, "timing %zu single calls per side and size\n", o.single_calls);
  done = 0;
  turn = 0;
  while (done < o.single_calls) {
    const std::size_t n = std::min(kBlock * 64, o.single_calls - done);
    for (std::size_t k = 0; k < cases.size(); ++k) {
      Case& c = cases[(turn + k) % cases.size()];
      query_batch(o, c, 0, true, false);
      query_batch(o, c, 0, false, false);
      for (std::size_t i = done; i < done + n; ++i) {
        const auto& q = c.queries[i % c.queries.size()];
        const auto a = bench::Clock::now();
        const std::size_t r1 = consume(c.engine->evaluate({.text = q.text, .locale = q.locale}));
        const auto b = bench::Clock::now();
        const std::size_t r2 = c.base->run(q.text);
        const auto d = bench::Clock::now();
        g_sink = g_sink + r1 + r2;
        c.eng_call.push_back(bench::ns_between(a, b));
        c.bas_call.push_back(bench::ns_between(b, d));
      }
    }
    done += n;
    ++turn;
  }

  std::fprintf(stderr, "post mode: %zu rounds of %zu posts per side and size\n", o.post_rounds, o.posts);
  done = 0;
  turn = 0;
  while (done < o.post_rounds) {
    const std::size_t n = std::min(kBlock / 4, o.post_rounds - done);
    for (std::size_t k = 0; k < cases.size(); ++k) {
      Case& c = cases[(turn + k) % cases.size()];
      post_round(c, true, false);
      post_round(c, false, false);
      for (std::size_t r = done; r < done + n; ++r) {
        post_round(c, r % 2 == 0, true);
        post_round(c, r % 2 != 0, true);
      }
    }
    done += n;
    ++turn;
  }

  for (Case& c : cases) {
    Row& row = c.row;
    row.eng_median = bench::quantile(c.eng, 0.5);
    row.eng_p99 = bench::quantile(c.eng, 0.99);
    row.base_median = bench::quantile(c.bas, 0.5);
    row.base_p99 = bench::quantile(c.bas, 0.99);
    row.eng_call_p99 = bench::quantile(c.eng_call, 0.99);
    row.base_call_p99 = bench::quantile(c.bas_call, 0.99);
    row.post_eng_mbps = bench::quantile(c.post_eng, 0.5);
    row.post_base_mbps = bench::quantile(c.post_bas, 0.5);
  }
}

// --profile: the first size only, one side only, no timing beyond a total, so that a profiler
// (perf record, valgrind --tool=callgrind --toggle-collect=...) sees nothing but the hot path.
int profile(const Options& o, const fs::path& work) {
  const std::size_t phrases = o.sizes.front();
  const bench::SynthPack pack = bench::write_pack(work / "profile", phrases, o.seed ^ (phrases * 0x9E3779B97F4A7C15ull));
  bench::TextGen gen(o.seed + phrases);
  bool post = o.profile == "post";
  std::vector<bench::Sample> texts;
  // Real text runs against the default pack (unless --default-pack ""), synthetic text against the
  // synthetic pack.
  const bool real = o.profile == "english" || o.profile == "multilingual" || o.profile == "prose" || o.profile == "texts";
  const fs::path pack_dir = real && !o.default_pack.empty() ? fs::path(o.default_pack) : pack.dir;
  if (o.profile == "texts") {
    std::ifstream in(o.texts_file);
    if (!in) {
      std::fprintf(stderr, "cannot read --texts file '%s'\n", o.texts_file.c_str());
      return 2;
    }
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string> cols;
      for (std::size_t b = 0;;) {
        const std::size_t e = line.find('\t', b);
        cols.push_back(line.substr(b, e == std::string::npos ? std::string::npos : e - b));
        if (e == std::string::npos) break;
        b = e + 1;
      }
      bench::Sample smp;
      smp.text = cols.back();
      smp.locale = cols.size() >= 2 ? cols[cols.size() - 2] : "";
      texts.push_back(std::move(smp));
    }
  } else if (real) {
    auto real = bench::real_workloads(o.data, o.seed, o.real_queries);
    const std::size_t k = o.profile == "english" ? 0 : o.profile == "multilingual" ? 1 : 2;
    texts = std::move(real[k].texts);
    post = real[k].mode == signpost::Mode::post;
  } else if (post) {
    for (std::size_t i = 0; i < o.posts; ++i) texts.push_back(gen.post(pack.phrases, o.post_bytes, i % 4 == 0));
  } else {
    texts = gen.query_mix(pack.phrases, pack.lexicons, o.queries, o.planted_share, o.query_bytes);
  }
  const signpost::Mode mode = post ? signpost::Mode::post : signpost::Mode::query;
  std::size_t bytes = 0, calls = 0, sink = 0;
  std::vector<double> pass_ns;  // engine: mean ns per call of each pass
  for (const auto& t : texts) bytes += t.text.size();
  const bench::ThreadCounters& ctr = counters();
  bench::ThreadCounters::Values c0;
  auto t0 = bench::Clock::now();
  if (o.profile_side == "engine") {
    const signpost::Engine engine = signpost::Engine::load(pack_dir);
    std::fprintf(stderr, "load: %.3f s\n", bench::seconds_since(t0));
    for (const auto& t : texts) sink += consume(engine.evaluate({.text = t.text, .locale = t.locale, .mode = mode}));
    c0 = ctr.read();
    t0 = bench::Clock::now();
    for (std::size_t p = 0; p < o.profile_passes; ++p) {
      const auto tp = bench::Clock::now();
      for (const auto& t : texts) {
        sink += consume(engine.evaluate({.text = t.text, .locale = t.locale, .mode = mode}));
        ++calls;
      }
      pass_ns.push_back(bench::seconds_since(tp) * 1e9 / static_cast<double>(texts.size()));
    }
  } else {
    std::vector<std::string> phrases_text;
    if (pack_dir != pack.dir) phrases_text = bench::pack_terms(pack_dir);
    else
      for (const auto& p : pack.phrases) phrases_text.push_back(p.text);
    bench::Baseline base(phrases_text);
    std::fprintf(stderr, "baseline compile: %.3f s\n", bench::seconds_since(t0));
    for (const auto& t : texts) sink += base.run(t.text);
    c0 = ctr.read();
    t0 = bench::Clock::now();
    for (std::size_t p = 0; p < o.profile_passes; ++p)
      for (const auto& t : texts) {
        sink += base.run(t.text);
        ++calls;
      }
  }
  const double s = bench::seconds_since(t0);
  bench::CounterTotals tot;
  tot.add(c0, ctr.read(), calls);
  g_sink = g_sink + sink;
  std::fprintf(stderr, "%s %s, %zu phrases: %zu calls in %.3f s, %.0f ns per call, %.1f MB/s",
               o.profile_side.c_str(), o.profile.c_str(), phrases, calls, s, s * 1e9 / static_cast<double>(calls),
               static_cast<double>(bytes) * static_cast<double>(o.profile_passes) / s / 1e6);
  if (!pass_ns.empty()) {
    std::sort(pass_ns.begin(), pass_ns.end());
    std::fprintf(stderr, "; median over passes %.0f ns per call", pass_ns[pass_ns.size() / 2]);
  }
  if (ctr.ok())
    std::fprintf(stderr, "; per call %.0f cycles, %.0f instructions (IPC %.2f)", tot.cycles_per(),
                 tot.instructions_per(), tot.cycles ? static_cast<double>(tot.instructions) / static_cast<double>(tot.cycles) : 0.0);
  std::fputc('\n', stderr);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  try {
    const std::string load_before = bench::load_average();
    const auto t_start = bench::Clock::now();
    WorkDir work(o.keep_packs);
    if (!o.profile.empty()) return profile(o, work.path);

    // Process-wide one-time costs (normalizer tables, ICU data, thread scratch) are paid here, on
    // a small pack, so that they count in neither the first pack's compile time nor its memory.
    {
      const bench::SynthPack prime = bench::write_pack(work.path / "prime", 64, o.seed);
      const signpost::Engine e = signpost::Engine::load(prime.dir);
      g_sink = g_sink + consume(e.evaluate({.text = "Warm up, prime the tables: ÀÉÎ ДЖ عربي ελλάδα 中文", .locale = "en"}));
      g_sink = g_sink + bench::nfkc_casefold("Warm up ÀÉÎ").size();
      if (o.keep_packs.empty()) fs::remove_all(prime.dir);
    }

    std::vector<Case> cases(o.sizes.size());
    for (std::size_t i = 0; i < o.sizes.size(); ++i) prepare(o, o.sizes[i], work.path, cases[i]);
    if (o.synthetic) measure(o, cases);
    std::string real_md;
    if (o.real) {
      std::size_t k = 0;
      for (std::size_t i = 0; i < cases.size(); ++i)
        if (o.sizes[i] == o.real_pack) k = i;
      const auto workloads = bench::real_workloads(o.data, o.seed, o.real_queries);
      auto run_all = [&](const signpost::Engine& engine, bench::Baseline& base, const std::string& what) {
        std::vector<bench::WorkloadResult> results;
        for (const auto& w : workloads) {
          std::fprintf(stderr, "real text, %s: %s (%zu texts)\n", what.c_str(), w.name.c_str(), w.texts.size());
          results.push_back(bench::measure_workload(w, engine, base, o.real_passes, o.real_calls, counters()));
        }
        real_md += bench::real_report(results, what, kGoalRatio, counters().ok());
      };
      run_all(*cases[k].engine, *cases[k].base, "synthetic pack of " + thousands(o.sizes[k]) + " phrases");
      if (!o.default_pack.empty()) {
        const signpost::Engine engine = signpost::Engine::load(o.default_pack);
        const std::vector<std::string> terms = bench::pack_terms(o.default_pack);
        bench::Baseline base(terms);
        run_all(engine, base,
                "default pack `" + engine.pack().name + "` " + engine.pack().version + " (" + thousands(terms.size()) +
                    " terms)");
      }
    }
    std::vector<Row> rows;
    for (Case& c : cases) {
      rows.push_back(c.row);
      c.engine.reset();
      c.base.reset();
      if (o.keep_packs.empty()) fs::remove_all(c.dir);
    }
    const std::string md =
        bench::report({.seed = o.seed, .queries = o.queries, .batch = o.batch, .batches = o.batches, .posts = o.posts,
                       .post_bytes = o.post_bytes, .post_rounds = o.post_rounds, .planted_share = o.planted_share,
                       .synthetic = o.synthetic, .counters = counters().ok()},
                      rows, real_md, load_before, bench::load_average(), bench::seconds_since(t_start));
    std::cout << md << std::flush;
    if (!o.markdown.empty()) {
      std::ofstream f(o.markdown, std::ios::binary);
      f << md;
      if (!f) {
        std::fprintf(stderr, "signpost-bench: cannot write %s\n", o.markdown.c_str());
        return 1;
      }
    }
  } catch (const signpost::ConfigError& e) {
    std::fprintf(stderr, "signpost-bench: the synthetic pack was refused:\n%s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "signpost-bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
