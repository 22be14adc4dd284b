// Tests for normalize/ (docs/normalization.md): scripts and languages, emoji, numbers, offsets into
// the input and robustness. The obfuscation classes are in test_normalize.cpp.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "normalize/normalizer.hpp"
#include "normalize_probe.hpp"

using namespace signpost::detail;
using namespace signpost::test;

// --- scripts and languages -------------------------------------------------------------------

TEST_CASE("English: plain queries keep their words") {
  CHECK(norm("boat to uk tonight") == "boat to uk tonight");
  CHECK(norm("  Boat,  to UK!! ") == "boat to uk");
}

TEST_CASE("French accents and elision") {
  CHECK(norm("Traversée vers l'Angleterre") == norm("traversee vers l angleterre"));
  CHECK(matches("bateau pour l'Angleterre", "angleterre"));
  CHECK(norm("passeur numéro") == norm("passeur numero"));
  CHECK(norm("ŒUVRE cœur") == "oeuvre coeur");
}

TEST_CASE("Turkish dotted and dotless i") {
  const std::string base = normalize_term("ingiltere");
  CHECK(norm("İNGİLTERE") == base);
  CHECK(norm("ingıltere") == base);
  CHECK(norm("İngiltere") == base);
  CHECK(norm("INGILTERE") == base);
  CHECK(matches("İngiltere'ye kaçak giriş", "ingiltere"));
  CHECK(matches("İngiltere'ye", "ingiltere*", true));
  CHECK(matches("ingiltereye", "ingiltere", true));
  CHECK(norm("kaçak giriş") == "kacak giris");
}

TEST_CASE("Albanian ë and ç") {
  CHECK(norm("Anglinë") == norm("anglinë"));
  CHECK(norm("anglinë") == norm("angline"));
  CHECK(norm("çmim") == "cmim");
  CHECK(matches("gomone për në Anglinë", "angli", true));
}

TEST_CASE("Vietnamese tone marks and đ") {
  CHECK(norm("đi anh bằng xuồng") == norm("di anh bang xuong"));
  CHECK(norm("ĐI ANH") == "di anh");
  CHECK(norm("hộ chiếu giả") == "ho chieu gia");
  CHECK(matches("Đưa người sang Anh", "dua nguoi sang anh"));
}

TEST_CASE("Kurmanji î ê û ş ç") {
  CHECK(norm("qaçaxçî") == "qacaxci");
  CHECK(norm("îngilîstanê") == norm("ingilistane"));
  CHECK(norm("şûnde") == "sunde");
}

TEST_CASE("Latin letters without a decomposition") {
  CHECK(norm("Straße") == norm("strasse"));
  CHECK(norm("øre") == "ore");
  CHECK(norm("łódź") == norm("lodz"));
  CHECK(norm("æ") == "ae");
  CHECK(norm("ðá") == "da");
}

TEST_CASE("Arabic: tatweel, harakat and hamza forms disappear") {
  CHECK(norm("تهـــريب") == norm("تهريب"));
  CHECK(norm("قَارِبٌ") == norm("قارب"));
  CHECK(norm("إلى") == norm("الي"));
  CHECK(norm("أطفال") == norm("اطفال"));
  CHECK(norm("آمن") == norm("امن"));
  CHECK(norm("ٱلقارب") == norm("القارب"));
  CHECK(norm("مؤكد") == norm("موكد"));
}

TEST_CASE("Arabic: yeh, alef maksura, kaf and teh marbuta variants are one letter") {
  CHECK(norm("ى") == "ي");
  CHECK(norm("ی") == "ي");
  CHECK(norm("ک") == "ك");
  CHECK(norm("ة") == "ه");
  CHECK(norm("رحلة") == norm("رحله"));
  CHECK(norm("مهرب إلى") == norm("مهرب الى"));
}

TEST_CASE("Arabic-Indic and Persian digits are ASCII digits") {
  CHECK(norm("١٣٠٠") == "1300");
  CHECK(norm("۱۴۰۰") == "1400");
  CHECK(norm("السعر ١٣٠٠ يورو") == norm("السعر 1300 يورو"));
}

