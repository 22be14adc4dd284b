// entities/vocabulary.cpp: the words the entity scanners know, in every language of the default
// pack (en, fr, ar, fa, ckb, kmr, ps, sq, vi, tr). Entries are normalized once with the pack-term
// pipeline, so "Lekë", "LEKE" and "leke" are one entry, as are "دۆلار" (Sorani) and "دولار".
//
// Words left out on purpose: Turkish "on" (ten) and "tỉ" (Vietnamese billion, which normalizes like
// Turkish "TL"), French "livre" alone (a book), Vietnamese "đô" alone (normalizes to "do"), Kurmanji
// "în" (Friday; also a common particle), Turkish "salı" (Tuesday; normalizes like Kurmanji "salî", of
// years: "10 salî"), Kurmanji "sî" (thirty; normalizes like French "si", if), the Vietnamese money
// slang "chai" (a million; also a bottle), "lít" (100,000; also a litre) and "tỏi" (a billion; also
// garlic), and the French slang "patate", "bâton", "brique" (their value in euros is not agreed).
//
// Sources of the number words and money forms (grammar references and reporting that quotes
// prices): Persian and Dari numerals (omniglot.com, languagesandnumbers.com: صد, دویست ... نهصد,
// بیست ... نود, "x و y"); Albanian (languagesandnumbers.com, argjiro.net: "tre mijë e dyqind", the
// joiner "e", -qind hundreds); Pashto (talkpal.ai, the Pashto grammar of tplsites: یو ... لس, شل,
// دېرش ... نوي; taand.net reporting "۲۰ زره پونډه", "۳۹ زره دینارو"); Sorani and Kurmanji
// (kurdish-numbers-to-words, ku.wiktionary: دووسەد, pêncsed, "hezar û pênc sed"; Sorani press:
// "162 ملیۆن پاوەند"); Arabic (formal
// مئة/مائة and the dual مئتان, joined hundreds خمسمائة; Levantine and Iraqi مية, ميتين, خمسمية;
// reporting "10 آلاف جنيه إسترليني", "427 جنيهًا إسترلينيًا", "1500 جنيه"); Turkish reporting
// ("7-8 bin Euro"); Vietnamese money slang (củ = 1,000,000 đồng, "tr" for triệu).
#include <algorithm>
#include <array>
#include <mutex>
#include <string>
#include <utility>

#include "entities/support.hpp"

