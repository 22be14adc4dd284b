// report: Wilson intervals, Laplace noise, suppression, the Markdown and HTML reports, and the
// `signpost report` command's arguments and errors.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>


#include <signpost/signpost.hpp>

#include "report.hpp"
#include "base/sha256.hpp"
#include "files.hpp"

namespace fs = std::filesystem;
using signpost::MetricsSnapshot;
using signpost::detail::ReportOptions;

using signpost::test::write_file;
using signpost::test::read_file;

namespace {

bool contains(const std::string& haystack, std::string_view needle) { return haystack.find(needle) != std::string::npos; }

// The Markdown table row that starts with `first` (a code span for ids).
std::string md_row(const std::string& md, const std::string& first) {
  const std::string start = "| " + first + " |";
  const auto at = md.find(start);
  if (at == std::string::npos) return "(no row " + first + ")";
  return md.substr(at, md.find('\n', at) - at);
}

MetricsSnapshot snapshot(std::int64_t start, std::int64_t end) {
  MetricsSnapshot s;
  s.packs = {{"pk", "1.0.0", ""}};
  s.period_start = start;
  s.period_end = end;
  s.holdout_rates = {{"pk", "crossing", 0.1}, {"pk", "documents", 0.0}};
  s.decisions = {
      {"pk", "crossing", "redirect", "en", false, 900},
      {"pk", "crossing", "redirect", "fr", false, 300},
      {"pk", "crossing", "none", "en", true, 150},
      {"pk", "crossing", "none", "fr", true, 20},
      {"pk", "documents", "interstitial", "en", false, 7},
      {"pk", "none", "none", "en", false, 5000},
  };
  s.cards = {{"pk", "dangers", "en", 900, 45}, {"pk", "dangers", "fr", 300, 3}, {"pk", "report", "en", 907, 60}};
  for (const auto& d : s.decisions) s.evaluations += d.count;
  MetricsSnapshot canonical;
  canonical.merge(s);
  return canonical;
}

constexpr std::int64_t kMay1 = 1714521600;   // 2024-05-01 00:00 UTC
constexpr std::int64_t kJun1 = 1717200000;   // 2024-06-01 00:00 UTC

ReportOptions options(std::uint64_t k = 50) {
  ReportOptions o;
  o.k = k;
  return o;
}

int run(const std::vector<std::string>& args, std::string& out, std::string& err) {
  std::ostringstream o, e;
  const int status = signpost::detail::run_report_command(args, o, e);
  out = o.str();
  err = e.str();
  return status;
}

}  // namespace

// ---- statistics ---------------------------------------------------------------------------------

TEST_CASE("Wilson interval: known values, bounds and edge cases") {
  using signpost::detail::wilson_interval;
  auto ci = wilson_interval(0, 10);
  CHECK(ci.low == 0.0);
  CHECK(ci.high == doctest::Approx(0.2775328).epsilon(1e-6));
  ci = wilson_interval(5, 10);
  CHECK(ci.low == doctest::Approx(0.2365931).epsilon(1e-6));
  CHECK(ci.high == doctest::Approx(0.7634069).epsilon(1e-6));
  ci = wilson_interval(81, 263);
  CHECK(ci.low == doctest::Approx(0.2552885).epsilon(1e-6));
  CHECK(ci.high == doctest::Approx(0.3662096).epsilon(1e-6));
  ci = wilson_interval(10, 10);
  CHECK(ci.low == doctest::Approx(0.7224672).epsilon(1e-6));
  CHECK(ci.high <= 1.0);
  ci = wilson_interval(12, 10);  // successes are capped at trials
  CHECK(ci.high <= 1.0);
  ci = wilson_interval(0, 0);
  CHECK(ci.low == 0.0);
  CHECK(ci.high == 0.0);
}

TEST_CASE("Laplace noise: the inverse CDF over a seeded mt19937_64, reproducible") {
  signpost::detail::LaplaceNoise a(2.0, 42), b(2.0, 42), c(2.0, 43);
  std::mt19937_64 rng(42);
  for (int i = 0; i < 100; ++i) {
    const double u = (static_cast<double>(rng() >> 11) + 0.5) * 0x1p-53;
    const double expected = u < 0.5 ? 2.0 * std::log(2.0 * u) : -2.0 * std::log(2.0 - 2.0 * u);
    const double x = a();
    CHECK(x == expected);
    CHECK(x == b());
  }
  signpost::detail::LaplaceNoise d(2.0, 42);
  CHECK(d() != c());
}