TEST_CASE("Arabic punctuation separates words") {
  CHECK(norm("قارب،بريطانيا") == norm("قارب بريطانيا"));
  CHECK(norm("قارب؟") == norm("قارب"));
  CHECK(norm("قارب؛ بريطانيا") == norm("قارب بريطانيا"));
}

TEST_CASE("Arabic attached particles: بالقارب starts a word at قارب") {
  CHECK(matches("بالقارب", "قارب"));
  CHECK(matches("وبالقارب", "قارب"));
  CHECK(matches("فالقارب", "قارب"));
  CHECK(matches("للقارب", "قارب"));
  CHECK(matches("والقارب", "القارب"));
  CHECK(matches("بالقارب", "بالقارب"));
  CHECK(source_of("رحلة بالقارب", "قارب") == "قارب");
  CHECK(matches("عبور المانش بالبلم", "بلم"));
  // At least two letters must remain after the particle.
  NormalizedText t;
  normalize("بل", t);
  CHECK(t.bounds[2] == 0);
  // Particles only add starts: the whole word is still one token.
  normalize("بالقارب", t);
  CHECK(t.tokens == 1);
  // Outside Arabic script nothing of the kind happens.
  CHECK_FALSE(matches("xboat", "boat"));
}

TEST_CASE("Persian: ی and ک, Persian digits and ZWNJ") {
  CHECK(norm("کشتی") == norm("كشتي"));
  CHECK(norm("قایق‌ها") == norm("قایقها"));  // ZWNJ inside the word
  CHECK(matches("قایق‌ها", "قایق"));         // and a word may end at it
  CHECK(matches("قایق‌ها", "قایقها"));
  CHECK_FALSE(matches("قایقها", "قایق"));
  NormalizedText z;
  normalize("قایق‌ها", z);
  CHECK(z.tokens == 1);
  CHECK(norm("۱۲۳") == "123");
  CHECK(matches("بچه ها مجانی قایق انگلیس", "قایق"));
  CHECK(norm("پاسپورت") == "پاسپورت");  // Persian letters stay
  CHECK(norm("چ ژ گ") == "چژگ");  // three single letters, one space apart: joined
}

TEST_CASE("Sorani: ە ێ ۆ ڵ ڕ") {
  CHECK(norm("بەلەم") == norm("بهلهم"));
  CHECK(norm("بۆ") == norm("بو"));
  CHECK(norm("منداڵان") == norm("مندالان"));
  CHECK(norm("ڕێگا") == norm("ريگا"));
  CHECK(matches("بەلەم بۆ ئینگلتەرا", "بەلەم"));
}

TEST_CASE("Pashto: ګ ې ۍ") {
  CHECK(norm("انګلستان") == norm("انگلستان"));
  CHECK(norm("ډېر") == norm("ډير"));
  CHECK(norm("ښځۍ") == norm("ښځي"));
  CHECK(norm("ټ ډ ړ") == "ټډړ");  // Pashto letters stay (three single letters join)
  CHECK(norm("ښ") == "ښ");
  CHECK(matches("د انګلستان خبرونه", "انگلستان"));
}

TEST_CASE("is_arabic_script covers the Arabic blocks") {
  CHECK(is_arabic_script(U'ق'));
  CHECK(is_arabic_script(U'پ'));
  CHECK(is_arabic_script(0xFEFB));  // presentation form
  CHECK_FALSE(is_arabic_script(U'a'));
  CHECK_FALSE(is_arabic_script(U'о'));
}

// --- emoji -----------------------------------------------------------------------------------

TEST_CASE("each emoji is a token of its own") {
  CHECK(norm("🚤") == "🚤");
  CHECK(norm("🚤🚤") == "🚤 🚤");
  CHECK(norm("boat🚤uk") == "boat 🚤 uk");
  CHECK(norm("⛵ to uk") == "⛵ to uk");
  CHECK(matches("🚤 to 🇬🇧 tonight", "🚤"));
}

TEST_CASE("emoji variation selectors are dropped: 🛥️ is 🛥") {
  CHECK(norm("🛥️") == "🛥");
  CHECK(norm("🛥️") == normalize_term("🛥"));
  CHECK(matches("🛥️ places left", "🛥️"));
}

