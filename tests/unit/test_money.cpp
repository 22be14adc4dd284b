// Tests for the money entity (entities/money.cpp, vocabulary.cpp): how prices are written in each
// language of the default pack, and the numbers in those languages that are no price (years, phone
// numbers, times, dates, ages, distances). docs/pack-format.md, "Built-in entities", lists the forms.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "entities/entities.hpp"
#include "normalize/normalizer.hpp"
#include "entity_probe.hpp"

namespace en = signpost::detail::entities;
using en::Kind;
using signpost::detail::normalize;
using signpost::detail::NormalizedText;
using signpost::test::found;
using signpost::test::money;

namespace {

void no_money(std::initializer_list<const char*> texts) {
  for (const char* text : texts) {
    CAPTURE(text);
    CHECK(found(text) == "");
  }
}

}  // namespace

TEST_CASE("money (fa): number words joined by و, one-word hundreds, پاوند") {
  CHECK(money("دو هزار و پانصد پوند") == "2500 gbp");
  CHECK(found("قیمت دو هزار و پانصد پوند برای هر نفر") == "دو هزار و پانصد پوند");
  CHECK(money("سه هزار و دویست یورو") == "3200 eur");
  CHECK(money("هفتصد دلار") == "700 usd");
  CHECK(money("بیست و پنج میلیون تومن") == "25000000 toman");
  CHECK(money("دو میلیون و پونصد تومن") == "2500000 toman");  // colloquial پونصد; hundreds after millions are thousands
  CHECK(money("2 milyon 500 lira") == "2500000 try");
  CHECK(money("دو هزار و نیم یورو") == "2500 eur");
  CHECK(money("2500 پاوند") == "2500 gbp");
  CHECK(money("پنج هزار دلاری") == "5000 usd");       // the adjective of a price ("a 5,000-dollar ...")
  CHECK(money("۲ میلیون و۵۰۰ هزار تومان") == "2500000 toman");  // و written onto the digits
  CHECK(money("۲۵۰۰ پوند") == "2500 gbp");
  CHECK(money("دوصد دلار") == "200 usd");   // Dari hundreds
  no_money({"سال ۱۴۰۲", "دو هزار نفر از مرز گذشتند", "ساعت ۹ حرکت", "۲۵ ساله", "۱۲۰ کیلومتر",
            "شماره ۰۹۱۲ ۳۴۵ ۶۷۸۹", "نه هزار نفر"});
}

TEST_CASE("money (ar): the joined و, the dual, spoken hundreds, جنيه in every case") {
  CHECK(money("ألفين وخمسمية يورو") == "2500 eur");
  CHECK(money("٢ مليون و٥٠٠ ألف دينار") == "2500000 dinar");
  CHECK(found("السعر ألفين وخمسمية يورو للشخص") == "ألفين وخمسمية يورو");
  CHECK(money("ألفين و خمسمية يورو") == "2500 eur");
  CHECK(money("ألفان وخمسمائة دولار") == "2500 usd");
  CHECK(money("ميتين يورو") == "200 eur");
  CHECK(money("تلات آلاف يورو") == "3000 eur");
  CHECK(money("الف ونص يورو") == "1500 eur");
  CHECK(money("عشرين ألف دولار") == "20000 usd");
  CHECK(money("10 آلاف جنيه إسترليني") == "10000 gbp");
  CHECK(found("يطلبون 10 آلاف جنيه إسترليني للشخص") == "10 آلاف جنيه إسترليني");
  CHECK(money("427 جنيهًا إسترلينيًا") == "427 gbp");
  CHECK(money("خمسة آلاف إسترليني") == "5000 gbp");
  CHECK(money("500 دولارًا") == "500 usd");
  no_money({"عام 2023", "ألفين شخص", "الساعة ١٠:٣٠", "عمره ٢٥ سنة", "١٥٠ كم", "رقم ٠٧٧٠٠٩٠٠١٢٣",
            "خمسمية كيلو"});
}

TEST_CASE("money (sq): the joiner e, one-word hundreds, lekë, paund") {
  CHECK(money("dy mijë e pesëqind paund") == "2500 gbp");
  CHECK(found("Çmimi dy mijë e pesëqind paund për person") == "dy mijë e pesëqind paund");
  CHECK(money("2 mije e 500 euro") == "2500 eur");       // without the ë, digits after the joiner
  CHECK(money("tre mijë e dyqind euro") == "3200 eur");
  CHECK(money("njëzet e pesë mijë lekë") == "25000 lek");
  CHECK(money("dy milionë lekë") == "2000000 lek");
  no_money({"viti 2023", "dy mijë e pesëqind njerëz", "ora 9", "25 vjeç", "300 km", "+355 69 123 4567",
            "e hënë"});
}

