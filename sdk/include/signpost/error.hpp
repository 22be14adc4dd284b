// signpost/error.hpp: configuration errors, reported like a compiler's diagnostics.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace signpost {

// One problem found in a pack, at a 1-based line and column of a file (0 when not known).
struct Problem {
  std::string file;
  int line = 0, column = 0;
  std::string message;
  // "file:line:col: message"
  std::string to_string() const;
};

// Thrown by Engine::load when a pack cannot be used. A pack is checked as a whole, and every
// problem found is kept in `problems`, in file order. `file`, `line` and `column` are those of the
// first problem; what() is every problem as "file:line:col: message", one per line.
struct ConfigError : std::runtime_error {
  explicit ConfigError(std::vector<Problem> problems);
  std::string file;
  int line = 0, column = 0;
  std::vector<Problem> problems;
};

}  // namespace signpost
