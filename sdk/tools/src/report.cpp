// measure/report.cpp: the transparency report (signpost report).
//
// Steps: group the snapshots by period and merge each group; lay out every cell of the report's
// domain (the labels that appear anywhere, zeros included) and add noise to each cell once; sum
// cells into the numbers the tables show; suppress numbers under k (and, without noise, totals
// that would give a suppressed number away by subtraction); render the tables as Markdown and
// as a self-contained HTML page with an inline SVG chart.
#include "report.hpp"
#include "signpost/error.hpp"
#include "signpost/tools/report.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cctype>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <ostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <tuple>

#include "measure/sha256.hpp"

namespace signpost::detail {

Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double z) noexcept {
  if (trials == 0) return {};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(std::min(successes, trials)) / n;
  const double z2 = z * z;
  const double denom = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / denom;
  const double half = z / denom * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

double LaplaceNoise::operator()() noexcept {
  const double u = (static_cast<double>(rng_() >> 11) + 0.5) * 0x1p-53;  // in (0, 1), never 0 or 1
  return u < 0.5 ? scale_ * std::log(2.0 * u) : -scale_ * std::log(2.0 - 2.0 * u);
}

namespace {

constexpr std::uintmax_t kMaxSnapshotBytes = 64u << 20;
constexpr std::string_view kAll = "*";

// ---- formatting ------------------------------------------------------------------------------

std::string fixed(double v, int decimals) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  return std::string(buf, r.ptr);
}

std::string thousands(std::int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string percent(double p) {
  const double v = p * 100.0;
  return fixed(v, v != 0.0 && v < 1.0 ? 2 : 1) + "%";
}

std::string utc(std::int64_t t, bool with_time = true) {
  using namespace std::chrono;
  const sys_seconds tp{seconds{t}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
  std::string s = buf;
  if (with_time) {
    std::snprintf(buf, sizeof buf, " %02d:%02d UTC", int(hms.hours().count()), int(hms.minutes().count()));
    s += buf;
  }
  return s;
}

std::string period_key(std::int64_t start, std::int64_t end, ReportOptions::Period by) {
  if (start == 0 && end == 0) return "no period";
  switch (by) {
    case ReportOptions::Period::month: return utc(start, false).substr(0, 7);
    case ReportOptions::Period::day: return utc(start, false);
    case ReportOptions::Period::snapshot: return utc(start) + " to " + utc(end);
  }
  return {};
}

std::string base64(const std::array<std::uint8_t, 32>& d) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= d.size(); i += 3) {
    const unsigned v = (unsigned(d[i]) << 16) | (unsigned(d[i + 1]) << 8) | d[i + 2];
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  const std::size_t left = d.size() - i;  // 32 % 3 == 2
  if (left == 2) {
    const unsigned v = (unsigned(d[i]) << 16) | (unsigned(d[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  } else if (left == 1) {
    const unsigned v = unsigned(d[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  }
  return out;
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n') out += ' ';
        else out += c;
    }
  }
  return out;
}

// Markdown: an id in a code span (pipes escaped for tables, backticks cannot occur in ids but
// are replaced all the same); prose with Markdown's punctuation escaped.
std::string md_code(std::string_view s) {
  std::string out = "`";
  for (const char c : s) {
    if (c == '`') out += '\'';
    else if (c == '|') out += "\\|";
    else if (static_cast<unsigned char>(c) < 0x20) out += ' ';
    else out += c;
  }
  return out + "`";
}

std::string md_text(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : ' ';
    const bool tag_start = c == '<' && (std::isalpha(static_cast<unsigned char>(next)) || next == '/' || next == '!' || next == '?');
    const bool line_start = i == 0 && std::string_view("#>+-=").find(c) != std::string_view::npos;
    if (std::string_view("\\`*_[]|~").find(c) != std::string_view::npos || tag_start || line_start) out += '\\';
    out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
  }
  return out;
}

// ---- the numbers -----------------------------------------------------------------------------

struct Number {
  enum class State { shown, small, withheld };
  double value = 0.0;       // sum of (noisy) cells
  std::int64_t shown = 0;   // rounded, never negative
  State state = State::shown;
  bool hidden() const noexcept { return state != State::shown; }
};

class Numbers {
 public:
  void set(const std::string& key, double value) { numbers_[key].value = value; }
  const Number& operator[](const std::string& key) const {
    const auto it = numbers_.find(key);
    if (it == numbers_.end()) throw std::logic_error("report: number not computed");
    return it->second;
  }
  // `total` is the sum of `parts`, and the report shows them where a reader can subtract.
  void relate(std::string total, std::vector<std::string> parts) {
    relations_.emplace_back(std::move(total), std::move(parts));
  }

  // Rounds, and marks every number under k as small. Then, when `complementary`, withholds more
  // numbers until no relation gives a hidden number away: a relation with exactly one hidden
  // number would reveal it (unless it is 0, which identifies nobody), and a shown total minus its
  // shown parts must not leave a sum between 1 and k - 1. Each time, the smallest shown part of
  // the relation is withheld (the total when no part is shown).
  void finish(std::uint64_t k, bool complementary) {
    for (auto& [key, n] : numbers_) {
      n.shown = static_cast<std::int64_t>(std::llround(std::max(0.0, n.value)));
      n.state = static_cast<std::uint64_t>(n.shown) < k ? Number::State::small : Number::State::shown;
    }
    if (!complementary || k == 0) return;
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& [total_key, part_keys] : relations_) {
        Number& total = numbers_.at(total_key);
        std::vector<Number*> parts;
        for (const auto& p : part_keys) parts.push_back(&numbers_.at(p));
        std::size_t hidden_parts = 0;
        std::int64_t shown_sum = 0;
        Number* smallest = nullptr;
        for (Number* p : parts) {
          if (p->hidden()) {
            ++hidden_parts;
          } else {
            shown_sum += p->shown;
            if (!smallest || p->shown < smallest->shown) smallest = p;
          }
        }
        const std::size_t unknowns = hidden_parts + (total.hidden() ? 1 : 0);
        bool leaks = false;
        if (unknowns == 1) {
          const std::int64_t revealed = total.hidden() ? shown_sum : total.shown - shown_sum;
          leaks = revealed != 0;
        } else if (unknowns > 1 && !total.hidden()) {
          const std::int64_t rest = total.shown - shown_sum;
          leaks = rest > 0 && static_cast<std::uint64_t>(rest) < k;
        }
        if (!leaks) continue;
        Number* pick = smallest ? smallest : (total.hidden() ? nullptr : &total);
        if (!pick) continue;
        pick->state = Number::State::withheld;
        changed = true;
      }
    }
  }

 private:
  std::map<std::string, Number> numbers_;
  std::vector<std::pair<std::string, std::vector<std::string>>> relations_;
};

// ---- the tables ------------------------------------------------------------------------------

struct TextCell {
  std::string text;
  bool code = false;     // an id: rendered in a code span / <code>
  bool numeric = false;  // right-aligned
};

struct Table {
  std::string caption;
  std::vector<std::string> head;
  std::vector<bool> numeric_col;
  std::vector<std::vector<TextCell>> rows;
  bool total_row = false;  // the last row is a total
};

struct Section {
  std::string heading;
  std::vector<std::string> before;  // paragraphs
  std::vector<Table> tables;
  std::vector<std::string> after;
  bool chart = false;  // the HTML page puts the category chart here
};

struct ChartBar {
  std::string label;
  std::optional<std::int64_t> interventions, held_out;  // nullopt = not shown, then:
  std::string interventions_text, held_out_text;         // "< k" or "withheld"
};

struct Report {
  std::string title = "signpost transparency report";
  std::vector<std::pair<std::string, std::string>> facts;  // label, value (plain text)
  std::vector<Section> sections;
  std::vector<ChartBar> chart;
  std::uint64_t k = 0;
};

struct Cat {
  std::string pack, category;
  auto operator<=>(const Cat&) const = default;
};

class Builder {
 public:
  Builder(const std::vector<MetricsSnapshot>& snapshots, const ReportOptions& options, std::uint64_t seed)
      : options_(options) {
    group(snapshots);
    domain();
    cells(seed);
  }

  Report build() {
    Report r;
    r.k = options_.k;
    const bool noisy = options_.epsilon.has_value();
    define_numbers();
    numbers_.finish(options_.k, !noisy);

    facts(r);
    summary(r);
    by_period(r);
    by_category(r);
    by_locale(r);
    holdout(r);
    cards(r);
    reading(r);
    return r;
  }

 private:
  // -- input --

  void group(const std::vector<MetricsSnapshot>& snapshots) {
    std::map<std::string, std::size_t> index;
    std::vector<std::pair<std::int64_t, std::string>> order;
    for (const auto& s : snapshots) {
      total_.merge(s);
      const std::string key = period_key(s.period_start, s.period_end, options_.period);
      auto [it, fresh] = index.try_emplace(key, groups_.size());
      if (fresh) groups_.push_back({key, s});
      else groups_[it->second].snap.merge(s);
    }
    std::sort(groups_.begin(), groups_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.snap.period_start, a.label) < std::tie(b.snap.period_start, b.label);
    });
    snapshot_count_ = snapshots.size();
    std::set<std::string> pack_names;
    for (const auto& d : total_.decisions) pack_names.insert(d.pack);
    for (const auto& c : total_.cards) pack_names.insert(c.pack);
    for (const auto& r : total_.holdout_rates) pack_names.insert(r.pack);
    multi_pack_ = pack_names.size() > 1;
  }

  std::string cat_label(const Cat& c) const { return multi_pack_ ? c.pack + "/" + c.category : c.category; }

  // Every combination of labels that appears anywhere gets a cell in every group, zeros included,
  // so that the noise (when asked for) does not depend on which cells happened to be non-zero.
  void domain() {
    std::set<Cat> cats;
    for (const auto& r : total_.holdout_rates) {
      cats.insert({r.pack, r.category});
      rates_[{r.pack, r.category}].insert(r.rate);
    }
    for (const auto& d : total_.decisions) {
      locales_.insert(d.locale);
      const Cat c{d.pack, d.category};
      if (d.category == kNone) {
        none_packs_.insert(d.pack);
        continue;
      }
      cats.insert(c);
      if (d.action != "none" && !d.holdout) actions_[c].insert(d.action);
    }
    categories_.assign(cats.begin(), cats.end());
    for (const auto& c : total_.cards) {
      card_locales_.insert(c.locale);
      card_ids_.insert({c.pack, c.card});
    }
  }

  struct DCell {
    std::size_t group;
    Cat cat;
    std::string action, locale;
    bool holdout;
    double value;
  };
  struct CCell {
    std::string pack, card, locale;
    double impressions, clicks;
  };

  void cells(std::uint64_t seed) {
    std::optional<LaplaceNoise> noise;
    if (options_.epsilon) noise.emplace(1.0 / *options_.epsilon, seed);
    const auto noisy = [&](std::uint64_t v) { return static_cast<double>(v) + (noise ? (*noise)() : 0.0); };

    for (std::size_t g = 0; g < groups_.size(); ++g) {
      std::map<std::tuple<std::string, std::string, std::string, std::string, bool>, std::uint64_t> counts;
      for (const auto& d : groups_[g].snap.decisions) counts[{d.pack, d.category, d.action, d.locale, d.holdout}] += d.count;
      const auto take = [&](const Cat& c, const std::string& action, const std::string& locale, bool holdout) {
        const auto it = counts.find({c.pack, c.category, action, locale, holdout});
        dcells_.push_back({g, c, action, locale, holdout, noisy(it == counts.end() ? 0 : it->second)});
      };
      for (const auto& pack : none_packs_)
        for (const auto& l : locales_) take({pack, std::string(kNone)}, "none", l, false);
      for (const auto& c : categories_) {
        std::set<std::string> acts = actions_[c];
        acts.insert("none");
        const bool holdout = has_holdout(c);
        for (const auto& a : acts)
          for (const auto& l : locales_) {
            take(c, a, l, false);
            if (a == "none" && holdout) take(c, a, l, true);
          }
      }
    }
    // Cards are reported over the whole period.
    std::map<std::tuple<std::string, std::string, std::string>, std::pair<std::uint64_t, std::uint64_t>> cards;
    for (const auto& c : total_.cards) cards[{c.pack, c.card, c.locale}] = {c.impressions, c.clicks};
    for (const auto& [pack, card] : card_ids_)
      for (const auto& l : card_locales_) {
        const auto it = cards.find({pack, card, l});
        const auto [imp, clk] = it == cards.end() ? std::pair<std::uint64_t, std::uint64_t>{0, 0} : it->second;
        const double i = noisy(imp);
        ccells_.push_back({pack, card, l, i, noisy(clk)});
      }
  }

  bool has_holdout(const Cat& c) const {
    const auto it = rates_.find(c);
    if (it != rates_.end())
      for (const double r : it->second)
        if (r > 0) return true;
    for (const auto& d : total_.decisions)
      if (d.holdout && d.pack == c.pack && d.category == c.category) return true;
    return false;
  }

  // -- numbers --

  enum class Kind { decisions, interventions, held_out, no_intervention };
  static char kind_char(Kind k) { return "EIHN"[static_cast<int>(k)]; }

  static std::string key(Kind k, std::string_view group, std::string_view pack, std::string_view cat,
                         std::string_view locale) {
    return std::string(1, kind_char(k)) + "|" + std::string(group) + "|" + std::string(pack) + "|" +
           std::string(cat) + "|" + std::string(locale);
  }
  std::string key(Kind k, std::optional<std::size_t> g = {}, const Cat* c = nullptr,
                  const std::string* l = nullptr) const {
    return key(k, g ? std::to_string(*g) : std::string(kAll), c ? c->pack : kAll, c ? c->category : kAll,
               l ? *l : std::string(kAll));
  }

  static bool in_kind(const DCell& d, Kind k) {
    switch (k) {
      case Kind::decisions: return true;
      case Kind::interventions: return d.action != "none" && !d.holdout;
      case Kind::held_out: return d.holdout;
      case Kind::no_intervention: return d.action == "none" && !d.holdout;
    }
    return false;
  }

  void define(Kind k, std::optional<std::size_t> g, const Cat* c, const std::string* l) {
    double sum = 0;
    for (const auto& d : dcells_)
      if (in_kind(d, k) && (!g || d.group == *g) && (!c || d.cat == *c) && (!l || d.locale == *l)) sum += d.value;
    numbers_.set(key(k, g, c, l), sum);
  }

  static std::string card_key(char what, std::string_view pack, std::string_view card, std::string_view locale) {
    return std::string(1, what) + "|" + std::string(pack) + "|" + std::string(card) + "|" + std::string(locale);
  }

  void define_numbers() {
    const std::vector<Kind> kinds = {Kind::decisions, Kind::interventions, Kind::held_out, Kind::no_intervention};
    std::vector<std::optional<std::size_t>> gs = {std::nullopt};
    for (std::size_t g = 0; g < groups_.size(); ++g) gs.push_back(g);

    // Summary and by period: E = I + H + N, and each of them sums over the periods.
    for (const auto& g : gs)
      for (const Kind k : kinds) define(k, g, nullptr, nullptr);
    for (const auto& g : gs)
      numbers_.relate(key(Kind::decisions, g), {key(Kind::interventions, g), key(Kind::held_out, g), key(Kind::no_intervention, g)});
    for (const Kind k : kinds) {
      std::vector<std::string> parts;
      for (std::size_t g = 0; g < groups_.size(); ++g) parts.push_back(key(k, g));
      numbers_.relate(key(k), parts);
    }

    // By category (interventions and held out), by category and period, by category and locale.
    for (const Kind k : {Kind::interventions, Kind::held_out}) {
      std::vector<std::string> cat_parts;
      for (const auto& c : categories_) {
        define(k, std::nullopt, &c, nullptr);
        cat_parts.push_back(key(k, std::nullopt, &c));
      }
      numbers_.relate(key(k), cat_parts);
    }
    for (const auto& c : categories_) {
      std::vector<std::string> parts;
      for (std::size_t g = 0; g < groups_.size(); ++g) {
        define(Kind::interventions, g, &c, nullptr);
        parts.push_back(key(Kind::interventions, g, &c));
      }
      numbers_.relate(key(Kind::interventions, std::nullopt, &c), parts);
    }
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      std::vector<std::string> parts;
      for (const auto& c : categories_) parts.push_back(key(Kind::interventions, g, &c));
      numbers_.relate(key(Kind::interventions, g), parts);
    }
    for (const auto& l : locales_) define(Kind::interventions, std::nullopt, nullptr, &l);
    for (const auto& c : categories_) {
      std::vector<std::string> parts;
      for (const auto& l : locales_) {
        define(Kind::interventions, std::nullopt, &c, &l);
        parts.push_back(key(Kind::interventions, std::nullopt, &c, &l));
      }
      numbers_.relate(key(Kind::interventions, std::nullopt, &c), parts);
    }
    {
      std::vector<std::string> parts;
      for (const auto& l : locales_) {
        std::vector<std::string> col;
        for (const auto& c : categories_) col.push_back(key(Kind::interventions, std::nullopt, &c, &l));
        numbers_.relate(key(Kind::interventions, std::nullopt, nullptr, &l), col);
        parts.push_back(key(Kind::interventions, std::nullopt, nullptr, &l));
      }
      numbers_.relate(key(Kind::interventions), parts);
    }

    // Cards: by card and locale, by card, all cards.
    for (const char what : {'i', 'c'}) {
      std::vector<std::string> all_parts;
      double all = 0;
      for (const auto& [pack, card] : card_ids_) {
        std::vector<std::string> parts;
        double sum = 0;
        for (const auto& cc : ccells_) {
          if (cc.pack != pack || cc.card != card) continue;
          const double v = what == 'i' ? cc.impressions : cc.clicks;
          numbers_.set(card_key(what, pack, card, cc.locale), v);
          parts.push_back(card_key(what, pack, card, cc.locale));
          sum += v;
        }
        numbers_.set(card_key(what, pack, card, kAll), sum);
        numbers_.relate(card_key(what, pack, card, kAll), parts);
        all_parts.push_back(card_key(what, pack, card, kAll));
        all += sum;
      }
      numbers_.set(card_key(what, kAll, kAll, kAll), all);
      numbers_.relate(card_key(what, kAll, kAll, kAll), all_parts);
    }
  }

  // -- cells of the tables --

  TextCell count(const std::string& k) const {
    const Number& n = numbers_[k];
    if (n.state == Number::State::small) return {"< " + std::to_string(options_.k), false, true};
    if (n.state == Number::State::withheld) return {"withheld", false, true};
    return {thousands(n.shown), false, true};
  }
  std::optional<std::int64_t> shown(const std::string& k) const {
    const Number& n = numbers_[k];
    return n.hidden() ? std::nullopt : std::optional<std::int64_t>(n.shown);
  }
  static TextCell text(std::string s, bool numeric = false) { return {std::move(s), false, numeric}; }
  static TextCell id(std::string s) { return {std::move(s), true, false}; }

  // successes / trials with its 95% Wilson interval; "suppressed" if either is suppressed.
  std::pair<TextCell, TextCell> rate(const std::string& successes, const std::string& trials) const {
    const auto x = shown(successes), n = shown(trials);
    if (!x || !n) return {text("suppressed", true), text("", true)};
    if (*n == 0) return {text("n/a", true), text("", true)};
    const auto xs = static_cast<std::uint64_t>(std::min(*x, *n)), ns = static_cast<std::uint64_t>(*n);
    const Interval ci = wilson_interval(xs, ns);
    return {text(percent(double(xs) / double(ns)), true), text(percent(ci.low) + " to " + percent(ci.high), true)};
  }

  // -- sections --

  void facts(Report& r) const {
    std::string packs;
    for (const auto& p : total_.packs) {
      if (!packs.empty()) packs += "; ";
      packs += p.name + " " + (p.version.empty() ? "(no version)" : p.version);
      if (!p.hash.empty()) packs += " (" + p.hash.substr(0, 19) + "...)";
    }
    r.facts.push_back({"Packs", packs.empty() ? "none recorded" : packs});
    const bool dated = !(total_.period_start == 0 && total_.period_end == 0);
    r.facts.push_back({"Period", dated ? utc(total_.period_start) + " to " + utc(total_.period_end) : "not recorded"});
    r.facts.push_back({"Snapshots merged", std::to_string(snapshot_count_)});
    r.facts.push_back({"Suppression", "every count under " + std::to_string(options_.k) + " is shown as \"< " +
                                          std::to_string(options_.k) + "\", and so is every rate computed from one"});
    if (options_.epsilon) {
      const double eps = *options_.epsilon;
      r.facts.push_back(
          {"Noise", "Laplace noise with epsilon = " + trim(eps) + " per count (sensitivity 1, scale 1/epsilon = " +
                        trim(1.0 / eps) + ") was added to every count before rounding and suppression"});
    } else {
      r.facts.push_back({"Noise", "none: counts are exact"});
    }
  }

  static std::string trim(double v) {
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
    return std::string(buf, res.ptr);
  }

  void summary(Report& r) const {
    Section s;
    s.heading = "Summary";
    Table t;
    t.caption = "Decisions over the whole period";
    t.head = {"", "count"};
    t.numeric_col = {false, true};
    t.rows.push_back({text("Decisions (every query or post judged)"), count(key(Kind::decisions))});
    t.rows.push_back({text("Interventions (cards shown: annotate, interstitial or redirect)"), count(key(Kind::interventions))});
    t.rows.push_back({text("Held out (would have intervened; no cards, for comparison)"), count(key(Kind::held_out))});
    t.rows.push_back({text("No intervention"), count(key(Kind::no_intervention))});
    s.tables.push_back(std::move(t));
    r.sections.push_back(std::move(s));
  }

  void by_period(Report& r) const {
    Section s;
    s.heading = "By period";
    const char* unit = options_.period == ReportOptions::Period::month ? "month"
                       : options_.period == ReportOptions::Period::day ? "day"
                                                                        : "snapshot";
    s.before.push_back(std::string("Snapshots are grouped by the ") + unit +
                       (options_.period == ReportOptions::Period::snapshot ? "" : " (UTC) in which they start") +
                       "; each row shows the span its snapshots cover.");
    Table t;
    t.caption = "Decisions by period";
    t.head = {"period", "from", "to", "decisions", "interventions", "held out", "no intervention"};
    t.numeric_col = {false, false, false, true, true, true, true};
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      const auto& snap = groups_[g].snap;
      const bool dated = !(snap.period_start == 0 && snap.period_end == 0);
      t.rows.push_back({text(groups_[g].label), text(dated ? utc(snap.period_start) : ""), text(dated ? utc(snap.period_end) : ""),
                        count(key(Kind::decisions, g)), count(key(Kind::interventions, g)), count(key(Kind::held_out, g)),
                        count(key(Kind::no_intervention, g))});
    }
    t.rows.push_back({text("total"), text(""), text(""), count(key(Kind::decisions)), count(key(Kind::interventions)),
                      count(key(Kind::held_out)), count(key(Kind::no_intervention))});
    t.total_row = true;
    s.tables.push_back(std::move(t));

    if (!categories_.empty()) {
      Table m;
      m.caption = "Interventions by period and category";
      m.head = {"period"};
      m.numeric_col = {false};
      for (const auto& c : categories_) {
        m.head.push_back(cat_label(c));
        m.numeric_col.push_back(true);
      }
      m.head.push_back("all categories");
      m.numeric_col.push_back(true);
      for (std::size_t g = 0; g < groups_.size(); ++g) {
        std::vector<TextCell> row = {text(groups_[g].label)};
        for (const auto& c : categories_) row.push_back(count(key(Kind::interventions, g, &c)));
        row.push_back(count(key(Kind::interventions, g)));
        m.rows.push_back(std::move(row));
      }
      std::vector<TextCell> row = {text("total")};
      for (const auto& c : categories_) row.push_back(count(key(Kind::interventions, std::nullopt, &c)));
      row.push_back(count(key(Kind::interventions)));
      m.rows.push_back(std::move(row));
      m.total_row = true;
      s.tables.push_back(std::move(m));
    }
    r.sections.push_back(std::move(s));
  }

  void by_category(Report& r) {
    Section s;
    s.heading = "Interventions by category";
    s.before.push_back("A decision counts under the category that won it. \"Held out\" decisions would have "
                       "intervened but showed no cards, because the subject's holdout bucket fell under the "
                       "category's holdout rate.");
    Table t;
    t.caption = "Interventions and held-out decisions by category";
    t.head = {"category", "action", "interventions", "held out"};
    t.numeric_col = {false, false, true, true};
    for (const auto& c : categories_) {
      std::string acts;
      const auto it = actions_.find(c);
      if (it != actions_.end())
        for (const auto& a : it->second) acts += (acts.empty() ? "" : ", ") + a;
      t.rows.push_back({id(cat_label(c)), text(acts.empty() ? "-" : acts), count(key(Kind::interventions, std::nullopt, &c)),
                        count(key(Kind::held_out, std::nullopt, &c))});
      const std::string ik = key(Kind::interventions, std::nullopt, &c), hk = key(Kind::held_out, std::nullopt, &c);
      r.chart.push_back({cat_label(c), shown(ik), shown(hk), count(ik).text, count(hk).text});
    }
    t.rows.push_back({text("all categories"), text(""), count(key(Kind::interventions)), count(key(Kind::held_out))});
    t.total_row = true;
    s.tables.push_back(std::move(t));
    s.chart = true;
    r.sections.push_back(std::move(s));
  }

  void by_locale(Report& r) const {
    Section s;
    s.heading = "Interventions by category and locale";
    s.before.push_back("Locales are the pack's languages; any other locale a query came with is counted as "
                       "\"other\". The locale is the one the cards were chosen for.");
    Table t;
    t.caption = "Interventions by category (rows) and locale (columns)";
    t.head = {"category"};
    t.numeric_col = {false};
    for (const auto& l : locales_) {
      t.head.push_back(l);
      t.numeric_col.push_back(true);
    }
    t.head.push_back("all locales");
    t.numeric_col.push_back(true);
    for (const auto& c : categories_) {
      std::vector<TextCell> row = {id(cat_label(c))};
      for (const auto& l : locales_) row.push_back(count(key(Kind::interventions, std::nullopt, &c, &l)));
      row.push_back(count(key(Kind::interventions, std::nullopt, &c)));
      t.rows.push_back(std::move(row));
    }
    std::vector<TextCell> row = {text("all categories")};
    for (const auto& l : locales_) row.push_back(count(key(Kind::interventions, std::nullopt, nullptr, &l)));
    row.push_back(count(key(Kind::interventions)));
    t.rows.push_back(std::move(row));
    t.total_row = true;
    s.tables.push_back(std::move(t));
    r.sections.push_back(std::move(s));
  }

  void holdout(Report& r) const {
    Section s;
    s.heading = "Holdout and treatment";
    Table t;
    t.caption = "Matching decisions in the treatment and holdout groups, by category";
    t.head = {"category", "holdout rate", "treatment", "held out", "held-out share", "95% interval",
              "relative rate", "95% interval"};
    t.numeric_col = {false, true, true, true, true, true, true, true};
    for (const auto& c : categories_) {
      if (!has_holdout(c)) continue;
      const auto it = rates_.find(c);
      std::string declared;
      std::optional<double> rate;
      if (it != rates_.end()) {
        for (const double v : it->second) declared += (declared.empty() ? "" : ", ") + percent(v);
        if (it->second.size() == 1) rate = *it->second.begin();
      }
      if (it != rates_.end() && it->second.size() > 1) declared = "varied: " + declared;
      const std::string ti = key(Kind::interventions, std::nullopt, &c), hi = key(Kind::held_out, std::nullopt, &c);
      std::vector<TextCell> row = {id(cat_label(c)), text(declared.empty() ? "unknown" : declared, true), count(ti), count(hi)};
      const auto T = shown(ti), H = shown(hi);
      if (!T || !H) {
        for (int i = 0; i < 4; ++i) row.push_back(text(i == 0 || i == 2 ? "suppressed" : "", true));
      } else if (*T + *H == 0) {
        for (int i = 0; i < 4; ++i) row.push_back(text(i == 0 || i == 2 ? "n/a" : "", true));
      } else {
        const auto h = static_cast<std::uint64_t>(*H), n = static_cast<std::uint64_t>(*T + *H);
        const double p = double(h) / double(n);
        const Interval ci = wilson_interval(h, n);
        row.push_back(text(percent(p), true));
        row.push_back(text(percent(ci.low) + " to " + percent(ci.high), true));
        if (rate && *rate > 0 && *rate < 1 && h > 0) {
          const double rr = *rate;
          const auto rel = [rr](double share) { return rr * (1.0 - share) / ((1.0 - rr) * share); };
          row.push_back(text(fixed(rel(p), 2), true));
          row.push_back(text(fixed(rel(ci.high), 2) + " to " + (ci.low > 0 ? fixed(rel(ci.low), 2) : std::string("unbounded")), true));
        } else {
          row.push_back(text("n/a", true));
          row.push_back(text("", true));
        }
      }
      t.rows.push_back(std::move(row));
    }
    if (t.rows.empty()) {
      s.before.push_back("No category had a holdout in this period, so there is nothing to compare.");
    } else {
      s.before.push_back(
          "Subjects (an opaque key the platform passes with each query) are split by a keyed hash: a share equal "
          "to the holdout rate gets no cards, the rest (treatment) get them. \"Treatment\" counts interventions, "
          "\"held out\" the decisions that would have intervened. If the cards made no difference to how often "
          "people make such queries, the held-out share would equal the holdout rate and the relative rate would "
          "be 1. The relative rate is the treatment group's matching queries per subject divided by the holdout "
          "group's: below 1 means people who saw the cards made fewer such queries.");
      s.tables.push_back(std::move(t));
      s.after.push_back(
          "Cautions: the intervals treat queries as independent, but one person often makes several, so the true "
          "uncertainty is wider. Queries without a subject are never held out and count as treatment, which pushes "
          "the relative rate up. A rate that changed during the period (\"varied\") makes the comparison "
          "meaningless, so none is made.");
    }
    r.sections.push_back(std::move(s));
  }

  void cards(Report& r) const {
    Section s;
    s.heading = "Card click-through";
    if (card_ids_.empty()) {
      s.before.push_back("No card was shown or clicked in this period.");
      r.sections.push_back(std::move(s));
      return;
    }
    s.before.push_back("An impression is a card shown with an intervention; a click is a visit to the card's "
                       "link through the platform. The interval is a 95% Wilson score interval.");
    Table t;
    t.caption = "Click-through by card";
    t.head = {"card", "impressions", "clicks", "click-through", "95% interval"};
    t.numeric_col = {false, true, true, true, true};
    const auto card_label = [&](const std::string& pack, const std::string& card) {
      return multi_pack_ ? pack + "/" + card : card;
    };
    for (const auto& [pack, card] : card_ids_) {
      const std::string ik = card_key('i', pack, card, kAll), ck = card_key('c', pack, card, kAll);
      auto [ctr, ci] = rate(ck, ik);
      t.rows.push_back({id(card_label(pack, card)), count(ik), count(ck), ctr, ci});
    }
    {
      const std::string ik = card_key('i', kAll, kAll, kAll), ck = card_key('c', kAll, kAll, kAll);
      auto [ctr, ci] = rate(ck, ik);
      t.rows.push_back({text("all cards"), count(ik), count(ck), ctr, ci});
      t.total_row = true;
    }
    s.tables.push_back(std::move(t));

    Table u;
    u.caption = "Click-through by card and locale";
    u.head = {"card", "locale", "impressions", "clicks", "click-through", "95% interval"};
    u.numeric_col = {false, false, true, true, true, true};
    for (const auto& [pack, card] : card_ids_)
      for (const auto& l : card_locales_) {
        const std::string ik = card_key('i', pack, card, l), ck = card_key('c', pack, card, l);
        auto [ctr, ci] = rate(ck, ik);
        u.rows.push_back({id(card_label(pack, card)), id(l), count(ik), count(ck), ctr, ci});
      }
    s.tables.push_back(std::move(u));
    r.sections.push_back(std::move(s));
  }

  void reading(Report& r) const {
    Section s;
    s.heading = "How to read this report";
    const std::string k = std::to_string(options_.k);
    s.before.push_back("What is counted: decisions (by category, action, locale and holdout), card impressions and "
                       "card clicks, keyed only by ids from the intervention pack. Nothing anyone typed, no subject "
                       "key and no hash of either is kept in the snapshots this report is built from.");
    s.before.push_back("Suppression: every count under " + k + " is shown as \"< " + k +
                       "\", including zeros, and a rate is not given when a count it is computed from is suppressed." +
                       (options_.epsilon ? std::string()
                                         : " Where a total minus the counts shown next to it would give a suppressed "
                                           "count away, the smallest count beside it is withheld as well and shown as "
                                           "\"withheld\" (a withheld count is not small; it only protects one that is)."));
    if (options_.epsilon) {
      s.before.push_back(
          "Noise: each count of the snapshots (every combination of period, category, action, locale and holdout "
          "that appears, and every card and locale) received independent Laplace noise of scale 1/epsilon = " +
          trim(1.0 / *options_.epsilon) +
          " before anything else; the numbers shown are sums of these noisy counts, rounded, with negative values "
          "shown as 0, so rows and columns need not add up exactly. Adding or removing one decision changes one "
          "count by 1, so each decision is protected with epsilon = " +
          trim(*options_.epsilon) +
          "; a decision that showed n cards also changes n impression counts, and a click one click count. The "
          "guarantee is per event: a person who searched many times contributes many events. Intervals do not "
          "include the noise.");
    }
    s.before.push_back("Confidence intervals: click-through rates and held-out shares come with a 95% Wilson score "
                       "interval, which stays within 0% to 100% and behaves well for small counts and rates near 0.");
    r.sections.push_back(std::move(s));
  }

  static constexpr std::string_view kNone = "none";

  const ReportOptions& options_;
  struct Group {
    std::string label;
    MetricsSnapshot snap;
  };
  std::vector<Group> groups_;
  MetricsSnapshot total_;
  std::size_t snapshot_count_ = 0;
  bool multi_pack_ = false;
  std::vector<Cat> categories_;
  std::map<Cat, std::set<std::string>> actions_;
  std::map<Cat, std::set<double>> rates_;
  std::set<std::string> none_packs_, locales_, card_locales_;
  std::set<std::pair<std::string, std::string>> card_ids_;
  std::vector<DCell> dcells_;
  std::vector<CCell> ccells_;
  Numbers numbers_;
};

