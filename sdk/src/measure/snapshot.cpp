// measure/snapshot.cpp: merging snapshots, and their JSON and Prometheus forms.
//
// The JSON reader here is deliberately small and strict: it reads exactly the snapshot format
// (docs/measurement.md) and refuses anything else, so a snapshot can never carry other text.
#include "measure/snapshot.hpp"
#include "signpost/json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "measure/ids.hpp"

namespace signpost {
namespace detail {
namespace {

constexpr std::string_view kFormat = "signpost-metrics";
constexpr int kFormatVersion = 1;
constexpr int kMaxDepth = 8;  // the format nests 3 deep; anything deeper is not a snapshot

auto decision_key(const MetricsSnapshot::DecisionCount& d) {
  return std::tie(d.pack, d.category, d.action, d.locale, d.holdout);
}
auto card_key(const MetricsSnapshot::CardCount& c) { return std::tie(c.pack, c.card, c.locale); }
auto pack_key(const MetricsSnapshot::PackId& p) { return std::tie(p.name, p.version, p.hash); }
auto rate_key(const MetricsSnapshot::HoldoutRate& r) { return std::tie(r.pack, r.category, r.rate); }

// ---- writing -------------------------------------------------------------------------------

// Strings in a snapshot are ids, but escape fully anyway (and keep the output safe inside HTML).
// Snapshot strings are written exactly as in decision JSON.
void put_string(std::string& out, std::string_view s) { append_json_string(out, s); }

template <class Int>
void put_int(std::string& out, Int v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void put_double(std::string& out, double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest form that reads back exactly
  out.append(buf, r.ptr);
}

// ---- reading -------------------------------------------------------------------------------

struct JValue {
  enum class Kind { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  std::string text;  // a number's literal, or a string's value
  std::vector<JValue> items;
  std::vector<std::pair<std::string, JValue>> fields;
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

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  JValue document() {
    skip_ws();
    JValue v = value(0);
    skip_ws();
    if (pos_ != in_.size()) fail("unexpected data after the snapshot object");
    return v;
  }

 private:
  [[noreturn]] void fail(std::string_view what) const {
    throw std::invalid_argument("invalid JSON at byte " + std::to_string(pos_) + ": " + std::string(what));
  }

  void skip_ws() {
    while (pos_ < in_.size() && (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n' || in_[pos_] == '\r'))
      ++pos_;
  }

  bool eat(char c) {
    if (pos_ < in_.size() && in_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  void literal(std::string_view word) {
    if (in_.substr(pos_, word.size()) != word) fail("unexpected character");
    pos_ += word.size();
  }

  JValue value(int depth) {
    if (pos_ >= in_.size()) fail("unexpected end of input");
    JValue v;
    switch (in_[pos_]) {
      case '{': v = object(depth + 1); break;
      case '[': v = array(depth + 1); break;
      case '"':
        v.kind = JValue::Kind::string;
        v.text = string();
        break;
      case 't': literal("true"); v.kind = JValue::Kind::boolean; v.boolean = true; break;
      case 'f': literal("false"); v.kind = JValue::Kind::boolean; break;
      case 'n': literal("null"); break;
      default:
        v.kind = JValue::Kind::number;
        v.text = number();
    }
    return v;
  }

  JValue object(int depth) {
    if (depth > kMaxDepth) fail("nesting too deep");
    JValue v;
    v.kind = JValue::Kind::object;
    ++pos_;  // '{'
    skip_ws();
    if (eat('}')) return v;
    for (;;) {
      skip_ws();
      if (pos_ >= in_.size() || in_[pos_] != '"') fail("expected a field name");
      std::string name = string();
      for (const auto& [seen, unused] : v.fields)
        if (seen == name) fail("duplicate field " + quote_name(name));
      skip_ws();
      if (!eat(':')) fail("expected ':'");
      skip_ws();
      JValue item = value(depth);
      v.fields.emplace_back(std::move(name), std::move(item));
      skip_ws();
      if (eat('}')) return v;
      if (!eat(',')) fail("expected ',' or '}'");
    }
  }

  JValue array(int depth) {
    if (depth > kMaxDepth) fail("nesting too deep");
    JValue v;
    v.kind = JValue::Kind::array;
    ++pos_;  // '['
    skip_ws();
    if (eat(']')) return v;
    for (;;) {
      skip_ws();
      v.items.push_back(value(depth));
      skip_ws();
      if (eat(']')) return v;
      if (!eat(',')) fail("expected ',' or ']'");
    }
  }

  std::string number() {
    const std::size_t start = pos_;
    eat('-');
    if (eat('0')) {
    } else if (pos_ < in_.size() && in_[pos_] >= '1' && in_[pos_] <= '9') {
      while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') ++pos_;
    } else {
      fail("unexpected character");
    }
    if (eat('.')) {
      if (!digits()) fail("expected a digit");
    }
    if (eat('e') || eat('E')) {
      if (!eat('+')) eat('-');
      if (!digits()) fail("expected a digit");
    }
    return std::string(in_.substr(start, pos_ - start));
  }

  bool digits() {
    const std::size_t start = pos_;
    while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  unsigned hex4() {
    if (in_.size() - pos_ < 4) fail("bad \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = in_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= unsigned(c - '0');
      else if (c >= 'a' && c <= 'f') v |= unsigned(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= unsigned(c - 'A' + 10);
      else fail("bad \\u escape");
    }
    return v;
  }

  static void put_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xc0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += char(0xe0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3f));
      out += char(0x80 | (cp & 0x3f));
    } else {
      out += char(0xf0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3f));
      out += char(0x80 | ((cp >> 6) & 0x3f));
      out += char(0x80 | (cp & 0x3f));
    }
  }

  // Length of the valid UTF-8 sequence at in_[pos_], or 0.
  std::size_t utf8_length() const {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(in_[pos_ + i]); };
    const std::size_t left = in_.size() - pos_;
    const unsigned c = b(0);
    const auto cont = [&](std::size_t i) { return i < left && (b(i) & 0xc0) == 0x80; };
    if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
      if (!cont(1) || !cont(2)) return 0;
      if (c == 0xe0 && b(1) < 0xa0) return 0;  // overlong
      if (c == 0xed && b(1) >= 0xa0) return 0;  // surrogate
      return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
      if (!cont(1) || !cont(2) || !cont(3)) return 0;
      if (c == 0xf0 && b(1) < 0x90) return 0;
      if (c == 0xf4 && b(1) >= 0x90) return 0;
      return 4;
    }
    return 0;
  }

  std::string string() {
    ++pos_;  // '"'
    std::string out;
    for (;;) {
      if (pos_ >= in_.size()) fail("unterminated string");
      const auto c = static_cast<unsigned char>(in_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) fail("control character in string");
      if (c == '\\') {
        ++pos_;
        if (pos_ >= in_.size()) fail("unterminated string");
        const char e = in_[pos_++];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            unsigned cp = hex4();
            if (cp >= 0xd800 && cp <= 0xdbff) {
              if (in_.substr(pos_, 2) != "\\u") fail("unpaired surrogate");
              pos_ += 2;
              const unsigned lo = hex4();
              if (lo < 0xdc00 || lo > 0xdfff) fail("unpaired surrogate");
              cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
              fail("unpaired surrogate");
            }
            put_utf8(out, cp);
            break;
          }
          default: --pos_; fail("bad escape");
        }
      } else if (c < 0x80) {
        out += char(c);
        ++pos_;
      } else {
        const std::size_t n = utf8_length();
        if (n == 0) fail("invalid UTF-8");
        out.append(in_.substr(pos_, n));
        pos_ += n;
      }
    }
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

[[noreturn]] void bad(const std::string& path, std::string_view what) {
  throw std::invalid_argument(path + ": " + std::string(what));
}

void expect(const JValue& v, JValue::Kind k, const std::string& path) {
  if (v.kind != k) bad(path, std::string("expected ") + kind_name(k) + ", got " + kind_name(v.kind));
}

// The fields of one object: each must be taken exactly once; anything left over is unknown.
class Fields {
 public:
  Fields(const JValue& v, std::string path) : v_(v), path_(std::move(path)), used_(v.fields.size(), false) {
    expect(v, JValue::Kind::object, path_.empty() ? "snapshot" : path_);
  }
  std::string path(std::string_view name) const { return path_.empty() ? std::string(name) : path_ + "." + std::string(name); }
  const JValue& operator[](std::string_view name) {
    for (std::size_t i = 0; i < v_.fields.size(); ++i)
      if (v_.fields[i].first == name) {
        used_[i] = true;
        return v_.fields[i].second;
      }
    bad(path_.empty() ? "snapshot" : path_, "missing field '" + std::string(name) + "'");
  }
  void finish() const {
    for (std::size_t i = 0; i < v_.fields.size(); ++i)
      if (!used_[i]) bad(path_.empty() ? "snapshot" : path_, "unknown field " + quote_name(v_.fields[i].first));
  }

 private:
  const JValue& v_;
  std::string path_;
  std::vector<bool> used_;
};

std::uint64_t read_u64(const JValue& v, const std::string& path) {
  if (v.kind != JValue::Kind::number) bad(path, std::string("expected a non-negative integer, got ") + kind_name(v.kind));
  const std::string& t = v.text;
  if (t.empty() || t.find_first_not_of("0123456789") != std::string::npos)
    bad(path, "expected a non-negative integer");
  std::uint64_t out = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), out);
  if (r.ec != std::errc() || r.ptr != t.data() + t.size()) bad(path, "integer out of range");
  return out;
}

std::int64_t read_i64(const JValue& v, const std::string& path) {
  if (v.kind != JValue::Kind::number) bad(path, std::string("expected an integer, got ") + kind_name(v.kind));
  const std::string& t = v.text;
  const std::size_t digits_from = (!t.empty() && t[0] == '-') ? 1 : 0;
  if (t.size() == digits_from || t.find_first_not_of("0123456789", digits_from) != std::string::npos)
    bad(path, "expected an integer");
  std::int64_t out = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), out);
  if (r.ec != std::errc() || r.ptr != t.data() + t.size()) bad(path, "integer out of range");
  return out;
}

double read_rate(const JValue& v, const std::string& path) {
  if (v.kind != JValue::Kind::number) bad(path, std::string("expected a number, got ") + kind_name(v.kind));
  double out = 0;
  const auto r = std::from_chars(v.text.data(), v.text.data() + v.text.size(), out);
  if (r.ec != std::errc() || r.ptr != v.text.data() + v.text.size() || !std::isfinite(out) || out < 0 || out > 1)
    bad(path, "expected a rate between 0 and 1");
  return out;
}

bool read_bool(const JValue& v, const std::string& path) {
  expect(v, JValue::Kind::boolean, path);
  return v.boolean;
}

template <class Check>
std::string read_label(const JValue& v, const std::string& path, Check ok, std::string_view what) {
  expect(v, JValue::Kind::string, path);
  if (!ok(v.text)) bad(path, "expected " + std::string(what));
  return v.text;
}

std::string read_id(const JValue& v, const std::string& path) {
  return read_label(v, path, is_metric_id, "an id ([a-z0-9][a-z0-9_.-]{0,63})");
}
std::string read_locale(const JValue& v, const std::string& path) {
  return read_label(v, path, is_metric_locale, "a locale tag or \"other\"");
}

const std::vector<JValue>& read_array(const JValue& v, const std::string& path) {
  expect(v, JValue::Kind::array, path);
  return v.items;
}

std::string at(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

void sort_unique(MetricsSnapshot& s) {
  std::sort(s.packs.begin(), s.packs.end(), [](const auto& a, const auto& b) { return pack_key(a) < pack_key(b); });
  s.packs.erase(std::unique(s.packs.begin(), s.packs.end()), s.packs.end());
  std::sort(s.holdout_rates.begin(), s.holdout_rates.end(),
            [](const auto& a, const auto& b) { return rate_key(a) < rate_key(b); });
  s.holdout_rates.erase(std::unique(s.holdout_rates.begin(), s.holdout_rates.end()), s.holdout_rates.end());
}

// pack_name / pack_version / pack_hash: the value every pack shares, else "".
void derive_pack_fields(MetricsSnapshot& s) {
  const auto common = [&](auto member) {
    if (s.packs.empty()) return std::string();
    for (const auto& p : s.packs)
      if (p.*member != s.packs.front().*member) return std::string();
    return s.packs.front().*member;
  };
  s.pack_name = common(&MetricsSnapshot::PackId::name);
  s.pack_version = common(&MetricsSnapshot::PackId::version);
  s.pack_hash = common(&MetricsSnapshot::PackId::hash);
}

// Prometheus label values: backslash, double quote and newline are escaped.
void put_label(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += "=\"";
  for (const char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  out += '"';
}

bool is_metric_name(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::uint64_t checked_add(std::uint64_t a, std::uint64_t b) {
  if (a > std::numeric_limits<std::uint64_t>::max() - b) throw std::overflow_error("metrics count overflow");
  return a + b;
}

void canonicalize(MetricsSnapshot& s) {
  if (s.packs.empty() && !s.pack_name.empty()) s.packs.push_back({s.pack_name, s.pack_version, s.pack_hash});
  sort_unique(s);
  derive_pack_fields(s);

  auto& d = s.decisions;
  std::sort(d.begin(), d.end(), [](const auto& a, const auto& b) { return decision_key(a) < decision_key(b); });
  std::size_t out = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (out > 0 && decision_key(d[out - 1]) == decision_key(d[i])) {
      d[out - 1].count = checked_add(d[out - 1].count, d[i].count);
    } else {
      if (out != i) d[out] = std::move(d[i]);
      ++out;
    }
  }
  d.resize(out);
  std::erase_if(d, [](const auto& r) { return r.count == 0; });

  auto& c = s.cards;
  std::sort(c.begin(), c.end(), [](const auto& a, const auto& b) { return card_key(a) < card_key(b); });
  out = 0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (out > 0 && card_key(c[out - 1]) == card_key(c[i])) {
      c[out - 1].impressions = checked_add(c[out - 1].impressions, c[i].impressions);
      c[out - 1].clicks = checked_add(c[out - 1].clicks, c[i].clicks);
    } else {
      if (out != i) c[out] = std::move(c[i]);
      ++out;
    }
  }
  c.resize(out);
  std::erase_if(c, [](const auto& r) { return r.impressions == 0 && r.clicks == 0; });
}

}  // namespace detail

void MetricsSnapshot::merge(const MetricsSnapshot& other) {
  // Work on a copy so that an overflow leaves *this untouched.
  MetricsSnapshot sum = *this;
  if (sum.packs.empty() && !sum.pack_name.empty()) sum.packs.push_back({sum.pack_name, sum.pack_version, sum.pack_hash});
  if (other.packs.empty() && !other.pack_name.empty())
    sum.packs.push_back({other.pack_name, other.pack_version, other.pack_hash});
  else
    sum.packs.insert(sum.packs.end(), other.packs.begin(), other.packs.end());
  sum.holdout_rates.insert(sum.holdout_rates.end(), other.holdout_rates.begin(), other.holdout_rates.end());
  sum.decisions.insert(sum.decisions.end(), other.decisions.begin(), other.decisions.end());
  sum.cards.insert(sum.cards.end(), other.cards.begin(), other.cards.end());
  sum.evaluations = detail::checked_add(sum.evaluations, other.evaluations);

  const bool this_empty = period_start == 0 && period_end == 0;
  const bool other_empty = other.period_start == 0 && other.period_end == 0;
  if (this_empty) {
    sum.period_start = other.period_start;
    sum.period_end = other.period_end;
  } else if (!other_empty) {
    sum.period_start = std::min(period_start, other.period_start);
    sum.period_end = std::max(period_end, other.period_end);
  }
  detail::canonicalize(sum);
  *this = std::move(sum);
}

std::string MetricsSnapshot::to_json() const {
  using detail::put_double;
  using detail::put_int;
  using detail::put_string;
  std::vector<PackId> pack_list = packs;
  if (pack_list.empty() && !pack_name.empty()) pack_list.push_back({pack_name, pack_version, pack_hash});

  std::string out;
  out.reserve(256 + 128 * (decisions.size() + cards.size() + holdout_rates.size()));
  out += "{\n  \"format\": ";
  put_string(out, detail::kFormat);
  out += ",\n  \"format_version\": ";
  put_int(out, detail::kFormatVersion);
  out += ",\n  \"packs\": [";
  for (std::size_t i = 0; i < pack_list.size(); ++i) {
    out += i ? ",\n    " : "\n    ";
    out += "{\"name\": ";
    put_string(out, pack_list[i].name);
    out += ", \"version\": ";
    put_string(out, pack_list[i].version);
    out += ", \"hash\": ";
    put_string(out, pack_list[i].hash);
    out += '}';
  }
  out += pack_list.empty() ? "]" : "\n  ]";
  out += ",\n  \"period\": {\"start\": ";
  put_int(out, period_start);
  out += ", \"end\": ";
  put_int(out, period_end);
  out += "},\n  \"evaluations\": ";
  put_int(out, evaluations);
  out += ",\n  \"holdout_rates\": [";
  for (std::size_t i = 0; i < holdout_rates.size(); ++i) {
    const auto& r = holdout_rates[i];
    out += i ? ",\n    " : "\n    ";
    out += "{\"pack\": ";
    put_string(out, r.pack);
    out += ", \"category\": ";
    put_string(out, r.category);
    out += ", \"rate\": ";
    put_double(out, r.rate);
    out += '}';
  }
  out += holdout_rates.empty() ? "]" : "\n  ]";
  out += ",\n  \"decisions\": [";
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const auto& d = decisions[i];
    out += i ? ",\n    " : "\n    ";
    out += "{\"pack\": ";
    put_string(out, d.pack);
    out += ", \"category\": ";
    put_string(out, d.category);
    out += ", \"action\": ";
    put_string(out, d.action);
    out += ", \"locale\": ";
    put_string(out, d.locale);
    out += ", \"holdout\": ";
    out += d.holdout ? "true" : "false";
    out += ", \"count\": ";
    put_int(out, d.count);
    out += '}';
  }
  out += decisions.empty() ? "]" : "\n  ]";
  out += ",\n  \"cards\": [";
  for (std::size_t i = 0; i < cards.size(); ++i) {
    const auto& c = cards[i];
    out += i ? ",\n    " : "\n    ";
    out += "{\"pack\": ";
    put_string(out, c.pack);
    out += ", \"card\": ";
    put_string(out, c.card);
    out += ", \"locale\": ";
    put_string(out, c.locale);
    out += ", \"impressions\": ";
    put_int(out, c.impressions);
    out += ", \"clicks\": ";
    put_int(out, c.clicks);
    out += '}';
  }
  out += cards.empty() ? "]" : "\n  ]";
  out += "\n}\n";
  return out;
}