namespace signpost::detail::entities {
namespace {

struct Raw {
  const char* text;
  Word type;
  double value;
  bool money_only;
  const char* code;
};

constexpr Word C = Word::currency, M = Word::multiplier, H = Word::hundred, N = Word::number, HALF = Word::half,
               AND = Word::connector, A = Word::article, WD = Word::weekday, RD = Word::relday,
               AP = Word::ampm, HR = Word::hour, TENS = Word::tens, ORD = Word::ordinal;

// clang-format off
constexpr Raw kRaw[] = {
  // Currencies: words and codes (signs are recognised in currency_sign()).
  {"euro", C, 0, false, "eur"}, {"euros", C, 0, false, "eur"}, {"eur", C, 0, false, "eur"},
  {"avro", C, 0, false, "eur"},                                        // tr
  {"balles", C, 0, false, "eur"},                                      // fr slang ("500 balles")
  {"يورو", C, 0, false, "eur"}, {"یورو", C, 0, false, "eur"},          // ar, fa
  {"یۆرۆ", C, 0, false, "eur"},                                        // ckb
  {"pound", C, 0, false, "gbp"}, {"pounds", C, 0, false, "gbp"}, {"quid", C, 0, false, "gbp"},
  {"gbp", C, 0, false, "gbp"}, {"sterling", C, 0, false, "gbp"}, {"sterlin", C, 0, false, "gbp"},  // tr
  {"livre sterling", C, 0, false, "gbp"}, {"livres sterling", C, 0, false, "gbp"},
  {"paund", C, 0, false, "gbp"},                                       // sq
  {"sterlina", C, 0, false, "gbp"},                                    // sq (unsure: also "sterlinë")
  {"bảng", C, 0, false, "gbp"}, {"bảng anh", C, 0, false, "gbp"},      // vi
  {"جنيه", C, 0, false, "gbp"}, {"جنيه استرليني", C, 0, false, "gbp"}, {"باوند", C, 0, false, "gbp"},  // ar
  {"پوند", C, 0, false, "gbp"},                                        // fa
  {"پاوەند", C, 0, false, "gbp"},                                      // ckb ("162 ملیۆن پاوەند" in Sorani press)
  {"پاوەن", C, 0, false, "gbp"},                                       // ckb, spoken without its د (unsure how widely written)
  {"پونډ", C, 0, false, "gbp"},                                        // ps
  {"dollar", C, 0, false, "usd"}, {"dollars", C, 0, false, "usd"}, {"usd", C, 0, false, "usd"},
  {"bucks", C, 0, false, "usd"}, {"dolar", C, 0, false, "usd"},        // en; tr, kmr
  {"dollarë", C, 0, false, "usd"},                                     // sq
  {"đô la", C, 0, false, "usd"},                                       // vi
  {"دولار", C, 0, false, "usd"}, {"دلار", C, 0, false, "usd"},         // ar, fa
  {"دۆلار", C, 0, false, "usd"}, {"ډالر", C, 0, false, "usd"},         // ckb, ps
  {"lira", C, 0, false, "try"}, {"lirası", C, 0, false, "try"}, {"tl", C, 0, false, "try"},
  {"ليرة", C, 0, false, "try"}, {"لیر", C, 0, false, "try"},
  {"dinar", C, 0, false, "dinar"}, {"dinars", C, 0, false, "dinar"}, {"dînar", C, 0, false, "dinar"},
  {"دينار", C, 0, false, "dinar"}, {"دینار", C, 0, false, "dinar"},
  {"toman", C, 0, false, "toman"}, {"تومان", C, 0, false, "toman"}, {"تومن", C, 0, false, "toman"},
  {"rial", C, 0, false, "rial"}, {"ریال", C, 0, false, "rial"}, {"ريال", C, 0, false, "rial"},
  {"درهم", C, 0, false, "dirham"}, {"dirham", C, 0, false, "dirham"},
  {"lek", C, 0, false, "lek"}, {"lekë", C, 0, false, "lek"}, {"leke", C, 0, false, "lek"},
  {"đồng", C, 0, false, "vnd"}, {"vnd", C, 0, false, "vnd"}, {"vnđ", C, 0, false, "vnd"},
  {"afghani", C, 0, false, "afn"}, {"افغانی", C, 0, false, "afn"}, {"افغانۍ", C, 0, false, "afn"},
  {"کلدار", C, 0, false, "pkr"}, {"کلدارې", C, 0, false, "pkr"},      // ps: Pakistani rupees
  {"rupee", C, 0, false, "pkr"}, {"rupees", C, 0, false, "pkr"}, {"روپۍ", C, 0, false, "pkr"},
  // Inflected and misspelt currency words.
  {"pond", C, 0, false, "gbp"},                                        // en: a typo of "pound" (unsure how common)
  {"پاوند", C, 0, false, "gbp"},                                       // fa, ckb: another spelling of پوند
  {"دلاری", C, 0, false, "usd"}, {"یورویی", C, 0, false, "eur"}, {"پوندی", C, 0, false, "gbp"},  // fa: "پنج هزار دلاری"
  {"تومانی", C, 0, false, "toman"}, {"تومنی", C, 0, false, "toman"},
  {"پونډه", C, 0, false, "gbp"}, {"پونډو", C, 0, false, "gbp"},        // ps: plural, oblique ("۲۰ زره پونډه")
  {"ډالره", C, 0, false, "usd"}, {"ډالرو", C, 0, false, "usd"},        // ps: plural, oblique ("امریکایي ډالرو")
  {"دینارو", C, 0, false, "dinar"},                                    // ps: oblique ("۳۹ زره دینارو")
  {"استرليني", C, 0, false, "gbp"},                                    // ar: "sterling" alone
  {"جنيها", C, 0, false, "gbp"}, {"جنيها استرلينيا", C, 0, false, "gbp"}, {"جنيهات", C, 0, false, "gbp"},  // ar: accusative, plural
  {"دولارا", C, 0, false, "usd"},                                      // ar: accusative ("500 دولارًا")
  {"euroya", C, 0, false, "eur"}, {"avroya", C, 0, false, "eur"}, {"dolara", C, 0, false, "usd"},  // tr: dative
  {"liraya", C, 0, false, "try"}, {"sterline", C, 0, false, "gbp"},   // tr: dative
  {"ewro", C, 0, false, "eur"},                                        // kmr (unsure: "euro" is the usual spelling)

  // Multipliers. money_only: the multiplier alone marks a price.
  {"k", M, 1e3, true, ""}, {"grand", M, 1e3, true, ""},
  {"thousand", M, 1e3, false, ""}, {"mille", M, 1e3, false, ""}, {"bin", M, 1e3, false, ""},
  {"mijë", M, 1e3, false, ""}, {"nghìn", M, 1e3, false, ""}, {"ngàn", M, 1e3, false, ""},
  {"hezar", M, 1e3, false, ""}, {"alf", M, 1e3, false, ""},           // kmr; Arabizi
  {"ألف", M, 1e3, false, ""}, {"آلاف", M, 1e3, false, ""}, {"الاف", M, 1e3, false, ""},
  {"هزار", M, 1e3, false, ""}, {"هەزار", M, 1e3, false, ""}, {"زر", M, 1e3, false, ""},  // fa, ckb, ps
  {"million", M, 1e6, false, ""}, {"millions", M, 1e6, false, ""}, {"milyon", M, 1e6, false, ""},
  {"milion", M, 1e6, false, ""}, {"مليون", M, 1e6, false, ""}, {"ملايين", M, 1e6, false, ""},
  {"میلیون", M, 1e6, false, ""}, {"ملیون", M, 1e6, false, ""}, {"ملیۆن", M, 1e6, false, ""},
  {"triệu", M, 1e6, true, ""}, {"tỷ", M, 1e9, true, ""},              // vi: amounts of money, mostly
  {"lakh", M, 1e5, true, ""}, {"لک", M, 1e5, true, ""}, {"لکه", M, 1e5, true, ""},  // ps, South Asia
  {"زره", M, 1e3, false, ""},                                          // ps: thousands ("دوه زره")
  {"milionë", M, 1e6, false, ""},                                      // sq: plural
  {"تلاف", M, 1e3, false, ""},                                         // ar (Levantine, Egyptian): "خمس تلاف" (unsure of the spelling)
  {"củ", M, 1e6, true, "vnd"},                                         // vi slang: a million đồng ("3 củ"); "cũ" (old) normalizes alike
  {"tr", M, 1e6, true, ""},                                            // vi: triệu written short ("50tr", "50 tr")

  // Hundreds.
  {"hundred", H, 100, false, ""}, {"cent", H, 100, false, ""}, {"cents", H, 100, false, ""},
  {"yüz", H, 100, false, ""}, {"qind", H, 100, false, ""}, {"trăm", H, 100, false, ""},
  {"sed", H, 100, false, ""}, {"صد", H, 100, false, ""}, {"سەد", H, 100, false, ""},
  {"مية", H, 100, false, ""}, {"مئة", H, 100, false, ""}, {"مائة", H, 100, false, ""}, {"سل", H, 100, false, ""},
  {"سوه", H, 100, false, ""},                                          // ps: after a number ("پنځه سوه", 500; unsure how common in writing)
  // Tens after a number word (Vietnamese "năm mươi" = 50, "ba chục triệu" = 30 million); alone,
  // ten ("mươi" normalizes like "mười", ten).
  {"mươi", TENS, 10, false, ""}, {"chục", TENS, 10, false, ""},
  // Hundreds written as one word.
  {"دویست", N, 200, false, ""}, {"سیصد", N, 300, false, ""}, {"چهارصد", N, 400, false, ""},  // fa
  {"پانصد", N, 500, false, ""}, {"ششصد", N, 600, false, ""}, {"هفتصد", N, 700, false, ""},
  {"هشتصد", N, 800, false, ""}, {"نهصد", N, 900, false, ""},
  {"دوصد", N, 200, false, ""},                                         // fa-AF (Dari)
  {"پونصد", N, 500, false, ""},                                        // fa, colloquial
  {"دووسەد", N, 200, false, ""}, {"سێسەد", N, 300, false, ""}, {"چوارسەد", N, 400, false, ""},  // ckb
  {"پێنجسەد", N, 500, false, ""}, {"شەشسەد", N, 600, false, ""}, {"حەوتسەد", N, 700, false, ""},
  {"هەشتسەد", N, 800, false, ""}, {"نۆسەد", N, 900, false, ""},
  // kmr ("sêsed" and "şeşsed" both normalize to "sesed": left out; "sê sed" and "şeş sed" are read)
  {"dused", N, 200, false, ""}, {"çarsed", N, 400, false, ""},
  {"pêncsed", N, 500, false, ""}, {"heftsed", N, 700, false, ""},
  {"heştsed", N, 800, false, ""}, {"nehsed", N, 900, false, ""},
  {"njëqind", N, 100, false, ""}, {"dyqind", N, 200, false, ""}, {"treqind", N, 300, false, ""},  // sq
  {"katërqind", N, 400, false, ""}, {"pesëqind", N, 500, false, ""}, {"gjashtëqind", N, 600, false, ""},
  {"shtatëqind", N, 700, false, ""}, {"tetëqind", N, 800, false, ""}, {"nëntëqind", N, 900, false, ""},
  // ar: formal (مئتان, خمسمائة, خمسمئة) and spoken (ميتين, خمسمية, تلتمية) hundreds. The spoken ones
  // are written several ways; these are the common spellings (unsure: تلاتمية, تمنمية).
  {"مئتان", N, 200, false, ""}, {"مائتان", N, 200, false, ""}, {"مئتين", N, 200, false, ""},
  {"مائتين", N, 200, false, ""}, {"ميتين", N, 200, false, ""},
  {"ثلاثمائة", N, 300, false, ""}, {"ثلاثمئة", N, 300, false, ""}, {"تلتمية", N, 300, false, ""}, {"تلاتمية", N, 300, false, ""},
  {"أربعمائة", N, 400, false, ""}, {"أربعمئة", N, 400, false, ""}, {"اربعمية", N, 400, false, ""},
  {"خمسمائة", N, 500, false, ""}, {"خمسمئة", N, 500, false, ""}, {"خمسمية", N, 500, false, ""},
  {"ستمائة", N, 600, false, ""}, {"ستمئة", N, 600, false, ""}, {"ستمية", N, 600, false, ""},
  {"سبعمائة", N, 700, false, ""}, {"سبعمئة", N, 700, false, ""}, {"سبعمية", N, 700, false, ""},
  {"ثمانمائة", N, 800, false, ""}, {"ثمانمئة", N, 800, false, ""}, {"تمنمية", N, 800, false, ""},
  {"تسعمائة", N, 900, false, ""}, {"تسعمئة", N, 900, false, ""}, {"تسعمية", N, 900, false, ""},

  // Number words (only read before a multiplier or a currency).
  {"one", N, 1, false, ""}, {"two", N, 2, false, ""}, {"three", N, 3, false, ""}, {"four", N, 4, false, ""},
  {"five", N, 5, false, ""}, {"six", N, 6, false, ""}, {"seven", N, 7, false, ""}, {"eight", N, 8, false, ""},
  {"nine", N, 9, false, ""}, {"ten", N, 10, false, ""}, {"twenty", N, 20, false, ""}, {"fifty", N, 50, false, ""},
  {"un", N, 1, false, ""}, {"une", N, 1, false, ""}, {"deux", N, 2, false, ""}, {"trois", N, 3, false, ""},
  {"quatre", N, 4, false, ""}, {"cinq", N, 5, false, ""}, {"sept", N, 7, false, ""}, {"huit", N, 8, false, ""},
  {"neuf", N, 9, false, ""}, {"dix", N, 10, false, ""}, {"vingt", N, 20, false, ""}, {"cinquante", N, 50, false, ""},
  {"bir", N, 1, false, ""}, {"iki", N, 2, false, ""}, {"üç", N, 3, false, ""}, {"dört", N, 4, false, ""},
  {"beş", N, 5, false, ""}, {"altı", N, 6, false, ""}, {"yedi", N, 7, false, ""}, {"sekiz", N, 8, false, ""},
  {"dokuz", N, 9, false, ""}, {"elli", N, 50, false, ""},
  {"një", N, 1, false, ""}, {"dy", N, 2, false, ""}, {"tre", N, 3, false, ""}, {"katër", N, 4, false, ""},
  {"pesë", N, 5, false, ""}, {"gjashtë", N, 6, false, ""}, {"shtatë", N, 7, false, ""}, {"tetë", N, 8, false, ""},
  {"nëntë", N, 9, false, ""}, {"dhjetë", N, 10, false, ""},
  {"một", N, 1, false, ""}, {"hai", N, 2, false, ""}, {"ba", N, 3, false, ""}, {"bốn", N, 4, false, ""},
  {"năm", N, 5, false, ""}, {"sáu", N, 6, false, ""}, {"bảy", N, 7, false, ""}, {"tám", N, 8, false, ""},
  {"chín", N, 9, false, ""}, {"mười", N, 10, false, ""},
  {"yek", N, 1, false, ""}, {"du", N, 2, false, ""}, {"sê", N, 3, false, ""}, {"çar", N, 4, false, ""},
  {"pênc", N, 5, false, ""}, {"şeş", N, 6, false, ""}, {"heft", N, 7, false, ""}, {"heşt", N, 8, false, ""},
  {"neh", N, 9, false, ""}, {"deh", N, 10, false, ""},
  {"واحد", N, 1, false, ""}, {"اثنين", N, 2, false, ""}, {"اتنين", N, 2, false, ""}, {"ثلاث", N, 3, false, ""},
  {"ثلاثة", N, 3, false, ""}, {"تلات", N, 3, false, ""}, {"اربع", N, 4, false, ""}, {"اربعة", N, 4, false, ""},
  {"خمس", N, 5, false, ""}, {"خمسة", N, 5, false, ""}, {"ستة", N, 6, false, ""}, {"سبع", N, 7, false, ""},
  {"سبعة", N, 7, false, ""}, {"ثمان", N, 8, false, ""}, {"ثمانية", N, 8, false, ""}, {"تسع", N, 9, false, ""},
  {"تسعة", N, 9, false, ""}, {"عشرة", N, 10, false, ""},
  {"ألفين", N, 2000, false, ""}, {"الفين", N, 2000, false, ""},
  {"یک", N, 1, false, ""}, {"دو", N, 2, false, ""}, {"سه", N, 3, false, ""}, {"چهار", N, 4, false, ""},
  {"پنج", N, 5, false, ""}, {"شش", N, 6, false, ""}, {"هفت", N, 7, false, ""}, {"هشت", N, 8, false, ""},
  {"ده", N, 10, false, ""},
  {"یەک", N, 1, false, ""}, {"دوو", N, 2, false, ""}, {"سێ", N, 3, false, ""}, {"چوار", N, 4, false, ""},
  {"پێنج", N, 5, false, ""}, {"شەش", N, 6, false, ""}, {"حەوت", N, 7, false, ""}, {"هەشت", N, 8, false, ""},
  {"یو", N, 1, false, ""}, {"دوه", N, 2, false, ""}, {"درې", N, 3, false, ""}, {"څلور", N, 4, false, ""},
  {"پنځه", N, 5, false, ""}, {"لس", N, 10, false, ""},
  // Tens and teens, and the rest of the units (only read before a multiplier or a currency).
  {"eleven", N, 11, false, ""}, {"twelve", N, 12, false, ""}, {"fifteen", N, 15, false, ""}, {"thirty", N, 30, false, ""},
  {"forty", N, 40, false, ""}, {"sixty", N, 60, false, ""}, {"seventy", N, 70, false, ""}, {"eighty", N, 80, false, ""},
  {"ninety", N, 90, false, ""},
  {"six", N, 6, false, ""}, {"onze", N, 11, false, ""}, {"douze", N, 12, false, ""}, {"quinze", N, 15, false, ""},
  {"trente", N, 30, false, ""}, {"quarante", N, 40, false, ""}, {"soixante", N, 60, false, ""},
  {"quatre-vingt", N, 80, false, ""}, {"quatre-vingts", N, 80, false, ""},
  {"yirmi", N, 20, false, ""}, {"otuz", N, 30, false, ""}, {"kırk", N, 40, false, ""}, {"altmış", N, 60, false, ""},
  {"yetmiş", N, 70, false, ""}, {"seksen", N, 80, false, ""}, {"doksan", N, 90, false, ""},
  {"tri", N, 3, false, ""}, {"njëzet", N, 20, false, ""}, {"tridhjetë", N, 30, false, ""}, {"dyzet", N, 40, false, ""},  // sq
  {"katërdhjetë", N, 40, false, ""}, {"pesëdhjetë", N, 50, false, ""}, {"gjashtëdhjetë", N, 60, false, ""},
  {"shtatëdhjetë", N, 70, false, ""}, {"tetëdhjetë", N, 80, false, ""}, {"nëntëdhjetë", N, 90, false, ""},
  {"lăm", N, 5, false, ""}, {"mốt", N, 1, false, ""},                  // vi: 5 and 1 after a ten ("năm mươi lăm")
  {"bîst", N, 20, false, ""}, {"çil", N, 40, false, ""}, {"pêncî", N, 50, false, ""}, {"şêst", N, 60, false, ""},  // kmr
  {"heftê", N, 70, false, ""}, {"heştê", N, 80, false, ""}, {"nod", N, 90, false, ""},
  {"عشر", N, 10, false, ""}, {"ست", N, 6, false, ""}, {"تلاتة", N, 3, false, ""}, {"ألفان", N, 2000, false, ""},  // ar
  {"مليونين", N, 2e6, false, ""},
  {"عشرين", N, 20, false, ""}, {"ثلاثين", N, 30, false, ""}, {"تلاتين", N, 30, false, ""}, {"اربعين", N, 40, false, ""},
  {"خمسين", N, 50, false, ""}, {"ستين", N, 60, false, ""}, {"سبعين", N, 70, false, ""}, {"ثمانين", N, 80, false, ""},
  {"تمانين", N, 80, false, ""}, {"تسعين", N, 90, false, ""},
  {"نه", N, 9, false, ""}, {"یازده", N, 11, false, ""}, {"دوازده", N, 12, false, ""}, {"سیزده", N, 13, false, ""},  // fa
  {"چهارده", N, 14, false, ""}, {"پانزده", N, 15, false, ""}, {"شانزده", N, 16, false, ""}, {"هفده", N, 17, false, ""},
  {"هجده", N, 18, false, ""}, {"نوزده", N, 19, false, ""}, {"بیست", N, 20, false, ""},  // سی (30) is Sorani سێ (3)
  {"چهل", N, 40, false, ""}, {"پنجاه", N, 50, false, ""}, {"شصت", N, 60, false, ""}, {"هفتاد", N, 70, false, ""},
  {"هشتاد", N, 80, false, ""}, {"نود", N, 90, false, ""},
  {"نۆ", N, 9, false, ""}, {"دە", N, 10, false, ""}, {"چل", N, 40, false, ""}, {"پەنجا", N, 50, false, ""},  // ckb
  {"شەست", N, 60, false, ""}, {"حەفتا", N, 70, false, ""}, {"هەشتا", N, 80, false, ""}, {"نەوەد", N, 90, false, ""},
  {"یوه", N, 1, false, ""}, {"شپږ", N, 6, false, ""}, {"اووه", N, 7, false, ""}, {"اته", N, 8, false, ""},  // ps
  {"نهه", N, 9, false, ""}, {"شل", N, 20, false, ""}, {"دېرش", N, 30, false, ""}, {"څلوېښت", N, 40, false, ""},
  {"پنځوس", N, 50, false, ""}, {"شپېته", N, 60, false, ""}, {"اویا", N, 70, false, ""}, {"اتیا", N, 80, false, ""},
  {"نوي", N, 90, false, ""},

  // Halves and connectors.
  {"half", HALF, 0.5, false, ""}, {"demi", HALF, 0.5, false, ""}, {"buçuk", HALF, 0.5, false, ""},
  {"rưỡi", HALF, 0.5, false, ""}, {"نیم", HALF, 0.5, false, ""}, {"نص", HALF, 0.5, false, ""},
  {"نصف", HALF, 0.5, false, ""}, {"gjysmë", HALF, 0.5, false, ""}, {"nîv", HALF, 0.5, false, ""},  // ar, sq, kmr
  {"نیو", HALF, 0.5, false, ""}, {"nửa", HALF, 0.5, false, ""}, {"yarım", HALF, 0.5, false, ""},  // ckb, vi, tr
  {"and", AND, 0, false, ""}, {"et", AND, 0, false, ""}, {"و", AND, 0, false, ""}, {"a", A, 1, false, ""},
  {"e", AND, 0, false, ""},                                            // sq: "dy mijë e pesëqind"
  {"û", AND, 0, false, ""},                                            // kmr: "hezar û pênc sed"
  {"او", AND, 0, false, ""},                                           // ps: "دوه زره او پنځه سوه"

  // Days of the week.
  {"monday", WD, 0, false, ""}, {"tuesday", WD, 0, false, ""}, {"wednesday", WD, 0, false, ""},
  {"thursday", WD, 0, false, ""}, {"friday", WD, 0, false, ""}, {"saturday", WD, 0, false, ""}, {"sunday", WD, 0, false, ""},
  {"lundi", WD, 0, false, ""}, {"mardi", WD, 0, false, ""}, {"mercredi", WD, 0, false, ""}, {"jeudi", WD, 0, false, ""},
  {"vendredi", WD, 0, false, ""}, {"samedi", WD, 0, false, ""}, {"dimanche", WD, 0, false, ""},
  {"pazartesi", WD, 0, false, ""}, {"çarşamba", WD, 0, false, ""},
  {"perşembe", WD, 0, false, ""}, {"cuma", WD, 0, false, ""}, {"cumartesi", WD, 0, false, ""}, {"pazar", WD, 0, false, ""},
  {"e hënë", WD, 0, false, ""}, {"e martë", WD, 0, false, ""}, {"e mërkurë", WD, 0, false, ""}, {"e enjte", WD, 0, false, ""},
  {"e premte", WD, 0, false, ""}, {"e shtunë", WD, 0, false, ""}, {"e diel", WD, 0, false, ""},
  {"chủ nhật", WD, 0, false, ""}, {"thứ bảy", WD, 0, false, ""}, {"thứ sáu", WD, 0, false, ""},
  {"thứ năm", WD, 0, false, ""}, {"thứ tư", WD, 0, false, ""},       // vi; "thứ hai/ba" also mean second/third
  {"duşem", WD, 0, false, ""}, {"sêşem", WD, 0, false, ""}, {"çarşem", WD, 0, false, ""}, {"pêncşem", WD, 0, false, ""},
  {"şemî", WD, 0, false, ""}, {"yekşem", WD, 0, false, ""},
  {"الاثنين", WD, 0, false, ""}, {"الإثنين", WD, 0, false, ""}, {"الثلاثاء", WD, 0, false, ""}, {"الأربعاء", WD, 0, false, ""},
  {"الخميس", WD, 0, false, ""}, {"الجمعة", WD, 0, false, ""}, {"السبت", WD, 0, false, ""}, {"الأحد", WD, 0, false, ""},
  {"خميس", WD, 0, false, ""}, {"جمعة", WD, 0, false, ""}, {"سبت", WD, 0, false, ""},
  {"شنبه", WD, 0, false, ""}, {"یکشنبه", WD, 0, false, ""}, {"دوشنبه", WD, 0, false, ""}, {"سه‌شنبه", WD, 0, false, ""},
  {"سه شنبه", WD, 0, false, ""}, {"چهارشنبه", WD, 0, false, ""}, {"پنجشنبه", WD, 0, false, ""}, {"پنج شنبه", WD, 0, false, ""},
  {"جمعه", WD, 0, false, ""},
  {"شەممە", WD, 0, false, ""}, {"یەکشەممە", WD, 0, false, ""}, {"دووشەممە", WD, 0, false, ""}, {"سێشەممە", WD, 0, false, ""},
  {"چوارشەممە", WD, 0, false, ""}, {"پێنجشەممە", WD, 0, false, ""}, {"هەینی", WD, 0, false, ""},
  {"اتوار", WD, 0, false, ""},                                        // ps: Sunday

  // Relative days.
  {"tonight", RD, 0, false, ""}, {"tomorrow", RD, 0, false, ""}, {"today", RD, 0, false, ""},
  {"weekend", RD, 0, false, ""}, {"next week", RD, 0, false, ""}, {"this week", RD, 0, false, ""},
  {"ce soir", RD, 0, false, ""}, {"cette nuit", RD, 0, false, ""}, {"demain", RD, 0, false, ""},
  {"aujourd'hui", RD, 0, false, ""}, {"la semaine prochaine", RD, 0, false, ""},
  {"bu gece", RD, 0, false, ""}, {"bu akşam", RD, 0, false, ""}, {"yarın", RD, 0, false, ""}, {"bugün", RD, 0, false, ""},
  {"hafta sonu", RD, 0, false, ""}, {"haftaya", RD, 0, false, ""},
  {"sonte", RD, 0, false, ""}, {"nesër", RD, 0, false, ""}, {"sot", RD, 0, false, ""},
  {"tối nay", RD, 0, false, ""}, {"đêm nay", RD, 0, false, ""}, {"ngày mai", RD, 0, false, ""}, {"hôm nay", RD, 0, false, ""},
  {"tuần sau", RD, 0, false, ""}, {"tuần tới", RD, 0, false, ""},
  {"îşev", RD, 0, false, ""}, {"sibê", RD, 0, false, ""}, {"îro", RD, 0, false, ""},
  {"الليلة", RD, 0, false, ""}, {"بكرا", RD, 0, false, ""}, {"بكرة", RD, 0, false, ""}, {"غدا", RD, 0, false, ""},
  {"اليوم", RD, 0, false, ""}, {"الأسبوع الجاي", RD, 0, false, ""}, {"الأسبوع القادم", RD, 0, false, ""},
  {"امشب", RD, 0, false, ""}, {"فردا", RD, 0, false, ""}, {"امروز", RD, 0, false, ""}, {"هفته بعد", RD, 0, false, ""},
  {"هفته آینده", RD, 0, false, ""},
  {"ئەمشەو", RD, 0, false, ""}, {"سبەی", RD, 0, false, ""}, {"سبەینێ", RD, 0, false, ""}, {"ئەمڕۆ", RD, 0, false, ""},
  {"نن شپه", RD, 0, false, ""}, {"سبا", RD, 0, false, ""},             // ps

  // Times.
  {"am", AP, 0, false, ""}, {"pm", AP, 0, false, ""}, {"h", AP, 0, false, ""}, {"giờ", AP, 0, false, ""},
  {"saat", HR, 0, false, ""}, {"الساعة", HR, 0, false, ""}, {"ساعت", HR, 0, false, ""}, {"ora", HR, 0, false, ""},

  // French ordinals ("le 100e anniversaire", "1000e jour"), where "2500e" is no price: the words
  // before one (value 1) and after one (value 2). Otherwise "2500e" is 2,500 euros.
  {"le", ORD, 1, false, ""}, {"la", ORD, 1, false, ""}, {"les", ORD, 1, false, ""}, {"au", ORD, 1, false, ""},  // "ses" is Kurmanji "şeş" (six)
  {"aux", ORD, 1, false, ""}, {"sa", ORD, 1, false, ""}, {"son", ORD, 1, false, ""},
  {"leur", ORD, 1, false, ""}, {"ce", ORD, 1, false, ""}, {"cet", ORD, 1, false, ""}, {"cette", ORD, 1, false, ""},
  {"notre", ORD, 1, false, ""}, {"votre", ORD, 1, false, ""}, {"mon", ORD, 1, false, ""}, {"ma", ORD, 1, false, ""},
  {"jour", ORD, 2, false, ""}, {"anniversaire", ORD, 2, false, ""}, {"siècle", ORD, 2, false, ""},
  {"édition", ORD, 2, false, ""}, {"fois", ORD, 2, false, ""}, {"étage", ORD, 2, false, ""}, {"rang", ORD, 2, false, ""},
  {"arrondissement", ORD, 2, false, ""}, {"semaine", ORD, 2, false, ""}, {"mois", ORD, 2, false, ""},
  {"année", ORD, 2, false, ""}, {"victime", ORD, 2, false, ""}, {"mort", ORD, 2, false, ""}, {"migrant", ORD, 2, false, ""},
};
// clang-format on

struct Entry {
  std::string key;
  WordInfo info;
};

// FNV-1a: the table below is looked up for every word of every text of a pack that names an
// entity, so a lookup is one hash and (almost always) one comparison, not a binary search.
std::uint64_t hash_key(std::string_view k) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : k) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return h ^ (h >> 32);
}