TEST_CASE("regional indicators pair into flags left to right") {
  CHECK(norm("🇬🇧") == "🇬🇧");
  CHECK(norm("🇫🇷🇬🇧") == "🇫🇷 🇬🇧");
  CHECK(norm("🇫🇷🇬🇧🇫") == "🇫🇷 🇬🇧 🇫");
  CHECK(matches("boat 🇫🇷 to 🇬🇧 places left", "🇬🇧"));
  CHECK(matches("🇫🇷🇬🇧", "🇬🇧"));
  NormalizedText t;
  normalize("🇫🇷🇬🇧", t);
  CHECK(t.tokens == 2);
}

TEST_CASE("skin tones, keycaps and ZWJ sequences keep the base emoji") {
  CHECK(norm("👶🏾") == "👶");
  CHECK(norm("👶🏻 free") == "👶 fre");  // ee collapses too
  CHECK(norm("1️⃣") == "1");
  CHECK(norm("👨‍👩‍👧") == "👨");
  CHECK(source_of("x 👨‍👩‍👧 y", "👨") == "👨‍👩‍👧");
}

TEST_CASE("currency signs are tokens of their own") {
  CHECK(norm("1400€") == "1400 €");
  CHECK(norm("€1400") == "€ 1400");
  CHECK(norm("$500") == "$ 500");
  CHECK(norm("500$") == "500 $");
  CHECK(norm("us$500") == "us $ 500");
  CHECK(norm("£250.") == "£ 250");
  CHECK(norm("￡250") == "£ 250");
}

TEST_CASE("thousands separators join digit groups") {
  CHECK(norm("£1,400") == "£ 1400");
  CHECK(norm("1.400 €") == "1400 €");
  CHECK(norm("1 400 €") == "1400 €");
  CHECK(norm("1\u202F400 €") == "1400 €");
  CHECK(norm("1,400,000") == "1400000");
  CHECK(norm("١٬٣٠٠") == "1300");
  CHECK(norm("1,5") == "1 5");      // not a group of three: two numbers
  CHECK(norm("2.9m") == "2 9m");
  CHECK(norm("1234 567") == "1234 567");  // the first group has more than three digits
  CHECK(norm("1, 400") == "1 400");        // two separators
}

TEST_CASE("a plus sign stays in front of a number") {
  CHECK(norm("+44 7700 900123") == "+44 7700 900123");
  CHECK(norm("call +447700") == "cai +447700");
  CHECK(norm("10+ people") == "10 peopie");
  CHECK(norm("a+b") == "a b");
  CHECK(norm("+boat") == "boat");
}

// --- offsets ---------------------------------------------------------------------------------

TEST_CASE("offsets map every output byte back to the bytes it came from") {
  const std::string in = "Cheap ﬁne BOAT";
  NormalizedText t;
  normalize(in, t);
  REQUIRE(t.text == "cheap fine boat");
  // "ﬁ" (3 bytes) became "fi": both output bytes map to the whole ligature.
  CHECK(t.begin[6] == 6);
  CHECK(t.end[6] == 9);
  CHECK(t.begin[7] == 6);
  CHECK(t.end[7] == 9);
  CHECK(source_of(in, "boat") == "BOAT");
  CHECK(source_of(in, "fine") == "ﬁne");
}

TEST_CASE("offsets after NFKC expansions and collapsed letters") {
  CHECK(source_of("die Straße", "strasse") == "Straße");
  CHECK(source_of("ǅemal", "dzemal") == "ǅemal");
  CHECK(source_of("xx 𝐛𝐨𝐚𝐭 yy", "boat") == "𝐛𝐨𝐚𝐭");
}

TEST_CASE("offsets skip removed invisible characters but keep them inside a match") {
  const std::string in = "a pass\u200Bport b";
  CHECK(source_of(in, "passport") == "pass\u200Bport");
  CHECK(source_of("\u200Bboat", "boat") == "boat");
  CHECK(source_of("تهـــريب", "تهريب") == "تهـــريب");
}

