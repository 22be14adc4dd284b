// tools/scan: one line of `signpost scan` input read into an item (ids, fields, errors).
#include <doctest/doctest.h>

#include <string>

#include <signpost/tools/scan.hpp>

using signpost::Mode;
using signpost::tools::read_scan_line;
using signpost::tools::ScanItem;

namespace {
ScanItem read(std::string_view line) {
  ScanItem item;
  read_scan_line(line, item);
  return item;
}
}  // namespace

TEST_CASE("scan: a JSON object gives its fields; a plain line is the text") {
  const ScanItem a = read(R"(  {"id": "x", "text": "boat", "locale": "fr", "mode": "post", "subject": "s", "other": [1, {"text": 2}]})");
  CHECK(a.error.empty());
  CHECK(a.id == "\"x\"");
  CHECK(a.text == "boat");
  CHECK(a.locale == "fr");
  CHECK(a.subject == "s");
  CHECK(a.mode == Mode::post);
  const ScanItem b = read("just text {not json}\r");
  CHECK(b.error.empty());
  CHECK(b.id.empty());
  CHECK(b.text == "just text {not json}");
  CHECK(!b.locale);
  CHECK(!b.mode);
  const ScanItem c = read(R"({"text": "t", "locale": null, "id": null})");
  CHECK(c.error.empty());
  CHECK(c.id.empty());
  CHECK(!c.locale);
}

TEST_CASE("scan: number ids are kept exactly as written") {
  for (const char* id : {"1e400", "0e400", "-0", "0.1", "1.50", "12345678901234567890123", "-7E-3"})
    CHECK(read(std::string(R"({"text": "t", "id": )") + id + "}").id == id);
  CHECK(read(R"({"text": "t", "id": "a\"b\u00e9"})").id == "\"a\\\"b\xC3\xA9\"");
}

TEST_CASE("scan: a byte order mark at the start of a line is dropped") {
  const ScanItem a = read("\xEF\xBB\xBF{\"id\": 1, \"text\": \"boat\"}");
  CHECK(a.error.empty());
  CHECK(a.id == "1");
  CHECK(a.text == "boat");
  CHECK(read("\xEF\xBB\xBF" "boat").text == "boat");
}

TEST_CASE("scan: invalid UTF-8 inside strings is accepted, as the server accepts it") {
  const ScanItem a = read("{\"text\": \"boat \xFF\xC3\", \"locale\": \"en\"}");
  CHECK(a.error.empty());
  CHECK(a.text == "boat \xFF\xC3");
}

TEST_CASE("scan: bad lines say why, with the id when it could be read") {
  CHECK(read("{not json").error == "invalid JSON");
  CHECK(read("{\"text\": \"a\"} trailing").error == "invalid JSON");
  CHECK(read("{\"text\": \"a\"}  \t").error.empty());
  CHECK(read(std::string(100, '{')).error == "invalid JSON");
  CHECK(read(std::string(1, '{') + std::string(100, '[')).error == "invalid JSON");
  const ScanItem a = read(R"({"id": 5, "text": 5})");
  CHECK(a.error == "\"text\" must be a string");
  CHECK(a.id == "5");
  CHECK(read(R"({"id": "y"})").error == "missing \"text\"");
  CHECK(read(R"({"text": "t", "mode": "sideways"})").error == "\"mode\" must be \"query\" or \"post\"");
  CHECK(read(R"({"text": "t", "locale": 3})").error == "\"locale\" must be a string");
  CHECK(read(R"({"text": "t", "id": [1]})").error == "\"id\" must be a string or a number");
  CHECK(read(R"({"text": "t", "text": "u"})").error == "\"text\" is given more than once");
  // Reused items forget the previous line.
  ScanItem item;
  read_scan_line(R"({"id": 1, "text": "t", "locale": "fr", "mode": "post"})", item);
  read_scan_line("plain", item);
  CHECK(item.id.empty());
  CHECK(!item.locale);
  CHECK(!item.mode);
  CHECK(item.error.empty());
}
