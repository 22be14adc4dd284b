// cli/scan.hpp: the body of `signpost scan`: lines in, one decision per line out, in input order,
// on a pool of threads (docs/cli.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <string>

#include <signpost/signpost.hpp>

namespace signpost_cli {

struct ScanOptions {
  signpost::Mode mode = signpost::Mode::query;
  std::string default_locale;
  unsigned threads = 1;      // 1: evaluate on the calling thread
  std::size_t batch = 256;   // lines per batch handed to a thread
};

struct ScanTotals {
  std::size_t lines = 0;
  std::size_t errors = 0;
  std::uintmax_t bytes = 0;  // input bytes of those lines, newlines included
};

// Reads one item per line (a JSON object or plain text) from `in` and writes one JSON line per
// item to `out`, in the order of the input whatever the number of threads. Lines are read in
// batches; each batch is evaluated on one thread of a pool and written when every batch before it
// has been. At most a few batches per thread are in flight, so memory stays bounded on any input.
// A line's locale, mode and subject are checked as every front end checks them
// (signpost/validate.hpp); a value refused there makes the line an error line.
// `metrics` (may be null) records every decision; `tick` gets the totals of the lines written so far.
ScanTotals scan_stream(std::istream& in, std::ostream& out, const signpost::Engine& engine, const ScanOptions& opt,
                       signpost::MetricsRecorder* metrics, const std::function<void(const ScanTotals&)>& tick);

}  // namespace signpost_cli
