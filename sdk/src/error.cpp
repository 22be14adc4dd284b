#include "signpost/error.hpp"

#include <string>

#include "base/escape.hpp"

namespace signpost {
namespace {

std::string join(const std::vector<Problem>& problems) {
  std::string s;
  for (const Problem& p : problems) {
    if (!s.empty()) s += '\n';
    s += p.to_string();
  }
  if (s.empty()) s = "invalid pack";
  return s;
}

}  // namespace

std::string Problem::to_string() const {
  // File names and messages can carry pack text: escaped, so that one problem is one line.
  std::string s;
  if (file.empty()) s = "<pack>";
  else detail::append_escaped(s, file);
  s += ':';
  s += std::to_string(line);
  s += ':';
  s += std::to_string(column);
  s += ": ";
  detail::append_escaped(s, message);
  return s;
}

ConfigError::ConfigError(std::vector<Problem> ps) : Error(join(ps)), problems(std::move(ps)) {
  if (!problems.empty()) {
    file = problems.front().file;
    line = problems.front().line;
    column = problems.front().column;
  }
}

}  // namespace signpost
