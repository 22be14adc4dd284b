// Tests for normalize/: one pipeline for pack terms and input text (docs/normalization.md).
// This file: the obfuscation classes; test_normalize_scripts.cpp: scripts, languages, offsets and
// robustness.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "normalize/normalizer.hpp"
#include "normalize_probe.hpp"

using namespace signpost::detail;
using namespace signpost::test;


// --- obfuscation classes (docs/obfuscations.md) -----------------------------------------

TEST_CASE("case and width do not matter") {
  CHECK(norm("FAKE Passport") == normalize_term("fake passport"));
  CHECK(norm("ｆａｋｅ ｐａｓｓｐｏｒｔ") == normalize_term("fake passport"));
  CHECK(norm("ＢＯＡＴ") == "boat");
  CHECK(matches("FAKE Passport", "fake passport"));
}

TEST_CASE("mathematical and other styled letters read as plain letters") {
  CHECK(norm("𝐛𝐨𝐚𝐭") == "boat");
  CHECK(norm("𝓫𝓸𝓪𝓽") == "boat");
  CHECK(norm("ⓑⓞⓐⓣ") == "boat");
  CHECK(norm("ﬁne") == "fine");
}

TEST_CASE("leetspeak inside words reads as letters") {
  CHECK(norm("f4ke p@ssp0rt") == normalize_term("fake passport"));
  CHECK(norm("$muggler") == normalize_term("smuggler"));
  CHECK(norm("b0at t0 uk") == normalize_term("boat to uk"));
  CHECK(norm("smugg1er") == normalize_term("smuggler"));
  CHECK(norm("sm|ggler") == norm("smiggler"));
  CHECK(norm("h4x0r b00t") == "haxor bot");
  CHECK(norm("5muggler") == normalize_term("smuggler"));
  CHECK(matches("cheap f4ke p@ssp0rt here", "fake passport"));
}

TEST_CASE("numbers stay numbers: leading or trailing digit runs and pure numbers are kept") {
  CHECK(norm("1400euro") == "1400euro");
  CHECK(norm("10places") == "10piaces");
  CHECK(norm("1400") == "1400");
  CHECK(norm("0044") == "0044");
  CHECK(norm("covid19") == "covid19");
  CHECK(norm("3am 1st 4th 2nd") == "3am 1st 4th 2nd");
  CHECK(norm("b2b") == "b2b");
}

TEST_CASE("punctuation after a word is not leetspeak") {
  CHECK(norm("boat!") == "boat");
  CHECK(norm("hello!!!") == norm("hello"));
  CHECK(norm("@user") == "user");
  CHECK(norm("a | b") == "a b");
}

TEST_CASE("look-alike letters from other scripts read as Latin") {
  CHECK(norm("bоat") == "boat");          // Cyrillic о
  CHECK(norm("раssport") == norm("passport"));  // Cyrillic р and а
  CHECK(norm("bοat") == "boat");          // Greek ο
  CHECK(norm("ВОАТ") == "boat");          // Cyrillic capitals
  CHECK(norm("вот") == norm("ВОТ"));      // case never changes a Cyrillic word
  CHECK(norm("таб кот") == norm("ТАБ КОТ"));
  CHECK(norm("ѕmuggler") == norm("smuggler"));  // Cyrillic ѕ
  CHECK(matches("a bоat to the uk", "boat"));
}

TEST_CASE("a Cyrillic о inside a Latin word still matches") {
  CHECK(matches("smuggler bоat", "boat"));
  CHECK(source_of("smuggler bоat", "boat") == "bоat");
}

TEST_CASE("invisible characters inside a word are dropped without breaking it") {
  CHECK(norm("pass\u200Bport") == norm("passport"));  // zero-width space
  CHECK(norm("pass\u200Cport") == norm("passport"));  // zero-width non-joiner
  CHECK(matches("pass\u200Cport", "passport"));
  CHECK(norm("pass\u200Dport") == norm("passport"));  // zero-width joiner
  CHECK(norm("pass\u00ADport") == norm("passport"));  // soft hyphen
  CHECK(norm("pass\u2060port") == norm("passport"));  // word joiner
  CHECK(norm("\uFEFFpassport") == norm("passport"));  // byte order mark
  CHECK(norm("pass\u180Eport") == norm("passport"));  // Mongolian vowel separator
  CHECK(norm("\u200Fpass\u202Eport\u202C") == norm("passport"));  // bidi controls
  CHECK(norm("pass\u2066port\u2069") == norm("passport"));        // bidi isolates
  CHECK(norm("bo\uFE0Fat") == "boat");                             // variation selector
}

