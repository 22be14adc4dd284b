// eval.cpp: scoring a pack on labelled data. One implementation for the CLI and Python.
#include "signpost/tools/eval.hpp"

#include <istream>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/locale.hpp"
#include "signpost/error.hpp"

namespace signpost::tools {

namespace json = boost::json;

std::vector<LabelledItem> read_labelled(std::istream& in) {
  std::vector<LabelledItem> items;
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    LabelledItem it;
    it.line = n;
    if (line[0] == '{') {
      json::error_code ec;
      json::value v = json::parse(line, ec);
      if (ec || !v.is_object()) throw Error(fmt::format("line {}: invalid JSON", n));
      const auto& o = v.as_object();
      const auto* label = o.if_contains("label");
      const auto* text = o.if_contains("text");
      if (!label || !label->is_string() || label->as_string().size() != 1 || !text || !text->is_string())
        throw Error(fmt::format("line {}: needs \"label\" (R, A or H) and \"text\"", n));
      it.label = label->as_string()[0];
      it.text = std::string(text->as_string());
      if (const auto* l = o.if_contains("locale"); l && l->is_string()) it.locale = std::string(l->as_string());
    } else {
      const auto t1 = line.find('\t');
      const auto t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
      if (t2 == std::string::npos || t1 != 1) throw Error(fmt::format("line {}: expected label<TAB>locale<TAB>text", n));
      it.label = line[0];
      it.locale = line.substr(t1 + 1, t2 - t1 - 1);
      it.text = line.substr(t2 + 1);
    }
    if (it.label != 'R' && it.label != 'A' && it.label != 'H')
      throw Error(fmt::format("line {}: label must be R, A or H", n));
    items.push_back(std::move(it));
  }
  return items;
}

bool is_correct(char label, Action action) noexcept {
  if (label == 'R') return action != Action::none;
  if (label == 'A') return action == Action::none;
  return action != Action::interstitial && action != Action::redirect;
}

std::string language_key(std::string_view locale) {
  const detail::LocaleTag tag(locale);
  return tag.language().empty() ? std::string("-") : std::string(tag.language());
}

double Tally::recall() const noexcept { return risky ? double(risky_caught) / double(risky) : 1.0; }

double Tally::precision() const noexcept {
  const std::size_t fp = benign_flagged + help_warned;
  return (risky_caught + fp) ? double(risky_caught) / double(risky_caught + fp) : 1.0;
}

void Tally::add(char label, Action action) noexcept {
  const bool ok = is_correct(label, action);
  if (label == 'R') ++risky, risky_caught += ok;
  else if (label == 'A') ++benign, benign_flagged += !ok;
  else ++help, help_warned += !ok;
}

bool EvalReport::passes(const double* min_recall, const double* min_precision) const noexcept {
  return (!min_recall || overall.recall() + 1e-12 >= *min_recall) &&
         (!min_precision || overall.precision() + 1e-12 >= *min_precision);
}

EvalReport evaluate_labelled(const Engine& engine, std::span<const LabelledItem> items, Mode mode) {
  EvalReport r;
  r.items = items.size();
  for (const LabelledItem& it : items) {
    const Decision d = engine.evaluate({it.text, it.locale, mode, {}});
    r.overall.add(it.label, d.action);
    r.by_language[language_key(it.locale)].add(it.label, d.action);
    if (d.action != Action::none) r.by_category[d.category].add(it.label, d.action);
    if (!is_correct(it.label, d.action)) r.wrong.push_back({it.line, it.label, it.locale, it.text, d.action, d.category});
  }
  return r;
}

std::string eval_json(const EvalReport& r, bool pass) {
  auto tally = [](const Tally& t) {
    return json::object{{"recall", t.recall()}, {"precision", t.precision()}, {"risky", t.risky},
                        {"risky_caught", t.risky_caught}, {"benign", t.benign}, {"benign_flagged", t.benign_flagged},
                        {"help", t.help}, {"help_warned", t.help_warned}};
  };
  json::object o;
  o["items"] = r.items;
  o["overall"] = tally(r.overall);
  json::object bl, bc;
  for (const auto& [k, t] : r.by_language) bl[k] = tally(t);
  for (const auto& [k, t] : r.by_category) bc[k] = tally(t);
  o["by_language"] = std::move(bl);
  o["by_category"] = std::move(bc);
  o["pass"] = pass;
  return json::serialize(o);
}

}  // namespace signpost::tools
