// signpost/error.hpp: the errors signpost throws, and configuration errors reported like a
// compiler's diagnostics.
//
// Everything the library and its tools throw on purpose derives from signpost::Error (itself a
// std::runtime_error), so a host can catch one type; std::bad_alloc is the only other exception.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "signpost/export.hpp"

namespace signpost {

// The base of every signpost exception: a bad pack (ConfigError), a snapshot that is not in the
// format, a layout that would put non-ids into metrics, a count that would overflow. what() never
// holds text a user typed.
struct SIGNPOST_API Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One problem found in a pack, at a 1-based line and column of a file (0 when not known).
struct SIGNPOST_API Problem {
  std::string file;
  int line = 0, column = 0;
  std::string message;
  // "file:line:col: message"
  std::string to_string() const;
};

// Thrown by Engine::load when a pack cannot be used. A pack is checked as a whole, and every
// problem found is kept in `problems`, in file order. `file`, `line` and `column` are those of the
// first problem; what() is every problem as "file:line:col: message", one per line.
struct SIGNPOST_API ConfigError : Error {
  explicit ConfigError(std::vector<Problem> problems);
  std::string file;
  int line = 0, column = 0;
  std::vector<Problem> problems;
};

}  // namespace signpost
