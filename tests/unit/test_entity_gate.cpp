// Tests for the entity gate (entities/gate.cpp): the pass that skips the scanners a text cannot
// feed must never change what they find.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "base/fast_paths.hpp"
#include "entities/entities.hpp"
#include "entities/support.hpp"
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

// Every entity of the kinds asked for in `text`, one "kind begin end nbegin nend amount what;" each.
std::string all_entities(std::string_view text, unsigned kinds = en::kAllKinds,
                         signpost::test::Gate gate = signpost::test::Gate::signals) {
  std::string s;
  for (const auto& e : signpost::test::entities_gated(text, kinds, gate)) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s %u %u %u %u %.10g ", en::concept_id(e.kind), e.begin, e.end, e.nbegin, e.nend,
                  e.amount);
    s += buf;
    s += e.what;
    s += ';';
  }
  return s;
}

}  // namespace

TEST_CASE("entity gate: texts without digits that hold money or a day are still found") {
  // No digit in any of these: only vocabulary words make them entities, and the gate must see
  // them in every form lookup() reads (a whole token, the first token of a longer entry, a word
  // start after an Arabic particle, a currency sign, a money-only multiplier).
  CHECK(money("two thousand pounds") == "2000 gbp");
  CHECK(money("cinq mille euros") == "5000 eur");
  CHECK(money("hai nghìn đô la") == "2000 usd");     // "đô la": an entry of two tokens
  CHECK(money("خمسة آلاف بالدولار") == "5000 usd");  // "دولار" after the particle "بال"
  CHECK(money("five k") == "5000");                  // a multiplier that only scales money
  CHECK(money("a grand each") == "1000");
  CHECK(money("twenty € each") == "20 eur");
  CHECK(money("dy mijë e pesëqind paund") == "2500 gbp");  // a joiner and a one-word hundred
  CHECK(money("ألفين وخمسمية يورو") == "2500 eur");        // the joiner attached to the next word
  CHECK(money("دوه زره پونډه") == "2000 gbp");             // an inflected currency
  CHECK(money("ba củ") == "3000000 vnd");                   // money slang that only scales money
  CHECK(found("we leave tonight", Kind::date) == "tonight");
  CHECK(found("départ lundi", Kind::date) == "lundi");
  CHECK(found("سه شنبه", Kind::date) == "سه شنبه");
  // The words without an amount or a currency are no money.
  CHECK(money("two thousand people") == "0 amounts");
}

TEST_CASE("entity gate: the scanners find the same with the gate and without it") {
  // Texts drawn from vocabulary words, digits, signs, Arabic particles, joiners and ordinary words.
  static constexpr std::string_view kWords[] = {
      "two", "thousand", "pounds", "euro", "euros", "€", "£", "$", "💷", "k", "grand", "a", "and", "half", "hai",
      "nghìn", "đô", "la", "triệu", "خمسة", "آلاف", "بالدولار", "والدولار", "دولار", "تومان", "هزار", "سه", "شنبه",
      "tonight", "lundi", "ce", "soir", "saat", "الساعة", "pm", "0044", "07700", "900123", "+44", "1400", "3",
      "1.5", "21:30", "٢٠٠٠", "۲۵۰۰", "boat", "uk", "price", "the", "people", "lira", "tl", "bin", "yüz", "qind",
      "wa.me/4477", "@user", "p.o.u.n.d.s", "e-u-r-o", "d o l l a r", "cent", "livre", "sterling", "bảng", "anh",
      "ngày", "mai", "nesër", "sabah", "فردا", "بكرة", "وخمسة", "ala", "f a k e", "today", "weekend", "lakh",
      // Prices as written in each pack language (test_money.cpp): joiners, one-word hundreds,
      // inflected currencies, money slang, "2500e" and the words around French ordinals.
      "củ", "tr", "50tr", "2500e", "e", "û", "او", "زره", "پونډه", "وخمسمية", "ألفين", "mươi", "chục", "mijë",
      "pesëqind", "paund", "پانصد", "پاوند", "le", "jour", "euroya", "جنيهًا", "hezar", "pêncsed"};
  static constexpr std::string_view kGaps[] = {" ", " ", " ", ", ", "-", ".", "\n", "  ", "'", ""};
  std::uint64_t seed = 20240611;
  const auto next = [&seed](std::size_t n) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>((seed >> 33) % n);
  };
  int differ = 0, money_no_digit = 0, date_no_digit = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string text;
    const std::size_t words = 1 + next(7);
    for (std::size_t w = 0; w < words; ++w) {
      if (w) text += kGaps[next(std::size(kGaps))];
      text += kWords[next(std::size(kWords))];
    }
    // Every kind at once, and each kind alone (a pack may name any subset).
    const unsigned kinds = i % 5 == 0 ? en::kAllKinds : 1u << (i % 5 - 1);
    // The engine's gate (the signal words from the term walk) and the gate's own pass over the
    // words must both leave the scanners' findings as they are.
    const std::string gated = all_entities(text, kinds);
    const std::string own_pass = all_entities(text, kinds, signpost::test::Gate::words);
    const std::string full = all_entities(text, kinds, signpost::test::Gate::none);
    if (gated != full || own_pass != full) {
      ++differ;
      INFO(text);
      CHECK(gated == full);
      CHECK(own_pass == full);
    }
    NormalizedText n;
    normalize(text, n);
    if (n.text.find_first_of("0123456789") == std::string::npos) {
      money_no_digit += full.find("@money") != std::string::npos;
      date_no_digit += full.find("@date") != std::string::npos;
    }
  }
  CHECK(differ == 0);
  // The texts do reach the word paths the gate has to let through.
  CHECK(money_no_digit > 30);
  CHECK(date_no_digit > 30);
}