TEST_CASE("money (ps): زره, سوه, plural and oblique currencies, او") {
  CHECK(money("دوه زره پونډه") == "2000 gbp");
  CHECK(money("۲۰ زره پونډه") == "20000 gbp");
  CHECK(money("دوه زره او پنځه سوه ډالره") == "2500 usd");
  CHECK(money("۳۵۰۰ ډالرو") == "3500 usd");
  CHECK(money("پنځوس زره افغانۍ") == "50000 afn");
  no_money({"۱۴۰۲ کال", "دوه زره کسان", "۲۵ کلن", "۱۲۰ کیلومتره", "ساعت ۹"});
}

TEST_CASE("money (ckb, kmr): hundreds written as one word, the joiner û") {
  CHECK(money("دوو هەزار و پێنج سەد دۆلار") == "2500 usd");
  CHECK(money("دوو هەزار و پێنجسەد دۆلار") == "2500 usd");
  CHECK(money("سێ هەزار پاوەند") == "3000 gbp");
  CHECK(money("دوو هەزار و پێنج سەد پاوەن بەلەم") == "2500 gbp");  // the pound as it is spoken
  CHECK(money("سێ هەزار پاوند") == "3000 gbp");
  CHECK(money("sê hezar û pênc sed euro") == "3500 eur");
  CHECK(money("du hezar û pêncsed dolar") == "2500 usd");
  CHECK(money("bîst hezar dînar") == "20000 dinar");
  no_money({"sala 2023", "du hezar û pêncsed kes", "10 salî", "120 km", "ساڵی ٢٠٢٣", "دوو هەزار کەس"});
}

TEST_CASE("money (tr): tens, datives of currency words, bin without a number") {
  CHECK(money("iki bin beş yüz euro") == "2500 eur");
  CHECK(money("yirmi bin lira") == "20000 try");
  CHECK(money("1500 euroya geçiş") == "1500 eur");
  CHECK(money("3 bin dolara") == "3000 usd");
  CHECK(money("bin avro") == "1000 eur");
  CHECK(found("7-8 bin Euro bize maliyeti") == "8 bin Euro");
  no_money({"2023 yılı", "iki bin kişi", "saat 21:00", "25 yaşında", "300 km", "0532 123 45 67"});
}

TEST_CASE("money: thousands with the next digits after the k (2k5 is 2,500)") {
  CHECK(money("passage uk 2k5 dunkerque") == "2500");
  CHECK(money("3k25 euro") == "3250 eur");
  CHECK(money("12k5") == "12500");
  CHECK(found("2k5 la place") == "2k5");
  no_money({"2k05", "uk5", "2x5"});
}

TEST_CASE("money (vi): củ, tr, triệu, mươi and chục") {
  CHECK(money("3 củ") == "3000000 vnd");
  CHECK(money("giá 300 củ đi Anh") == "300000000 vnd");
  CHECK(money("50tr") == "50000000");
  CHECK(money("50 tr một người") == "50000000");  // "một người": one person, not 50,000,001
  CHECK(found("50 tr một người") == "50 tr");
  CHECK(found("5k 2 people") == "5k");
  CHECK(money("năm mươi triệu") == "50000000");
  CHECK(money("hai trăm năm mươi triệu đồng") == "250000000 vnd");
  CHECK(money("ba chục triệu") == "30000000");
  CHECK(money("mười triệu") == "10000000");
  CHECK(money("mười lăm triệu") == "15000000");
  CHECK(money("một trăm mười triệu") == "110000000");
  CHECK(money("hai nghìn rưỡi bảng") == "2500 gbp");
  CHECK(money("500k") == "500000");
  CHECK(money("500.000đ") == "500000 vnd");       // đồng written short
  CHECK(money("giá 600.000.000 Đ") == "600000000 vnd");
  CHECK(money("500000d") == "0 amounts");         // a Latin d is no đồng
  no_money({"năm 2023", "hai trăm người", "9 giờ", "25 tuổi", "300 km", "+84 912 345 678", "năm mươi người"});
}

