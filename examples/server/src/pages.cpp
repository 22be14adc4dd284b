// The demo pages: a home page and a search results page, as a platform would show them with
// signpost built in. Plain HTML and one stylesheet: no script, no inline style, so the strict
// Content-Security-Policy holds. Every string that did not come from this file is escaped.
#include <algorithm>
#include <array>
#include <span>
#include <string>

#include <fmt/format.h>

#include "handlers.hpp"
#include "html.hpp"

namespace signpost::server {
namespace {

// The page chrome in the languages it has been written for; other locales get English chrome,
// marked lang="en" inside a page in their own language.
struct Ui {
  std::string_view lang;
  std::string_view site, skip, search_label, language_label, any_language, submit, results_for, results,
      no_results, cards_heading, flagged_note, flagged_heading, removed_note, show_anyway;
};

constexpr std::array<Ui, 4> uis = {{
    {"en", "demo search", "Skip to results", "Search", "Language", "Any language", "Search", "Results for",
     "Results", "No results.", "Before you go on", "Warning: this result was marked as risky.",
     "Results marked as risky", "{} result(s) were replaced by the information above.",
     "Show the results anyway"},
    {"fr", "recherche de démonstration", "Aller aux résultats", "Rechercher", "Langue", "Toutes les langues",
     "Rechercher", "Résultats pour", "Résultats", "Aucun résultat.", "Avant d'aller plus loin",
     "Attention : ce résultat a été signalé comme risqué.", "Résultats signalés comme risqués",
     "{} résultat(s) remplacé(s) par les informations ci-dessus.", "Afficher quand même les résultats"},
    {"ar", "بحث تجريبي", "انتقل إلى النتائج", "بحث", "اللغة", "كل اللغات", "بحث", "نتائج البحث عن", "النتائج",
     "لا توجد نتائج.", "قبل أن تتابع", "تحذير: تم وضع علامة على هذه النتيجة كنتيجة خطرة.", "نتائج مصنّفة كخطرة",
     "تم استبدال {} من النتائج بالمعلومات أعلاه.", "اعرض النتائج على أي حال"},
    {"fa", "جستجوی نمایشی", "رفتن به نتایج", "جستجو", "زبان", "همه زبان‌ها", "جستجو", "نتایج برای", "نتایج",
     "نتیجه‌ای پیدا نشد.", "پیش از ادامه", "هشدار: این نتیجه پرخطر علامت‌گذاری شده است.", "نتایج پرخطر",
     "{} نتیجه با اطلاعات بالا جایگزین شد.", "نتایج را در هر حال نشان بده"},
}};

const Ui& ui_for(std::string_view hl) {
  const std::string lang = language_of(hl);
  for (const Ui& u : uis)
    if (u.lang == lang) return u;
  return uis[0];
}

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

class Page {
 public:
  Page(std::string_view hl, const Ui& ui) : hl_(hl), ui_(ui) {
    page_lang_ = hl.empty() ? std::string(ui.lang) : std::string(hl);
  }

  // Text in the chrome's language, marked when the page is in another one.
  void chrome(std::string_view text) {
    if (language_of(page_lang_) == ui_.lang) {
      append_html(out_, text);
      return;
    }
    out_ += fmt::format("<span lang=\"{}\" dir=\"{}\">", ui_.lang, dir_of(ui_.lang));
    append_html(out_, text);
    out_ += "</span>";
  }
  void raw(std::string_view html) { out_ += html; }
  void text(std::string_view s) { append_html(out_, s); }

