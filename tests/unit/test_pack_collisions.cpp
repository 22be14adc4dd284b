// Words of one language that the default pack's terms of another used to find, once both were
// normalized (regressions; see the comments at the terms in messages/people-smuggling/lexicons/).
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <utility>

#include <signpost/signpost.hpp>

#include "default_pack.hpp"

using signpost::test::default_pack;

using namespace signpost;

namespace {

// The concepts found in `text` (post mode), as " id=text" each.
std::string concepts(std::string_view text, std::string_view locale) {
  const Trace t = default_pack().trace(Query{text, locale, Mode::post, {}});
  std::string s;
  for (const auto& c : t.concepts) s += " " + c.concept_id + "=" + c.text;
  return s;
}

bool has(const std::string& found, std::string_view concept_id) {
  return found.find(" " + std::string(concept_id) + "=") != std::string::npos;
}

}  // namespace

TEST_CASE("French 'calme' is no 'call me' (a contact in the first person)") {
  // "calme" and "call me" written together both normalize to "caime".
  for (const char* text : {"calme", "Restez calme, la mer est calme ce soir.", "appel au calme",
                           "La mer était calme quand le bateau a chaviré"}) {
    CAPTURE(text);
    const std::string found = concepts(text, "fr");
    CHECK_FALSE(has(found, "contact"));
    CHECK_FALSE(has(found, "first-person"));
  }
}

TEST_CASE("smugglers' 'call me' is still a contact, in the spellings they use") {
  for (const char* text : {"boat uk 2000 call me", "boat uk 2000 cal me", "CALL ME for price", "call-me boat uk",
                           "c4ll me"}) {
    CAPTURE(text);
    CHECK(has(concepts(text, "en"), "contact"));
  }
  for (const char* text : {"call me on whatsapp", "call me now", "call me for price", "Call me if you want to go"}) {
    CAPTURE(text);
    CHECK(has(concepts(text, "en"), "first-person"));
  }
}

TEST_CASE("'call us' written together is no English 'callus' nor the name 'Caius'") {
  for (const char* text : {"a callus on the foot", "Caius College"}) {
    CAPTURE(text);
    CHECK_FALSE(has(concepts(text, "en"), "contact"));
  }
  CHECK(has(concepts("boat to uk, call us", "en"), "contact"));
}

TEST_CASE("French 'l'ONG' written together is no 'long' (nor Vietnamese 'lòng')") {
  // "l'ong" normalizes to "i ong", and written together to "iong", which is "long" and "lòng".
  for (const auto& item : std::initializer_list<std::pair<const char*, const char*>>{
           {"long trip, boat to uk", "en"}, {"vui lòng liên hệ", "vi"}, {"le long de la côte", "fr"}}) {
    const char* text = item.first;  // a structured binding cannot be captured (clang 14)
    const char* locale = item.second;
    CAPTURE(text);
    CHECK_FALSE(has(concepts(text, locale), "gov-ngo"));
  }
  CHECK(has(concepts("les bénévoles de l'ONG Utopia 56 ont distribué des repas", "fr"), "gov-ngo"));
  CHECK(has(concepts("un communiqué de l'ONG", "fr"), "gov-ngo"));
}
