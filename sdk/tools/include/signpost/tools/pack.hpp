// signpost/tools/pack.hpp: `signpost pack`: build a pack archive, make keys, sign and verify.
//
// Part of signpost::tools, not of the runtime. Standard library only.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "signpost/export.hpp"

namespace signpost::tools {

// Runs `signpost pack build|keygen|sign|verify ...`; `args` excludes "pack". See pack_usage() and
// docs/operations.md. Exit codes: build, keygen and sign return 0 when done and 2 for usage errors,
// pack problems (file:line:col on `err`) or files that cannot be read or written; verify returns 0
// for a pack signed by a trusted key, 1 when the signature is missing or bad or the pack cannot be
// loaded, 2 for usage errors and unreadable key files. `--help` prints the usage to `out`.
SIGNPOST_API int run_pack(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The usage text of `signpost pack`.
SIGNPOST_API const char* pack_usage() noexcept;

}  // namespace signpost::tools
