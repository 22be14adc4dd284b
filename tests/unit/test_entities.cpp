// Tests for entities/: money, phone numbers, handles and links, dates and times, quoted passages, in every language
// and script of the default pack (docs/pack-format.md, "Built-in entities").
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "entities/entities.hpp"
#include "normalize/normalizer.hpp"
#include "entity_probe.hpp"

namespace en = signpost::detail::entities;
using en::Kind;
using signpost::detail::normalize;
using signpost::detail::NormalizedText;
using signpost::test::entities_in;
using signpost::test::found;
using signpost::test::money;

namespace {

}  // namespace

TEST_CASE("money: currency signs before and after the digits, in every digit script") {
  CHECK(money("1400€") == "1400 eur");
  CHECK(money("€1,400") == "1400 eur");
  CHECK(money("£ 1.400 per person") == "1400 gbp");
  CHECK(money("$500") == "500 usd");
  CHECK(money("500$ each") == "500 usd");
  CHECK(money("١٢٠٠€") == "1200 eur");
  CHECK(money("السعر ١٠٠٠$ للشخص") == "1000 usd");
  CHECK(money("۲۵۰۰€") == "2500 eur");
  CHECK(money("₺4.500") == "4500 try");
  CHECK(found("السعر ١٠٠٠$ للشخص", Kind::money) == "١٠٠٠$");
  CHECK(money("package 💷12k all in") == "12000 gbp");  // banknote emoji as currency signs
  CHECK(money("checks 💶2600 📩") == "2600 eur");
  CHECK(money("🇹🇷➡️🇬🇷 🚤 garantili ✅ 💶3.500 📲") == "3500 eur");
}

TEST_CASE("money: thousands separators, decimals and k") {
  CHECK(money("1,500 euros") == "1500 eur");
  CHECK(money("1.500 euro") == "1500 eur");
  CHECK(money("3 500 €") == "3500 eur");
  CHECK(money("3\u00A0500 €") == "3500 eur");
  CHECK(money("2,5 k€") == "2500 eur");
  CHECK(money("1.5k to dover tomorrow") == "1500");
  CHECK(money("only 2k") == "2000");
  CHECK(money("18K£ lorry uk") == "18000 gbp");
  CHECK(money("1200euro") == "1200 eur");
  CHECK(found("Passage 2,5 k€, moitié avant", Kind::money) == "2,5 k€");
  CHECK(found("By sea 2.8k, by lorry 5k£, plane with papers 12k.", Kind::money) == "2.8k | 5k£ | 12k");
  CHECK(found("3 500 € ou 3,5k la place", Kind::money) == "3 500 € | 3,5k");
}

TEST_CASE("money: Eastern Arabic and Persian digits with Arabic-script currency words") {
  CHECK(money("قیمت: ۲٬۵۰۰ یورو برای هر نفر") == "2500 eur");    // fa
  CHECK(money("نرخ: ٢٬٥٠٠ یۆرۆ بۆ هەر کەسێک") == "2500 eur");       // ckb
  CHECK(money("٣٥٠٠ دۆلار بۆ ئەڵمانیا") == "3500 usd");             // ckb
  CHECK(money("۳۵۰۰ ډالر ایټالیا ته") == "3500 usd");               // ps
  CHECK(money("ليبيا ايطاليا ٢٩٠٠ دينار") == "2900 dinar");         // ar
  CHECK(money("۵۰۰ هزار تومان") == "500000 toman");                 // fa
  CHECK(money("١١ ملیۆن دینار بۆ بەریتانیا") == "11000000 dinar");  // ckb
  CHECK(money("٣ آلاف يورو لالمانيا") == "3000 eur");               // ar
  CHECK(money("٦ آلاف دينار للراس") == "6000 dinar");               // ar
  CHECK(money("۲۵ لکه کلدارې اروپا ته") == "2500000 pkr");          // ps
  CHECK(money("اروپا ته ۲۵ لکه") == "2500000");                     // lakh alone is money
  CHECK(money("\u200F١٢٠٠\u200F يورو") == "1200 eur");              // direction marks around digits
  CHECK(money("بالدولار ١٠٠٠") == "0 amounts");   // before digits, only signs and codes count ("Euro 2024")
  CHECK(money("١٠٠٠ بالدولار") == "1000 usd");     // attached particle
}

