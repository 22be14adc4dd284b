// cli/progress.cpp: the progress line of `signpost scan` (see progress.hpp).
#include "progress.hpp"

#include <sys/stat.h>

#include <algorithm>

#include <fmt/format.h>

namespace signpost_cli {
namespace {

// "42 s", "3:07", "1:02:03".
std::string duration(double seconds) {
  const auto s = static_cast<long long>(std::max(0.0, seconds) + 0.5);
  if (s < 60) return fmt::format("{} s", s);
  if (s < 3600) return fmt::format("{}:{:02}", s / 60, s % 60);
  return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
}

// "812 B", "3.4 MB", "1.2 GB" (powers of 1000).
std::string size(std::uintmax_t bytes) {
  if (bytes < 1000) return fmt::format("{} B", bytes);
  const char* units[] = {"kB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes) / 1000.0;
  int u = 0;
  while (v >= 1000.0 && u < 3) {
    v /= 1000.0;
    ++u;
  }
  return fmt::format("{:.1f} {}", v, units[u]);
}

}  // namespace

std::optional<std::uintmax_t> regular_file_size(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return static_cast<std::uintmax_t>(st.st_size);
}

Progress::Progress(std::FILE* stream, bool enabled, bool terminal, std::optional<std::uintmax_t> total_bytes)
    : stream_(stream), enabled_(enabled), terminal_(terminal), total_(total_bytes), start_(Clock::now()), last_(start_) {}

std::string Progress::line(std::size_t lines, std::uintmax_t bytes, std::optional<std::uintmax_t> total,
                           double seconds) {
  const double rate = seconds > 0 ? static_cast<double>(lines) / seconds : 0.0;
  if (!total) return fmt::format("scanned {} lines ({:.0f} lines/s)", lines, rate);
  // An empty file is done at once; a file that grew while it was read stays at 100%.
  const double share = *total == 0 ? 1.0 : std::min(1.0, static_cast<double>(bytes) / static_cast<double>(*total));
  const std::string eta = share >= 1.0 ? duration(0) : share > 0 ? duration(seconds * (1.0 - share) / share) : "?";
  return fmt::format("scanned {:3.0f}% ({} of {}), {} lines ({:.0f} lines/s), ETA {}", share * 100.0, size(bytes),
                     size(*total), lines, rate, eta);
}

void Progress::show(std::size_t lines, std::uintmax_t bytes, Clock::time_point now) {
  const double secs = std::chrono::duration<double>(now - start_).count();
  const std::string text = line(lines, bytes, total_, secs);
  // On a terminal the line is redrawn in place (padded over a longer previous one).
  if (terminal_)
    std::fprintf(stream_, "\r%-78s", text.c_str());
  else
    std::fprintf(stream_, "%s\n", text.c_str());
  std::fflush(stream_);
  shown_ = true;
}

void Progress::tick(std::size_t lines, std::uintmax_t bytes) {
  if (!enabled_) return;
  const auto now = Clock::now();
  if (now - last_ < (terminal_ ? std::chrono::milliseconds(250) : std::chrono::milliseconds(1000))) return;
  last_ = now;
  show(lines, bytes, now);
}

void Progress::done(std::size_t lines, std::uintmax_t bytes, std::size_t errors) {
  if (!enabled_) return;
  show(lines, bytes, Clock::now());
  if (terminal_ && shown_) std::fputc('\n', stream_);
  std::fprintf(stream_, "scanned %zu lines, %zu errors\n", lines, errors);
  std::fflush(stream_);
}

}  // namespace signpost_cli