// The kinds a word lets a scanner find without a digit: a currency or a money-only multiplier
// makes an amount money; a weekday or a relative day is a date. The gate's filters (Triggers) and
// the term walk's signal keys (signal_words()) both read it from here.
unsigned digitless_kinds(const WordInfo& w) noexcept {
  unsigned bits = 0;
  if (w.type == Word::currency || (w.type == Word::multiplier && w.money_only)) bits |= bit(Kind::money);
  if (w.type == Word::weekday || w.type == Word::relday) bits |= bit(Kind::date);
  return bits;
}

struct Vocabulary {
  std::vector<Entry> entries;  // sorted by key
  std::vector<std::uint32_t> slots;  // open addressing over entries (index + 1; 0 is free)
  std::uint64_t mask = 0;
  std::array<std::uint64_t, 4> first{};  // first bytes of keys
  std::size_t max_len = 0;
  Triggers triggers;  // see support.hpp
  // lookup()'s filters: every key of one token, and the first tokens of the keys of several.
  KeyFilter singles, heads;

  Vocabulary() {
    for (const Raw& r : kRaw) {
      std::string key = normalize_term(r.text);
      if (key.empty()) continue;
      entries.push_back({std::move(key), WordInfo{r.type, r.value, r.money_only, r.code}});
    }
    // The first entry of a key wins (the table lists the preferred reading first).
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
    entries.erase(std::unique(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.key == b.key; }),
                  entries.end());
    std::size_t size = 16;
    while (size < entries.size() * 4) size <<= 1;
    slots.assign(size, 0);
    mask = size - 1;
    for (std::uint32_t i = 0; i < entries.size(); ++i) {
      std::uint64_t at = hash_key(entries[i].key) & mask;
      while (slots[at] != 0) at = (at + 1) & mask;
      slots[at] = i + 1;
    }
    for (const Entry& e : entries) {
      const auto b = static_cast<unsigned char>(e.key[0]);
      first[b >> 6] |= 1ull << (b & 63);
      max_len = std::max(max_len, e.key.size());
      const WordInfo& w = e.info;
      const bool multi = e.key.find(' ') != std::string::npos;
      const unsigned kinds = digitless_kinds(w);
      const bool money = (kinds & bit(Kind::money)) != 0;
      const bool date = (kinds & bit(Kind::date)) != 0;
      const std::string_view head = std::string_view(e.key).substr(0, e.key.find(' '));
      (multi ? heads : singles).add(head);
      if (money) (multi ? triggers.money_multi : triggers.money).add(e.key);
      if (date) (multi ? triggers.date_multi : triggers.date).add(e.key);
      if (!multi && money) trigger(e.key, bit(Kind::money));
      if (!multi && date) trigger(e.key, bit(Kind::date));
      if (multi && (money || date)) {
        triggers.heads.add(head);
        trigger(head, Triggers::kHead);
      }
    }
    for (const auto& sign : currency_signs()) {
      triggers.money.add(sign.first);
      trigger(sign.first, bit(Kind::money));
    }
    trigger("d", Triggers::kDong);
  }

  void trigger(std::string_view key, std::uint8_t b) noexcept { triggers.pre[KeyFilter::pre_hash(key)] |= b; }

  const WordInfo* find(std::string_view key) const noexcept {
    if (key.empty() || key.size() > max_len) return nullptr;
    for (std::uint64_t at = hash_key(key) & mask; slots[at] != 0; at = (at + 1) & mask) {
      const Entry& e = entries[slots[at] - 1];
      if (e.key == key) return &e.info;
    }
    return nullptr;
  }
};

