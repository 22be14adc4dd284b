// The default pack through every obfuscation class of docs/obfuscations.md: risky queries
// still match when disguised, and disguising benign queries does not make them match.
#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <signpost/signpost.hpp>

#include "obfuscations.hpp"
#include "default_pack.hpp"

using signpost::test::default_pack;

using signpost::Action;
using signpost::Engine;
using namespace signpost::test;

namespace {

bool acts(const std::string& text, const char* locale = "en") {
  return default_pack().evaluate({text, locale}).action != Action::none;
}

const std::vector<std::string> kRisky = {
    "boat to england from france price", "smuggler whatsapp number uk", "fake uk passport for sale",
    "kids free on boat to england",      "safe crossing to england guaranteed", "calais boat tonight places",
    "group price crossing to uk",        "forged uk visa documents",
    // Offers without a boat word or with only the shape of an offer (pack 2.0.0).
    "taxi game to uk tonight",           "lookalike passport for london flight",
    "original passport registered in the system uk",
};
const std::vector<std::string> kBenign = {
    "dover calais ferry booking", "renew british passport online", "fake eyelashes tutorial",
    "sailing dinghy for sale",    "kids go free restaurants london", "people smuggling gang jailed",
    "do not trust smugglers who promise a guaranteed crossing",
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
  check_class([](const std::string& s) { return spelled(s, " "); });
  check_class([](const std::string& s) { return spelled(s, "."); });
  check_class([](const std::string& s) { return spelled(s, "-"); });
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
    const auto d = default_pack().evaluate({q, "en"});
    CHECK(d.action != Action::redirect);
    CHECK(d.action != Action::interstitial);
  }
}

TEST_CASE("default pack: news quoting an advert does not fire in post mode") {
  const auto d = default_pack().evaluate({"Smugglers advertise group discounts, free spaces for children and false documents "
                                  "on social media, a report by the National Crime Agency found.",
                                  "en", signpost::Mode::post});
  CHECK(d.action == Action::none);
}

TEST_CASE("default pack: every pack language has every card a category uses") {
  for (const auto& lang : default_pack().languages()) {
    const auto d = default_pack().evaluate({"fake uk passport for sale", lang});
    INFO(lang);
    REQUIRE_FALSE(d.cards.empty());
    for (const auto& c : d.cards) {
      CHECK(c.locale == lang);
      CHECK(c.url.rfind("https://", 0) == 0);
    }
  }
}

// Distress: someone in danger at sea gets the emergency card (annotate) in every pack language,
// never an interstitial or a redirect, even when the text also names a boat, the UK or a smuggler.
TEST_CASE("default pack: distress at sea annotates with the emergency card in every language") {
  const std::vector<std::pair<const char*, const char*>> calls = {
      {"en", "sos our boat is sinking near calais, 40 people going to uk"},
      {"fr", "au secours on coule au large de gravelines"},
      {"ar", "ساعدونا البلم عم يغرق قرب كاليه"},
      {"fa", "کمک کنید قایق داره غرق میشه وسط دریا"},
      {"ckb", "یارمەتیمان بدەن، بەلەمەکە نوقم دەبێت"},
      {"kmr", "alîkariya me bikin, qeyik binav dibe"},
      {"ps", "مرسته وکړئ، کښتۍ ډوبېږي"},
      {"sq", "na ndihmoni, gomonja po fundoset"},
      {"vi", "cứu với, xuồng đang chìm giữa biển"},
      {"tr", "yardım edin, bot batıyor, denizdeyiz"},
  };
  for (const auto& item : calls) {  // not a structured binding: clang 14 cannot capture one in INFO
    const auto& locale = std::get<0>(item);
    const auto& text = std::get<1>(item);
    INFO(locale, ": ", text);
    const auto d = default_pack().evaluate({text, locale});
    CHECK(d.action == Action::annotate);
    CHECK(d.category == "distress");
    REQUIRE_FALSE(d.cards.empty());
    CHECK(d.cards.front().id == "emergency-at-sea");
    CHECK(d.cards.front().locale == locale);
    CHECK(d.cards.front().body.find("112") != std::string::npos);
  }
}

TEST_CASE("default pack: asking for the emergency number at sea never gets a warning") {
  for (const char* q : {"coastguard number channel", "what number to call boat in trouble in the channel",
                        "boat engine stopped in sea near calais help number"}) {
    INFO(q);
    const auto d = default_pack().evaluate({q, "en"});
    CHECK(d.action == Action::annotate);
    CHECK(d.category == "distress");
  }
}