TEST_CASE("letters spaced or punctuated apart are joined") {
  CHECK(norm("f a k e passport") == normalize_term("fake passport"));
  CHECK(norm("p.a.s.s.p.o.r.t") == normalize_term("passport"));
  CHECK(norm("s-m-u-g-g-l-e-r") == normalize_term("smuggler"));
  CHECK(norm("s_m_u_g") == "smug");
  CHECK(norm("b*o*a*t") == "boat");
  CHECK(norm("b/o/a/t") == "boat");
  CHECK(norm("b·o·a·t") == "boat");
  CHECK(norm("u.k.") == "uk");
  CHECK(norm("b o o a t") == "boat");
  CHECK(matches("f a k e passport", "fake passport"));
  CHECK(matches("cheap p.a.s.s.p.o.r.t", "passport"));
}

TEST_CASE("two single letters with a space are not joined, three are") {
  CHECK(norm("a b boat") == "a b boat");
  CHECK(norm("x y z") == "xyz");
}

TEST_CASE("a letter-by-letter join is one word: boundaries at its two ends only") {
  for (const char* in : {"f a k e", "f.a.k.e", "f-a-k-e"}) {
    CAPTURE(in);
    NormalizedText t;
    normalize(in, t);
    REQUIRE(t.text == "fake");
    CHECK(t.bounds[0] == kS);
    for (std::size_t i = 1; i < 4; ++i) CHECK(t.bounds[i] == 0);  // "h o l i d a y" holds no "id"
    CHECK(t.bounds[4] == kE);
    CHECK(t.tokens == 1);
  }
}

TEST_CASE("a word spelled out after a letter that is a word of its own starts after that letter too") {
  // "a f a k e passport": the joined word is "afake", and "fake passport" still matches.
  CHECK(matches("buy a f a k e passport", "fake passport"));
  CHECK(matches("toute la famille est à L o n d r e s", "londres"));
  CHECK(matches("I r e c o m m e n d this man", "recommend"));
  CHECK(matches("dokumentet i r r e g u l l o j m ë ne", "rregullojmë"));
  CHECK(matches("نحنا ب ف و ل ك س ت و ن هلق", "فولكستون"));
  // Arabic-script words spelled out get the starts after their particles, as written whole.
  CHECK(matches("طريق مضمون ل.ا.ل.م.ا.ن.ي.ا", "المانيا"));
  CHECK(matches("وين بلاقي مهرب ب.ك.ا.ل.ي.ه", "كاليه"));
  CHECK(matches("الرحلة ل ل ي و ن ا ن", "يونان"));  // as "لليونان" written whole
  // Still one word with its ends as boundaries; other first letters start no word inside it.
  NormalizedText t;
  normalize("a b o a t", t);
  REQUIRE(t.text == "aboat");
  CHECK(t.tokens == 1);
  CHECK((t.bounds[1] & kS) != 0);
  CHECK((t.bounds[2] & kS) == 0);
  CHECK(!matches("f u k", "uk"));
  CHECK(!matches("h o l i d a y", "oliday"));
}

TEST_CASE("an Arabic word starts again after a particle and the repetitions of its last letter") {
  NormalizedText t;
  normalize("الللأطفال", t);
  REQUIRE(t.text == "الاطفال");
  CHECK((t.bounds[0] & kS) != 0);
  CHECK((t.bounds[2] & kS) == 0);  // not at "لاطفال"
  CHECK((t.bounds[4] & kS) != 0);  // at "اطفال"
}

TEST_CASE("two pieces of a word split by . - _ or · are joined, and both pieces still match") {
  CHECK(norm("pass.port") == normalize_term("passport"));
  CHECK(norm("smug-gler") == normalize_term("smuggler"));
  CHECK(norm("pass_port") == normalize_term("passport"));
  CHECK(matches("calais-dover", "calais"));
  CHECK(matches("calais-dover", "dover"));
  CHECK(matches("calais-dover", "calais-dover"));
  CHECK(matches("smug-gler", "smuggler"));
  CHECK(matches("smug-gler", "smug"));
  NormalizedText t;
  normalize("calais-dover", t);
  CHECK(t.tokens == 1);
}

