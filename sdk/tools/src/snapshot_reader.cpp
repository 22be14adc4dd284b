// snapshot_reader.cpp: MetricsSnapshot::from_json, the strict reader of the snapshot format.
//
// Boost.JSON parses; the reader then takes exactly the fields of docs/measurement.md and refuses
// anything else (unknown, missing or repeated fields, wrong types, non-integer counts, strings
// that are not ids), so a snapshot can never carry other text. Messages name the field, never a
// value from the input.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <boost/json/basic_parser_impl.hpp>

#include "base/fields.hpp"
#include "base/utf8.hpp"
#include "measure/ids.hpp"
#include "signpost/error.hpp"
#include "signpost/measure.hpp"

namespace signpost {
namespace detail::snapshot_reader {

namespace json = boost::json;

constexpr std::string_view kFormat = "signpost-metrics";
constexpr int kFormatVersion = 1;
constexpr int kMaxDepth = 8;  // the format nests 3 deep; anything deeper is not a snapshot

auto decision_key(const MetricsSnapshot::DecisionCount& d) {
  return std::tie(d.pack, d.category, d.action, d.locale, d.holdout);
}
auto card_key(const MetricsSnapshot::CardCount& c) { return std::tie(c.pack, c.card, c.locale); }


struct JField;

// An object's fields are JField (not std::pair, which needs JValue complete where it is named:
// clang with libstdc++ refuses it).
struct JValue {
  enum class Kind { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  std::string path;  // where it is, as messages name it: "decisions[0].count" ("" for the top)
  std::string text;  // a number's literal, or a string's value
  std::vector<JValue> items;
  std::vector<JField> fields;
};

struct JField {
  std::string name;
  JValue value;
};

const char* kind_name(JValue::Kind k) {
  switch (k) {
    case JValue::Kind::null: return "null";
    case JValue::Kind::boolean: return "a boolean";
    case JValue::Kind::number: return "a number";
    case JValue::Kind::string: return "a string";
    case JValue::Kind::array: return "an array";
    case JValue::Kind::object: return "an object";
  }
  return "a value";
}

// A field name from the input is quoted in a message only when it is a name the format uses
// (somewhere): anything else could be text that must not be echoed.
std::string quote_name(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "format", "format_version", "packs", "name", "version", "hash", "period", "start", "end", "evaluations",
      "holdout_rates", "pack", "category", "rate", "decisions", "action", "locale", "holdout", "count",
      "cards", "card", "impressions", "clicks"};
  for (const std::string_view known : kNames)
    if (name == known) return "'" + std::string(name) + "'";
  return "(a name that is not part of the format)";
}

// Builds a JValue tree from Boost.JSON's parser events, keeping each number's literal (so that
// "7.0" and "1e3" can be refused where an integer is due) and every field as written (a repeated
// name is the field reader's to refuse).
class TreeBuilder {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  JValue root;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return open(JValue::Kind::object); }
  bool on_object_end(std::size_t, json::error_code&) { return close(); }
  bool on_array_begin(json::error_code&) { return open(JValue::Kind::array); }
  bool on_array_end(std::size_t, json::error_code&) { return close(); }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    part_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    part_.append(s.data(), s.size());
    stack_.back()->fields.push_back(JField{std::move(part_), JValue{}});
    part_.clear();
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    part_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    part_.append(s.data(), s.size());
    JValue v;
    v.kind = JValue::Kind::string;
    v.text = std::move(part_);
    part_.clear();
    return put(std::move(v));
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    part_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t, json::string_view s, json::error_code&) { return number(s); }
  bool on_uint64(std::uint64_t, json::string_view s, json::error_code&) { return number(s); }
  bool on_double(double, json::string_view s, json::error_code&) { return number(s); }
  bool on_bool(bool b, json::error_code&) {
    JValue v;
    v.kind = JValue::Kind::boolean;
    v.boolean = b;
    return put(std::move(v));
  }
  bool on_null(json::error_code&) { return put(JValue{}); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  bool number(json::string_view s) {
    part_.append(s.data(), s.size());
    JValue v;
    v.kind = JValue::Kind::number;
    v.text = std::move(part_);
    part_.clear();
    return put(std::move(v));
  }
  // The slot the next value goes to: the root, the last field of an object, a new array item.
  JValue& slot() {
    if (stack_.empty()) return root;
    JValue& top = *stack_.back();
    if (top.kind == JValue::Kind::object) return top.fields.back().value;
    top.items.emplace_back();
    return top.items.back();
  }
  bool put(JValue v) {
    slot() = std::move(v);
    return true;
  }
  bool open(JValue::Kind k) {
    JValue& v = slot();
    v.kind = k;
    stack_.push_back(&v);
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  std::vector<JValue*> stack_;  // open containers; items and fields only grow at the back
  std::string part_;
};

[[noreturn]] void invalid(std::size_t at, std::string_view what) {
  throw Error("invalid JSON at byte " + std::to_string(at) + ": " + std::string(what));
}

void name_paths(JValue& v) {
  for (std::size_t i = 0; i < v.items.size(); ++i) {
    v.items[i].path = (v.path.empty() ? "snapshot" : v.path) + "[" + std::to_string(i) + "]";
    name_paths(v.items[i]);
  }
  for (JField& f : v.fields) {
    f.value.path = v.path.empty() ? f.name : v.path + "." + f.name;
    name_paths(f.value);
  }
}

JValue parse_document(std::string_view in) {
  if (const std::size_t bad_at = find_invalid_utf8(in); bad_at != std::string_view::npos)
    invalid(bad_at, "invalid UTF-8");
  json::parse_options opt;
  opt.max_depth = kMaxDepth;
  json::basic_parser<TreeBuilder> p(opt);
  json::error_code ec;
  const std::size_t n = p.write_some(false, in.data(), in.size(), ec);
  if (ec) {
    if (ec == json::error::too_deep) invalid(n, "nesting too deep");
    if (ec == json::error::incomplete) invalid(n, "unexpected end of input");
    if (ec == json::error::illegal_leading_surrogate || ec == json::error::illegal_trailing_surrogate)
      invalid(n, "unpaired surrogate");
    if (ec == json::error::syntax) invalid(n, "unexpected character");
    invalid(n, ec.message());
  }
  std::size_t end = n;
  while (end < in.size() && (in[end] == ' ' || in[end] == '\t' || in[end] == '\n' || in[end] == '\r')) ++end;
  if (end != in.size()) invalid(end, "unexpected data after the snapshot object");
  JValue root = std::move(p.handler().root);
  name_paths(root);
  return root;
}

[[noreturn]] void bad(const std::string& path, std::string_view what) {
  throw Error((path.empty() ? std::string("snapshot") : path) + ": " + std::string(what));
}

// The Tree of base/fields.hpp over JValue: the first problem throws, named by the node's path.
struct JsonTree {
  using Node = JValue;
  using Kind = JValue::Kind;
  static constexpr Kind kString = Kind::string;
  std::size_t field_count(const JValue& v) const { return v.fields.size(); }
  const std::string* field_name(const JValue& v, std::size_t i) const { return &v.fields[i].name; }
  const JValue& field_key(const JValue& v, std::size_t) const { return v; }  // a key is named by its object
  const JValue& field_value(const JValue& v, std::size_t i) const { return v.fields[i].value; }
  Kind kind(const JValue& v) const { return v.kind; }
  static const char* kind_name(Kind k) { return snapshot_reader::kind_name(k); }
  static const char* type_name(const JValue& v) { return kind_name(v.kind); }
  const std::string* text(const JValue& v) const { return v.kind == Kind::string ? &v.text : nullptr; }
  bool skipped(const JValue&) const { return false; }
  std::string quoted(std::string_view name) const { return quote_name(name); }
  [[noreturn]] void problem(const JValue& at, std::string message) { bad(at.path, message); }
};

JsonTree tree;  // stateless

void expect(const JValue& v, JValue::Kind k) { detail::expect(tree, v, k); }

// The fields of one object, all of them required.
class Fields {
 public:
  Fields(const JValue& v, std::initializer_list<std::string_view> names) : f_((expect(v, JValue::Kind::object), tree), v, names, "") {}
  const JValue& operator[](std::string_view name) const { return *f_.required(name); }

 private:
  FieldReader<JsonTree> f_;
};

// A number's literal, after checking that `v` is a number (`expected` names what is due).
const std::string& literal(const JValue& v, std::string_view expected) {
  if (v.kind != JValue::Kind::number) wrong_type(tree, v, expected);
  return v.text;
}

std::uint64_t read_u64(const JValue& v) {
  const std::string& t = literal(v, "a non-negative integer");
  if (t.empty() || t.find_first_not_of("0123456789") != std::string::npos) bad(v.path, "expected a non-negative integer");
  std::uint64_t out = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), out);
  if (r.ec != std::errc() || r.ptr != t.data() + t.size()) bad(v.path, "integer out of range");
  return out;
}

