// read_scan_line (signpost::tools, the reader behind `signpost scan`): any line. Invariants:
// never throws; an id is a valid JSON literal, so the output line the CLI builds from it is valid
// JSON; a line that is not JSON is the text, whole (but a leading BOM and a final '\r'); an
// error never carries text of the line.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>

#include <signpost/json.hpp>
#include <signpost/tools/scan.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view line = signpost::fuzz::as_text(data, size);
  if (line.find('\n') != std::string_view::npos) return -1;  // one line; the CLI splits at '\n'
  static signpost::tools::ScanItem item;
  try {
    signpost::tools::read_scan_line(line, item);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "threw: %s\n", e.what());
    std::abort();
  }
  if (!item.id.empty()) {
    // The CLI's output line: {"id":<id>, ...}. Numbers may be beyond a double's range ("1e400"):
    // JSON allows that, and Boost.JSON reads it.
    std::string out = "{\"id\":" + item.id + ",\"action\":\"none\"}";
    boost::system::error_code ec;
    boost::json::parse(out, ec);
    SIGNPOST_FUZZ_CHECK(!ec);
  }
  static constexpr std::string_view kErrors[] = {"invalid JSON", "missing \"text\"", "\"text\" must be a string",
                                                 "\"locale\" must be a string", "\"subject\" must be a string",
                                                 "\"mode\" must be a string", "\"mode\" must be \"query\" or \"post\"",
                                                 "\"id\" must be a string or a number",
                                                 "\"id\" is given more than once", "\"text\" is given more than once",
                                                 "\"locale\" is given more than once",
                                                 "\"mode\" is given more than once",
                                                 "\"subject\" is given more than once"};
  if (!item.error.empty()) {
    bool known = false;
    for (const std::string_view e : kErrors) known = known || item.error == e;
    SIGNPOST_FUZZ_CHECK(known);
    return 0;
  }
  std::string_view rest = line;
  if (rest.starts_with("\xEF\xBB\xBF")) rest.remove_prefix(3);
  if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
  const std::size_t first = rest.find_first_not_of(" \t");
  if (first == std::string_view::npos || rest[first] != '{') SIGNPOST_FUZZ_CHECK(item.text == rest);
  else SIGNPOST_FUZZ_CHECK(item.text.size() <= rest.size());
  return 0;
}