TEST_CASE("money: currency words and multipliers in Latin-script languages") {
  CHECK(money("1500 pounds per person") == "1500 gbp");  // en
  CHECK(money("800 quid") == "800 gbp");
  CHECK(money("500 balles la place") == "500 eur");      // fr
  CHECK(money("8 bin dolar") == "8000 usd");             // tr
  CHECK(money("arabayla 4 bin TL") == "4000 try");
  CHECK(money("3 bin 500 euro Sırbistan") == "3500 eur");
  CHECK(money("kişi başı 8 bin avro") == "8000 eur");
  CHECK(money("3 mijë £ kalimi nesër") == "3000 gbp");   // sq
  CHECK(money("4.5 mijë paund") == "4500 gbp");
  CHECK(money("50000 lekë") == "50000 lek");
  CHECK(money("2.600 bảng đi xuồng") == "2600 gbp");     // vi
  CHECK(money("Gói đường bộ 350 triệu") == "350000000");
  CHECK(money("hơn 1 tỷ đi VIP") == "1000000000");
  CHECK(money("500 đô la") == "500 usd");
  CHECK(money("10 milyon dînar") == "10000000 dinar");   // kmr
  CHECK(money("Biha: 2.500 euro ji bo her kesî") == "2500 eur");
  CHECK(money("1400 EURO") == "1400 eur");               // case
  CHECK(money("1400 Eur0s") == "1400 eur");              // leetspeak in the currency word
}

TEST_CASE("money: number words before a multiplier or a currency") {
  CHECK(money("two and a half thousand pounds per person") == "2500 gbp");
  CHECK(money("a thousand pounds") == "1000 gbp");
  CHECK(money("hai nghìn sáu trăm bảng trả sau") == "2600 gbp");
  CHECK(money("mille euros") == "1000 eur");
  CHECK(money("deux mille euros") == "2000 eur");
  CHECK(money("iki bin beş yüz euro") == "2500 eur");
  CHECK(money("dy mijë euro") == "2000 eur");
  CHECK(money("ألفين يورو") == "2000 eur");
  CHECK(money("هزار دلار") == "1000 usd");
  CHECK(money("sê hezar dolar") == "3000 usd");
  CHECK(found("two and a half thousand pounds per person", Kind::money) == "two and a half thousand pounds");
}

TEST_CASE("money: numbers that are not money") {
  for (const char* text : {"2025", "10 places left", "100% guaranteed", "+44 7700 900123", "3 bin", "two boats",
                           "boat 2", "1400", "5 km", "covid19", "2 bin bags", "a thousand people", "k", "euro 2024 final",
                           "١٤٠٠", "children under 10 half price", "7 saat"}) {
    CAPTURE(text);
    CHECK(found(text, Kind::money) == "");
  }
}

TEST_CASE("phone: international and national forms, separators, Eastern digits") {
  CHECK(found("Contact +44 7700 900123", Kind::phone) == "+44 7700 900123");
  CHECK(found("call 0044 7700 900123 now", Kind::phone) == "0044 7700 900123");
  CHECK(found("07700 900 123", Kind::phone) == "07700 900 123");
  CHECK(found("07700-900-123", Kind::phone) == "07700-900-123");
  CHECK(found("+44 (0) 7700 900123", Kind::phone) == "+44 (0) 7700 900123");
  CHECK(found("appelle 06 12 34 56 78", Kind::phone) == "06 12 34 56 78");        // fr
  CHECK(found("+33 6 12 34 56 78", Kind::phone) == "+33 6 12 34 56 78");
  CHECK(found("0532 123 45 67", Kind::phone) == "0532 123 45 67");                // tr
  CHECK(found("+90 532 123 4567", Kind::phone) == "+90 532 123 4567");
  CHECK(found("رقم ٠٧٧٠٠٩٠٠١٢٣ واتساب", Kind::phone) == "٠٧٧٠٠٩٠٠١٢٣");         // ar, Eastern digits
  CHECK(found("شماره ۰۹۱۲ ۳۴۵ ۶۷۸۹", Kind::phone) == "۰۹۱۲ ۳۴۵ ۶۷۸۹");           // fa, Persian digits
  CHECK(found("+98 912 345 6789", Kind::phone) == "+98 912 345 6789");
  CHECK(found("+355 69 123 4567", Kind::phone) == "+355 69 123 4567");            // sq
  CHECK(found("+84 912 345 678", Kind::phone) == "+84 912 345 678");              // vi
  CHECK(found("+964 770 123 4567", Kind::phone) == "+964 770 123 4567");          // iq
  CHECK(found("\u200E+44 7700 900123\u200E", Kind::phone) == "+44 7700 900123");
  CHECK(found("+44 7700 900123 1400 euro", Kind::phone) == "+44 7700 900123");
}

