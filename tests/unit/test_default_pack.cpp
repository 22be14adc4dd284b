// The default pack through every obfuscation class of docs/obfuscations.md: risky queries
// still match when disguised, and disguising benign queries does not make them match.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include <signpost/signpost.hpp>

#include "obfuscations.hpp"

using signpost::Action;
using signpost::Engine;
using namespace signpost::test;

namespace {

const Engine& pack() {
  static const Engine e = Engine::load(SIGNPOST_DEFAULT_PACK_DIR);
  return e;
}

bool acts(const std::string& text, const char* locale = "en") {
  return pack().evaluate({text, locale}).action != Action::none;
}

const std::vector<std::string> kRisky = {
    "boat to england from france price", "smuggler whatsapp number uk", "fake uk passport for sale",
    "kids free on boat to england",      "safe crossing to england guaranteed", "calais boat tonight places",
    "group price crossing to uk",        "forged uk visa documents",
};
const std::vector<std::string> kBenign = {
    "dover calais ferry booking", "renew british passport online", "fake eyelashes tutorial",
    "sailing dinghy for sale",    "kids go free restaurants london", "people smuggling gang jailed",
};

void check_class(const std::function<std::string(const std::string&)>& disguise) {
  for (const auto& q : kRisky) {
    const std::string d = disguise(q);
    INFO("risky: ", d);
    CHECK(acts(d));
  }
  for (const auto& q : kBenign) {
    const std::string d = disguise(q);
    INFO("benign: ", d);
    CHECK_FALSE(acts(d));
  }
}

}  // namespace

TEST_CASE("default pack: the undisguised queries behave") { check_class([](const std::string& s) { return s; }); }
TEST_CASE("default pack: case and width") {
  check_class(upper);
  check_class(fullwidth);
}
TEST_CASE("default pack: leetspeak") { check_class(leet); }
TEST_CASE("default pack: look-alike letters from Cyrillic") { check_class(cyrillic); }
TEST_CASE("default pack: invisible characters inside words") { check_class(invisible); }
TEST_CASE("default pack: letters spaced or punctuated apart") {
  check_class([](const std::string& s) { return spaced(s, " "); });
  check_class([](const std::string& s) { return spaced(s, "."); });
  check_class([](const std::string& s) { return spaced(s, "-"); });
}
TEST_CASE("default pack: repeated letters") { check_class(repeated); }
TEST_CASE("default pack: accents added") { check_class(accented); }

TEST_CASE("default pack: accents dropped (French, Vietnamese without tone marks)") {
  CHECK(acts("traversee angleterre en bateau pneumatique", "fr"));
  CHECK(acts("passage sur en angleterre garanti", "fr"));
  CHECK(acts("di anh bang xuong", "vi"));
  CHECK(acts("ho chieu gia di anh", "vi"));
  CHECK_FALSE(acts("ve may bay di london", "vi"));
}

TEST_CASE("default pack: Arabic-script variants") {
  CHECK(acts("تهـــريب من كاليه", "ar"));                    // tatweel
  CHECK(acts("قَارِب إِلَى بَرِيطَانِيَا السِّعْر", "ar"));  // harakat
  CHECK(acts("قاچاقچي انگليس شماره", "fa"));                 // Arabic yeh for Persian yeh
  CHECK(acts("قاچاق انگلیس قایق قیمت ۱۲۰۰", "fa"));           // Persian digits
  CHECK(acts("قارب إلى بريطانيا السعر ١٣٠٠ يورو", "ar"));     // Arabic-Indic digits
  CHECK_FALSE(acts("تـجـديـد جواز السفر البريطاني", "ar"));
}

TEST_CASE("default pack: attached particles and suffixes") {
  CHECK(acts("عبور المانش بالبلم", "ar"));
  CHECK(acts("İngiltere'ye kaçak giriş fiyat", "tr"));
  CHECK(acts("ingiltereye kacak giris fiyat", "tr"));
  CHECK(acts("kalim ne anglinë me varkë", "sq"));
}

TEST_CASE("default pack: emoji for words") {
  CHECK(acts("🚤 to 🇬🇧 tonight", ""));
  CHECK(acts("boat 🇫🇷 to 🇬🇧 places left", ""));
  CHECK(acts("🛥️ 🇬🇧 price", ""));
  CHECK_FALSE(acts("🇬🇧 ☕ 🍰", ""));
}

TEST_CASE("default pack: Turkish dotted and dotless i") {
  CHECK(acts("İNGİLTERE BOT KAÇAK", "tr"));
  CHECK(acts("ingıltere bot kaçak", "tr"));
}

TEST_CASE("default pack: help-seeking gets a help card, never a warning") {
  for (const char* q : {"safe routes to the uk for refugees", "family visa uk how to apply", "report human trafficking uk"}) {
    INFO(q);
    const auto d = pack().evaluate({q, "en"});
    CHECK(d.action != Action::redirect);
    CHECK(d.action != Action::interstitial);
  }
}

TEST_CASE("default pack: news quoting an advert does not fire in post mode") {
  const auto d = pack().evaluate({"Smugglers advertise group discounts, free spaces for children and false documents "
                                  "on social media, a report by the National Crime Agency found.",
                                  "en", signpost::Mode::post});
  CHECK(d.action == Action::none);
}

TEST_CASE("default pack: every pack language has every card a category uses") {
  for (const auto& lang : pack().languages()) {
    const auto d = pack().evaluate({"fake uk passport for sale", lang});
    INFO(lang);
    REQUIRE_FALSE(d.cards.empty());
    for (const auto& c : d.cards) {
      CHECK(c.locale == lang);
      CHECK(c.url.rfind("https://", 0) == 0);
    }
  }
}