TEST_CASE("offsets of joined and leet words") {
  CHECK(source_of("get p.a.s.s.p.o.r.t now", "passport") == "p.a.s.s.p.o.r.t");
  CHECK(source_of("get f a k e now", "fake") == "f a k e");
  CHECK(source_of("a $muggler b", "smuggler") == "$muggler");
  CHECK(source_of("pass.port", "port") == "port");
  CHECK(source_of("pass.port", "pass") == "pass");
}

TEST_CASE("the space between tokens maps to the gap between them in the input") {
  NormalizedText t;
  normalize("boat, \t uk", t);
  REQUIRE(t.text == "boat uk");
  CHECK(t.begin[4] == 4);
  CHECK(t.end[4] == 8);
  normalize("1400€", t);
  REQUIRE(t.text == "1400 €");
  CHECK(t.begin[4] == 4);  // adjacent tokens: an empty gap
  CHECK(t.end[4] == 4);
}

// --- hostile input ---------------------------------------------------------------------------

TEST_CASE("invalid UTF-8 bytes are separators, never passed on") {
  CHECK(norm("boat\x80uk") == "boat uk");              // lone continuation byte
  CHECK(norm("a\xC0\xAF" "b") == "a b");               // overlong '/'
  CHECK(norm("a\xE0\x80\xAF" "b") == "a b");           // overlong, three bytes
  CHECK(norm("a\xED\xA0\x80" "b") == "a b");           // surrogate
  CHECK(norm("a\xF5\x80\x80\x80" "b") == "a b");       // above U+10FFFF
  CHECK(norm("boat\xE2\x82") == "boat");               // truncated at the end
  CHECK(norm("\xFF\xFE") == "");
  const std::string junk = "\x80\x81\xC2\xE2\x82\xF0\x9F\x9A boat \xED\xBF\xBF";
  NormalizedText t;
  normalize(junk, t);
  check_shape(t, junk);
  CHECK(t.text == "boat");
}

TEST_CASE("NUL and control characters separate words") {
  const std::string in("boat\0uk\x01to\x7F" "france", 17);
  CHECK(norm(in) == "boat uk to france");
  CHECK(norm(std::string(5, '\0')) == "");
  CHECK(norm("") == "");
}

TEST_CASE("max_bytes limits the input considered, at a code point boundary") {
  std::string big = repeat("boat to uk é ", 4 * 1024 * 1024 / 14 + 1);
  REQUIRE(big.size() >= 4 * 1024 * 1024);
  NormalizedText t;
  normalize(big, t, 64 * 1024);
  CHECK(t.considered <= 64 * 1024);
  CHECK(t.considered >= 64 * 1024 - 3);
  check_shape(t, big);
  // Cutting inside the two bytes of 'é' backs off to its first byte.
  const std::string s = "boat é";
  normalize(s, t, 6);
  CHECK(t.considered == 5);
  CHECK(t.text == "boat");
  normalize(s, t, 7);
  CHECK(t.considered == 7);
  CHECK(t.text == "boat e");
  // The whole 4 MB input.
  normalize(big, t);
  CHECK(t.considered == big.size());
  CHECK(t.tokens == 4 * (4 * 1024 * 1024 / 14 + 1));
}

TEST_CASE("very long words are written in parts without losing characters") {
  const std::string in = repeat("ab", 1000);
  NormalizedText t;
  normalize(in, t);
  CHECK(t.text == in);
  CHECK(t.tokens == 1);
  const std::string ar = repeat("قارب", 300);
  normalize(ar, t);
  CHECK(t.text == ar);
  CHECK(t.tokens == 1);
  const std::string digits = repeat("0123456789", 100);
  CHECK(norm(digits) == digits);
}

TEST_CASE("the output is well formed for every kind of input") {
  const std::vector<std::string> inputs = {
      "", " ", "a", "🇬", "+", "$", "@@@", "1,", ",1", "1 2 3", "a b c d e f", "a.b.c.d", "-a-",
      "f4ke p@ssp0rt $muggler b0at t0 uk", "🚤🚤🇬🇧🇫🇷🇬", "x\u200D🚤\u200D🚤", "٠١٢ ۳۴۵ ١٬٢٣٤",
      "بالقارب والليل", "p . a . s . s", "+44 (0) 20 7946 0000", "€€€", "a\u0301\u0301\u0301",
      "\u0301boat", "ﷺ", "½ ⑴ ℀", std::string("\0\0a\0", 4), "\xF0\x9F\x9A\xA4\xE2\x80\x8D",
      "aaaa.bbbb-cccc_dddd", "1.000.000,50 €", "x y z w", "b o o a t s",
  };
  for (const std::string& in : inputs) {
    CAPTURE(in);
    NormalizedText t;
    normalize(in, t);
    check_shape(t, in);
  }
}