TEST_CASE("Laplace noise: mean 0 and mean absolute deviation equal to the scale") {
  signpost::detail::LaplaceNoise noise(4.0, 7);
  double sum = 0, abs_sum = 0;
  constexpr int n = 200'000;
  for (int i = 0; i < n; ++i) {
    const double x = noise();
    CHECK(std::isfinite(x));
    sum += x;
    abs_sum += std::abs(x);
  }
  CHECK(std::abs(sum / n) < 0.05);
  CHECK(abs_sum / n == doctest::Approx(4.0).epsilon(0.02));
}

// ---- the report ---------------------------------------------------------------------------------

TEST_CASE("report: counts, suppression under k and rates from suppressed counts") {
  const auto r = signpost::detail::render_report({snapshot(kMay1, kMay1 + 86400)}, options(50), 0);
  const std::string& md = r.markdown;
  CHECK(contains(md, "# signpost transparency report"));
  CHECK(contains(md, "| Decisions (every query or post judged) | 6,377 |"));
  CHECK(contains(md, "| Interventions (cards shown: annotate, interstitial or redirect) | 1,207 |"));
  CHECK(contains(md, "| Held out (would have intervened; no cards, for comparison) | 170 |"));
  // documents has 7 interventions: under k, shown as "< 50".
  CHECK(md_row(md, "`documents`") == "| `documents` | interstitial | < 50 | < 50 |");
  // Click-through: 45 clicks < 50, so the rate is suppressed too. 60 of 907 is 6.6%, and the
  // Wilson interval (checked with Python) is 5.17% to 8.42%.
  CHECK(contains(md, "| `dangers` | `en` | 900 | < 50 | suppressed |  |"));
  CHECK(contains(md, "| `report` | `en` | 907 | 60 | 6.6% | 5.2% to 8.4% |"));
}

TEST_CASE("report: without noise, a total never gives a suppressed count away by subtraction") {
  // All categories: 1,207 = crossing 1,200 + documents 7. With documents shown as "< 50", showing
  // crossing would give documents away (1,207 - 1,200), so crossing is withheld too; likewise in
  // the locale table, where the en column (907) holds documents/en (7).
  const auto r = signpost::detail::render_report({snapshot(kMay1, kMay1 + 86400)}, options(50), 0);
  CHECK(md_row(r.markdown, "`crossing`") == "| `crossing` | redirect | withheld | 170 |");
  CHECK(contains(r.markdown, "| **all categories** |  | **1,207** | **170** |"));
  const std::string by_locale = r.markdown.substr(r.markdown.find("**Interventions by category (rows) and locale"));
  CHECK(md_row(by_locale, "`crossing`") == "| `crossing` | withheld | withheld | withheld |");
  CHECK(md_row(by_locale, "`documents`") == "| `documents` | < 50 | < 50 | < 50 |");
  CHECK(contains(r.markdown, "shown as \"withheld\""));
  // A zero gives nobody away: documents/fr = 0 next to crossing/fr does not withhold anything at k = 5.
  const auto k5 = signpost::detail::render_report({snapshot(kMay1, kMay1 + 86400)}, options(5), 0);
  const std::string by_locale5 = k5.markdown.substr(k5.markdown.find("**Interventions by category (rows) and locale"));
  CHECK(md_row(by_locale5, "`crossing`") == "| `crossing` | 900 | 300 | 1,200 |");
  CHECK(md_row(by_locale5, "`documents`") == "| `documents` | 7 | < 5 | 7 |");
  // Clicks: dangers 48 = en 45 + fr 3; with fr under 5, en is withheld.
  CHECK(contains(k5.markdown, "| `dangers` | `en` | 900 | withheld | suppressed |  |"));
  CHECK(contains(k5.markdown, "| `dangers` | `fr` | 300 | < 5 | suppressed |  |"));
  // k = 0 shows everything.
  const auto all = signpost::detail::render_report({snapshot(kMay1, kMay1 + 86400)}, options(0), 0);
  CHECK(md_row(all.markdown, "`documents`") == "| `documents` | interstitial | 7 | 0 |");
  CHECK(contains(all.markdown, "| `dangers` | `en` | 900 | 45 | 5.0% | 3.8% to 6.6% |"));
  CHECK(contains(all.markdown, "| `dangers` | `fr` | 300 | 3 | 1.0% | 0.34% to 2.9% |"));
  CHECK(contains(all.markdown, "| `report` | `fr` | 0 | 0 | n/a |  |"));
}