TEST_CASE("repeated letters collapse to one, digits never do") {
  CHECK(norm("boooat") == "boat");
  CHECK(norm("passsport") == norm("passport"));
  CHECK(norm("passport") == "pasport");
  CHECK(norm("مجاااانا") == "مجانا");
  CHECK(norm("1000") == "1000");
  CHECK(norm("🚤🚤") == "🚤 🚤");
  CHECK(source_of("boooat", "boat") == "boooat");
  CHECK(source_of("pass", "pass") == "pass");
}

TEST_CASE("accents added or dropped do not matter") {
  CHECK(norm("pàssport") == norm("passport"));
  CHECK(norm("traversee") == norm("traversée"));
  CHECK(norm("TRAVERSÉE") == norm("traversée"));
  CHECK(matches("la traversee de la manche", "traversée"));
}

TEST_CASE("ASCII l is written as i so that leet 1 ! | stand for either") {
  CHECK(norm("l") == "i");
  CHECK(norm("L") == "i");
  CHECK(norm("smuggler") == norm("smugg1er"));
  CHECK(norm("small") == norm("sma11"));
  CHECK(norm("f|ag") == norm("flag"));
  CHECK(norm("ｌ") == "i");
  CHECK(norm("ł") == "i");
}

TEST_CASE("an i written for an l does not collapse with an i: illegal is not legal") {
  CHECK(norm("illegal") != norm("legal"));
  CHECK(norm("illegally") != norm("legally"));
  CHECK(norm("illégal") != norm("légal"));
  CHECK(norm("ilegal") == norm("illegal"));  // ll still collapses
  CHECK(norm("ILLEGAL") == norm("illegal"));
  CHECK(norm("police") == "poiice");
  CHECK_FALSE(matches("safe and legal routes", "illegal"));
  CHECK(matches("cross the channel illegally", "illegally"));
  // A leet 1 ! | stands for i or l: it collapses with an i and with another leet one, not with an l.
  CHECK(norm("m1ii") == norm("mi"));
  CHECK(norm("sma11") == norm("small"));
  CHECK(norm("1llegal") == norm("illegal"));
}

TEST_CASE("a leet 1 beside an l reads as the i it stands for") {
  CHECK(norm("angl1") == norm("angli"));
  CHECK(norm("m1ll1on") == norm("million"));
  CHECK(norm("fam1ly") == norm("family"));
  CHECK(norm("Ing1l1stan") == norm("ingilistan"));
  CHECK(norm("angl1") != norm("angl"));
  // The price: one l of a double l written as 1 next to the other is no longer that double l.
  CHECK(norm("smal1") != norm("small"));
}

TEST_CASE("a leading leet digit counts the letters after it once the word's inner digits are read") {
  CHECK(norm("4z1l") == norm("azil"));      // z1l is three letters once its 1 is read
  CHECK(norm("3ng1ne") == norm("engine"));
  CHECK(norm("5mugg1er") == normalize_term("smuggler"));
  CHECK(norm("1st") == "1st");               // still two letters: a number
  CHECK(norm("3am") == "3am");
  CHECK(norm("4x4") != norm("axa"));
}

TEST_CASE("a leading leet digit before two letters reads as a letter unless they make a unit") {
  CHECK(norm("4nh") == norm("anh"));  // Vietnamese anh, as in "di 4nh"
  CHECK(norm("d1 4nh") == norm("di anh"));
  CHECK(norm("3ng") == norm("eng"));
  // Ordinals, times, quantities and amounts keep their number, whatever their case.
  for (const char* s : {"1st", "3rd", "4th", "5th", "3am", "9pm", "5km", "3kg", "5ml", "3lb", "4gb", "5mn", "3tr",
                        "1ST", "3AM", "5KM"}) {
    CAPTURE(s);
    CHECK(std::isdigit(static_cast<unsigned char>(norm(s)[0])));
  }
  CHECK(norm("4x") == "4x");    // one letter: a number with a unit
  CHECK(norm("2nd") == "2nd");  // 2 is not a leet digit
  // An ordinal suffix keeps its number only after its own digit.
  CHECK(norm("4nd") == norm("and"));
  CHECK(norm("3st") == norm("est"));
  // Two letters once the end is read: "4r3" is "are"; "4x4" and "1v1" stay.
  CHECK(norm("w3 4r3 0n3") == norm("we are one"));
  CHECK(norm("4x4").rfind("4", 0) == 0);
  CHECK(norm("1v1").rfind("1", 0) == 0);
  CHECK(norm("4củ").rfind("4", 0) == 0);  // a letter outside ASCII: not read
}

