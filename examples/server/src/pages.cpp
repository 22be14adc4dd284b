// The demo pages: a home page and a search results page, as a platform would show them with
// signpost built in. Plain HTML, one stylesheet and one script file (live suggestions in the search
// box, /static/suggest.js; the form works the same without it): no inline script or style, so the
// strict Content-Security-Policy holds. Every string that did not come from this file or pages_text.cpp
// is escaped.
//
// The cards before the results answer the query in one of five ways, each with its own heading,
// colour and icon: help offered (help-seeking), an emergency number first (someone in danger),
// a pause before the results (interstitial), safety information in place of risky results
// (redirect), and related information (any other annotate).
#include <algorithm>
#include <array>
#include <initializer_list>
#include <span>
#include <string>

#include <fmt/format.h>

#include "handlers.hpp"
#include "html.hpp"
#include "pages.hpp"

namespace signpost::server {
namespace {

// Native names of the languages a pack may list.
std::string_view native_name(std::string_view tag) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> names = {{
      {"en", "English"}, {"fr", "Français"}, {"ar", "العربية"}, {"fa", "فارسی"}, {"prs", "دری"},
      {"ckb", "کوردیی ناوەندی"}, {"kmr", "Kurmancî"}, {"ku", "Kurdî"}, {"ps", "پښتو"}, {"sq", "Shqip"},
      {"vi", "Tiếng Việt"}, {"tr", "Türkçe"}, {"ti", "ትግርኛ"}, {"am", "አማርኛ"},
  }};
  for (const auto& [t, n] : names)
    if (t == tag) return n;
  return tag;
}

std::string_view dir_of(std::string_view locale) { return is_rtl_locale(locale) ? "rtl" : "ltr"; }

// How the page answers a query that got cards.
enum class Answer { redirect, interstitial, help, distress, annotate };

Answer answer_of(const Decision& d) {
  if (d.category == "distress") return Answer::distress;
  switch (d.action) {
    case Action::redirect: return Answer::redirect;
    case Action::interstitial: return Answer::interstitial;
    default: return d.category == "help_seeking" ? Answer::help : Answer::annotate;
  }
}

struct AnswerStyle {
  std::string_view css, icon;
};

AnswerStyle style_of(Answer a) {
  switch (a) {
    case Answer::redirect: return {"redirect", "\U0001F6DF"};          // ring buoy
    case Answer::interstitial: return {"interstitial", "\u26A0\uFE0F"};  // warning sign
    case Answer::help: return {"help", "\U0001F91D"};                  // handshake
    case Answer::distress: return {"distress", "\U0001F198"};          // SOS
    case Answer::annotate: return {"annotate", "\u2139\uFE0F"};         // information
  }
  return {"annotate", "\u2139\uFE0F"};
}

// The single European emergency number: it answers in France, the UK and every EU country.
constexpr std::string_view emergency_number = "112";

class Page {
 public:
  Page(std::string_view hl, const Ui& ui) : hl_(hl), ui_(ui) {
    page_lang_ = hl.empty() ? std::string(ui.lang) : std::string(hl);
    if (language_of(page_lang_) != ui.lang) marks_ = fmt::format(" lang=\"{}\" dir=\"{}\"", ui.lang, dir_of(ui.lang));
  }

  void raw(std::string_view html) { out_ += html; }
  void text(std::string_view s) { append_html(out_, s); }

  // lang and dir attributes for an element holding chrome, when the page is in another language.
  std::string_view chrome_marks() const noexcept { return marks_; }

  // Text in the chrome's language, marked when the page is in another one.
  void chrome(std::string_view s) {
    if (marks_.empty()) return text(s);
    raw("<span");
    raw(marks_);
    raw(">");
    text(s);
    raw("</span>");
  }

  // A chrome sentence with {0}, {1}... replaced by markup (already escaped). `mark` false when the
  // enclosing element already carries chrome_marks().
  void chrome_with(std::string_view pattern, std::initializer_list<std::string_view> markup, bool mark = true) {
    mark = mark && !marks_.empty();
    if (mark) { raw("<span"); raw(marks_); raw(">"); }
    while (!pattern.empty()) {
      const std::size_t open = pattern.find('{');
      if (open == std::string_view::npos || open + 2 >= pattern.size() || pattern[open + 2] != '}') {
        text(pattern);
        break;
      }
      text(pattern.substr(0, open));
      const std::size_t k = static_cast<std::size_t>(pattern[open + 1] - '0');
      if (k < markup.size()) raw(*(markup.begin() + k));
      pattern.remove_prefix(open + 3);
    }
    if (mark) raw("</span>");
  }

