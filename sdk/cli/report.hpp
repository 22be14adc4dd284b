// report.hpp: `signpost report`, a transparency report from metrics snapshots.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace signpost::cli {

// args: everything after "report". Returns the process exit code (0 ok, 2 usage or input error).
int run_report(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace signpost::cli