TEST_CASE("a word of one leet digit and one letter reads as a short function word, else stays a number") {
  CHECK(norm("0n th3 b0at") == norm("on the boat"));
  CHECK(norm("1n fr4nc3") == norm("in france"));
  CHECK(norm("p30ple 0f k4b0l") == norm("people of kabol"));
  CHECK(norm("3n 4ngl3t3rr3 3t l0ndr3s") == norm("en angleterre et londres"));
  CHECK(norm("0r") == norm("or"));
  CHECK(norm("1t 1s") == norm("it is"));
  CHECK(norm("4t") == norm("at"));
  // Units, multipliers and quantities keep their number.
  for (const char* s : {"4x", "5k", "3m", "1m", "1h", "3d", "5g", "4l", "0k", "7n", "5t", "9s", "1b"}) {
    CAPTURE(s);
    CHECK(std::isdigit(static_cast<unsigned char>(norm(s)[0])));
  }
  CHECK(norm("10n").rfind("10", 0) == 0);  // two digits: a number
}

TEST_CASE("a currency sign and a leet digit before letters read as letters unless they make an amount") {
  CHECK(norm("$4ng 4nh") == norm("sang anh"));  // Vietnamese "to England"
  CHECK(norm("tr4 t13n $4u") == norm("tra tien sau"));
  for (const char* s : {"$4k", "$3m", "$2b", "$5km", "$3bn"}) {
    CAPTURE(s);
    CHECK(norm(s).find_first_of("0123456789") != std::string::npos);
  }
}

TEST_CASE("a leading @, alone or after a leet digit, reads as a when the word is short or read elsewhere") {
  CHECK(norm("@nd") == norm("and"));
  CHECK(norm("5@ns") == norm("sans"));
  CHECK(norm("@ngl1") == norm("angli"));   // the 1 is read too, so the @ is a letter
  CHECK(norm("r00m @nd j0b") == norm("room and job"));
  // A handle keeps its name: longer words with nothing else read stay as they were.
  CHECK(norm("@someone") == "someone");
  CHECK(norm("@kachakbar") == "kachakbar");
  CHECK(norm("4$ylum") == norm("asylum"));  // a digit and a symbol: leetspeak, not a price
  CHECK(norm("@5ile") == norm("asile"));
  CHECK(norm("5$pp").rfind("5", 0) == 0);  // two letters after: a price per person stays
  CHECK(norm("0n 3$t") == norm("on est"));   // one letter after, no multiplier: French est
  CHECK(norm("5$k").rfind("5", 0) == 0);
  CHECK(norm("d1nghy 1$ l0$ing") == norm("dinghy is losing"));  // "1$" alone is "is"
  CHECK(norm("2$").rfind("2", 0) == 0);
  CHECK(norm("1$5").rfind("1", 0) == 0);
  CHECK(norm("@1") == "1");      // no letter: a number
  CHECK(norm("@x") == "x");      // one letter
}

TEST_CASE("leetspeak at the end of a word: one $ or @, or a doubled letter, after two letters") {
  CHECK(norm("k1d$") == norm("kids"));
  CHECK(norm("th1$ w33k") == norm("this week"));  // a leet digit and a symbol at the end
  CHECK(norm("d3$ pl@c3s") == norm("des places"));
  CHECK(norm("i$") == norm("is"));                // one $ after nothing but letters
  CHECK(norm("5k$").rfind("5k", 0) == 0);         // after a number it stays a price
  CHECK(norm("qu@") == norm("qua"));
  CHECK(norm("fr33") == norm("free"));
  CHECK(norm("bo$$") == norm("boss"));
  CHECK(norm("pa55") == norm("pass"));
  CHECK(norm("g00d") == norm("good"));  // between letters, as before
  // Numbers, prices and symbols stay.
  CHECK(norm("covid19") == "covid19");
  CHECK(norm("win10") == "win10");
  CHECK(norm("t00") == "t00");
  CHECK(norm("5k$").rfind("5k", 0) == 0);
  CHECK(norm("5k$") != norm("5ks"));
  CHECK(norm("a@@") == "a");
  CHECK(norm("boat!") == "boat");
  CHECK(norm("1000$") != norm("1000s"));
  // A price in thousands with the next digit after the k keeps its digit; a trailing digit after
  // other letters is still a letter.
  CHECK(norm("2k5") == "2k5");
  CHECK(norm("12k5 pp") == "12k5 p");
  CHECK(norm("uk1") == norm("uki"));
  CHECK(norm("bk5") == norm("bks"));
}