TEST_CASE("report: snapshots are grouped by month and merged") {
  const auto r = signpost::detail::render_report(
      {snapshot(kMay1, kMay1 + 86400), snapshot(kMay1 + 86400, kMay1 + 2 * 86400), snapshot(kJun1, kJun1 + 3600)},
      options(50), 0);
  const std::string& md = r.markdown;
  CHECK(contains(md, "| 2024-05 | 2024-05-01 00:00 UTC | 2024-05-03 00:00 UTC | 12,754 | 2,414 | 340 | 10,000 |"));
  CHECK(contains(md, "| 2024-06 | 2024-06-01 00:00 UTC | 2024-06-01 01:00 UTC | 6,377 | 1,207 | 170 | 5,000 |"));
  CHECK(contains(md, "**Period:** 2024-05-01 00:00 UTC to 2024-06-01 01:00 UTC"));
  CHECK(contains(md, "**Snapshots merged:** 3"));
  ReportOptions by_day = options(50);
  by_day.period = ReportOptions::Period::day;
  const auto d = signpost::detail::render_report(
      {snapshot(kMay1, kMay1 + 86400), snapshot(kMay1 + 86400, kMay1 + 2 * 86400)}, by_day, 0);
  CHECK(contains(d.markdown, "| 2024-05-01 |"));
  CHECK(contains(d.markdown, "| 2024-05-02 |"));
}

TEST_CASE("report: holdout comparison with the declared rate, share, interval and relative rate") {
  const auto r = signpost::detail::render_report({snapshot(kMay1, kMay1 + 86400)}, options(5), 0);
  // crossing: treatment 1,200, held out 170 of 1,370 = 12.4% (Wilson: 10.77% to 14.26%); rate 10%:
  // relative rate = 0.1 * (1 - p) / (0.9 * p) = 0.1 * 1200 / (0.9 * 170) = 0.784, and the
  // interval maps the share's ends: 0.668 to 0.921 (all checked with Python).
  const std::string row = md_row(r.markdown.substr(r.markdown.find("## Holdout")), "`crossing`");
  CHECK(row == "| `crossing` | 10.0% | 1,200 | 170 | 12.4% | 10.8% to 14.3% | 0.78 | 0.67 to 0.92 |");
  // documents has no holdout: not listed.
  CHECK(md_row(r.markdown.substr(r.markdown.find("## Holdout")), "`documents`").find("(no row") == 0);
  CHECK(contains(r.markdown, "below 1 means people who saw the cards made fewer such queries"));
}

TEST_CASE("report: a holdout rate that changed is shown as varied and not compared") {
  MetricsSnapshot a = snapshot(kMay1, kMay1 + 86400), b = snapshot(kJun1, kJun1 + 86400);
  b.holdout_rates = {{"pk", "crossing", 0.2}, {"pk", "documents", 0.0}};
  const auto r = signpost::detail::render_report({a, b}, options(5), 0);
  const std::string row = md_row(r.markdown.substr(r.markdown.find("## Holdout")), "`crossing`");
  CHECK(contains(row, "varied: 10.0%, 20.0%"));
  CHECK(contains(row, "| n/a |"));
}

TEST_CASE("report: Laplace noise is stated, reproducible with a seed, and the seed is not printed") {
  ReportOptions o = options(50);
  o.epsilon = 0.5;
  const std::vector<MetricsSnapshot> in = {snapshot(kMay1, kMay1 + 86400)};
  const auto a = signpost::detail::render_report(in, o, 987654321);
  const auto b = signpost::detail::render_report(in, o, 987654321);
  const auto c = signpost::detail::render_report(in, o, 123456789);
  CHECK(a.markdown == b.markdown);
  CHECK(a.html == b.html);
  CHECK(a.markdown != c.markdown);
  CHECK(contains(a.markdown, "epsilon = 0.5 per count (sensitivity 1, scale 1/epsilon = 2)"));
  CHECK_FALSE(contains(a.markdown, "987654321"));
  CHECK_FALSE(contains(a.html, "987654321"));
  // Noise is added before suppression: documents (7) stays suppressed whatever the draw.
  CHECK(md_row(a.markdown, "`documents`") == "| `documents` | interstitial | < 50 | < 50 |");
  // Large counts stay close.
  const std::string row = md_row(a.markdown, "Decisions (every query or post judged)");
  CHECK(contains(row, "6,3"));
}

