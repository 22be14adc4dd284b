#include "signpost/error.hpp"

#include <string>

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
  std::string s = file.empty() ? std::string("<pack>") : file;
  s += ':';
  s += std::to_string(line);
  s += ':';
  s += std::to_string(column);
  s += ": ";
  s += message;
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
