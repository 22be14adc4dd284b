// measure/snapshot.cpp: merging snapshots, and writing their JSON and Prometheus forms.
// Reading a snapshot back (MetricsSnapshot::from_json) is a tool's job: sdk/tools/src/snapshot_reader.cpp.
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
#include "signpost/error.hpp"

namespace signpost {
namespace detail {
namespace {

constexpr std::string_view kFormat = "signpost-metrics";
constexpr int kFormatVersion = 1;

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
  if (a > std::numeric_limits<std::uint64_t>::max() - b) throw Error("metrics count overflow");
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

std::string MetricsSnapshot::to_prometheus(std::string_view prefix) const {
  if (!detail::is_metric_name(prefix)) throw Error("invalid Prometheus metric prefix");
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
