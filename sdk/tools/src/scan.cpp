// scan.cpp: read_scan_line, the reader of `signpost scan` input lines.
//
// Boost.JSON's event parser reads the object, so that a number id keeps its literal ("1e400",
// "0.1", "12345678901234567890" are echoed as given, never re-serialized through a double) and
// only the top-level fields the format names are kept.
#include "signpost/tools/scan.hpp"

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/basic_parser_impl.hpp>

#include "signpost/json.hpp"
#include "signpost/validate.hpp"

namespace signpost::tools {
namespace {

namespace json = boost::json;

enum class Field : std::uint8_t { none, id, text, locale, mode, subject };
enum class Kind : std::uint8_t { absent, null, string, number, other };
constexpr std::size_t kFields = 6;
constexpr const char* kFieldNames[kFields] = {"", "id", "text", "locale", "mode", "subject"};

Field field_of(std::string_view key) {
  for (std::size_t i = 1; i < kFields; ++i)
    if (key == kFieldNames[i]) return static_cast<Field>(i);
  return Field::none;
}

struct Value {
  Kind kind = Kind::absent;
  std::string text;  // a string's value or a number's literal
};

// Keeps the top-level fields of one object; anything nested is only counted.
class LineHandler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  Value values[kFields];
  bool root_is_object = false;
  Field repeated = Field::none;  // the first known field given twice

  void reset() {
    for (Value& v : values) v.kind = Kind::absent, v.text.clear();
    root_is_object = false;
    repeated = Field::none;
    depth_ = 0;
    field_ = Field::none;
    part_.clear();
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    if (depth_ == 0) root_is_object = true;
    else value(Kind::other);
    ++depth_;
    return true;
  }
  bool on_object_end(std::size_t, json::error_code&) { return close(); }
  bool on_array_begin(json::error_code&) {
    value(Kind::other);
    ++depth_;
    return true;
  }
  bool on_array_end(std::size_t, json::error_code&) { return close(); }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    if (depth_ == 1) part_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    if (depth_ != 1) return true;
    part_.append(s.data(), s.size());
    field_ = field_of(part_);
    part_.clear();
    if (field_ != Field::none && values[index(field_)].kind != Kind::absent && repeated == Field::none)
      repeated = field_;
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    if (keeps()) part_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) { return scalar(Kind::string, s); }
  bool on_number_part(json::string_view s, json::error_code&) {
    if (keeps()) part_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t, json::string_view s, json::error_code&) { return scalar(Kind::number, s); }
  bool on_uint64(std::uint64_t, json::string_view s, json::error_code&) { return scalar(Kind::number, s); }
  bool on_double(double, json::string_view s, json::error_code&) { return scalar(Kind::number, s); }
  bool on_bool(bool, json::error_code&) { return value(Kind::other); }
  bool on_null(json::error_code&) { return value(Kind::null); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

  static std::size_t index(Field f) { return static_cast<std::size_t>(f); }

 private:
  // Whether the value being read belongs to a known top-level field.
  bool keeps() const { return depth_ == 1 && field_ != Field::none; }
  bool value(Kind kind) {
    if (keeps()) {
      Value& v = values[index(field_)];
      v.kind = kind;
      v.text.clear();
    }
    return true;
  }
  bool scalar(Kind kind, json::string_view s) {
    if (keeps()) {
      part_.append(s.data(), s.size());
      Value& v = values[index(field_)];
      v.kind = kind;
      v.text.swap(part_);
    }
    part_.clear();
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }

  int depth_ = 0;
  Field field_ = Field::none;
  std::string part_;
};

constexpr int kMaxDepth = 32;

// Sets `error` (once) to "\"NAME\" must be a string" unless the field is a string or absent/null.
const std::string* string_field(const Value& v, const char* name, std::string& error) {
  if (v.kind == Kind::string) return &v.text;
  if ((v.kind == Kind::number || v.kind == Kind::other) && error.empty())
    error = std::string("\"") + name + "\" must be a string";
  return nullptr;
}

}  // namespace

void read_scan_line(std::string_view line, ScanItem& out) {
  out.id.clear();
  out.text.clear();
  out.locale.reset();
  out.subject.reset();
  out.mode.reset();
  out.error.clear();
  if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const std::size_t first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos || line[first] != '{') {
    out.text.assign(line);
    return;
  }

  json::parse_options options;
  options.allow_invalid_utf8 = true;  // as the server: the engine judges any bytes
  options.max_depth = kMaxDepth;
  thread_local json::basic_parser<LineHandler> parser(options);
  parser.reset();
  LineHandler& h = parser.handler();
  h.reset();
  json::error_code ec;
  const std::size_t n = parser.write_some(false, line.data(), line.size(), ec);
  const bool rest_blank = !ec && line.find_first_not_of(" \t", n) == std::string_view::npos;
  if (ec || !rest_blank || !h.root_is_object) {
    out.error = "invalid JSON";
    return;
  }

  const auto& v = h.values;
  const Value& id = v[LineHandler::index(Field::id)];
  if (id.kind == Kind::string) signpost::append_json_string(out.id, id.text);
  else if (id.kind == Kind::number) out.id = id.text;

  std::string& error = out.error;
  if (h.repeated != Field::none)
    error = std::string("\"") + kFieldNames[LineHandler::index(h.repeated)] + "\" is given more than once";
  const Value& text = v[LineHandler::index(Field::text)];
  if (!error.empty()) {
  } else if (text.kind == Kind::absent) {
    error = "missing \"text\"";
  } else if (text.kind != Kind::string) {
    error = "\"text\" must be a string";
  } else {
    out.text = text.text;
  }
  if (const std::string* s = string_field(v[LineHandler::index(Field::locale)], "locale", error)) out.locale = *s;
  if (const std::string* s = string_field(v[LineHandler::index(Field::subject)], "subject", error)) out.subject = *s;
  if (const std::string* s = string_field(v[LineHandler::index(Field::mode)], "mode", error)) {
    out.mode = parse_mode(*s);
    if (!out.mode && error.empty()) error = check_mode(*s);  // signpost/validate.hpp
  }
  if (id.kind == Kind::other && error.empty()) error = "\"id\" must be a string or a number";
}

void check_scan_item(ScanItem& item) {
  if (item.error.empty() && item.locale) item.error = check_locale(*item.locale);
  if (item.error.empty() && item.subject) item.error = check_subject(*item.subject);
}

}  // namespace signpost::tools
