// cli/scan.hpp: the body of `signpost scan`: lines in, one decision per line out, in input order,
// on a pool of threads (docs/cli.md).
#pragma once

#include <cstddef>
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
};

// Reads one item per line (a JSON object or plain text) from `in` and writes one JSON line per
// item to `out`, in the order of the input whatever the number of threads. Lines are read in
// batches; each batch is evaluated on one thread of a pool and written when every batch before it
// has been. At most a few batches per thread are in flight, so memory stays bounded on any input.
// `metrics` (may be null) records every decision; `tick` gets the number of lines written so far.
ScanTotals scan_stream(std::istream& in, std::ostream& out, const signpost::Engine& engine, const ScanOptions& opt,
                       signpost::MetricsRecorder* metrics, const std::function<void(std::size_t)>& tick);

}  // namespace signpost_cli
