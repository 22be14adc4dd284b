// entities/money.cpp: amounts of money.
//
// An amount is digits (any script: the normalizer made them ASCII and joined thousands groups,
// "1.500", "١٬٥٠٠", "1 500" -> 1500), possibly with a decimal part ("1.5k", "2,5 k€"), or number
// words ("two and a half thousand", "hai nghìn sáu trăm"), possibly scaled by multipliers ("3 bin
// 500", "٦ آلاف", "350 triệu"). It is money when a currency (a sign, code or word) stands right
// before or after it, or when one of its multipliers only ever scales money ("2k", "350 triệu",
// "۲۵ لکه"). The tokens of one amount are separated by white space only. Number words join with
// "and", "et", "e" (Albanian), "û" (Kurmanji), "و" (also attached: "وخمسمية"), "او" (Pashto).
// "2500e" is 2,500 euros (a French habit), except around a French ordinal ("le 100e", "1000e jour").
#include "entities/support.hpp"

namespace signpost::detail::entities {
namespace {

struct Amount {
  Tok first, last;
  double value = 0;
  bool money_only = false;
  bool e_suffix = false;  // the currency was the "e" of "2500e"
  std::string_view code;  // a currency found after (or inside) the amount
};

// "2500e": euros written as a trailing "e" (not "é"), on 3 digits or more; below 100 it is too
// often a French ordinal ("20e siècle").
bool euro_suffix(const Tokens& toks, const Tok& t, std::string_view rest, double value) noexcept {
  if (rest != "e" || value < 100 || t.oe == 0 || t.oe > toks.original().size()) return false;
  const char c = toks.original()[t.oe - 1];
  return c == 'e' || c == 'E';
}

// "2500pp" (per person; normalized "2500p"): the amount ends there; a currency sign before it
// makes it money ("£2500pp").
bool per_person(const Tokens& toks, const Tok& t, std::string_view rest) noexcept {
  if (rest != "p" || t.oe < 2 || t.oe > toks.original().size()) return false;
  const std::string_view o = toks.original().substr(t.oe - 2, 2);
  return (o[0] == 'p' || o[0] == 'P') && (o[1] == 'p' || o[1] == 'P');
}

// The hundreds and tens written after the k of "2k5" or "3k25" (500, 250); 0 when `rest` is not a
// "k" and one or two digits, the first of them not 0.
double thousands_after_k(std::string_view rest) noexcept {
  if (rest.size() < 2 || rest[0] != 'k' || rest[1] == '0') return 0;
  const Digits d = read_digits(rest.substr(1));
  if (d.count < 1 || d.count > 2 || d.plus || !d.rest.empty()) return 0;
  return d.value * (d.count == 1 ? 100 : 10);
}

// Whether the token is a word of a French ordinal's surroundings: `where` 1 before it ("le"), 2 after
// it ("jour").
bool ordinal_word(const Tokens& toks, const Tok& t, double where) noexcept {
  Tok last;
  const WordInfo* w = lookup(toks, t, last);
  return w && w->type == Word::ordinal && w->value == where;
}

// Whether the original bytes of t end with the Vietnamese đ (Đ), the đồng written short
// ("500.000đ", "500.000 đ"); normalized, it is a "d" like any other.
bool dong_letter(const Tokens& toks, const Tok& t) noexcept { return entities::dong_letter(toks.original(), toks.norm(), t.nb, t.ne); }

bool read_currency(const Tokens& toks, const Tok& t, std::string_view& code, Tok& last) noexcept {
  if (currency_sign(t.text, code)) {
    last = t;
    return true;
  }
  if (t.text == "d" && dong_letter(toks, t)) {
    code = "vnd";
    last = t;
    return true;
  }
  const WordInfo* w = lookup(toks, t, last);
  if (w && w->type == Word::currency) {
    code = w->code;
    return true;
  }
  return false;
}

// Reads the amount that starts at t. False when t starts none.
bool read_amount(const Tokens& toks, const Tok& t, Amount& a) noexcept {
  a = Amount{};
  a.first = t;
  // total: what the multipliers have scaled; part: the number being read since the last one;
  // small: its part since the last hundred (what "mươi" multiplies by ten and "hundred" by 100).
  double total = 0, part = 0, small = 0, last_mult = 0;
  bool have_part = false, numeric = false, any = false, article = false, first = true;
  bool half_start = false;     // the amount starts with "half" ("half a million", "nửa tỷ")
  std::string_view mult_code;  // the currency a multiplier implies ("củ": đồng)
  Tok cur = t, prev = t, mult_last = t;  // mult_last: the last token of the last multiplier
  // The amount read. Hundreds after millions stand for thousands, as people say prices: "دو
  // میلیون و پونصد" (and "2 milyon 500") is 2,500,000.
  const auto value = [&](double p) { return total + (last_mult >= 1e6 && p >= 100 && p < 1000 ? p * 1000 : p); };
  const auto scale = [&](const WordInfo& w) {
    total += (have_part ? part : 1) * w.value;
    part = small = 0;
    have_part = false;
    last_mult = w.value;
    a.money_only |= w.money_only;
    if (!w.code.empty()) mult_code = w.code;
  };
  // Applies a number word to the amount; false when the word cannot continue it.
  const auto take_word = [&](const WordInfo& w, bool at_start, bool& counts) {
    switch (w.type) {
      case Word::number:
        part += w.value;
        small += w.value;
        have_part = true;
        return true;
      case Word::hundred:
        part = small > 0 ? part - small + small * w.value : (have_part ? part : 1) * w.value;
        small = 0;
        have_part = true;
        return true;
      case Word::tens:
        if (small <= 0) {  // "mười triệu": ten
          part += w.value;
          small = w.value;
          have_part = true;
        } else {           // "năm mươi": fifty
          part += small * (w.value - 1);
          small *= w.value;
        }
        return true;
      case Word::multiplier:
        if (!have_part && !article && !(at_start && !w.money_only)) return false;  // "k" alone is no amount
        scale(w);
        return true;
      case Word::half:
        if (have_part) {
          part += 0.5;
        } else if (last_mult > 0) {
          total += 0.5 * last_mult;
        } else if (article || at_start) {  // "a half", or "half" before a multiplier (checked at the end)
          part = 0.5;
          have_part = true;
          half_start = !article;
        } else {
          return false;
        }
        return true;
      case Word::connector:
        counts = false;
        return any;
      case Word::article:
        counts = false;
        article = true;
        return true;
      default:
        return false;
    }
  };
  while (true) {
    if (!first && !toks.spaced(prev, cur)) break;
    Digits d = read_digits(cur.text);
    // "و٥٠٠" after a multiplier: the joiner و written onto the digits ("٢ مليون و٥٠٠ ألف").
    if (d.count == 0 && !first && last_mult > 0 && cur.text.starts_with("\xD9\x88")) d = read_digits(cur.text.substr(2));
    if (d.count) {
      if (d.plus) break;
      // Digits start an amount, or add to a multiplier's value: "3 bin 500".
      if (!first && !(last_mult > 0 && !have_part && d.value < last_mult)) break;
      double v = d.value;
      std::string_view rest = d.rest;
      Tok end = cur, nx;
      if (rest.empty() && toks.next(cur, nx)) {
        const std::string_view g = toks.gap(cur, nx);
        const Digits frac = read_digits(nx.text);
        if ((g == "." || g == "," || g == "\u066B") && frac.count >= 1 && frac.count <= 2 && !frac.plus) {
          v += frac.value / (frac.count == 1 ? 10.0 : 100.0);
          rest = frac.rest;
          end = nx;
        } else if ((g == "." || g == "," || g == " " || g == "\u00A0" || g == "\u202F") && frac.count == 3 &&
                   !frac.plus && !frac.rest.empty()) {
          // The last thousands group with a suffix, which the normalizer leaves apart ("2.500e",
          // "600.000.000đ").
          v = v * 1000 + frac.value;
          rest = frac.rest;
          end = nx;
        }
      }
      if (!rest.empty()) {
        // "5k", "1200euro", "2500e": a multiplier or a currency written onto the digits.
        if (euro_suffix(toks, end, rest, v)) {
          a.last = end;
          a.code = "eur";
          a.e_suffix = true;
          a.value = value(part + v);
          return true;
        }
        if (rest == "d" && dong_letter(toks, end)) {  // "500.000đ"
          a.last = end;
          a.code = "vnd";
          a.value = value(part + v);
          return true;
        }
        if (per_person(toks, end, rest)) {
          part += v;
          small += v;
          have_part = numeric = any = true;
          a.last = end;
          break;
        }
        // "2k5", "12k5", "3k25": the multiplier k, then the hundreds written after it (2,500).
        const double after_k = first && v >= 1 && v < 1000 ? thousands_after_k(rest) : 0;
        const WordInfo* w = find_word(after_k > 0 ? std::string_view("k") : rest);
        if (!w || (w->type != Word::multiplier && w->type != Word::currency)) {
          if (first) return false;
          break;
        }
        // "5k e 3k", "2k and 3k": a second amount, not a part of the first.
        if (!first && w->type == Word::multiplier && w->value >= last_mult) break;
        a.last = end;
        any = true;
        if (w->type == Word::currency) {
          a.code = w->code;
          a.value = value(part + v);
          return true;
        }
        part = v;
        have_part = true;
        scale(*w);
        mult_last = end;
        if (after_k > 0) {
          part = small = after_k;
          numeric = have_part = true;
        }
      } else {
        part += v;
        small += v;
        have_part = numeric = any = true;
        a.last = end;
      }
      prev = end;
      first = false;
      if (!toks.next(end, cur)) break;
      continue;
    }
    Tok last;
    std::string_view code;
    if (any && !(half_start && last_mult == 0) && read_currency(toks, cur, code, last)) {
      a.code = code;
      a.last = last;
      a.value = value(part);
      return true;
    }
    const WordInfo* w = lookup(toks, cur, last);
    if (!w || (w->type == Word::number && numeric)) break;  // "3 sept": digits then words are two things
    bool counts = true;  // the word is part of the amount's span (connectors and articles alone are not)
    if (!take_word(*w, first, counts)) break;
    if (counts) {
      any = true;
      article = false;
      a.last = last;
      if (w->type == Word::multiplier) mult_last = last;
    }
    prev = last;
    first = false;
    if (!toks.next(last, cur)) break;
  }
  if (!any || (half_start && last_mult == 0)) return false;  // "half price" is no amount
  // A small number after the last multiplier and no currency counts something else ("50 tr một
  // người": 50 million a person); hundreds stay ("3 bin 500").
  if (last_mult > 0 && have_part && part < 100) {
    a.last = mult_last;
    part = 0;
  }
  a.value = value(part);
  if (a.code.empty()) a.code = mult_code;
  return true;
}

}  // namespace

void scan_money(const Tokens& toks, std::vector<Entity>& out) {
  Tok t, before;
  bool have_before = false;  // `before`: the token before t
  if (!toks.first(t)) return;
  // "2500e" next to a French ordinal's words ("le 1000e", "1000e jour") is no price.
  const auto ordinal = [&](const Amount& a) {
    Tok nx;
    return (have_before && toks.spaced(before, a.first) && ordinal_word(toks, before, 1)) ||
           (toks.next(a.last, nx) && ordinal_word(toks, nx, 2));
  };
  while (true) {
    Tok resume = t;  // the last token this step used
    const Digits d = read_digits(t.text);
    std::string_view code;
    Tok clast, nx;
    Amount a;
    // A currency sign or code before digits: "€1400", "$ 500", "EUR 1,400" (not a word: "Euro 2024").
    if (d.count == 0 && read_currency(toks, t, code, clast) && (clast.index == t.index && (t.text == code || currency_sign(t.text, code))) &&
        toks.next(clast, nx) && toks.spaced(clast, nx) &&
        read_digits(nx.text).count > 0 && !read_digits(nx.text).plus && read_amount(toks, nx, a)) {
      emit(out, Kind::money, t, a.last, a.value, a.code.empty() ? code : a.code);
      resume = a.last;
    } else if ((d.count > 0 || maybe_word(t)) && read_amount(toks, t, a) && (!a.code.empty() || a.money_only) &&
               !(a.e_suffix && ordinal(a))) {
      emit(out, Kind::money, a.first, a.last, a.value, a.code);
      resume = a.last;
    }
    before = resume;
    have_before = true;
    if (!toks.next(resume, t)) break;
  }
}

}  // namespace signpost::detail::entities