// The fast paths of the entity stage (the gate, lookup()'s filters) against the reference: every
// scanner run, every span and word start of lookup() read. Both must find the same entities, byte
// for byte.
namespace {

struct Both {
  std::string fast, reference;
};

Both both(std::string_view text, unsigned kinds) {
  signpost::detail::set_fast_path(signpost::detail::FastPath::entities, false);
  Both b;
  b.reference = all_entities(text, kinds);
  signpost::detail::set_fast_path(signpost::detail::FastPath::entities, true);
  b.fast = all_entities(text, kinds);
  return b;
}

struct Rng {
  std::uint64_t s;
  std::size_t operator()(std::size_t n) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::size_t>((s >> 33) % n);
  }
};

// The digits of one script (ASCII, Arabic-Indic, Persian, fullwidth, Devanagari, Bengali).
constexpr std::string_view kDigitSets[][10] = {
    {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"},
    {"٠", "١", "٢", "٣", "٤", "٥", "٦", "٧", "٨", "٩"},
    {"۰", "۱", "۲", "۳", "۴", "۵", "۶", "۷", "۸", "۹"},
    {"０", "１", "２", "３", "４", "５", "６", "７", "８", "９"},
    {"०", "१", "२", "३", "४", "५", "६", "७", "८", "९"},
    {"০", "১", "২", "৩", "৪", "৫", "৬", "৭", "৮", "৯"},
};

// Letters of the pack's scripts, for made-up words.
constexpr std::string_view kLetters[] = {
    "a", "b", "d", "e", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "D", "K", "é", "ë", "ç", "ş", "ı", "ü",
    "ê", "î", "û", "đ", "Đ", "ô", "ơ", "ư", "ạ", "ả", "ồ", "б", "д", "л", "о", "ا", "ب", "ل", "و", "د", "ر", "ن",
    "ی", "ک", "ۆ", "ە", "ډ", "ې", "ۍ", "پ", "\u200C", "\u064B", "0", "1", "3", "@", "$"};

constexpr std::string_view kPieces[] = {
    "€", "£", "$", "₺", "₫", "¥", "₹", "₽", "₼", "₪", "₴", "¢", "₾", "₸", "💷", "💶", "💵", "💴", "€uro", "d0llar",
    "@user", "@5ylum", "＠name", "a.b@mail.com", "@uk_trip", "p@ssport", "@", "x@y", "@nd", "@_x",
    "wa.me/447700", "https://t.me/abc", "www.instagram.com/x", "telegram.me/", "fb.com/a", "t.me", "/", "a/b",
    "chat.whatsapp.com/AbC", "signal.group/#x", "21:30", "9pm", "21h30", "21h", "12/05", "12.05.2025",
    "12-05-25", "24/7", "10:30", "+44", "0044", "07700", "(0)", "900123", "06 12 34 56 78", "đ", "Đ", "d",
    "500.000đ", "2.500e", "2500e", "1,5", "1.5k", "50tr", "5k", "2k", "2500pp", "100e", "boat", "the", "people",
    "price", "uk", "I'd", "you'd", "قارب", "قایق", "лодка", "thuyền", "varkë", "gemi", "p.o.u.n.d.s",
    "d o l l a r", "e-u-r-o", "t o n i g h t", "k", "K", "a", "e", "la", "le", "و", "ال", "بال"};

constexpr std::string_view kParticles[] = {"بال", "وال", "و", "ب", "ل", "ف", "ك", "ال", "فال", "کە"};

constexpr std::string_view kGapsAll[] = {" ", " ", " ", " ", "  ", ", ", "-", ".", "'", "\n", "\u00A0",
                                         "\u202F", "\u200C", "/", ":", "", "،", "\t", " - ", "٬", "\u2019"};

std::string number(Rng& r) {
  const auto& d = kDigitSets[r(std::size(kDigitSets))];
  std::string s;
  const std::size_t len = 1 + r(10);
  for (std::size_t i = 0; i < len; ++i) {
    if (i && r(6) == 0) s += r(2) ? "." : (r(2) ? "," : " ");
    s += d[r(10)];
  }
  return s;
}

}  // namespace

