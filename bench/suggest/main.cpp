// signpost-bench-suggest: the cost of Engine::filter_suggestions per suggestion, on the default
// pack, with the development query set as suggestions (each list of 10 queries, typed = the first
// word of the list's first query). Also times Engine::evaluate on the same texts for reference.
//
//   signpost-bench-suggest [PACK_DIR] [QUERIES_TSV]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <signpost/signpost.hpp>

namespace {

using Clock = std::chrono::steady_clock;
volatile std::size_t sink = 0;

std::vector<std::string> read_texts(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto t2 = line.find('\t', line.find('\t') + 1);
    if (t2 != std::string::npos) out.push_back(line.substr(t2 + 1));
  }
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc > 1 && (std::string(argv[1]) == "-h" || std::string(argv[1]) == "--help")) {
    std::printf("usage: signpost-bench-suggest [PACK_DIR] [QUERIES_TSV]\n");
    return 0;
  }
  const std::string pack = argc > 1 ? argv[1] : "messages/people-smuggling";
  const std::string queries = argc > 2 ? argv[2] : "tests/data/eval/dev-queries.tsv";
  const signpost::Engine engine = signpost::Engine::load(pack);
  const std::vector<std::string> texts = read_texts(queries);
  if (texts.size() < 10) {
    std::fprintf(stderr, "signpost-bench-suggest: %s: too few queries\n", queries.c_str());
    return 2;
  }
  constexpr std::size_t kList = 10;
  constexpr int kRounds = 7;
  std::size_t kept_total = 0, suggestions = 0;
  std::vector<double> per_suggestion_ns, per_evaluate_ns;
  for (int round = 0; round < kRounds; ++round) {
    const auto t0 = Clock::now();
    kept_total = suggestions = 0;
    for (std::size_t at = 0; at + kList <= texts.size(); at += kList) {
      const std::span<const std::string> list(texts.data() + at, kList);
      const std::string typed = texts[at].substr(0, texts[at].find(' '));
      kept_total += engine.filter_suggestions({typed, "en"}, list).size();
      suggestions += kList;
    }
    const auto t1 = Clock::now();
    std::size_t acted = 0;
    for (std::size_t i = 0; i < suggestions; ++i)
      acted += engine.evaluate({texts[i], "en"}).action != signpost::Action::none;
    const auto t2 = Clock::now();
    per_suggestion_ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / double(suggestions));
    per_evaluate_ns.push_back(std::chrono::duration<double, std::nano>(t2 - t1).count() / double(suggestions));
    sink = acted;  // the evaluations are used
  }
  std::printf("pack %s %s, %zu suggestions in lists of %zu, %zu kept; median of %d rounds\n",
              engine.pack().name.c_str(), engine.pack().version.c_str(), suggestions, kList, kept_total, kRounds);
  std::printf("filter_suggestions: %.0f ns per suggestion\n", median(per_suggestion_ns));
  std::printf("evaluate (reference): %.0f ns per text\n", median(per_evaluate_ns));
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "signpost-bench-suggest: %s\n", e.what());
  return 2;
}