std::int64_t read_i64(const JValue& v) {
  const std::string& t = literal(v, "an integer");
  const std::size_t digits_from = (!t.empty() && t[0] == '-') ? 1 : 0;
  if (t.size() == digits_from || t.find_first_not_of("0123456789", digits_from) != std::string::npos)
    bad(v.path, "expected an integer");
  std::int64_t out = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), out);
  if (r.ec != std::errc() || r.ptr != t.data() + t.size()) bad(v.path, "integer out of range");
  return out;
}

double read_rate(const JValue& v) {
  const std::string& t = literal(v, "a number");
  double out = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), out);
  if (r.ec != std::errc() || r.ptr != t.data() + t.size() || !std::isfinite(out) || out < 0 || out > 1)
    bad(v.path, "expected a rate between 0 and 1");
  return out;
}

bool read_bool(const JValue& v) {
  expect(v, JValue::Kind::boolean);
  return v.boolean;
}

template <class Check>
std::string read_label(const JValue& v, Check ok, std::string_view what) {
  const std::string& s = *string_of(tree, v);
  if (!ok(s)) bad(v.path, "expected " + std::string(what));
  return s;
}

std::string read_id(const JValue& v) { return read_label(v, is_metric_id, "an id ([a-z0-9][a-z0-9_.-]{0,63})"); }
std::string read_locale(const JValue& v) { return read_label(v, is_metric_locale, "a locale tag or \"other\""); }

