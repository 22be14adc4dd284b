// report_command.cpp (tools): `signpost report`: arguments, reading snapshots, writing the files.
#include "report.hpp"
#include "signpost/error.hpp"
#include "signpost/tools/report.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cctype>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <tuple>



#include <CLI/CLI.hpp>

#include "report_model.hpp"

namespace signpost::detail {
namespace {

constexpr std::uintmax_t kMaxSnapshotBytes = 64u << 20;

// ---- the command -----------------------------------------------------------------------------

void write_file(const std::filesystem::path& path, const std::string& data) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error(tmp.string() + ": cannot open for writing");
    f.write(data.data(), static_cast<std::streamsize>(data.size()));
    f.flush();
    if (!f) throw std::runtime_error(tmp.string() + ": cannot write");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw std::runtime_error(path.string() + ": cannot write");
  }
}

std::string read_snapshot_file(const std::string& name) {
  std::error_code ec;
  if (std::filesystem::is_directory(name, ec)) throw std::runtime_error("is a directory");
  std::ifstream f(name, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read file");
  std::string data;
  char buf[1 << 16];
  while (f.read(buf, sizeof buf) || f.gcount() > 0) {
    data.append(buf, static_cast<std::size_t>(f.gcount()));
    if (data.size() > kMaxSnapshotBytes) throw std::runtime_error("file larger than 64 MiB");
  }
  if (f.bad()) throw std::runtime_error("cannot read file");
  return data;
}

template <class T>
bool parse_number(std::string_view s, T& out) {
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

const char* const kReportUsage =
    "usage: signpost report SNAPSHOT... --out DIR [--k N] [--epsilon E] [--seed N] [--period month|day|snapshot]\n"
    "\n"
    "Merges metrics snapshots (written by `signpost scan --metrics-out` or a server) and writes a\n"
    "transparency report to DIR/report.md and DIR/report.html.\n"
    "\n"
    "  --out DIR         folder for report.md and report.html (created if missing)\n"
    "  --k N             show every count under N as \"< N\" (default 50)\n"
    "  --epsilon E       add Laplace noise of scale 1/E to every count before suppression\n"
    "  --seed N          seed for the noise (default: random; do not publish it)\n"
    "  --period P        group the by-period tables by month (default), day or snapshot\n"
    "  --help            show this help\n";

std::optional<ReportOptions> parse_report_args(const std::vector<std::string>& args, std::string& error, bool& help) {
  ReportOptions o;
  help = false;
  // The same CLI11 grammar as the other commands of `signpost`: "--name value", "--name=value",
  // snapshots anywhere, "--" before snapshot names that start with '-'.
  CLI::App app{"", "signpost report"};
  app.set_help_flag();
  app.add_flag("-h,--help", help);
  std::string out, k, epsilon, seed, period;
  app.add_option("--out", out);
  app.add_option("--k", k);
  app.add_option("--epsilon", epsilon);
  app.add_option("--seed", seed);
  app.add_option("--period", period);
  app.add_option("snapshots", o.inputs);
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    error = e.what();
    return std::nullopt;
  }
  if (help) return std::nullopt;
  for (const auto& input : o.inputs)
    if (input == "-") {
      error = "reading a snapshot from standard input is not supported";
      return std::nullopt;
    }
  if (app.count("--out")) {
    if (out.empty()) {
      error = "--out needs a folder";
      return std::nullopt;
    }
    o.out = out;
  }
  if (app.count("--k") && (!parse_number(k, o.k) || o.k > 1000000000)) {
    error = "--k must be a whole number from 0 to 1000000000";
    return std::nullopt;
  }
  if (app.count("--epsilon")) {
    double e = 0;
    if (!parse_number(epsilon, e) || !std::isfinite(e) || e <= 0 || e > 1e6) {
      error = "--epsilon must be a number greater than 0 (and at most 1000000)";
      return std::nullopt;
    }
    o.epsilon = e;
  }
  if (app.count("--seed")) {
    std::uint64_t value = 0;
    if (!parse_number(seed, value)) {
      error = "--seed must be a whole number from 0 to 18446744073709551615";
      return std::nullopt;
    }
    o.seed = value;
  }
  if (app.count("--period")) {
    if (period == "month") o.period = ReportOptions::Period::month;
    else if (period == "day") o.period = ReportOptions::Period::day;
    else if (period == "snapshot") o.period = ReportOptions::Period::snapshot;
    else {
      error = "--period must be month, day or snapshot";
      return std::nullopt;
    }
  }
  if (o.inputs.empty()) {
    error = "no snapshot given";
    return std::nullopt;
  }
  if (o.out.empty()) {
    error = "--out DIR is required";
    return std::nullopt;
  }
  if (o.seed && !o.epsilon) {
    error = "--seed only makes sense with --epsilon";
    return std::nullopt;
  }
  return o;
}

int run_report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string error;
  bool help = false;
  const auto options = parse_report_args(args, error, help);
  if (help) {
    out << kReportUsage;
    return 0;
  }
  if (!options) {
    err << "signpost report: " << error << "\n" << kReportUsage;
    return 2;
  }

  std::vector<MetricsSnapshot> snapshots;
  for (const auto& name : options->inputs) {
    try {
      snapshots.push_back(MetricsSnapshot::from_json(read_snapshot_file(name)));
    } catch (const std::exception& e) {
      err << "signpost report: " << name << ": " << e.what() << "\n";
      return 2;
    }
  }

  std::uint64_t seed = 0;
  if (options->epsilon) {
    if (options->seed) {
      seed = *options->seed;
    } else {
      std::random_device rd;
      seed = (std::uint64_t(rd()) << 32) ^ rd();
    }
  }

  RenderedReport report;
  try {
    report = render_report(snapshots, *options, seed);
  } catch (const signpost::Error&) {
    err << "signpost report: counts overflow when merging the snapshots\n";
    return 2;
  }

  try {
    std::error_code ec;
    std::filesystem::create_directories(options->out, ec);
    if (!std::filesystem::is_directory(options->out, ec))
      throw std::runtime_error(options->out.string() + ": cannot create folder");
    write_file(options->out / "report.md", report.markdown);
    write_file(options->out / "report.html", report.html);
  } catch (const std::exception& e) {
    err << "signpost report: " << e.what() << "\n";
    return 2;
  }
  out << "wrote " << (options->out / "report.md").string() << " and " << (options->out / "report.html").string() << "\n";
  return 0;
}

}  // namespace signpost::detail

namespace signpost::tools {

int run_report(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  return detail::run_report_command(args, out, err);
}

const char* report_usage() noexcept { return detail::kReportUsage; }

}  // namespace signpost::tools