TEST_CASE("entity fast paths: random texts in every pack script find what the reference finds") {
  const std::vector<std::string_view> vocab = en::vocabulary_words();
  REQUIRE(vocab.size() > 300);
  Rng r{20251206};
  int differ = 0, money_words = 0, days = 0, handles = 0, phones = 0, skipped = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const std::size_t pieces = 1 + r(9);
    for (std::size_t w = 0; w < pieces; ++w) {
      if (w) text += kGapsAll[r(std::size(kGapsAll))];
      switch (r(10)) {
        case 0: case 1: case 2: case 3:
          text += vocab[r(vocab.size())];
          break;
        case 4:
          text += kParticles[r(std::size(kParticles))];
          text += vocab[r(vocab.size())];
          break;
        case 5:
          text += number(r);
          if (r(3) == 0) text += r(2) ? std::string(vocab[r(vocab.size())]) : std::string(kPieces[r(std::size(kPieces))]);
          break;
        case 6: case 7:
          text += kPieces[r(std::size(kPieces))];
          break;
        default:
          for (std::size_t k = 1 + r(8); k; --k) text += kLetters[r(std::size(kLetters))];
      }
    }
    if (r(20) == 0) text.resize(r(text.size() + 1));  // cut anywhere, even inside a character
    // Every kind, each kind alone, and any subset (a pack may name any).
    const unsigned kinds = i % 3 == 0 ? en::kAllKinds : i % 3 == 1 ? 1u << r(4) : static_cast<unsigned>(r(16));
    const Both b = both(text, kinds);
    if (b.fast != b.reference) {
      ++differ;
      INFO(text);
      INFO(kinds);
      CHECK(b.fast == b.reference);
    }
    NormalizedText n;
    normalize(text, n);
    const bool digit = n.text.find_first_of("0123456789") != std::string::npos;
    if (!digit) {
      money_words += b.reference.find("@money") != std::string::npos;
      days += b.reference.find("@date") != std::string::npos;
    }
    handles += b.reference.find("@handle") != std::string::npos;
    phones += b.reference.find("@phone") != std::string::npos;
    skipped += (kinds & (en::bit(Kind::money) | en::bit(Kind::date))) && !digit && b.reference.empty();
  }
  CHECK(differ == 0);
  // The texts reach every path the fast ones must let through, and many the gate may skip.
  CHECK(money_words > 200);
  CHECK(days > 200);
  CHECK(handles > 200);
  CHECK(phones > 100);
  CHECK(skipped > 1000);
}

TEST_CASE("entity fast paths: every vocabulary word, alone and in the places lookup() reads it") {
  const std::vector<std::string_view> vocab = en::vocabulary_words();
  int differ = 0;
  for (const std::string_view w : vocab) {
    const std::string ws(w);
    const std::string texts[] = {ws, "two " + ws, "5 " + ws, ws + " 5", "hai nghìn " + ws, "بال" + ws, "و" + ws,
                                 ws + " " + ws, "x " + ws + " y", "خمسة آلاف " + ws, "the " + ws + " is",
                                 ws + "-" + ws, "٥ " + ws, ws + "\u00A0" + "۲۰"};
    for (const std::string& text : texts) {
      const Both b = both(text, en::kAllKinds);
      if (b.fast != b.reference) {
        ++differ;
        INFO(text);
        CHECK(b.fast == b.reference);
      }
    }
  }
  CHECK(differ == 0);
  // The đ written alone after number words is đồng, as the scanner reads it without the gate.
  CHECK(money("hai nghìn đ") == "2000 vnd");
  CHECK(money("ba trăm nghìn Đ") == "300000 vnd");
  CHECK(money("I'd pay two thousand d") == "0 amounts");
}

