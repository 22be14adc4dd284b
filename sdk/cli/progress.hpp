// cli/progress.hpp: the progress line of `signpost scan` on stderr (docs/cli.md, "scan").
//
// When the input's size is known (a regular file, named or redirected to stdin) the line shows the
// share of its bytes scanned and the time left; otherwise (a pipe) the count of lines and the rate.
// On a terminal the line is redrawn in place a few times a second; into a file or a pipe
// (--progress) a new line is written at most once a second. Only counts are shown, never text.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace signpost_cli {

class Progress {
 public:
  // `total_bytes`: the input's size when it is known. `terminal`: redraw in place.
  Progress(std::FILE* stream, bool enabled, bool terminal, std::optional<std::uintmax_t> total_bytes);

  // After each batch written: the lines and input bytes scanned so far.
  void tick(std::size_t lines, std::uintmax_t bytes);
  // At the end: a last progress line (100% when the size was known) and the totals.
  void done(std::size_t lines, std::uintmax_t bytes, std::size_t errors);

  // The text of one progress line, without "\r" or "\n" (for tests and for tick/done).
  static std::string line(std::size_t lines, std::uintmax_t bytes, std::optional<std::uintmax_t> total,
                          double seconds);

 private:
  using Clock = std::chrono::steady_clock;
  void show(std::size_t lines, std::uintmax_t bytes, Clock::time_point now);

  std::FILE* stream_;
  bool enabled_, terminal_, shown_ = false;
  std::optional<std::uintmax_t> total_;
  Clock::time_point start_, last_;
};

// The size of the regular file open as `fd`, or nullopt (a pipe, a terminal, a socket).
std::optional<std::uintmax_t> regular_file_size(int fd);

}  // namespace signpost_cli
