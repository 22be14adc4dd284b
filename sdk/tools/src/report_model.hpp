// report_model.hpp (tools): what the transparency report is made of, between computing it
// (report.cpp: the Builder) and rendering it (report_render.cpp: Markdown, HTML, SVG).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "report.hpp"

namespace signpost::detail {

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
  void finish(std::uint64_t k, bool complementary);

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

// ---- formatting helpers and rendering (report_render.cpp) -----------------------------------

std::string fixed(double v, int decimals);
std::string thousands(std::int64_t v);
std::string percent(double p);
std::string utc(std::int64_t t, bool with_time = true);
std::string period_key(std::int64_t start, std::int64_t end, ReportOptions::Period by);
std::string base64(const std::array<std::uint8_t, 32>& d);
std::string html_escape(std::string_view s);
std::string md_code(std::string_view s);
std::string md_text(std::string_view s);
std::string trim(double v);  // shortest form with 6 significant digits

// The "How to read this report" section, which depends only on the options.
Section reading_section(const ReportOptions& options);

std::string render_markdown(const Report& r);
std::string render_html(const Report& r);

}  // namespace signpost::detail
