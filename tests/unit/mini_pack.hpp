// mini_pack.hpp: small packs built in memory for the stage tests (test_match, test_decide,
// test_cards). Each test changes only the files it is about.
#pragma once

#include <string>

#include "engine_impl.hpp"
#include "pack/loader.hpp"

namespace signpost::test {

inline detail::PackFiles mini_pack_files() {
  detail::PackFiles p;
  p.origin = "mini";
  p.files["pack.yaml"] =
      "name: mini\nversion: 1.0.0\nlanguages: [en, fr, fa]\ndefault_locale: en\nfallback:\n  prs: [fa]\n";
  p.files["lexicons.yaml"] = R"(lexicons:
  - id: boat
    terms:
      en: [boat, small boat, dinghy]
      fr: [bateau]
      fa: [قایق]
  - id: uk
    terms:
      en: [uk, england*]
      fr: [angleterre]
  - id: price
    terms:
      en: [price]
  - id: ferry
    terms:
      en: [ferry]
  - id: news
    terms:
      en: [news]
  - id: fake
    terms:
      en: [fake]
  - id: passport
    terms:
      en: [passport]
)";
  p.files["rules.yaml"] = R"(rules:
  - id: boat-uk
    category: crossing
    weight: 0.7
    near: [{of: [boat, uk], within: 2}]
    none: [ferry]
  - id: money
    category: crossing
    weight: 0.3
    regex: '\d{3,5} ?(eur|gbp)'
  - id: fake-passport
    category: documents
    weight: 1.0
    all: [fake, passport]
    locales: [en]
)";
  p.files["categories.yaml"] = R"(categories:
  - id: crossing
    action: redirect
    threshold: 0.5
    cards: [dangers, report]
  - id: documents
    action: interstitial
    threshold: 0.5
    cards: [report]
contexts:
  - id: news
    any: [news]
    factor: 0.0
    categories: [crossing]
)";
  const auto card_file = [](const std::string& locale, const std::string& word) {
    return "locale: " + locale + "\ncards:\n  - id: dangers\n    title: " + word + " 1\n    body: " + word +
           " body\n    cta: " + word + "\n    url: https://www.gov.uk/" + locale + "/dangers\n  - id: report\n    title: " +
           word + " 2\n    body: " + word + " body\n    cta: " + word + "\n    url: https://www.gov.uk/" + locale +
           "/report\n";
  };
  p.files["cards/en.yaml"] = card_file("en", "english");
  p.files["cards/fr.yaml"] = card_file("fr", "francais");
  p.files["cards/fa.yaml"] = card_file("fa", "farsi");
  return p;
}

}  // namespace signpost::test
