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
  bool only_files = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (only_files || a.empty() || a[0] != '-' || a == "-") {
      if (a == "-") {
        error = "reading a snapshot from standard input is not supported";
        return std::nullopt;
      }
      o.inputs.push_back(a);
      continue;
    }
    if (a == "--") {
      only_files = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      help = true;
      return std::nullopt;
    }
    std::string name = a, value;
    bool has_value = false;
    if (const auto eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    const bool known = name == "--out" || name == "--k" || name == "--epsilon" || name == "--seed" || name == "--period";
    if (!known) {
      error = "unknown option '" + (name.size() <= 32 ? name : name.substr(0, 32) + "...") + "'";
      return std::nullopt;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        error = name + " needs a value";
        return std::nullopt;
      }
      value = args[++i];
    }
    if (name == "--out") {
      if (value.empty()) {
        error = "--out needs a folder";
        return std::nullopt;
      }
      o.out = value;
    } else if (name == "--k") {
      if (!parse_number(value, o.k) || o.k > 1000000000) {
        error = "--k must be a whole number from 0 to 1000000000";
        return std::nullopt;
      }
    } else if (name == "--epsilon") {
      double e = 0;
      if (!parse_number(value, e) || !std::isfinite(e) || e <= 0 || e > 1e6) {
        error = "--epsilon must be a number greater than 0 (and at most 1000000)";
        return std::nullopt;
      }
      o.epsilon = e;
    } else if (name == "--seed") {
      std::uint64_t seed = 0;
      if (!parse_number(value, seed)) {
        error = "--seed must be a whole number from 0 to 18446744073709551615";
        return std::nullopt;
      }
      o.seed = seed;
    } else {
      if (value == "month") o.period = ReportOptions::Period::month;
      else if (value == "day") o.period = ReportOptions::Period::day;
      else if (value == "snapshot") o.period = ReportOptions::Period::snapshot;
      else {
        error = "--period must be month, day or snapshot";
        return std::nullopt;
      }
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