TEST_CASE("money (fr, en): 2500e, tens, typos of pound") {
  CHECK(money("2500e") == "2500 eur");
  CHECK(money("passage 2500e par personne") == "2500 eur");
  CHECK(money("1500E la place") == "1500 eur");
  CHECK(money("2.500e") == "2500 eur");
  CHECK(money("2 500e") == "2500 eur");
  CHECK(money("deux mille cinq cents euros") == "2500 eur");
  CHECK(money("quatre-vingts euros") == "80 eur");
  CHECK(money("soixante mille euros") == "60000 eur");
  CHECK(money("2500 pond") == "2500 gbp");
  CHECK(money("two and a half grand") == "2500");
  CHECK(money("forty five hundred pounds") == "4500 gbp");
  CHECK(money("£2,500") == "2500 gbp");
  CHECK(money("£2500pp") == "2500 gbp");        // per person
  CHECK(money("€1500PP crossing") == "1500 eur");
  CHECK(money("2500pp") == "0 amounts");         // no currency
  // French ordinals are no price.
  no_money({"le 100e anniversaire", "la 1000e traversée", "1000e jour de guerre", "20e siècle", "21e",
            "2500é", "en 2023", "3e étage", "sa 150e victoire"});
  no_money({"25 ans", "à 21h30", "06 12 34 56 78", "300 km", "le 12/05/2025", "deux mille personnes"});
  no_money({"in 2023", "age 25", "5 km", "at 9pm", "+44 7700 900123", "two thousand people"});
}

TEST_CASE("money: halves after a number, after a multiplier, and before a multiplier") {
  CHECK(money("dy mijë e gjysmë euro") == "2500 eur");      // sq
  CHECK(money("du hezar û nîv dolar") == "2500 usd");       // kmr
  CHECK(money("دوو هەزار و نیو دۆلار") == "2500 usd");      // ckb
  CHECK(money("iki buçuk bin euro") == "2500 eur");         // tr
  CHECK(money("مليون ونص دينار") == "1500000 dinar");       // ar
  CHECK(money("دو و نیم میلیون تومن") == "2500000 toman");  // fa
  CHECK(money("nửa tỷ") == "500000000");                    // vi
  CHECK(money("half a million pounds") == "500000 gbp");
  CHECK(money("نیم میلیون تومن") == "500000 toman");
  no_money({"half price", "half pound of cheese", "nửa giá", "yarım saat", "نصف السعر"});
}

TEST_CASE("money: two amounts joined by a connector stay two amounts") {
  CHECK(found("5k e 3k") == "5k | 3k");
  CHECK(found("2k and 3k") == "2k | 3k");
  CHECK(found("3 bin 500 euro") == "3 bin 500 euro");  // digits below the multiplier still add to it
}

namespace {

struct Form {
  const char* word;
  double value;
};

// Every number word in `forms`, followed by `suffix` (a multiplier and a currency), reads as its
// value times `times`, in `code`.
void number_words(std::initializer_list<Form> forms, const char* suffix, double times, const char* code) {
  for (const Form& f : forms) {
    const std::string text = std::string(f.word) + " " + suffix;
    CAPTURE(text);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g %s", f.value * times, code);
    CHECK(money(text) == buf);
  }
}

}  // namespace