TEST_CASE("phone: numbers that are not phone numbers") {
  for (const char* text : {"1400 euro", "12.05.2025", "01.02.2025", "100 200 300", "2025", "007", "0 1",
                           "1234567890", "+44", "ref 0044", "01/02/2025 10"}) {
    CAPTURE(text);
    CHECK(found(text, Kind::phone) == "");
  }
}

TEST_CASE("handles: messaging links, @names and e-mail addresses") {
  CHECK(found("write wa.me/447700900123", Kind::handle) == "wa.me/447700900123");
  CHECK(found("https://wa.me/447700900123.", Kind::handle) == "https://wa.me/447700900123");
  CHECK(found("join t.me/smuggler_uk now", Kind::handle) == "t.me/smuggler_uk");
  CHECK(found("https://t.me/+AbCdEf12", Kind::handle) == "https://t.me/+AbCdEf12");
  CHECK(found("www.instagram.com/travel.uk", Kind::handle) == "www.instagram.com/travel.uk");
  CHECK(found("tiktok.com/@crossing_uk", Kind::handle) == "tiktok.com/@crossing_uk");
  CHECK(found("signal.me/#p/abc123", Kind::handle) == "signal.me/#p/abc123");
  CHECK(found("chat.whatsapp.com/AbC123", Kind::handle) == "chat.whatsapp.com/AbC123");
  CHECK(found("telegram @channel_1", Kind::handle) == "@channel_1");
  CHECK(found("تواصل @uk_trip للتفاصيل", Kind::handle) == "@uk_trip");
  CHECK(found("ارسل على @uk.trip.", Kind::handle) == "@uk.trip");
  CHECK(found("email me: name.x@gmail.com", Kind::handle) == "name.x@gmail.com");
  CHECK(found("Instagram ＠crossing", Kind::handle) == "＠crossing");
  // Emoji, punctuation and another script's text after a name are not part of it.
  CHECK(found("@uk_boats🚤 tonight", Kind::handle) == "@uk_boats");
  CHECK(found("راسلني @ahmed،", Kind::handle) == "@ahmed");
  CHECK(found("contact @ahmed… now", Kind::handle) == "@ahmed");
  CHECK(found("@ahmed ✅", Kind::handle) == "@ahmed");
  const auto v = entities_in("join t.me/smuggler_uk now", en::bit(Kind::handle));
  REQUIRE(v.size() == 1);
  CHECK(v[0].what == "link");
}

TEST_CASE("handles: every one of many, in a text of joined and non-ASCII words, with its tokens") {
  // Each handle's tokens are found from a binary search on the normalized bytes' input offsets;
  // the spans and token indexes must be those of a walk from the start.
  std::string text;
  for (int i = 0; i < 300; ++i) text += "écrivez à l'équipe @user_" + std::to_string(i) + " ";
  text += "derniers : @last_one, fin";
  const auto v = entities_in(text, en::bit(Kind::handle));
  signpost::detail::NormalizedText n;
  signpost::detail::normalize(text, n);
  REQUIRE(v.size() == 301);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string name = i < 300 ? "@user_" + std::to_string(i) : "@last_one";
    CHECK(text.substr(v[i].begin, v[i].end - v[i].begin) == name);
    CHECK(v[i].tok_begin == n.token[v[i].nbegin]);
    CHECK(v[i].tok_end == n.token[v[i].nend - 1]);
    if (i > 0) CHECK(v[i].tok_begin > v[i - 1].tok_end);
  }
}

TEST_CASE("handles: what is not a handle") {
  for (const char* text : {"p@ssport", "meet @ 5pm", "pwa.me/x", "a@b", "@1234", "me@home", "see t.me", "@x",
                           "fake p@ssp0rt", "the @5ylum office", "y0u @nd m3", "b3l1rlendi @ldığı", "@lındı.",
                           "n@ @şağıda", "v@ @rrivée"}) {
    CAPTURE(text);
    CHECK(found(text, Kind::handle) == "");
  }
}