TEST_CASE("report: the HTML page is self-contained, strict and escapes every label") {
  MetricsSnapshot s = snapshot(kMay1, kMay1 + 86400);
  // A snapshot read from JSON can only hold ids; one built in code is escaped all the same.
  s.decisions.push_back({"pk", "<img src=x onerror=alert(1)>", "redirect", "en", false, 60});
  const auto r = signpost::detail::render_report({s}, options(50), 0);
  const std::string& html = r.html;
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK_FALSE(contains(html, "<img"));
  CHECK(contains(html, "&lt;img src=x onerror=alert(1)&gt;"));
  CHECK_FALSE(contains(html, "<script"));
  CHECK_FALSE(contains(html, "https://"));
  std::string without_ns = html;
  without_ns.erase(without_ns.find("xmlns=\"http://www.w3.org/2000/svg\""), 34);
  CHECK_FALSE(contains(without_ns, "http://"));
  CHECK_FALSE(contains(html, " style="));
  CHECK(contains(html, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK(contains(html, "&lt; 50 (not shown)</text>"));  // the documents bar
  // The CSP allows exactly the one inline style block, by its hash.
  const auto open = html.find("<style>") + 7, close = html.find("</style>");
  const std::string style = html.substr(open, close - open);
  const auto digest = signpost::detail::sha256(style);
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64;
  for (std::size_t i = 0; i < 30; i += 3) {
    const unsigned v = (unsigned(digest[i]) << 16) | (unsigned(digest[i + 1]) << 8) | digest[i + 2];
    for (int sh = 18; sh >= 0; sh -= 6) b64 += kB64[(v >> sh) & 63];
  }
  const unsigned last = (unsigned(digest[30]) << 16) | (unsigned(digest[31]) << 8);
  b64 += kB64[(last >> 18) & 63];
  b64 += kB64[(last >> 12) & 63];
  b64 += kB64[(last >> 6) & 63];
  b64 += '=';
  CHECK(contains(html, "content=\"default-src 'none'; style-src 'sha256-" + b64 + "';"));
  CHECK(contains(r.markdown, "`<img src=x onerror=alert(1)>`"));  // in a code span, inert
}

TEST_CASE("report: several packs are labelled pack/category") {
  MetricsSnapshot a = snapshot(kMay1, kMay1 + 86400), b;
  b.packs = {{"other-pack", "3", ""}};
  b.decisions = {{"other-pack", "crossing", "annotate", "en", false, 500}};
  b.evaluations = 500;
  const auto r = signpost::detail::render_report({a, b}, options(5), 0);
  CHECK(md_row(r.markdown, "`pk/crossing`") == "| `pk/crossing` | redirect | 1,200 | 170 |");
  CHECK(md_row(r.markdown, "`other-pack/crossing`") == "| `other-pack/crossing` | annotate | 500 | < 5 |");
  CHECK(contains(r.markdown, "**Packs:** other-pack 3; pk 1.0.0"));
}

// ---- the command --------------------------------------------------------------------------------

TEST_CASE("signpost report: writes report.md and report.html from snapshot files") {
  const signpost::test::TempDir tmp;
  const fs::path& dir = tmp.path();
  write_file(dir / "a.json", snapshot(kMay1, kMay1 + 86400).to_json());
  write_file(dir / "b.json", snapshot(kJun1, kJun1 + 86400).to_json());
  std::string out, err;
  CHECK(run({(dir / "a.json").string(), (dir / "b.json").string(), "--out", (dir / "r").string(), "--k", "10"}, out, err) == 0);
  CHECK(err.empty());
  CHECK(contains(out, "report.md"));
  const std::string md = read_file(dir / "r" / "report.md"), html = read_file(dir / "r" / "report.html");
  CHECK(contains(md, "**Snapshots merged:** 2"));
  CHECK(contains(md, "| `documents` | interstitial | 14 | < 10 |"));
  CHECK(contains(html, "<svg"));
  CHECK_FALSE(fs::exists(dir / "r" / "report.md.tmp"));
  // --epsilon with --seed is reproducible; --k=N and --epsilon=E forms work.
  CHECK(run({(dir / "a.json").string(), "--out=" + (dir / "n1").string(), "--epsilon=1", "--seed", "5"}, out, err) == 0);
  CHECK(run({(dir / "a.json").string(), "--out", (dir / "n2").string(), "--epsilon", "1", "--seed=5"}, out, err) == 0);
  CHECK(read_file(dir / "n1" / "report.md") == read_file(dir / "n2" / "report.md"));
}

TEST_CASE("signpost report: an unreadable or invalid snapshot is named, exit 2") {
  const signpost::test::TempDir tmp;
  const fs::path& dir = tmp.path();
  std::string out, err;
  const std::string missing = (dir / "missing.json").string();
  CHECK(run({missing, "--out", (dir / "r").string()}, out, err) == 2);
  CHECK(err == "signpost report: " + missing + ": cannot read file\n");

  write_file(dir / "bad.json", R"({"format": "signpost-metrics"})");
  CHECK(run({(dir / "bad.json").string(), "--out", (dir / "r").string()}, out, err) == 2);
  CHECK(err == "signpost report: " + (dir / "bad.json").string() + ": snapshot: missing required field 'format_version'\n");

  write_file(dir / "text.json", "not json at all");
  CHECK(run({(dir / "text.json").string(), "--out", (dir / "r").string()}, out, err) == 2);
  CHECK(err == "signpost report: " + (dir / "text.json").string() + ": invalid JSON at byte 0: unexpected character\n");

  CHECK(run({dir.string(), "--out", (dir / "r").string()}, out, err) == 2);
  CHECK(err == "signpost report: " + dir.string() + ": is a directory\n");
  CHECK_FALSE(fs::exists(dir / "r"));
}

TEST_CASE("signpost report: usage errors exit 2 with the usage; --help exits 0") {
  std::string out, err;
  CHECK(run({}, out, err) == 2);
  CHECK(err.rfind("signpost report: no snapshot given\nusage: signpost report SNAPSHOT...", 0) == 0);
  CHECK(run({"a.json"}, out, err) == 2);
  CHECK(err.rfind("signpost report: --out DIR is required\n", 0) == 0);
  CHECK(run({"a.json", "--out", "d", "--k", "-3"}, out, err) == 2);
  CHECK(err.rfind("signpost report: --k must be a whole number from 0 to 1000000000\n", 0) == 0);
  CHECK(run({"a.json", "--out", "d", "--epsilon", "0"}, out, err) == 2);
  CHECK(err.rfind("signpost report: --epsilon must be a number greater than 0", 0) == 0);
  CHECK(run({"a.json", "--out", "d", "--epsilon", "nan"}, out, err) == 2);
  CHECK(run({"a.json", "--out", "d", "--seed", "1"}, out, err) == 2);
  CHECK(err.rfind("signpost report: --seed only makes sense with --epsilon\n", 0) == 0);
  CHECK(run({"a.json", "--out", "d", "--period", "year"}, out, err) == 2);
  CHECK(err.rfind("signpost report: --period must be month, day or snapshot\n", 0) == 0);
  CHECK(run({"a.json", "--out"}, out, err) == 2);
  CHECK(err.rfind("signpost report: --out: 1 required TEXT missing\n", 0) == 0);  // CLI11's words
  CHECK(run({"a.json", "--out", "d", "--bogus"}, out, err) == 2);
  CHECK(err.rfind("signpost report: The following argument was not expected: --bogus\n", 0) == 0);
  CHECK(run({"--out=d", "--", "-odd-name.json"}, out, err) == 2);  // after "--", a snapshot name
  CHECK(err.find("-odd-name.json") != std::string::npos);
  CHECK(run({"--help"}, out, err) == 0);
  CHECK(out.rfind("usage: signpost report SNAPSHOT... --out DIR", 0) == 0);
  CHECK(err.empty());
}