MetricsSnapshot MetricsSnapshot::from_json(std::string_view json) {
  using namespace detail;
  const JValue doc = Reader(json).document();
  Fields top(doc, "");
  MetricsSnapshot s;

  const JValue& format = top["format"];
  expect(format, JValue::Kind::string, "format");
  if (format.text != kFormat) bad("format", "expected \"signpost-metrics\"");
  if (read_u64(top["format_version"], "format_version") != kFormatVersion)
    bad("format_version", "unsupported version (this build reads version 1)");

  const auto& packs = read_array(top["packs"], "packs");
  for (std::size_t i = 0; i < packs.size(); ++i) {
    const std::string path = at("packs", i);
    Fields f(packs[i], path);
    PackId p;
    p.name = read_id(f["name"], f.path("name"));
    p.version = read_label(f["version"], f.path("version"), is_metric_version, "at most 128 printable ASCII characters");
    p.hash = read_label(f["hash"], f.path("hash"), is_metric_pack_hash, "\"sha256:\" and 64 hex digits, or \"\"");
    f.finish();
    for (const auto& q : s.packs)
      if (q == p) bad(path, "repeats an earlier pack");
    s.packs.push_back(std::move(p));
  }

  {
    Fields f(top["period"], "period");
    s.period_start = read_i64(f["start"], "period.start");
    s.period_end = read_i64(f["end"], "period.end");
    f.finish();
    if (s.period_end < s.period_start) bad("period", "end is before start");
  }
  s.evaluations = read_u64(top["evaluations"], "evaluations");

  const auto& rates = read_array(top["holdout_rates"], "holdout_rates");
  for (std::size_t i = 0; i < rates.size(); ++i) {
    const std::string path = at("holdout_rates", i);
    Fields f(rates[i], path);
    HoldoutRate r;
    r.pack = read_id(f["pack"], f.path("pack"));
    r.category = read_id(f["category"], f.path("category"));
    r.rate = read_rate(f["rate"], f.path("rate"));
    f.finish();
    for (const auto& q : s.holdout_rates)
      if (q == r) bad(path, "repeats an earlier holdout rate");
    s.holdout_rates.push_back(std::move(r));
  }

  const auto& decisions = read_array(top["decisions"], "decisions");
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const std::string path = at("decisions", i);
    Fields f(decisions[i], path);
    DecisionCount d;
    d.pack = read_id(f["pack"], f.path("pack"));
    d.category = read_id(f["category"], f.path("category"));
    d.action = read_label(f["action"], f.path("action"),
                          [](std::string_view a) { return parse_action(a).has_value(); },
                          "one of none, annotate, interstitial, redirect");
    d.locale = read_locale(f["locale"], f.path("locale"));
    d.holdout = read_bool(f["holdout"], f.path("holdout"));
    d.count = read_u64(f["count"], f.path("count"));
    f.finish();
    s.decisions.push_back(std::move(d));
  }

  const auto& cards = read_array(top["cards"], "cards");
  for (std::size_t i = 0; i < cards.size(); ++i) {
    const std::string path = at("cards", i);
    Fields f(cards[i], path);
    CardCount c;
    c.pack = read_id(f["pack"], f.path("pack"));
    c.card = read_id(f["card"], f.path("card"));
    c.locale = read_locale(f["locale"], f.path("locale"));
    c.impressions = read_u64(f["impressions"], f.path("impressions"));
    c.clicks = read_u64(f["clicks"], f.path("clicks"));
    f.finish();
    s.cards.push_back(std::move(c));
  }
  top.finish();

  // The same key twice is not something a recorder or merge() writes.
  {
    std::vector<std::size_t> order(s.decisions.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return std::make_pair(decision_key(s.decisions[a]), a) < std::make_pair(decision_key(s.decisions[b]), b);
    });
    for (std::size_t i = 1; i < order.size(); ++i)
      if (decision_key(s.decisions[order[i - 1]]) == decision_key(s.decisions[order[i]]))
        bad(at("decisions", order[i]), "repeats the key of decisions[" + std::to_string(order[i - 1]) + "]");
  }
  {
    std::vector<std::size_t> order(s.cards.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return std::make_pair(card_key(s.cards[a]), a) < std::make_pair(card_key(s.cards[b]), b);
    });
    for (std::size_t i = 1; i < order.size(); ++i)
      if (card_key(s.cards[order[i - 1]]) == card_key(s.cards[order[i]]))
        bad(at("cards", order[i]), "repeats the key of cards[" + std::to_string(order[i - 1]) + "]");
  }
  canonicalize(s);
  return s;
}