TEST_CASE("dates and times: clock times in every form") {
  CHECK(found("departure 21:30", Kind::date) == "21:30");
  CHECK(found("at 9:05 pm", Kind::date) == "9:05 pm");
  CHECK(found("départ 21h30", Kind::date) == "21h30");
  CHECK(found("départ 21h", Kind::date) == "21h");
  CHECK(found("leave 9pm", Kind::date) == "9pm");
  CHECK(found("leave 9 pm", Kind::date) == "9 pm");
  CHECK(found("xuất phát 9 giờ", Kind::date) == "9 giờ");
  CHECK(found("saat 21:00 çıkış", Kind::date) == "saat 21:00");
  CHECK(found("ساعت ۹ حرکت", Kind::date) == "ساعت ۹");
  CHECK(found("الساعة ١٠:٣٠", Kind::date) == "الساعة ١٠:٣٠");
  CHECK(found("nisja ora 9", Kind::date) == "ora 9");
}

TEST_CASE("dates and times: day and month") {
  CHECK(found("on 12/05", Kind::date) == "12/05");
  CHECK(found("on 12/05/2025", Kind::date) == "12/05/2025");
  CHECK(found("le 12.05.2025", Kind::date) == "12.05.2025");
  CHECK(found("١٢/٠٥", Kind::date) == "١٢/٠٥");
  for (const char* text : {"1.5", "3-4 people", "24/7", "2025", "45/60", "10:75", "0/5"}) {
    CAPTURE(text);
    CHECK(found(text, Kind::date) == "");
  }
}

TEST_CASE("dates and times: weekdays and relative days in the pack languages") {
  CHECK(found("boat to uk tonight", Kind::date) == "tonight");
  CHECK(found("Crossing this Friday", Kind::date) == "Friday");
  CHECK(found("départ vendredi", Kind::date) == "vendredi");
  CHECK(found("départ ce soir", Kind::date) == "ce soir");
  CHECK(found("aujourd'hui", Kind::date) == "aujourd'hui");
  CHECK(found("bu gece çıkış", Kind::date) == "bu gece");
  CHECK(found("yarın cuma", Kind::date) == "yarın | cuma");
  CHECK(found("kalimi nesër", Kind::date) == "nesër");
  CHECK(found("nisja të premten", Kind::date) == "");  // inflected Albanian weekday: not listed
  CHECK(found("e premte", Kind::date) == "e premte");
  CHECK(found("đi tối nay", Kind::date) == "tối nay");
  CHECK(found("chủ nhật", Kind::date) == "chủ nhật");
  CHECK(found("îşev em diçin", Kind::date) == "îşev");
  CHECK(found("zarokên di bin 10 salî de", Kind::date) == "");  // Kurmanji "of years", not Turkish "salı"
  CHECK(found("رحلة الليلة", Kind::date) == "الليلة");
  CHECK(found("يوم الخميس", Kind::date) == "الخميس");
  CHECK(found("الرحلة الجاية بالخميس", Kind::date) == "بالخميس");  // attached particle
  CHECK(found("حرکت امشب", Kind::date) == "امشب");
  CHECK(found("سه‌شنبه", Kind::date) == "سه‌شنبه");
  CHECK(found("سه شنبه", Kind::date) == "سه شنبه");
  CHECK(found("ئەمشەو دەڕۆین", Kind::date) == "ئەمشەو");
  CHECK(found("سبا ځو", Kind::date) == "سبا");
}

