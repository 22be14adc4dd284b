#include "report.hpp"

#include "../src/measure/report.hpp"

namespace signpost::cli {

// The report itself lives with the metrics (sdk/src/measure/report.*), where the unit tests
// reach it; the command line only forwards.
int run_report(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  return detail::run_report_command(args, out, err);
}

}  // namespace signpost::cli
