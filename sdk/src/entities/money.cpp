// entities/money.cpp: amounts of money.
//
// An amount is digits (any script: the normalizer made them ASCII and joined thousands groups,
// "1.500", "١٬٥٠٠", "1 500" -> 1500), possibly with a decimal part ("1.5k", "2,5 k€"), or number
// words ("two and a half thousand", "hai nghìn sáu trăm"), possibly scaled by multipliers ("3 bin
// 500", "٦ آلاف", "350 triệu"). It is money when a currency (a sign, code or word) stands right
// before or after it, or when one of its multipliers only ever scales money ("2k", "350 triệu",
// "۲۵ لکه"). The tokens of one amount are separated by white space only.
#include "entities/support.hpp"

namespace signpost::detail::entities {
namespace {

struct Amount {
  Tok first, last;
  double value = 0;
  bool money_only = false;
  std::string_view code;  // a currency found after (or inside) the amount
};

bool read_currency(const Tokens& toks, const Tok& t, std::string_view& code, Tok& last) noexcept {
  if (currency_sign(t.text, code)) {
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
  double total = 0, part = 0, last_mult = 0;
  bool have_part = false, numeric = false, any = false, article = false, first = true;
  Tok cur = t, prev = t;
  // Applies a number word to the amount; false when the word cannot continue it.
  const auto take_word = [&](const WordInfo& w, bool at_start, bool& counts) {
    switch (w.type) {
      case Word::number:
        part += w.value;
        have_part = true;
        return true;
      case Word::hundred:
        part = (have_part ? part : 1) * w.value;
        have_part = true;
        return true;
      case Word::multiplier:
        if (!have_part && !article && !(at_start && !w.money_only)) return false;  // "k" alone is no amount
        total += (have_part ? part : 1) * w.value;
        part = 0;
        have_part = false;
        last_mult = w.value;
        a.money_only |= w.money_only;
        return true;
      case Word::half:
        if (have_part) {
          part += 0.5;
        } else if (last_mult > 0) {
          total += 0.5 * last_mult;
        } else if (article) {
          part = 0.5;
          have_part = true;
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
    const Digits d = read_digits(cur.text);
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
        }
      }
      if (!rest.empty()) {
        // "5k", "1200euro": a multiplier or a currency written onto the digits.
        const WordInfo* w = find_word(rest);
        if (!w || (w->type != Word::multiplier && w->type != Word::currency)) {
          if (first) return false;
          break;
        }
        a.last = end;
        any = true;
        if (w->type == Word::currency) {
          a.code = w->code;
          a.value = total + part + v;
          return true;
        }
        total += v * w->value;
        part = 0;
        have_part = false;
        last_mult = w->value;
        a.money_only |= w->money_only;
      } else {
        part += v;
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
    if (any && read_currency(toks, cur, code, last)) {
      a.code = code;
      a.last = last;
      a.value = total + part;
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
    }
    prev = last;
    first = false;
    if (!toks.next(last, cur)) break;
  }
  if (!any) return false;
  a.value = total + part;
  return true;
}

}  // namespace

void scan_money(const Tokens& toks, std::vector<Entity>& out) {
  Tok t;
  if (!toks.first(t)) return;
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
    } else if ((d.count > 0 || maybe_word(t)) && read_amount(toks, t, a) && (!a.code.empty() || a.money_only)) {
      emit(out, Kind::money, a.first, a.last, a.value, a.code);
      resume = a.last;
    }
    if (!toks.next(resume, t)) break;
  }
}

}  // namespace signpost::detail::entities