// ---- rendering -------------------------------------------------------------------------------

std::string render_markdown(const Report& r) {
  std::string out = "# " + md_text(r.title) + "\n\n";
  for (const auto& [label, value] : r.facts) out += "- **" + md_text(label) + ":** " + md_text(value) + "\n";
  for (const auto& s : r.sections) {
    out += "\n## " + md_text(s.heading) + "\n\n";
    for (const auto& p : s.before) out += md_text(p) + "\n\n";
    for (const auto& t : s.tables) {
      out += "**" + md_text(t.caption) + "**\n\n|";
      for (const auto& h : t.head) out += " " + (h.empty() ? std::string() : md_text(h)) + " |";
      out += "\n|";
      for (std::size_t i = 0; i < t.head.size(); ++i) out += t.numeric_col[i] ? " ---: |" : " --- |";
      out += "\n";
      for (std::size_t row = 0; row < t.rows.size(); ++row) {
        const bool total = t.total_row && row + 1 == t.rows.size();
        out += "|";
        for (const auto& c : t.rows[row]) {
          std::string cell = c.code ? md_code(c.text) : md_text(c.text);
          if (total && !cell.empty()) cell = "**" + cell + "**";
          out += " " + cell + " |";
        }
        out += "\n";
      }
      out += "\n";
    }
    for (const auto& p : s.after) out += md_text(p) + "\n\n";
  }
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

std::string render_chart(const Report& r) {
  if (r.chart.empty()) return {};
  constexpr int kWidth = 720, kLabel = 190, kBarArea = 400, kBar = 14, kGap = 4, kRow = 2 * kBar + kGap + 12, kTop = 34;
  std::int64_t max = 1;
  for (const auto& b : r.chart) {
    if (b.interventions) max = std::max(max, *b.interventions);
    if (b.held_out) max = std::max(max, *b.held_out);
  }
  const int height = kTop + int(r.chart.size()) * kRow + 8;
  std::string svg;
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"chart-title\" width=\"" +
         std::to_string(kWidth) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(kWidth) +
         " " + std::to_string(height) + "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg += "<title id=\"chart-title\">Interventions and held-out decisions by category</title>\n";
  svg += "<rect x=\"" + std::to_string(kLabel) + "\" y=\"6\" width=\"12\" height=\"12\" fill=\"#1f5f8b\"/>";
  svg += "<text x=\"" + std::to_string(kLabel + 18) + "\" y=\"16\">interventions</text>";
  svg += "<rect x=\"" + std::to_string(kLabel + 130) + "\" y=\"6\" width=\"12\" height=\"12\" fill=\"#9cc3dc\"/>";
  svg += "<text x=\"" + std::to_string(kLabel + 148) + "\" y=\"16\">held out</text>\n";
  for (std::size_t i = 0; i < r.chart.size(); ++i) {
    const auto& b = r.chart[i];
    const int y = kTop + int(i) * kRow;
    svg += "<text x=\"" + std::to_string(kLabel - 8) + "\" y=\"" + std::to_string(y + kBar + 4) +
           "\" text-anchor=\"end\">" + html_escape(b.label) + "</text>\n";
    const auto bar = [&](const std::optional<std::int64_t>& v, const std::string& hidden, int by, const char* fill) {
      if (!v) {
        svg += "<rect x=\"" + std::to_string(kLabel) + "\" y=\"" + std::to_string(by) + "\" width=\"2\" height=\"" +
               std::to_string(kBar) + "\" fill=\"#999999\"/>";
        svg += "<text x=\"" + std::to_string(kLabel + 8) + "\" y=\"" + std::to_string(by + kBar - 3) + "\" fill=\"#555555\">" +
               html_escape(hidden) + " (not shown)</text>\n";
        return;
      }
      const int w = int(std::llround(double(*v) / double(max) * kBarArea));
      svg += "<rect x=\"" + std::to_string(kLabel) + "\" y=\"" + std::to_string(by) + "\" width=\"" + std::to_string(w) +
             "\" height=\"" + std::to_string(kBar) + "\" fill=\"" + fill + "\"/>";
      svg += "<text x=\"" + std::to_string(kLabel + w + 6) + "\" y=\"" + std::to_string(by + kBar - 3) + "\">" +
             thousands(*v) + "</text>\n";
    };
    bar(b.interventions, b.interventions_text, y, "#1f5f8b");
    bar(b.held_out, b.held_out_text, y + kBar + kGap, "#9cc3dc");
  }
  svg += "</svg>\n";
  return svg;
}

constexpr std::string_view kStyle =
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;"
    "line-height:1.45}"
    "table{border-collapse:collapse;margin:0.5rem 0 1.5rem}"
    "caption{text-align:left;font-weight:600;padding:0.3rem 0}"
    "th,td{border:1px solid #c8c8c8;padding:0.25rem 0.6rem}"
    "th{background:#f0f0f0}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".scroll{overflow-x:auto}"
    "tr.total td{font-weight:600;background:#fafafa}"
    "dl{display:grid;grid-template-columns:max-content auto;gap:0.2rem 1rem}"
    "dt{font-weight:600}"
    "dd{margin:0}"
    "figure{margin:1rem 0}";

std::string render_html(const Report& r) {
  const std::string style(kStyle);
  const std::string style_hash = "sha256-" + base64(sha256(style));
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '" + style_hash +
         "'; img-src 'none'; base-uri 'none'; form-action 'none'\">\n";
  out += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + html_escape(r.title) + "</title>\n<style>" + style + "</style>\n</head>\n<body>\n";
  out += "<h1>" + html_escape(r.title) + "</h1>\n<dl>\n";
  for (const auto& [label, value] : r.facts) out += "<dt>" + html_escape(label) + "</dt><dd>" + html_escape(value) + "</dd>\n";
  out += "</dl>\n";
  for (const auto& s : r.sections) {
    out += "<section>\n<h2>" + html_escape(s.heading) + "</h2>\n";
    for (const auto& p : s.before) out += "<p>" + html_escape(p) + "</p>\n";
    for (const auto& t : s.tables) {
      out += "<div class=\"scroll\">\n<table>\n<caption>" + html_escape(t.caption) + "</caption>\n<thead><tr>";
      for (std::size_t i = 0; i < t.head.size(); ++i)
        out += std::string(t.numeric_col[i] ? "<th scope=\"col\" class=\"n\">" : "<th scope=\"col\">") +
               html_escape(t.head[i]) + "</th>";
      out += "</tr></thead>\n<tbody>\n";
      for (std::size_t row = 0; row < t.rows.size(); ++row) {
        const bool total = t.total_row && row + 1 == t.rows.size();
        out += total ? "<tr class=\"total\">" : "<tr>";
        for (std::size_t i = 0; i < t.rows[row].size(); ++i) {
          const auto& c = t.rows[row][i];
          const bool numeric = c.numeric || (i < t.numeric_col.size() && t.numeric_col[i]);
          out += numeric ? "<td class=\"n\">" : "<td>";
          out += c.code ? "<code>" + html_escape(c.text) + "</code>" : html_escape(c.text);
          out += "</td>";
        }
        out += "</tr>\n";
      }
      out += "</tbody>\n</table>\n</div>\n";
    }
    if (s.chart && !r.chart.empty()) out += "<figure>\n" + render_chart(r) + "</figure>\n";
    for (const auto& p : s.after) out += "<p>" + html_escape(p) + "</p>\n";
    out += "</section>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

// ---- the command -----------------------------------------------------------------------------

void write_file(const std::filesystem::path& path, const std::string& data) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw std::runtime_error(tmp.string() + ": cannot open for writing");
    f.write(data.data(), static_cast<std::streamsize>(data.size()));
    f.flush();
    if (!f) throw std::runtime_error(tmp.string() + ": cannot write");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw std::runtime_error(path.string() + ": cannot write");
  }
}

std::string read_snapshot_file(const std::string& name) {
  std::error_code ec;
  if (std::filesystem::is_directory(name, ec)) throw std::runtime_error("is a directory");
  std::ifstream f(name, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read file");
  std::string data;
  char buf[1 << 16];
  while (f.read(buf, sizeof buf) || f.gcount() > 0) {
    data.append(buf, static_cast<std::size_t>(f.gcount()));
    if (data.size() > kMaxSnapshotBytes) throw std::runtime_error("file larger than 64 MiB");
  }
  if (f.bad()) throw std::runtime_error("cannot read file");
  return data;
}

template <class T>
bool parse_number(std::string_view s, T& out) {
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

RenderedReport render_report(const std::vector<MetricsSnapshot>& snapshots, const ReportOptions& options,
                             std::uint64_t seed) {
  Builder b(snapshots, options, seed);
  const Report r = b.build();
  return {render_markdown(r), render_html(r)};
}

const char* const kReportUsage =
    "usage: signpost report SNAPSHOT... --out DIR [--k N] [--epsilon E] [--seed N] [--period month|day|snapshot]\n"
    "\n"
    "Merges metrics snapshots (written by `signpost scan --metrics-out` or a server) and writes a\n"
    "transparency report to DIR/report.md and DIR/report.html.\n"
    "\n"
    "  --out DIR         folder for report.md and report.html (created if missing)\n"
    "  --k N             show every count under N as \"< N\" (default 50)\n"
    "  --epsilon E       add Laplace noise of scale 1/E to every count before suppression\n"
    "  --seed N          seed for the noise (default: random; do not publish it)\n"
    "  --period P        group the by-period tables by month (default), day or snapshot\n"
    "  --help            show this help\n";

std::optional<ReportOptions> parse_report_args(const std::vector<std::string>& args, std::string& error, bool& help) {
  ReportOptions o;
  help = false;
  bool only_files = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (only_files || a.empty() || a[0] != '-' || a == "-") {
      if (a == "-") {
        error = "reading a snapshot from standard input is not supported";
        return std::nullopt;
      }
      o.inputs.push_back(a);
      continue;
    }
    if (a == "--") {
      only_files = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      help = true;
      return std::nullopt;
    }
    std::string name = a, value;
    bool has_value = false;
    if (const auto eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    const bool known = name == "--out" || name == "--k" || name == "--epsilon" || name == "--seed" || name == "--period";
    if (!known) {
      error = "unknown option '" + (name.size() <= 32 ? name : name.substr(0, 32) + "...") + "'";
      return std::nullopt;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        error = name + " needs a value";
        return std::nullopt;
      }
      value = args[++i];
    }
    if (name == "--out") {
      if (value.empty()) {
        error = "--out needs a folder";
        return std::nullopt;
      }
      o.out = value;
    } else if (name == "--k") {
      if (!parse_number(value, o.k) || o.k > 1000000000) {
        error = "--k must be a whole number from 0 to 1000000000";
        return std::nullopt;
      }
    } else if (name == "--epsilon") {
      double e = 0;
      if (!parse_number(value, e) || !std::isfinite(e) || e <= 0 || e > 1e6) {
        error = "--epsilon must be a number greater than 0 (and at most 1000000)";
        return std::nullopt;
      }
      o.epsilon = e;
    } else if (name == "--seed") {
      std::uint64_t seed = 0;
      if (!parse_number(value, seed)) {
        error = "--seed must be a whole number from 0 to 18446744073709551615";
        return std::nullopt;
      }
      o.seed = seed;
    } else {
      if (value == "month") o.period = ReportOptions::Period::month;
      else if (value == "day") o.period = ReportOptions::Period::day;
      else if (value == "snapshot") o.period = ReportOptions::Period::snapshot;
      else {
        error = "--period must be month, day or snapshot";
        return std::nullopt;
      }
    }
  }
  if (o.inputs.empty()) {
    error = "no snapshot given";
    return std::nullopt;
  }
  if (o.out.empty()) {
    error = "--out DIR is required";
    return std::nullopt;
  }
  if (o.seed && !o.epsilon) {
    error = "--seed only makes sense with --epsilon";
    return std::nullopt;
  }
  return o;
}

int run_report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string error;
  bool help = false;
  const auto options = parse_report_args(args, error, help);
  if (help) {
    out << kReportUsage;
    return 0;
  }
  if (!options) {
    err << "signpost report: " << error << "\n" << kReportUsage;
    return 2;
  }

  std::vector<MetricsSnapshot> snapshots;
  for (const auto& name : options->inputs) {
    try {
      snapshots.push_back(MetricsSnapshot::from_json(read_snapshot_file(name)));
    } catch (const std::exception& e) {
      err << "signpost report: " << name << ": " << e.what() << "\n";
      return 2;
    }
  }

  std::uint64_t seed = 0;
  if (options->epsilon) {
    if (options->seed) {
      seed = *options->seed;
    } else {
      std::random_device rd;
      seed = (std::uint64_t(rd()) << 32) ^ rd();
    }
  }

  RenderedReport report;
  try {
    report = render_report(snapshots, *options, seed);
  } catch (const signpost::Error&) {
    err << "signpost report: counts overflow when merging the snapshots\n";
    return 2;
  }

  try {
    std::error_code ec;
    std::filesystem::create_directories(options->out, ec);
    if (!std::filesystem::is_directory(options->out, ec))
      throw std::runtime_error(options->out.string() + ": cannot create folder");
    write_file(options->out / "report.md", report.markdown);
    write_file(options->out / "report.html", report.html);
  } catch (const std::exception& e) {
    err << "signpost report: " << e.what() << "\n";
    return 2;
  }
  out << "wrote " << (options->out / "report.md").string() << " and " << (options->out / "report.html").string() << "\n";
  return 0;
}

}  // namespace signpost::detail

namespace signpost::tools {

int run_report(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  return detail::run_report_command(args, out, err);
}

const char* report_usage() noexcept { return detail::kReportUsage; }

}  // namespace signpost::tools
