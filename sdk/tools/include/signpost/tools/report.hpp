// signpost/tools/report.hpp: `signpost report`, the transparency report from metrics snapshots.
//
// Part of signpost::tools, not of the runtime. Standard library only.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "signpost/export.hpp"

namespace signpost::tools {

// Runs `signpost report SNAPSHOT... --out DIR [--k N] [--epsilon E] [--seed N]
// [--period month|day|snapshot]`; `args` excludes "report". Reads and merges the snapshots and
// writes DIR/report.md and DIR/report.html. Returns 0 on success; 2 for a usage error (the
// usage text goes to `err`), an unreadable or invalid snapshot ("signpost report: FILE: message"),
// or a report that cannot be written. `--help` prints the usage to `out` and returns 0.
SIGNPOST_API int run_report(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The usage text of `signpost report`.
SIGNPOST_API const char* report_usage() noexcept;

}  // namespace signpost::tools
