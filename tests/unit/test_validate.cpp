// signpost/validate.hpp: the request-field checks the CLI, the Python package and the server share.
#include <doctest/doctest.h>

#include <string>

#include "signpost/validate.hpp"

using signpost::check_id;
using signpost::check_locale;
using signpost::check_mode;
using signpost::check_subject;

namespace {
const std::string kBadLocale = "\"locale\" must be a language tag such as \"en\" or \"fr-BE\"";
}

TEST_CASE("validate: locale tags of the server's grammar are accepted, '_' as '-'") {
  for (const char* tag : {"", "en", "EN", "fr-BE", "en_GB", "AR_sy", "ckb", "zh-Hant-TW", "de-CH-1996",
                          "sr-Latn-RS-a-b", "sr_Latn-RS", "abcdefgh", "en-1", "abcdefgh-abcdefgh-abcdefgh-abcdefgh"})
    CHECK_MESSAGE(check_locale(tag).empty(), tag);
}

TEST_CASE("validate: other locale tags are refused, without quoting them") {
  for (const char* tag : {"en_", "_en", "en-_GB", "e", "en-", "-en", "fr--BE", "abcdefghi", "en-abcdefghi", "12", "1en",
                          "sr-Latn-RS-a-b-c", "fr BE", "\xC3\xA9", "\"><script>", "en\n", "-"})
    CHECK_MESSAGE(check_locale(tag) == kBadLocale, tag);
  CHECK(check_locale(std::string("en\0GB", 5)) == kBadLocale);
  CHECK(check_locale("abcdefgh-abcdefgh-abcdefgh-abcdefgh-a") == "\"locale\" is longer than 35 characters");
  CHECK(check_locale(std::string(100000, 'x')) == "\"locale\" is longer than 35 characters");
}

TEST_CASE("validate: modes") {
  CHECK(check_mode("query").empty());
  CHECK(check_mode("post").empty());
  for (const char* m : {"", "Query", "POST", "tweet", "query "})
    CHECK(check_mode(m) == "\"mode\" must be \"query\" or \"post\"");
}

TEST_CASE("validate: subjects and ids are counted in characters, as JSON Schema's maxLength") {
  CHECK(check_subject("").empty());
  CHECK(check_subject(std::string(256, 's')).empty());
  CHECK(check_subject(std::string(257, 's')) == "\"subject\" is longer than 256 characters");
  std::string e256, e257;
  for (int i = 0; i < 256; ++i) e256 += "\xC3\xA9";  // é: 2 bytes, 1 character
  e257 = e256 + "\xC3\xA9";
  CHECK(check_subject(e256).empty());
  CHECK_FALSE(check_subject(e257).empty());
  CHECK(check_id(e256).empty());
  CHECK(check_id(std::string(257, 'i')) == "\"id\" is longer than 256 characters");
  CHECK(check_subject(std::string(200, '\xFF')).empty());  // invalid bytes count one each
}
