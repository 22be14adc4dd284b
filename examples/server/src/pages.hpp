// pages.hpp: every word of the demo pages' chrome, in each language of the default pack.
//
// The strings live in pages_text.cpp, one block per language, written for readers of that
// language. `{0}`, `{1}`, `{2}` stand for markup the page puts in (a query, a pack name, a route,
// a number), so each language orders its sentence as it needs.
#pragma once

#include <span>
#include <string_view>

namespace signpost::server {

struct Ui {
  std::string_view lang;
  // Masthead and search form.
  std::string_view site, skip, search_label, language_label, any_language, submit;
  // Results page. results_for: {0} the query; removed_note: {0} a number.
  std::string_view results_for, results, no_results, flagged_note, flagged_heading, removed_note, show_anyway;
  // What the cards before the results are, one heading per kind of answer. heading_distress:
  // {0} the emergency number 112 (a tel: link).
  std::string_view heading_redirect, heading_interstitial, heading_help, heading_distress, heading_annotate;
  // The panel that shows the decision to people evaluating the demo.
  std::string_view decision_title, action, category, score, found, replaced, marked;
  // Home page. intro_pack: {0} the pack name; dev_text: {0} {1} {2} routes.
  std::string_view intro, intro_pack, risky_heading, ordinary_heading, help_heading, dev_heading, dev_text, emoji;
  // Footer: {0} the pack name and version, {1} the /go/ route.
  std::string_view footer;
};

// The languages the chrome is written in (English first).
std::span<const Ui> all_uis() noexcept;

// The chrome for a locale: its language, else the language its readers read (Dari reads Persian,
// Southern Pashto Pashto...), else English.
const Ui& ui_for(std::string_view locale);

}  // namespace signpost::server