TEST_CASE("entity fast paths: the handles' one pass finds '@', '/' and U+FF20 wherever they lie") {
  // Handles, links and e-mail addresses (ASCII '@', full-width '＠', '/'), and texts with a byte
  // 0xEF that is no '＠' ('￥', '｡'), after 0 to 40 bytes of words and before 0 to 20: every place
  // in and around the sixteen-byte blocks and the last, padded or overlapping, block.
  const std::string_view marks[] = {"@uk_trip", "\uFF20uk_trip", "wa.me/447700900123", "t.me/uk_boats", "x@mail.com",
                                    "\uFFE5500", "\uFF61 uk", "a/b", "@", "/"};
  const std::string filler = "the boat to dover leaves at night and the price is fair";
  int differ = 0, found = 0;
  for (const std::string_view m : marks)
    for (std::size_t before = 0; before <= 40; ++before)
      for (std::size_t after = 0; after <= 20; after += 5) {
        std::string text = filler.substr(0, before);
        if (before) text += ' ';
        text += m;
        if (after) text += " " + filler.substr(filler.size() - after);
        const Both b = both(text, en::bit(Kind::handle));
        found += b.reference.find("@handle") != std::string::npos;
        if (b.fast != b.reference) {
          ++differ;
          INFO(text);
          CHECK(b.fast == b.reference);
        }
      }
  CHECK(differ == 0);
  CHECK(found > 1000);
}

TEST_CASE("entity gate: a digit anywhere in a text of any length lets the digit scanners run") {
  // The signal gate reads only the digits of the normalized text (sixteen, then eight bytes at a
  // time, the last block overlapping the one before): a number at every word of texts whose
  // normalized form is 2 to 60 bytes long, the words of one to four letters so that the number
  // falls at every offset. (A digit inside a word would be read as a letter: "b3st".)
  const unsigned kinds = en::bit(Kind::phone) | en::bit(Kind::money);
  static constexpr std::string_view kFill[] = {"ab", "abc", "abcd", "a"};
  int checked = 0;
  for (std::size_t words = 1; words <= 20; ++words)
    for (std::size_t shift = 0; shift < 4; ++shift) {
      std::vector<std::string> w;
      for (std::size_t k = 0; k < words; ++k) w.emplace_back(kFill[(k + shift) % 4]);
      const auto join = [&] {
        std::string s;
        for (const auto& x : w) s += (s.empty() ? "" : " ") + x;
        return s;
      };
      NormalizedText n;
      const std::string plain = join();
      normalize(plain, n);
      CHECK(en::possible_kinds_signalled(plain, n, kinds, 0) == 0u);
      for (std::size_t at = 0; at < words; ++at) {
        const std::string keep = w[at];
        w[at] = "12";
        const std::string text = join();
        w[at] = keep;
        normalize(text, n);
        REQUIRE(n.text.find("12") != std::string::npos);
        INFO(text);
        CHECK(en::possible_kinds_signalled(text, n, kinds, 0) == kinds);
        ++checked;
      }
    }
  CHECK(checked == 840);
  // Without a digit, only the words signalled count.
  NormalizedText n;
  normalize("two thousand pounds", n);
  CHECK(en::possible_kinds_signalled("two thousand pounds", n, kinds, en::bit(Kind::money)) == en::bit(Kind::money));
  CHECK(en::possible_kinds_signalled("two thousand pounds", n, kinds | en::bit(Kind::date), en::bit(Kind::money)) ==
        en::bit(Kind::money));
  // A token "d": the đồng's đ ("hai nghìn đ") lets the money scanner run; French "d'" does not.
  normalize("hai nghìn đ", n);
  CHECK(en::possible_kinds_signalled("hai nghìn đ", n, kinds, en::kSignalDong) == en::bit(Kind::money));
  normalize("c'est l'heure d'aller au bord", n);
  CHECK(en::possible_kinds_signalled("c'est l'heure d'aller au bord", n, kinds, en::kSignalDong) == 0u);
  CHECK(signpost::test::money("hai nghìn đ") == "2000 vnd");
}
