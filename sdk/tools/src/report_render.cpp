// report_render.cpp (tools): the report's numbers suppressed, and its tables rendered as Markdown
// and as a self-contained HTML page with an inline SVG chart.
#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <string>

#include "base/sha256.hpp"
#include "report_model.hpp"

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

void Numbers::finish(std::uint64_t k, bool complementary) {
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

std::string utc(std::int64_t t, bool with_time) {
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

std::string trim(double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
  return std::string(buf, res.ptr);
}

Section reading_section(const ReportOptions& options) {
  Section s;
  s.heading = "How to read this report";
  const std::string k = std::to_string(options.k);
  s.before.push_back("What is counted: decisions (by category, action, locale and holdout), card impressions and "
                     "card clicks, keyed only by ids from the intervention pack. Nothing anyone typed, no subject "
                     "key and no hash of either is kept in the snapshots this report is built from.");
  s.before.push_back("Suppression: every count under " + k + " is shown as \"< " + k +
                     "\", including zeros, and a rate is not given when a count it is computed from is suppressed." +
                     (options.epsilon ? std::string()
                                       : " Where a total minus the counts shown next to it would give a suppressed "
                                         "count away, the smallest count beside it is withheld as well and shown as "
                                         "\"withheld\" (a withheld count is not small; it only protects one that is)."));
  if (options.epsilon) {
    s.before.push_back(
        "Noise: each count of the snapshots (every combination of period, category, action, locale and holdout "
        "that appears, and every card and locale) received independent Laplace noise of scale 1/epsilon = " +
        trim(1.0 / *options.epsilon) +
        " before anything else; the numbers shown are sums of these noisy counts, rounded, with negative values "
        "shown as 0, so rows and columns need not add up exactly. Adding or removing one decision changes one "
        "count by 1, so each decision is protected with epsilon = " +
        trim(*options.epsilon) +
        "; a decision that showed n cards also changes n impression counts, and a click one click count. The "
        "guarantee is per event: a person who searched many times contributes many events. Intervals do not "
        "include the noise.");
  }
  s.before.push_back("Confidence intervals: click-through rates and held-out shares come with a 95% Wilson score "
                     "interval, which stays within 0% to 100% and behaves well for small counts and rates near 0.");
  return s;
}


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

}  // namespace signpost::detail
