// signpost/tools/scan.hpp: one line of `signpost scan` input, read (docs/cli.md, "scan").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "signpost/export.hpp"
#include "signpost/types.hpp"

namespace signpost::tools {

// What one input line asks for. A line whose first character other than spaces and tabs is '{'
// is a JSON object {"text", "locale"?, "id"?, "mode"?, "subject"?} (other fields are ignored);
// any other line is plain text, the whole line. A UTF-8 byte order mark at the start of a line
// is dropped, and so is a final '\r'. Invalid UTF-8 inside JSON strings is accepted, as the
// server accepts it: the engine judges any bytes.
struct ScanItem {
  std::string id;      // the id as a JSON literal: a number exactly as given, a string re-escaped;
                       // empty when the line has none (or it is null)
  std::string text;
  std::optional<std::string> locale, subject;
  std::optional<Mode> mode;
  std::string error;   // set when the line is not a valid item: why (never text from the line)
};

// Reads one line (without its '\n') into `out`, reusing its buffers. Never throws on any bytes
// (std::bad_alloc aside).
SIGNPOST_API void read_scan_line(std::string_view line, ScanItem& out);

// Checks the fields a line gave as the server and the Python package check them (the locale and
// the subject, signpost/validate.hpp): sets `item.error` when one is refused and it has none yet.
SIGNPOST_API void check_scan_item(ScanItem& item);

}  // namespace signpost::tools
