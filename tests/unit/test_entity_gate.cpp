// Tests for the entity gate (entities/gate.cpp): the pass that skips the scanners a text cannot
// feed must never change what they find.
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "entities/entities.hpp"
#include "normalize/normalizer.hpp"

namespace en = signpost::detail::entities;
using en::Kind;
using signpost::detail::normalize;
using signpost::detail::NormalizedText;

namespace {

std::vector<en::Entity> scan(std::string_view text, unsigned kinds, bool gated = true) {
  NormalizedText n;
  normalize(text, n);
  std::vector<en::Entity> out;
  (gated ? en::scan : en::scan_ungated)(text, n, kinds, out);
  return out;
}

// The original text of every entity of `kind`, joined by " | ".
std::string found(std::string_view text, Kind kind) {
  std::string s;
  for (const en::Entity& e : scan(text, en::bit(kind))) {
    if (!s.empty()) s += " | ";
    s += std::string(text.substr(e.begin, e.end - e.begin));
  }
  return s;
}

// The single money amount in `text`: "<amount> <currency>", or how many there were.
std::string money(std::string_view text) {
  const auto v = scan(text, en::bit(Kind::money));
  if (v.size() != 1) return std::to_string(v.size()) + " amounts";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v[0].amount);
  return std::string(buf) + (v[0].what.empty() ? "" : " " + std::string(v[0].what));
}

// Every entity of the kinds asked for in `text`, one "kind begin end nbegin nend amount what;" each.
std::string all_entities(std::string_view text, unsigned kinds = en::kAllKinds, bool gated = true) {
  std::string s;
  for (const auto& e : scan(text, kinds, gated)) {
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
    const std::string gated = all_entities(text, kinds);
    const std::string full = all_entities(text, kinds, false);
    if (gated != full) {
      ++differ;
      INFO(text);
      CHECK(gated == full);
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