TEST_CASE("quotes: passages of two tokens or more between paired quotation marks, in every script") {
  CHECK(found("They'll call it a \"taxi boat\" and say it is safe", Kind::quote) == "taxi boat");
  CHECK(found("كل إعلان بيقلك «الفرنسيين ما رح يوقفوك» و«البحر هادي مضمون» عم يكذب", Kind::quote) ==
        "الفرنسيين ما رح يوقفوك | البحر هادي مضمون");
  CHECK(found("«گیم تضمینی»، «پول بعد از رسیدن»… هر سال همین جمله‌ها", Kind::quote) == "گیم تضمینی | پول بعد از رسیدن");
  CHECK(found("Il m'a dit « la mer est calme, 2 heures » puis rien", Kind::quote) == "la mer est calme, 2 heures");
  // The passage covers its tokens: punctuation at its edges ("%") is none.
  CHECK(found("Ông ta nói “đi thuyền an toàn 100%” rồi biến mất", Kind::quote) == "đi thuyền an toàn 100");
  CHECK(found("Trafikanti tha „rruga është e sigurt“ dhe iku", Kind::quote) == "rruga është e sigurt");
  CHECK(found("Trafikanti tha „rruga është e sigurt” dhe iku", Kind::quote) == "rruga është e sigurt");
  CHECK(found("‹no risk at all› and 「free for kids」 and 『pay later』", Kind::quote) ==
        "no risk at all | free for kids | pay later");
  // Emoji and numbers are tokens too.
  CHECK(found("posts with \"🚤 🇬🇧\" everywhere", Kind::quote) == "🚤 🇬🇧");
  const auto v = entities_in("he said \"boat tonight\"", en::bit(Kind::quote));
  REQUIRE(v.size() == 1);
  CHECK(v[0].what == "quote");
}

TEST_CASE("quotes: what is not a quoted passage") {
  // One token, as adverts put one word in quotes; a mark with no partner; a closing mark first;
  // marks of different pairs; apostrophes and single quotes (left to the words around them).
  for (const char* text : {"Écrivez « OK » en MP", "send «وصلت» when you land", "varınca \"tamam\" dersin",
                           "he said \"boat tonight", "» nothing here «", "«mixed marks\" here", "“crossed” marks”",
                           "don't say 'boat tonight' here", "‘boat tonight’", "\"\"", "«»", "\" \"", "«  »",
                           "text with a no-break space\u00a0and no marks"}) {
    CAPTURE(text);
    CHECK(found(text, Kind::quote) == "");
  }
  // Quotes do not nest: the passage ends at the first closing mark of its kind.
  CHECK(found("«one two «three four» five six»", Kind::quote) == "one two «three four");
  // The first opening mark waits for its partner: a mark of another pair inside is text.
  CHECK(found("“one «two three” four»", Kind::quote) == "one «two three");
}

TEST_CASE("quotes: many passages in a long text, each with its tokens") {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "warning " + std::to_string(i) + ": « boat safe " + std::to_string(i) + " » ends. ";
  const auto v = entities_in(text, en::bit(Kind::quote));
  NormalizedText n;
  normalize(text, n);
  // At most 32 passages are read per text.
  REQUIRE(v.size() == 32);
  for (std::size_t i = 0; i < v.size(); ++i) {
    CHECK(text.substr(v[i].begin, v[i].end - v[i].begin) == "boat safe " + std::to_string(i));
    CHECK(v[i].tok_begin == n.token[v[i].nbegin]);
    CHECK(v[i].tok_end == n.token[v[i].nend - 1]);
    CHECK(v[i].tok_end == v[i].tok_begin + 2);
  }
}

TEST_CASE("entities come in text order with normalized spans and token indexes") {
  const std::string_view text = "Boat tonight 21:30, 1400€, call +44 7700 900123 or wa.me/447700900123";
  NormalizedText n;
  normalize(text, n);
  std::vector<en::Entity> out;
  en::scan(text, n, en::kAllKinds, out);
  std::string kinds;
  for (const auto& e : out) {
    kinds += en::concept_id(e.kind);
    kinds += ' ';
    CHECK(e.nbegin < e.nend);
    CHECK(e.tok_begin <= e.tok_end);
    CHECK(n.begin[e.nbegin] == e.begin);
  }
  CHECK(kinds == "@date @date @money @phone @handle ");
  en::Kind k;
  CHECK(en::kind_of("@money", k));
  CHECK(k == Kind::money);
  CHECK_FALSE(en::kind_of("@price", k));
}

TEST_CASE("entities: hostile text never breaks a scanner") {
  std::string junk;
  for (int i = 0; i < 3000; ++i) junk += static_cast<char>((i * 7919) % 256);
  for (std::string_view text : {std::string_view(junk), std::string_view("@@@@////wa.me/"), std::string_view("+"),
                                std::string_view("1."), std::string_view("€"), std::string_view("٫")}) {
    NormalizedText n;
    normalize(text, n);
    std::vector<en::Entity> out;
    en::scan(text, n, en::kAllKinds, out);
    for (const auto& e : out) {
      CHECK(e.begin <= e.end);
      CHECK(e.end <= text.size());
    }
  }
}
