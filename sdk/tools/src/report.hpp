// report.hpp (tools): transparency reports from merged metrics snapshots.
//
// A report is computed once into tables of display strings and rendered twice (Markdown, HTML).
// Every count shown is a sum of the snapshot's cells, optionally with Laplace noise added to each
// cell first; every count under k is suppressed, and (without noise) a total is never shown when
// it would give away a suppressed cell by subtraction. See docs/measurement.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "signpost/measure.hpp"

namespace signpost::detail {

// 95% Wilson score interval for `successes` out of `trials` (successes is capped at trials).
// {0, 0} when trials is 0.
struct Interval {
  double low = 0.0, high = 0.0;
};
inline constexpr double kZ95 = 1.959963984540054;
Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double z = kZ95) noexcept;

// Laplace(0, scale) draws from a seeded std::mt19937_64 by the inverse CDF, so a seed gives the
// same draws on every platform: u = (top 53 bits + 0.5) / 2^53 in (0, 1), then
// x = scale * ln(2u) for u < 1/2, else -scale * ln(2 - 2u).
class LaplaceNoise {
 public:
  LaplaceNoise(double scale, std::uint64_t seed) : scale_(scale), rng_(seed) {}
  double operator()() noexcept;

 private:
  double scale_;
  std::mt19937_64 rng_;
};

struct ReportOptions {
  enum class Period { month, day, snapshot };
  std::uint64_t k = 50;                 // counts under k are suppressed
  std::optional<double> epsilon;        // Laplace noise of scale 1/epsilon on every count
  std::optional<std::uint64_t> seed;    // noise seed; random when not given
  Period period = Period::month;        // how snapshots are grouped in the by-period tables
  std::filesystem::path out;            // output folder
  std::vector<std::string> inputs;      // snapshot files
};

struct RenderedReport {
  std::string markdown, html;
};

// Builds the report from snapshots as read (one per input; grouped by period, then merged).
// `seed` is used only when options.epsilon is set. Throws signpost::Error if counts overflow.
RenderedReport render_report(const std::vector<MetricsSnapshot>& snapshots, const ReportOptions& options,
                             std::uint64_t seed);

// The whole `signpost report` command: 0 on success, 2 on a usage error or an unreadable or invalid
// snapshot (printed as "signpost report: FILE: message"), or when the report cannot be written.
int run_report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace signpost::detail
