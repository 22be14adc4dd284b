// entities/dates.cpp: dates and times.
//
// - times: "21:30", "9:05 pm", "21h30", "21h", "9pm", "9 pm", "9 giờ", "saat 21", "ساعت ۹",
//   "الساعة ١٠:٣٠", "ora 9" (what = "time");
// - dates: "12/05", "12/05/2025", "12.05.2025", "12-05-25" (day and month in either order; with dots
//   or hyphens only with a year, since "1.5" is a decimal) (what = "date");
// - days: weekdays and "tonight", "tomorrow", "this weekend"... in the pack languages (vocabulary.cpp)
//   (what = "day").
#include "entities/support.hpp"

namespace signpost::detail::entities {
namespace {

bool plain(const Digits& d) noexcept { return d.count > 0 && d.rest.empty() && !d.plus; }

bool is_ampm(const Tokens& toks, const Tok& t, Tok& last) noexcept {
  const WordInfo* w = lookup(toks, t, last);
  return w && w->type == Word::ampm;
}

// "HH:MM" (with an optional am/pm/h after it) or "HH am" / "HHh30" / "9pm" from t; `last` is its
// last token.
bool read_time(const Tokens& toks, const Tok& t, Tok& last) noexcept {
  const Digits h = read_digits(t.text);
  if (h.count == 0 || h.count > 2 || h.plus || h.value > 24) return false;
  Tok nx;
  if (h.rest.empty()) {
    if (!toks.next(t, nx)) return false;
    const std::string_view g = toks.gap(t, nx);
    const Digits m = read_digits(nx.text);
    if ((g == ":" || g == "\uFF1A") && m.count == 2 && !m.plus && m.value < 60) {
      last = nx;
      Tok ap, ap_last;
      if (m.rest.empty() && toks.next(nx, ap) && toks.spaced(nx, ap) && is_ampm(toks, ap, ap_last)) last = ap_last;
      return m.rest.empty() || find_word(m.rest) != nullptr;
    }
    // "9 pm", "21 h", "9 giờ"
    Tok ap_last;
    if (toks.spaced(t, nx) && is_ampm(toks, nx, ap_last)) {
      last = ap_last;
      return true;
    }
    return false;
  }
  // "21h30", "21h", "9pm"
  std::string_view rest = h.rest;
  if (rest == "am" || rest == "pm") {
    last = t;
    return h.value <= 12;
  }
  if (rest[0] == 'h') {
    rest.remove_prefix(1);
    const Digits m = read_digits(rest);
    if (rest.empty() || (m.count == 2 && m.rest.empty() && m.value < 60)) {
      last = t;
      return true;
    }
  }
  return false;
}

// d/m, d/m/y, d.m.y, d-m-y from t.
bool read_date(const Tokens& toks, const Tok& t, Tok& last) noexcept {
  const Digits a = read_digits(t.text);
  if (!plain(a) || a.count > 2 || a.value == 0) return false;
  Tok b, c;
  if (!toks.next(t, b)) return false;
  const std::string_view g1 = toks.gap(t, b);
  if (g1 != "/" && g1 != "." && g1 != "-") return false;
  const Digits db = read_digits(b.text);
  if (!plain(db) || db.count > 2 || db.value == 0) return false;
  const bool day_month = a.value <= 31 && db.value <= 12, month_day = a.value <= 12 && db.value <= 31;
  if (!day_month && !month_day) return false;
  if (toks.next(b, c) && toks.gap(b, c) == g1) {
    const Digits dc = read_digits(c.text);
    if (plain(dc) && (dc.count == 2 || dc.count == 4)) {
      last = c;
      return true;
    }
  }
  if (g1 != "/") return false;                   // "1.5", "3-4": not dates without a year
  if (a.value == 24 && db.value == 7) return false;  // "24/7"
  last = b;
  return true;
}

}  // namespace

void scan_dates(const Tokens& toks, std::vector<Entity>& out) {
  Tok t;
  if (!toks.first(t)) return;
  while (true) {
    Tok resume = t, last;
    const Digits d = read_digits(t.text);
    if (d.count > 0) {
      if (read_time(toks, t, last)) {
        emit(out, Kind::date, t, last, 0, "time");
        resume = last;
      } else if (read_date(toks, t, last)) {
        emit(out, Kind::date, t, last, 0, "date");
        resume = last;
      }
    } else if (const WordInfo* w = lookup(toks, t, last)) {
      Tok nx, tl;
      if (w->type == Word::weekday || w->type == Word::relday) {
        emit(out, Kind::date, t, last, 0, "day");
        resume = last;
      } else if (w->type == Word::hour && toks.next(last, nx) && toks.spaced(last, nx) && read_digits(nx.text).count > 0) {
        // "saat 21", "ساعت ۹", "الساعة ١٠:٣٠"
        const Digits h = read_digits(nx.text);
        if (read_time(toks, nx, tl)) {
          emit(out, Kind::date, t, tl, 0, "time");
          resume = tl;
        } else if (h.count <= 2 && !h.plus && h.value <= 24) {
          emit(out, Kind::date, t, nx, 0, "time");
          resume = nx;
        }
      }
    }
    if (!toks.next(resume, t)) break;
  }
}

}  // namespace signpost::detail::entities