TEST_CASE("money: every number word added, in its language, before a multiplier and a currency") {
  number_words({{"دویست", 200}, {"سیصد", 300}, {"چهارصد", 400}, {"پانصد", 500}, {"ششصد", 600}, {"هفتصد", 700},
                {"هشتصد", 800}, {"نهصد", 900}, {"دوصد", 200}, {"پونصد", 500}, {"نه", 9}, {"یازده", 11},
                {"دوازده", 12}, {"سیزده", 13}, {"چهارده", 14}, {"پانزده", 15}, {"شانزده", 16}, {"هفده", 17},
                {"هجده", 18}, {"نوزده", 19}, {"بیست", 20}, {"چهل", 40}, {"پنجاه", 50}, {"شصت", 60},
                {"هفتاد", 70}, {"هشتاد", 80}, {"نود", 90}},
               "هزار تومان", 1000, "toman");
  number_words({{"دووسەد", 200}, {"سێسەد", 300}, {"چوارسەد", 400}, {"پێنجسەد", 500}, {"شەشسەد", 600},
                {"حەوتسەد", 700}, {"هەشتسەد", 800}, {"نۆسەد", 900}, {"نۆ", 9}, {"دە", 10}, {"چل", 40},
                {"پەنجا", 50}, {"شەست", 60}, {"حەفتا", 70}, {"هەشتا", 80}, {"نەوەد", 90}},
               "هەزار دینار", 1000, "dinar");
  number_words({{"dused", 200}, {"çarsed", 400}, {"pêncsed", 500}, {"heftsed", 700}, {"heştsed", 800},
                {"nehsed", 900}, {"bîst", 20}, {"çil", 40}, {"pêncî", 50}, {"şêst", 60}, {"heftê", 70},
                {"heştê", 80}, {"nod", 90}},
               "hezar dolar", 1000, "usd");
  number_words({{"njëqind", 100}, {"dyqind", 200}, {"treqind", 300}, {"katërqind", 400}, {"pesëqind", 500},
                {"gjashtëqind", 600}, {"shtatëqind", 700}, {"tetëqind", 800}, {"nëntëqind", 900}, {"tri", 3},
                {"njëzet", 20}, {"tridhjetë", 30}, {"dyzet", 40}, {"katërdhjetë", 40}, {"pesëdhjetë", 50},
                {"gjashtëdhjetë", 60}, {"shtatëdhjetë", 70}, {"tetëdhjetë", 80}, {"nëntëdhjetë", 90}},
               "mijë lekë", 1000, "lek");
  number_words({{"مئتان", 200}, {"مائتان", 200}, {"مئتين", 200}, {"مائتين", 200}, {"ميتين", 200},
                {"ثلاثمائة", 300}, {"ثلاثمئة", 300}, {"تلتمية", 300}, {"تلاتمية", 300}, {"أربعمائة", 400},
                {"أربعمئة", 400}, {"اربعمية", 400}, {"خمسمائة", 500}, {"خمسمئة", 500}, {"خمسمية", 500},
                {"ستمائة", 600}, {"ستمئة", 600}, {"ستمية", 600}, {"سبعمائة", 700}, {"سبعمئة", 700},
                {"سبعمية", 700}, {"ثمانمائة", 800}, {"ثمانمئة", 800}, {"تمنمية", 800}, {"تسعمائة", 900},
                {"تسعمئة", 900}, {"تسعمية", 900}, {"عشر", 10}, {"ست", 6}, {"تلاتة", 3}, {"عشرين", 20},
                {"ثلاثين", 30}, {"تلاتين", 30}, {"اربعين", 40}, {"خمسين", 50}, {"ستين", 60}, {"سبعين", 70},
                {"ثمانين", 80}, {"تمانين", 80}, {"تسعين", 90}},
               "ألف دولار", 1000, "usd");
  number_words({{"ألفان", 2000}, {"مليونين", 2e6}}, "يورو", 1, "eur");
  number_words({{"یوه", 1}, {"شپږ", 6}, {"اووه", 7}, {"اته", 8}, {"نهه", 9}, {"شل", 20}, {"دېرش", 30},
                {"څلوېښت", 40}, {"پنځوس", 50}, {"شپېته", 60}, {"اویا", 70}, {"اتیا", 80}, {"نوي", 90}},
               "زره ډالر", 1000, "usd");
  number_words({{"yirmi", 20}, {"otuz", 30}, {"kırk", 40}, {"altmış", 60}, {"yetmiş", 70}, {"seksen", 80},
                {"doksan", 90}},
               "bin lira", 1000, "try");
  number_words({{"eleven", 11}, {"twelve", 12}, {"fifteen", 15}, {"thirty", 30}, {"forty", 40}, {"sixty", 60},
                {"seventy", 70}, {"eighty", 80}, {"ninety", 90}, {"six", 6}},
               "thousand pounds", 1000, "gbp");
  number_words({{"onze", 11}, {"douze", 12}, {"quinze", 15}, {"trente", 30}, {"quarante", 40}, {"soixante", 60},
                {"quatre-vingt", 80}, {"quatre-vingts", 80}},
               "mille euros", 1000, "eur");
  number_words({{"hai mươi lăm", 25}, {"năm mươi mốt", 51}}, "triệu đồng", 1e6, "vnd");
}

TEST_CASE("money: every currency word added, after an amount") {
  for (const auto& item : std::initializer_list<std::pair<const char*, const char*>>{
           {"500 پونډو", "500 gbp"}, {"500 دینارو", "500 dinar"}, {"500 جنيهات", "500 gbp"},
           {"5000 avroya", "5000 eur"}, {"5000 liraya", "5000 try"}, {"5000 sterline", "5000 gbp"},
           {"2500 ewro", "2500 eur"}, {"500 یورویی", "500 eur"}, {"500 پوندی", "500 gbp"},
           {"500 هزار تومانی", "500000 toman"}, {"500 هزار تومنی", "500000 toman"},
           {"خمس تلاف دولار", "5000 usd"}, {"١٠ آلاف استرليني", "10000 gbp"}}) {
    const char* text = item.first;  // a structured binding cannot be captured (clang 14)
    const char* want = item.second;
    CAPTURE(text);
    CHECK(money(text) == want);
  }
}

TEST_CASE("money: more numbers that are no price, by language") {
  no_money({"+93 70 123 4567", "۰۷۰۱۲۳۴۵۶۷", "ساعت ۱۰:۳۰"});                    // ps, fa-AF
  no_money({"٠٧٥٠ ١٢٣ ٤٥٦٧", "کاتژمێر ٩", "تەمەنی ٢٥ ساڵ", "١٢٠ کیلۆمەتر"});  // ckb
  no_money({"saet 9", "+964 750 123 4567", "25 salî", "120 kîlometre"});          // kmr
  no_money({"tr 12", "trang 12"});  // vi: "tr" (page) before a number is no multiplier
}
