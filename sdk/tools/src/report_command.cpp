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

#include "cli_app.hpp"

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

struct ReportArgs {
  std::vector<std::string> inputs;
  std::string out, k, epsilon, seed, period;
};

CLI::App* declare_report(CLI::App& root, ReportArgs& a) {
  CLI::App* cmd = cli::add_command(
      root, "report",
      "write a transparency report from metrics snapshots\n\n"
      "Merges metrics snapshots (written by `signpost scan --metrics-out` or a server) and writes a\n"
      "transparency report to DIR/report.md and DIR/report.html.",
      "exit: 0 written, 2 usage errors, unreadable or invalid snapshots, a report that cannot be written\n\n"
      "example:\n  signpost report --out transparency/ run-*.json");
  cli::add_argument(*cmd, "SNAPSHOT", a.inputs, "metrics snapshots (JSON)")->required();
  cmd->add_option("--out", a.out, "folder for report.md and report.html (created if missing)")
      ->option_text("DIR")
      ->required()
      ->group("options");
  cmd->add_option("--k", a.k, "show every count under N as \"< N\" (default 50)")->option_text("N")->group("options");
  cmd->add_option("--epsilon", a.epsilon, "add Laplace noise of scale 1/E to every count before suppression")
      ->option_text("E")
      ->group("options");
  cmd->add_option("--seed", a.seed, "seed for the noise (default: random; do not publish it)")
      ->option_text("N")
      ->group("options");
  cmd->add_option("--period", a.period, "group the by-period tables by month (default), day or snapshot")
      ->option_text("month|day|snapshot")
      ->group("options");
  return cmd;
}

// The options as given, checked; nullopt (and `error` set) for a usage error.
std::optional<ReportOptions> check_report_args(const ReportArgs& a, const CLI::App& app, std::string& error) {
  ReportOptions o;
  o.inputs = a.inputs;
  const std::string &out = a.out, &k = a.k, &epsilon = a.epsilon, &seed = a.seed, &period = a.period;
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
  if (o.seed && !o.epsilon) {
    error = "--seed only makes sense with --epsilon";
    return std::nullopt;
  }
  return o;
}

}  // namespace

int run_report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  // "--name value", "--name=value", snapshots anywhere, "--" before snapshot names that start with '-'.
  ReportArgs a;
  auto root = cli::make_root();
  CLI::App* cmd = declare_report(*root, a);
  auto missing = [&] { return std::string(a.inputs.empty() ? "no snapshot given" : "--out DIR is required"); };
  if (auto status = cli::parse(*cmd, args, out, err, missing)) return *status;
  std::string error;
  const auto options = check_report_args(a, *cmd, error);
  if (!options) {
    err << "signpost report: " << error << "\n" << cmd->help();
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

const char* report_usage() noexcept {
  static const std::string text = cli::help_of(detail::declare_report);
  return text.c_str();
}

}  // namespace signpost::tools