  void begin(std::string_view title) {
    raw("<!doctype html>\n<html lang=\"");
    text(page_lang_);
    raw("\" dir=\"");
    raw(dir_of(page_lang_));
    raw("\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    text(title);
    raw("</title>\n<link rel=\"stylesheet\" href=\"/static/site.css\">\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">");
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
    raw("</label>\n<input id=\"q\" name=\"q\" type=\"search\" dir=\"auto\" autocomplete=\"off\" spellcheck=\"false\" value=\"");
    text(q);
    raw("\">\n<label for=\"hl\">");
    chrome(ui_.language_label);
    raw("</label>\n<select id=\"hl\" name=\"hl\">\n<option value=\"\">");
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
    raw("<footer class=\"footer\" lang=\"en\" dir=\"ltr\">\n<p>A demonstration of signpost: the results are "
        "samples built into this server, judged by the intervention pack <code>");
    text(p.name);
    raw("</code> ");
    text(p.version);
    raw(". Links in cards go through <code>/go/</code>, which counts the click and redirects only to the "
        "address the pack gives for that card.</p>\n</footer>\n</body>\n</html>\n");
  }

  const std::string& lang() const noexcept { return page_lang_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  std::string_view hl_;
  const Ui& ui_;
  std::string page_lang_;
};

struct Example {
  std::string_view text, hl;
};

constexpr std::array<Example, 11> risky_examples = {{
    {"small boat to uk this weekend", "en"},
    {"fake uk passport for sale", "en"},
    {"bateau pour l'angleterre prix", "fr"},
    {"قارب إلى بريطانيا السعر", "ar"},
    {"بلم به انگلیس", "fa"},
    {"بەلەم بۆ ئینگلتەرا", "ckb"},
    {"انګلستان ته قاچاق", "ps"},
    {"ingiltereye kaçak giriş fiyat", "tr"},
    {"đi anh bằng xuồng", "vi"},
    {"gomone per ne angli", "sq"},
    {"🚤 to 🇬🇧 tonight", ""},
}};

constexpr std::array<Example, 6> ordinary_examples = {{
    {"dover calais ferry booking", "en"},
    {"small boats crossings latest figures", "en"},
    {"renew british passport online", "en"},
    {"boat hire thames", "en"},
    {"safe routes to the uk for refugees", "en"},
    {"ferry dunkerque douvres réservation", "fr"},
}};

void example_list(Page& page, std::span<const Example> examples) {
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
    page.raw("</a> <span class=\"lang\" lang=\"en\" dir=\"ltr\">");
    page.text(ex.hl.empty() ? std::string_view("emoji, no language") : native_name(ex.hl));
    page.raw("</span></li>\n");
  }
  page.raw("</ul>\n");
}

}  // namespace

std::string render_home(std::string_view hl, const Engine& engine) {
  const Ui& ui = ui_for(hl);
  Page page(hl, ui);
  page.begin(fmt::format("signpost – {}", ui.site));
  page.search_form({}, engine);
  page.raw("<main id=\"main\">\n<div lang=\"en\" dir=\"ltr\" class=\"intro\">\n<h1>signpost demo search</h1>\n"
           "<p>This page shows what people would see on a platform that has signpost built into its search. "
           "The results come from a small set of sample pages built into this server: ferries, trains, news "
           "reports, charities, boat hire, passport renewal, and a few adverts for small-boat Channel crossings "
           "and false documents written in several languages.</p>\n"
           "<p>Each query, and each result, is judged against the intervention pack <code>");
  page.text(engine.pack().name);
  page.raw("</code>. Where the pack says so, counter-messaging cards are shown before the results or in place "
           "of risky ones, and risky results that stay are marked and moved down. Ordinary searches about "
           "ferries, news or passports are left alone.</p>\n"
           "<h2>Queries that signpost answers</h2>\n");
  example_list(page, risky_examples);
  page.raw("<h2>Ordinary queries</h2>\n");
  example_list(page, ordinary_examples);
  page.raw("<h2>For developers</h2>\n<p>The same decisions are available as JSON: <code>POST /v1/evaluate</code> "
           "judges one text and <code>POST /v1/redirect</code> a query with its results. <code>/metrics</code> "
           "shows counts by route, category, card and locale; it never holds what anyone typed.</p>\n"
           "</div>\n</main>\n");
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
  page.chrome(ui.results_for);
  page.raw(" <q dir=\"auto\">");
  page.text(q);
  page.raw("</q></h1>\n");

  const Decision& d = shown.decision;
  // What signpost decided, for the people evaluating the demo.
  page.raw("<aside class=\"decision\" aria-labelledby=\"decision-title\" lang=\"en\" dir=\"ltr\">\n"
           "<h2 id=\"decision-title\">What signpost decided</h2>\n<dl>\n<dt>Action</dt><dd><code>");
  page.text(to_string(d.action));
  page.raw("</code></dd>\n");
  if (!d.category.empty()) {
    page.raw("<dt>Category</dt><dd><code>");
    page.text(d.category);
    page.raw(fmt::format("</code></dd>\n<dt>Score</dt><dd>{:.2f}</dd>\n", d.score));
  }
  page.raw(fmt::format("<dt>Results</dt><dd>{} found, {} replaced by cards, {} marked as risky</dd>\n</dl>\n</aside>\n",
                       found, shown.removed, shown.flagged));

  // The query's own cards come first; cards that replace a risky result stay at its place.
  std::size_t i = 0, card_no = 0;
  const auto& entries = shown.entries;
  if (i < entries.size() && entries[i].kind == RedirectEntry::Kind::card) {
    page.raw("<section class=\"cards\" aria-labelledby=\"cards-title\">\n<h2 id=\"cards-title\">");
    page.chrome(ui.cards_heading);
    page.raw("</h2>\n");
    for (; i < entries.size() && entries[i].kind == RedirectEntry::Kind::card; ++i) page.card(entries[i].card, ++card_no);
    page.raw("</section>\n");
  }

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
    page.chrome(fmt::format(fmt::runtime(ui.removed_note), shown.removed));
    page.raw("</p>\n");
  }
  page.raw("</section>\n</main>\n");
  page.footer(engine);
  return page.take();
}

}  // namespace signpost::server