std::string MetricsSnapshot::to_prometheus(std::string_view prefix) const {
  if (!detail::is_metric_name(prefix)) throw std::invalid_argument("invalid Prometheus metric prefix");
  const std::string p(prefix);
  std::string out;
  const auto header = [&](const char* name, const char* type, const char* help) {
    out += "# HELP " + p + name + ' ' + help + '\n';
    out += "# TYPE " + p + name + ' ' + type + '\n';
  };
  const auto value = [&](auto v) {
    out += ' ';
    detail::put_int(out, v);
    out += '\n';
  };

  std::vector<PackId> pack_list = packs;
  if (pack_list.empty() && !pack_name.empty()) pack_list.push_back({pack_name, pack_version, pack_hash});
  header("_pack_info", "gauge", "The pack counted, by name, version and hash (always 1).");
  for (const auto& pk : pack_list) {
    out += p + "_pack_info{";
    detail::put_label(out, "pack", pk.name);
    out += ',';
    detail::put_label(out, "version", pk.version);
    out += ',';
    detail::put_label(out, "hash", pk.hash);
    out += "} 1\n";
  }
  header("_metrics_period_start_seconds", "gauge", "Start of the counting period, unix seconds.");
  out += p + "_metrics_period_start_seconds";
  value(period_start);
  header("_evaluations_total", "counter", "Decisions recorded, whatever their action.");
  out += p + "_evaluations_total";
  value(evaluations);

  header("_decisions_total", "counter",
         "Decisions by pack, category (none = no category), action, locale (a pack language or other) and holdout.");
  for (const auto& d : decisions) {
    out += p + "_decisions_total{";
    detail::put_label(out, "pack", d.pack);
    out += ',';
    detail::put_label(out, "category", d.category);
    out += ',';
    detail::put_label(out, "action", d.action);
    out += ',';
    detail::put_label(out, "locale", d.locale);
    out += ',';
    detail::put_label(out, "holdout", d.holdout ? "true" : "false");
    out += '}';
    value(d.count);
  }
  const auto card_series = [&](const char* name, const char* help, std::uint64_t CardCount::*member) {
    header(name, "counter", help);
    for (const auto& c : cards) {
      out += p + name + '{';
      detail::put_label(out, "pack", c.pack);
      out += ',';
      detail::put_label(out, "card", c.card);
      out += ',';
      detail::put_label(out, "locale", c.locale);
      out += '}';
      value(c.*member);
    }
  };
  card_series("_card_impressions_total", "Cards shown, by pack, card and locale.", &CardCount::impressions);
  card_series("_card_clicks_total", "Card links followed, by pack, card and locale.", &CardCount::clicks);
  return out;
}

}  // namespace signpost