// Stance: warnings, reports and quotes of smugglers' promises are not adverts, in every language;
// the same promises in an advert's own voice still are.
TEST_CASE("default pack: warnings and quoted promises are not adverts") {
  const std::vector<std::pair<const char*, const char*>> texts = {
      {"en", "Don't trust smugglers: a 100% safe crossing to the UK does not exist."},
      {"fr", "Ne croyez pas les passeurs qui promettent un passage garanti vers l'Angleterre."},
      {"ar", "لا تصدقوا المهربين، لا يوجد طريق مضمون إلى بريطانيا"},
      {"fa", "به قاچاقبرها اعتماد نکنید، هیچ تضمینی نیست که به انگلیس برسید"},
      {"ckb", "متمانە بە قاچاخچییەکان مەکەن، گەشتی گەرەنتی درۆیە"},
      {"kmr", "Bawer nekin bi qaçaxçiyan, rêya garantî derew e"},
      {"ps", "په قاچاقبرانو باور مه کوئ، ګیم ضمانت نه لري"},
      {"sq", "Mos u besoni trafikantëve: kalimi 100% i sigurt në Angli nuk ekziston."},
      {"vi", "Đừng tin những kẻ hứa bao qua sang Anh, nhiều người đã chết."},
      {"tr", "Kaçakçılara güvenmeyin, İngiltere'ye garantili geçiş diye bir şey yok."},
  };
  for (const auto& item : texts) {  // not a structured binding: clang 14 cannot capture one in INFO
    const auto& locale = std::get<0>(item);
    const auto& text = std::get<1>(item);
    INFO(locale, ": ", text);
    CHECK(default_pack().evaluate({text, locale, signpost::Mode::post}).action == Action::none);
  }
  CHECK(acts("guaranteed boat to uk, pay on arrival, whatsapp"));
  CHECK(acts("no scam, 100% trusted, boat to uk whatsapp"));
}

TEST_CASE("default pack: offers named by their shape, on every route") {
  CHECK(acts("game 2500 euro whatsapp"));
  CHECK(acts("ګیم تر ایټالیا څو پیسې", "ps"));
  CHECK(acts("مهرب من ليبيا الى ايطاليا", "ar"));
  CHECK(acts("pagesa pas mbërritjes 3000 paund", "sq"));
  CHECK(acts("we arrived safely, he is honest, call him"));
  CHECK_FALSE(acts("england game tonight kick off time"));
  CHECK_FALSE(acts("hotel in paris pay on arrival 80 euro"));
}

// Reporting a smuggler is neither an offer nor a request for help: no intervention at all.
TEST_CASE("default pack: reporting a smuggler gets nothing") {
  const std::vector<std::pair<const char*, const char*>> texts = {
      {"en", "crimestoppers number people smuggling"}, {"fr", "signaler un passeur anonymement police"},
      {"sq", "si të denoncoj një trafikant emigrantësh në polici"}, {"tr", "insan kaçakçılığını ihbar etmek için hangi numara"},
      {"fa", "چطور از قاچاقچی انسان شکایت کنم"},
  };
  for (const auto& item : texts) {  // not a structured binding: clang 14 cannot capture one in INFO
    const auto& locale = std::get<0>(item);
    const auto& text = std::get<1>(item);
    INFO(locale, ": ", text);
    CHECK(default_pack().evaluate({text, locale}).action == Action::none);
  }
}

// A person asking for help keeps the help reading when they also name money or a phone.
TEST_CASE("default pack: help-seeking that names money is not warned") {
  for (const char* text : {"I paid a man in Calais 2000 euros and he disappeared. Where can I get free legal advice?",
                           "i am in the uk without papers and owe the smuggler money, where can i get help"}) {
    INFO(text);
    const auto d = default_pack().evaluate({text, "en", signpost::Mode::post});
    CHECK(d.action != Action::redirect);
    CHECK(d.action != Action::interstitial);
  }
}

// "hợp pháp" (legal) is inside "bất hợp pháp" (illegal): a help phrase must not turn an illegal
// route into a request for help.
TEST_CASE("default pack: illegal routes are not read as legal ones") {
  CHECK(default_pack().evaluate({"cách sang Anh bất hợp pháp", "vi"}).action == Action::redirect);
  CHECK(default_pack().evaluate({"how to get to uk illegally", "en"}).action == Action::redirect);
  CHECK(default_pack().evaluate({"làm sao đưa vợ con sang hợp pháp", "vi"}).action == Action::annotate);
}

// Asking whether a legal and safe way exists is help-seeking, although "safe" is also an advert's
// word (Kurmanji "ewle", Pashto "خوندي لاره"); and the coastguard of another country asked for by
// a boat that broke down is distress. Neither may ever be warned, as a search or as a post.
TEST_CASE("default pack: a legal and safe way asked for, and a coastguard abroad, are never warned") {
  const std::vector<std::pair<const char*, const char*>> texts = {
      {"Rêyek qanûnî û ewle heye ji bo gihîştina malbata min li Almanyayê?", "kmr"},
      {"ایا اروپا ته د تګ قانوني او خوندي لاره شته؟", "ps"},
      {"is there a safe and legal way to reach my family in germany", "en"},
      {"numéro garde côte italie bateau en panne", "fr"}};
  for (const auto& item : texts) {
    const char* text = item.first;  // a structured binding cannot be captured (clang 14)
    const char* locale = item.second;
    for (const auto mode : {signpost::Mode::query, signpost::Mode::post}) {
      INFO(text);
      const auto d = default_pack().evaluate({text, locale, mode});
      CHECK(d.action != Action::redirect);
      CHECK(d.action != Action::interstitial);
    }
  }
  CHECK(default_pack().evaluate({"numéro garde côte italie bateau en panne", "fr"}).category == "distress");
  // The same words in an advert's voice, with a price and a contact, are still an advert.
  CHECK(default_pack().evaluate({"Rêya qanûnî û ewle heye! Almanya 5000 euro, garantî, WhatsApp", "kmr",
                         signpost::Mode::post}).action == Action::redirect);
}
