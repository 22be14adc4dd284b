// report.cpp (tools): the transparency report (signpost report), computed.
//
// Steps: group the snapshots by period and merge each group; lay out every cell of the report's
// domain (the labels that appear anywhere, zeros included) and add noise to each cell once; sum
// cells into the numbers the tables show; suppress numbers under k (and, without noise, totals
// that would give a suppressed number away by subtraction); render the tables as Markdown and
// as a self-contained HTML page with an inline SVG chart.
#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>

#include "report_model.hpp"

namespace signpost::detail {
namespace {


constexpr std::string_view kAll = "*";

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
    r.sections.push_back(reading_section(options_));
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

}  // namespace

RenderedReport render_report(const std::vector<MetricsSnapshot>& snapshots, const ReportOptions& options,
                             std::uint64_t seed) {
  Builder b(snapshots, options, seed);
  const Report r = b.build();
  return {render_markdown(r), render_html(r)};
}

}  // namespace signpost::detail