  void begin(std::string_view title) {
    raw("<!doctype html>\n<html lang=\"");
    text(page_lang_);
    raw("\" dir=\"");
    raw(dir_of(page_lang_));
    raw("\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    text(title);
    raw("</title>\n<link rel=\"stylesheet\" href=\"/static/site.css\">\n"
        "<script src=\"/static/suggest.js\" defer></script>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
    chrome(ui_.skip);
    raw("</a>\n<header class=\"masthead\">\n<p class=\"brand\"><a href=\"/");
    if (!hl_.empty()) { raw("?hl="); text(percent_encode(hl_)); }
    raw("\" lang=\"en\" dir=\"ltr\">signpost</a> <span>");
    chrome(ui_.site);
    raw("</span></p>\n");
  }

  void search_form(std::string_view q, const Engine& engine) {
    raw("<form class=\"search\" role=\"search\" action=\"/search\" method=\"get\">\n<label for=\"q\">");
    chrome(ui_.search_label);
    // The box sits in .combo, where the suggestions script puts its list under it.
    raw("</label>\n<div class=\"combo\"><input id=\"q\" name=\"q\" type=\"search\" dir=\"auto\" autocomplete=\"off\" "
        "spellcheck=\"false\" value=\"");
    text(q);
    raw("\"></div>\n<label for=\"hl\">");
    chrome(ui_.language_label);
    raw("</label>\n<select id=\"hl\" name=\"hl\">\n<option value=\"\"");
    raw(marks_);
    raw(">");
    text(ui_.any_language);
    raw("</option>\n");
    std::vector<std::string> langs = engine.languages();
    if (!hl_.empty() && std::find(langs.begin(), langs.end(), hl_) == langs.end()) langs.emplace_back(hl_);
    for (const std::string& l : langs) {
      raw("<option value=\"");
      text(l);
      raw("\" lang=\"");
      text(l);
      raw(l == hl_ ? "\" selected>" : "\">");
      text(native_name(l));
      raw("</option>\n");
    }
    raw("</select>\n<button type=\"submit\">");
    chrome(ui_.submit);
    raw("</button>\n</form>\n</header>\n");
  }

  // The card's look comes from the section it is in (.answer-help .card, .swapped .card...).
  void card(const Card& c, std::size_t n) {
    raw(fmt::format("<article class=\"card\" aria-labelledby=\"card-{}\" lang=\"", n));
    text(c.locale);
    raw("\" dir=\"");
    raw(c.rtl ? "rtl" : "ltr");
    raw(fmt::format("\">\n<h3 id=\"card-{}\">", n));
    text(c.title);
    raw("</h3>\n<p>");
    text(c.body);
    // Card links go through /go/ so the click is counted, and lead only to the pack's URL.
    raw("</p>\n<p><a class=\"cta\" href=\"/go/");
    text(percent_encode(c.id));
    raw("?hl=");
    text(percent_encode(c.locale));
    raw("\">");
    text(c.cta);
    raw("</a></p>\n</article>\n");
  }

  void result(const RedirectEntry& e, std::string_view lang) {
    raw(e.flagged ? "<li>\n<article class=\"result flagged\"" : "<li>\n<article class=\"result\"");
    if (!lang.empty()) {
      raw(" lang=\"");
      text(lang);
      raw("\" dir=\"");
      raw(dir_of(lang));
      raw("\"");
    } else {
      raw(" dir=\"auto\"");
    }
    raw(">\n<h3><a href=\"");
    text(e.result.url);
    raw("\" rel=\"nofollow noopener noreferrer\">");
    text(e.result.title);
    // The address reads left to right inside a paragraph that follows the page's direction.
    raw("</a></h3>\n<p class=\"url\"><bdi dir=\"ltr\">");
    text(e.result.url);
    raw("</bdi></p>\n<p class=\"snippet\">");
    text(e.result.snippet);
    raw("</p>\n");
    if (e.flagged) {
      raw(fmt::format("<p class=\"warning\" lang=\"{}\" dir=\"{}\"><strong>", ui_.lang, dir_of(ui_.lang)));
      text(ui_.flagged_note);
      raw("</strong></p>\n");
    }
    raw("</article>\n</li>\n");
  }

  void footer(const Engine& engine) {
    const PackInfo& p = engine.pack();
    raw("<footer class=\"footer\"");
    raw(marks_);
    raw(">\n<p>");
    const std::string pack = "<code dir=\"ltr\">" + html_escape(p.name) + " " + html_escape(p.version) + "</code>";
    const std::string_view go = "<code dir=\"ltr\">/go/</code>";
    chrome_with(ui_.footer, {pack, go}, false);
    raw("</p>\n</footer>\n</body>\n</html>\n");
  }

  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  std::string_view hl_;
  const Ui& ui_;
  std::string page_lang_;
  std::string marks_;
};

struct Example {
  std::string_view text, hl;
};

constexpr std::array<Example, 12> risky_examples = {{
    {"small boat to uk this weekend", "en"},
    {"fake uk passport for sale", "en"},
    {"bateau pour l'angleterre prix", "fr"},
    {"قارب إلى بريطانيا السعر", "ar"},
    {"بلم به انگلیس", "fa"},
    {"بەلەم بۆ ئینگلتەرا", "ckb"},
    {"qeyik bo îngilîstanê biha", "kmr"},
    {"انګلستان ته قاچاق", "ps"},
    {"ingiltereye kaçak giriş fiyat", "tr"},
    {"đi anh bằng xuồng", "vi"},
    {"gomone per ne angli", "sq"},
    {"🚤 to 🇬🇧 tonight", ""},
}};

constexpr std::array<Example, 5> ordinary_examples = {{
    {"dover calais ferry booking", "en"},
    {"small boats crossings latest figures", "en"},
    {"renew british passport online", "en"},
    {"boat hire thames", "en"},
    {"ferry dunkerque douvres réservation", "fr"},
}};

// Searches for help: answered with help, never with a warning.
constexpr std::array<Example, 5> help_examples = {{
    {"safe routes to the uk for refugees", "en"},
    {"demande d'asile en angleterre", "fr"},
    {"درخواست پناهندگی انگلیس", "fa"},
    {"په انګلستان کې پناه غوښتنه", "ps"},
    {"kërkesë për azil në angli", "sq"},
}};

void example_list(Page& page, const Ui& ui, std::span<const Example> examples) {
  page.raw("<ul class=\"examples\">\n");
  for (const Example& ex : examples) {
    page.raw("<li><a href=\"/search?q=");
    page.text(percent_encode(ex.text));
    if (!ex.hl.empty()) {
      page.raw("&amp;hl=");
      page.text(ex.hl);
    }
    page.raw("\"");
    if (!ex.hl.empty()) {
      page.raw(" lang=\"");
      page.text(ex.hl);
      page.raw("\" dir=\"");
      page.raw(dir_of(ex.hl));
      page.raw("\"");
    } else {
      page.raw(" dir=\"auto\"");
    }
    page.raw(">");
    page.text(ex.text);
    page.raw("</a> ");
    if (ex.hl.empty()) {
      page.raw("<span class=\"lang\">");
      page.chrome(ui.emoji);
    } else {
      page.raw(fmt::format("<span class=\"lang\" lang=\"{}\" dir=\"{}\">", ex.hl, dir_of(ex.hl)));
      page.text(native_name(ex.hl));
    }
    page.raw("</span></li>\n");
  }
  page.raw("</ul>\n");
}

// The heading of the cards before the results, and the cards.
void answer_section(Page& page, const Ui& ui, Answer answer, std::span<const RedirectEntry> cards,
                    std::size_t& card_no) {
  const AnswerStyle style = style_of(answer);
  page.raw(fmt::format("<section class=\"answer answer-{}\" aria-labelledby=\"answer-title\">\n"
                       "<h2 id=\"answer-title\"><span class=\"icon\" aria-hidden=\"true\">{}</span> ",
                       style.css, style.icon));
  switch (answer) {
    case Answer::redirect: page.chrome(ui.heading_redirect); break;
    case Answer::interstitial: page.chrome(ui.heading_interstitial); break;
    case Answer::help: page.chrome(ui.heading_help); break;
    case Answer::annotate: page.chrome(ui.heading_annotate); break;
    case Answer::distress: {
      const std::string call = fmt::format("<a class=\"call\" href=\"tel:{0}\" dir=\"ltr\">{0}</a>", emergency_number);
      page.chrome_with(ui.heading_distress, {call});
      break;
    }
  }
  page.raw("</h2>\n");
  for (const RedirectEntry& e : cards) page.card(e.card, ++card_no);
  page.raw("</section>\n");
}

void decision_panel(Page& page, const Ui& ui, const RedirectedResults& shown, std::size_t found) {
  const Decision& d = shown.decision;
  page.raw("<aside class=\"decision\" aria-labelledby=\"decision-title\"");
  page.raw(page.chrome_marks());
  page.raw(">\n<h2 id=\"decision-title\">");
  page.text(ui.decision_title);
  page.raw("</h2>\n<dl>\n<dt>");
  page.text(ui.action);
  page.raw("</dt><dd><code dir=\"ltr\">");
  page.text(to_string(d.action));
  page.raw("</code></dd>\n");
  if (!d.category.empty()) {
    page.raw("<dt>");
    page.text(ui.category);
    page.raw("</dt><dd><code dir=\"ltr\">");
    page.text(d.category);
    page.raw("</code></dd>\n<dt>");
    page.text(ui.score);
    page.raw(fmt::format("</dt><dd>{:.2f}</dd>\n", d.score));
  }
  for (const auto& [label, n] : {std::pair{ui.found, found}, std::pair{ui.replaced, shown.removed},
                                 std::pair{ui.marked, shown.flagged}}) {
    page.raw("<dt>");
    page.text(label);
    page.raw(fmt::format("</dt><dd>{}</dd>\n", n));
  }
  page.raw("</dl>\n</aside>\n");
}

}  // namespace

std::string render_home(std::string_view hl, const Engine& engine) {
  const Ui& ui = ui_for(hl);
  Page page(hl, ui);
  page.begin(fmt::format("signpost – {}", ui.site));
  page.search_form({}, engine);
  page.raw("<main id=\"main\">\n<div class=\"intro\"");
  page.raw(page.chrome_marks());
  page.raw(">\n<h1><bdi lang=\"en\" dir=\"ltr\">signpost</bdi> · ");
  page.text(ui.site);
  page.raw("</h1>\n<p>");
  page.text(ui.intro);
  page.raw("</p>\n<p>");
  const std::string pack = "<code dir=\"ltr\">" + html_escape(engine.pack().name) + "</code>";
  page.chrome_with(ui.intro_pack, {pack}, false);
  page.raw("</p>\n<h2>");
  page.text(ui.risky_heading);
  page.raw("</h2>\n");
  example_list(page, ui, risky_examples);
  page.raw("<h2>");
  page.text(ui.help_heading);
  page.raw("</h2>\n");
  example_list(page, ui, help_examples);
  page.raw("<h2>");
  page.text(ui.ordinary_heading);
  page.raw("</h2>\n");
  example_list(page, ui, ordinary_examples);
  page.raw("<h2>");
  page.text(ui.dev_heading);
  page.raw("</h2>\n<p>");
  page.chrome_with(ui.dev_text,
                   {"<code dir=\"ltr\">POST /v1/evaluate</code>", "<code dir=\"ltr\">POST /v1/redirect</code>",
                    "<code dir=\"ltr\">/metrics</code>"},
                   false);
  page.raw("</p>\n</div>\n</main>\n");
  page.footer(engine);
  return page.take();
}

std::string render_search(std::string_view q, std::string_view hl, const RedirectedResults& shown,
                          std::size_t found, const Engine& engine, const Corpus& corpus) {
  const Ui& ui = ui_for(hl);
  Page page(hl, ui);
  page.begin(fmt::format("{} – signpost {}", q.substr(0, 200), ui.site));
  page.search_form(q, engine);
  page.raw("<main id=\"main\">\n<h1>");
  const std::string quoted = "<q dir=\"auto\">" + html_escape(q) + "</q>";
  page.chrome_with(ui.results_for, {quoted});
  page.raw("</h1>\n");

  const Decision& d = shown.decision;
  decision_panel(page, ui, shown, found);

  // The query's own cards come first; cards that replace a risky result stay at its place.
  std::size_t i = 0, card_no = 0;
  const auto& entries = shown.entries;
  while (i < entries.size() && entries[i].kind == RedirectEntry::Kind::card) ++i;
  if (i > 0) answer_section(page, ui, answer_of(d), std::span(entries).first(i), card_no);

  const bool behind_warning = d.action == Action::interstitial;
  page.raw("<section class=\"results-section\" aria-labelledby=\"results-title\">\n<h2 id=\"results-title\">");
  page.chrome(ui.results);
  page.raw("</h2>\n");
  if (behind_warning) {
    page.raw("<details class=\"interstitial\">\n<summary>");
    page.chrome(ui.show_anyway);
    page.raw("</summary>\n");
  }
  std::size_t listed = 0;
  bool flagged_open = false;
  page.raw("<ol class=\"results\">\n");
  for (; i < entries.size(); ++i) {
    const RedirectEntry& e = entries[i];
    if (e.kind == RedirectEntry::Kind::card) {
      page.raw("<li class=\"swapped\">\n");
      page.card(e.card, ++card_no);
      page.raw("</li>\n");
      continue;
    }
    if (e.flagged && !flagged_open) {
      // Risky results that stay are demoted below the others under their own heading.
      page.raw("</ol>\n<h3 class=\"flagged-heading\">");
      page.chrome(ui.flagged_heading);
      page.raw("</h3>\n<ol class=\"results flagged-results\">\n");
      flagged_open = true;
    }
    page.result(e, corpus.lang_of(e.result.id));
    ++listed;
  }
  page.raw("</ol>\n");
  if (listed == 0 && shown.removed == 0) {
    page.raw("<p class=\"empty\">");
    page.chrome(ui.no_results);
    page.raw("</p>\n");
  }
  if (behind_warning) page.raw("</details>\n");
  if (shown.removed > 0) {
    page.raw("<p class=\"removed\">");
    page.chrome_with(ui.removed_note, {std::to_string(shown.removed)});
    page.raw("</p>\n");
  }
  page.raw("</section>\n</main>\n");
  page.footer(engine);
  return page.take();
}

}  // namespace signpost::server
