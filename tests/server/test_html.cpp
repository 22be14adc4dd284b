// Escaping and text helpers.
#include <doctest/doctest.h>

#include "html.hpp"

using namespace signpost::server;

TEST_CASE("HTML escaping covers element content and both quote styles") {
  CHECK(html_escape("<a href=\"x\" title='y'>&</a>") ==
        "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
}

TEST_CASE("invalid UTF-8 and control characters become U+FFFD") {
  CHECK(html_escape("a\xff" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(html_escape(std::string_view("a\0b", 3)) == "a\xEF\xBF\xBD" "b");
  CHECK(html_escape("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");            // overlong '/'
  CHECK(html_escape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(html_escape("\xC2\x85") == "\xEF\xBF\xBD");                         // C1 control
  CHECK(html_escape("قارب 🚤") == "قارب 🚤");
  CHECK(valid_utf8("ok\xfe") == "ok\xEF\xBF\xBD");
}

TEST_CASE("percent encoding round-trips any bytes") {
  const std::string bytes = "a b/c?d&e=f\xff\xd8\xa8";
  CHECK(percent_encode(bytes) == "a%20b%2Fc%3Fd%26e%3Df%FF%D8%A8");
  CHECK(percent_decode(percent_encode(bytes), false) == bytes);
  CHECK(percent_decode("a+b", true) == "a b");
  CHECK(percent_decode("a+b", false) == "a+b");
  CHECK_FALSE(percent_decode("%", false));
  CHECK_FALSE(percent_decode("%g0", false));
}

TEST_CASE("locale tags and direction") {
  CHECK(is_locale_tag("en"));
  CHECK(is_locale_tag("fr-BE"));
  CHECK(is_locale_tag("ckb"));
  CHECK(is_locale_tag("zh-Hant-TW"));
  CHECK_FALSE(is_locale_tag(""));
  CHECK_FALSE(is_locale_tag("e"));
  CHECK_FALSE(is_locale_tag("en_GB"));
  CHECK_FALSE(is_locale_tag("\"><script>"));
  CHECK_FALSE(is_locale_tag("en-"));
  for (const char* rtl : {"ar", "fa", "ckb", "ps", "ar-EG", "FA"}) CHECK(is_rtl_locale(rtl));
  for (const char* ltr : {"en", "fr", "kmr", "tr", "vi", "sq"}) CHECK_FALSE(is_rtl_locale(ltr));
}