const Vocabulary& vocab() {
  static const Vocabulary v;
  return v;
}

}  // namespace

void vocabulary_ready() { (void)vocab(); }

std::vector<std::string_view> vocabulary_words() {
  std::vector<std::string_view> out;
  for (const Raw& r : kRaw) out.emplace_back(r.text);
  return out;
}

const Triggers& triggers() noexcept { return vocab().triggers; }

std::vector<SignalWord> signal_words() {
  std::vector<SignalWord> out;
  for (const Entry& e : vocab().entries) {
    if (const unsigned bits = digitless_kinds(e.info)) out.push_back({e.key, bits});
  }
  for (const auto& sign : currency_signs()) out.push_back({std::string(sign.first), bit(Kind::money)});
  out.push_back({"d", kSignalDong});
  return out;
}

const WordInfo* find_word(std::string_view normalized) noexcept { return vocab().find(normalized); }

bool maybe_word(const Tok& t) noexcept {
  if (t.text.empty()) return false;
  const auto b = static_cast<unsigned char>(t.text[0]);
  return (vocab().first[b >> 6] >> (b & 63)) & 1u;
}

const WordInfo* lookup(const Tokens& toks, const Tok& t, Tok& last) noexcept {
  const Vocabulary& v = vocab();
  if (!maybe_word(t)) return nullptr;
  const bool fast = toks.fast();
  // Longest first: three tokens, two, one. An entry of several tokens starts with one of the
  // heads, so the spans are read only after one.
  if (!fast || v.heads.maybe(t.text)) {
    Tok toks3[3] = {t, {}, {}};
    int n = 1;
    while (n < 3 && toks.next(toks3[n - 1], toks3[n]) && toks.joined(toks3[n - 1], toks3[n])) ++n;
    for (int k = n; k >= 2; --k) {
      if (const WordInfo* w = v.find(toks.span(t, toks3[k - 1]))) {
        last = toks3[k - 1];
        return w;
      }
    }
  }
  if (!fast || v.singles.maybe(t.text)) {
    if (const WordInfo* w = v.find(t.text)) {
      last = t;
      return w;
    }
  }
  // After an attached Arabic particle (interior word starts of the token).
  const NormalizedText& norm = toks.norm();
  for (std::uint32_t p = t.nb + 1; p < t.ne; ++p) {
    if (!(norm.bounds[p] & NormalizedText::kStart)) continue;
    const std::string_view rest = std::string_view(norm.text).substr(p, t.ne - p);
    if (fast && !v.singles.maybe(rest)) continue;
    if (const WordInfo* w = v.find(rest)) {
      last = t;
      return w;
    }
  }
  return nullptr;
}

const char* concept_id(Kind k) noexcept {
  switch (k) {
    case Kind::money: return "@money";
    case Kind::phone: return "@phone";
    case Kind::handle: return "@handle";
    case Kind::date: return "@date";
    case Kind::quote: return "@quote";
  }
  return nullptr;
}

bool kind_of(std::string_view id, Kind& out) noexcept {
  for (unsigned k = 0; k < kKinds; ++k) {
    if (id == concept_id(static_cast<Kind>(k))) {
      out = static_cast<Kind>(k);
      return true;
    }
  }
  return false;
}

}  // namespace signpost::detail::entities