const std::vector<JValue>& read_array(const JValue& v) {
  expect(v, JValue::Kind::array);
  return v.items;
}

std::string at(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

// Refuses two rows of `rows` with the same key, naming the later one.
template <class Row, class Key>
void refuse_repeated_keys(const std::vector<Row>& rows, Key key, const std::string& name) {
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::make_pair(key(rows[a]), a) < std::make_pair(key(rows[b]), b);
  });
  for (std::size_t i = 1; i < order.size(); ++i)
    if (key(rows[order[i - 1]]) == key(rows[order[i]]))
      bad(at(name, order[i]), "repeats the key of " + at(name, order[i - 1]));
}

}  // namespace detail::snapshot_reader

MetricsSnapshot MetricsSnapshot::from_json(std::string_view json) {
  using namespace detail;
  using namespace detail::snapshot_reader;
  const JValue doc = parse_document(json);
  const Fields top(doc, {"format", "format_version", "packs", "period", "evaluations", "holdout_rates", "decisions",
                         "cards"});
  MetricsSnapshot s;

  read_label(top["format"], [](std::string_view f) { return f == kFormat; }, "\"signpost-metrics\"");
  if (read_u64(top["format_version"]) != kFormatVersion)
    bad("format_version", "unsupported version (this build reads version 1)");

  for (const JValue& row : read_array(top["packs"])) {
    const Fields f(row, {"name", "version", "hash"});
    PackId p;
    p.name = read_id(f["name"]);
    p.version = read_label(f["version"], is_metric_version, "at most 128 printable ASCII characters");
    p.hash = read_label(f["hash"], is_metric_pack_hash, "\"sha256:\" and 64 hex digits, or \"\"");
    for (const auto& q : s.packs)
      if (q == p) bad(row.path, "repeats an earlier pack");
    s.packs.push_back(std::move(p));
  }

  {
    const Fields f(top["period"], {"start", "end"});
    s.period_start = read_i64(f["start"]);
    s.period_end = read_i64(f["end"]);
    if (s.period_end < s.period_start) bad("period", "end is before start");
  }
  s.evaluations = read_u64(top["evaluations"]);

  for (const JValue& row : read_array(top["holdout_rates"])) {
    const Fields f(row, {"pack", "category", "rate"});
    HoldoutRate r;
    r.pack = read_id(f["pack"]);
    r.category = read_id(f["category"]);
    r.rate = read_rate(f["rate"]);
    for (const auto& q : s.holdout_rates)
      if (q == r) bad(row.path, "repeats an earlier holdout rate");
    s.holdout_rates.push_back(std::move(r));
  }

  for (const JValue& row : read_array(top["decisions"])) {
    const Fields f(row, {"pack", "category", "action", "locale", "holdout", "count"});
    DecisionCount d;
    d.pack = read_id(f["pack"]);
    d.category = read_id(f["category"]);
    d.action = read_label(f["action"], [](std::string_view a) { return parse_action(a).has_value(); },
                          "one of none, annotate, interstitial, redirect");
    d.locale = read_locale(f["locale"]);
    d.holdout = read_bool(f["holdout"]);
    d.count = read_u64(f["count"]);
    s.decisions.push_back(std::move(d));
  }

  for (const JValue& row : read_array(top["cards"])) {
    const Fields f(row, {"pack", "card", "locale", "impressions", "clicks"});
    CardCount c;
    c.pack = read_id(f["pack"]);
    c.card = read_id(f["card"]);
    c.locale = read_locale(f["locale"]);
    c.impressions = read_u64(f["impressions"]);
    c.clicks = read_u64(f["clicks"]);
    s.cards.push_back(std::move(c));
  }

  // The same key twice is not something a recorder or merge() writes.
  refuse_repeated_keys(s.decisions, decision_key, "decisions");
  refuse_repeated_keys(s.cards, card_key, "cards");
  // Canonical order (sorted rows, pack fields derived): merging into an empty snapshot does it.
  MetricsSnapshot out;
  out.merge(s);
  return out;
}

}  // namespace signpost
