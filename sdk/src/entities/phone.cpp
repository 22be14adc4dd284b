// entities/phone.cpp: phone numbers.
//
// Groups of digits (any script) separated by at most three spaces, hyphens, dots or parentheses:
// "+44 7700 900123", "0044 (0)7700-900-123", "07700 900 123", "06 12 34 56 78", "٠٧٧٠٠٩٠٠١٢٣",
// "۰۹۱۲ ۳۴۵ ۶۷۸۹". A number is a phone number when it is international (a leading "+" and 8 to 15
// digits, or "00" and 10 to 17 digits) or national (a leading "0", then a digit other than 0, 9 to
// 11 digits in all). The longest run of groups that makes such a number is taken. Dates written
// with dots or hyphens ("01.02.2025") are not phone numbers.
#include "entities/support.hpp"

namespace signpost::detail::entities {
namespace {

bool phone_gap(std::string_view g) noexcept {
  int visible = 0;
  for (std::size_t i = 0; i < g.size();) {
    const char32_t c = decode(g, i);
    if (c == '-' || c == '.' || c == '(' || c == ')' || c == ' ' || c == 0x00A0 || c == 0x2009 || c == 0x202F) {
      ++visible;
      continue;
    }
    if (c == '\n' || c == '\r' || c == '\t' || !space_or_invisible(c)) return false;  // invisible marks pass
  }
  return visible <= 3;
}

bool plain_digits(const Digits& d) noexcept { return d.count > 0 && d.rest.empty(); }

// dd.mm.yyyy or dd-mm-yy: the first three groups, joined by one '.' or '-', as a date.
bool date_shaped(const Tokens& toks, const Tok& a) noexcept {
  Tok b, c;
  if (!toks.next(a, b) || !toks.next(b, c)) return false;
  const std::string_view g1 = toks.gap(a, b), g2 = toks.gap(b, c);
  if (g1 != g2 || (g1 != "." && g1 != "-" && g1 != "/")) return false;
  const Digits da = read_digits(a.text), db = read_digits(b.text), dc = read_digits(c.text);
  return plain_digits(da) && plain_digits(db) && plain_digits(dc) && da.count <= 2 && db.count <= 2 &&
         (dc.count == 2 || dc.count == 4);
}

}  // namespace

void scan_phones(const Tokens& toks, std::vector<Entity>& out) {
  Tok t;
  if (!toks.first(t)) return;
  while (true) {
    Tok resume = t;
    const Digits d = read_digits(t.text);
    if (d.count > 0 && d.rest.empty() && !date_shaped(toks, t)) {
      const bool intl_plus = d.plus;
      const bool intl_00 = !d.plus && t.text.starts_with("00");
      const bool national = !d.plus && !intl_00 && t.text.size() >= 2 && t.text[0] == '0';
      if (intl_plus || intl_00 || national) {
        std::uint32_t digits = d.count;
        Tok cur = t, nx, best = t;
        bool ok = false;
        auto valid = [&](std::uint32_t n) {
          if (intl_plus) return n >= 8 && n <= 15;
          if (intl_00) return n >= 10 && n <= 17;
          return n >= 9 && n <= 11;
        };
        if (valid(digits)) best = cur, ok = true;
        while (digits <= 17 && toks.next(cur, nx) && phone_gap(toks.gap(cur, nx))) {
          const Digits dn = read_digits(nx.text);
          if (!plain_digits(dn) || dn.plus) break;
          digits += dn.count;
          cur = nx;
          if (valid(digits)) best = cur, ok = true;
        }
        if (ok) {
          emit(out, Kind::phone, t, best, 0, "");
          resume = best;
        }
      }
    }
    if (!toks.next(resume, t)) break;
  }
}

}  // namespace signpost::detail::entities