TEST_CASE("the ASCII fast path and the general path agree") {
  // A zero-width space after every character sends each word through the general path; it
  // must not change the normalized text or its boundaries.
  const std::vector<std::string> inputs = {
      "cheap boat to uk tonight from calais 1400", "f a k e passport", "p.a.s.s x y z", "1,400 1 400",
      "smug-gler pass.port boooat", "kids free 10places 1400euro 3am", "a b boat q r s t",
      "illegal legal i l l l i", "ll il li lli",
  };
  for (const std::string& in : inputs) {
    std::string slow;
    for (char c : in) {
      slow += c;
      slow += "\u200B";
    }
    CAPTURE(in);
    NormalizedText a, b;
    normalize(in, a);
    normalize(slow, b);
    CHECK(a.text == b.text);
    CHECK(a.bounds == b.bounds);
    CHECK(a.token == b.token);
    CHECK(a.tokens == b.tokens);
  }
}

// --- the contract around the calls ------------------------------------------------------------

TEST_CASE("normalize of a term equals normalize_term of it") {
  const std::vector<std::string> terms = {
      "boat", "small boat", "fake passport", "قارب", "بالقارب", "ingiltere", "İngiltere", "🚤",
      "🛥️", "🇬🇧", "anglinë", "traversée", "xuồng", "1400 €", "£", "p.a.s.s", "", "   ", "!!!",
  };
  for (const std::string& term : terms) {
    CAPTURE(term);
    NormalizedText t;
    normalize(term, t);
    CHECK(t.text == normalize_term(term));
  }
  CHECK(normalize_term("!!!").empty());
  CHECK(normalize_term("").empty());
}

TEST_CASE("normalize clears what the previous call left") {
  NormalizedText t;
  normalize("a long first text with many words in it", t);
  normalize("boat", t);
  CHECK(t.text == "boat");
  CHECK(t.tokens == 1);
  CHECK(t.bounds.size() == 5);
  normalize("", t);
  CHECK(t.text.empty());
  CHECK(t.tokens == 0);
  CHECK(t.bounds.size() == 1);
}

TEST_CASE("clear empties every field and keeps capacity") {
  NormalizedText t;
  normalize("boat to uk", t);
  const std::size_t cap = t.begin.capacity();
  t.clear();
  CHECK(t.text.empty());
  CHECK(t.begin.empty());
  CHECK(t.end.empty());
  CHECK(t.bounds.empty());
  CHECK(t.token.empty());
  CHECK(t.tokens == 0);
  CHECK(t.considered == 0);
  CHECK(t.begin.capacity() == cap);
}

TEST_CASE("repeated calls on a warm NormalizedText do not change its capacity") {
  const std::vector<std::string> texts = {
      "cheap boat to uk tonight from calais 1400",
      "قارب إلى بريطانيا السعر ١٣٠٠ يورو الليلة",
      "🚤 to 🇬🇧 tonight, places left, 1200€ each",
      "f a k e p@ssp0rt",
  };
  NormalizedText t;
  for (const auto& s : texts) normalize(s, t);  // warm up
  const auto caps = [&] {
    return std::vector<std::size_t>{t.text.capacity(), t.begin.capacity(), t.end.capacity(),
                                    t.bounds.capacity(), t.token.capacity()};
  };
  const auto before = caps();
  const std::uint32_t* const data = t.begin.data();
  for (int round = 0; round < 3; ++round)
    for (const auto& s : texts) normalize(s, t);
  CHECK(caps() == before);
  CHECK(t.begin.data() == data);
}

TEST_CASE("the lookup tables are built once") {
  const double ms = signpost::detail::normalizer_tables_build_ms();
  CHECK(ms > 0);
  CHECK(signpost::detail::normalizer_tables_build_ms() == ms);
}
