// entities/scan.cpp: the token view the scanners share, small readers, and scan() itself.
#include <algorithm>
#include <atomic>

#include "base/fast_paths.hpp"
#include "base/utf8.hpp"
#include "entities/support.hpp"

namespace signpost::detail::entities {
namespace {

bool apostrophe_or_hyphen(char32_t c) noexcept {
  return c == '\'' || c == '-' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x2010 || c == 0x2011;
}

}  // namespace

char32_t decode(std::string_view s, std::size_t& i) noexcept {
  char32_t c = 0;
  const std::size_t n = decode_utf8(s, i, c);
  i += n == 0 ? 1 : n;
  return n == 0 ? 0xFFFD : c;
}

bool space_or_invisible(char32_t c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x00A0 || c == 0x00AD ||
         c == 0x061C || (c >= 0x2000 && c <= 0x200F) || (c >= 0x2028 && c <= 0x202F) ||
         (c >= 0x205F && c <= 0x2069) || c == 0x3000 || c == 0xFEFF;
}

Tok Tokens::at(std::uint32_t nb) const noexcept {
  Tok t;
  const std::string_view s = norm_.text;
  std::size_t ne = s.find(' ', nb);
  if (ne == std::string_view::npos) ne = s.size();
  t.nb = nb;
  t.ne = static_cast<std::uint32_t>(ne);
  t.ob = norm_.begin[nb];
  t.oe = std::max(norm_.end[ne - 1], t.ob);
  t.index = norm_.token[nb];
  t.text = s.substr(nb, ne - nb);
  return t;
}

bool Tokens::first(Tok& out) const noexcept {
  if (norm_.text.empty()) return false;
  out = at(0);
  return true;
}

bool Tokens::next(const Tok& t, Tok& out) const noexcept {
  if (t.ne + 1 >= norm_.text.size()) return false;
  out = at(t.ne + 1);
  return true;
}

std::string_view Tokens::gap(const Tok& a, const Tok& b) const noexcept {
  if (b.ob <= a.oe || b.ob > original_.size()) return {};
  return original_.substr(a.oe, b.ob - a.oe);
}

bool Tokens::spaced(const Tok& a, const Tok& b) const noexcept {
  const std::string_view g = gap(a, b);
  for (std::size_t i = 0; i < g.size();)
    if (!space_or_invisible(decode(g, i))) return false;
  return true;
}

bool Tokens::joined(const Tok& a, const Tok& b) const noexcept {
  const std::string_view g = gap(a, b);
  for (std::size_t i = 0; i < g.size();) {
    const char32_t c = decode(g, i);
    if (!space_or_invisible(c) && !apostrophe_or_hyphen(c)) return false;
  }
  return true;
}

// The tokens of the normalized text that the original bytes [ob, oe) touch. The walk starts at the
// token that holds the last normalized byte coming from before ob (the input offsets of the
// normalized bytes never decrease), found by a binary search, so that a text of many handles is
// not read from its start for each of them.
bool locate(const Tokens& toks, std::uint32_t ob, std::uint32_t oe, Tok& a, Tok& b) noexcept {
  const NormalizedText& n = toks.norm();
  if (n.text.empty()) return false;
  std::size_t i = static_cast<std::size_t>(std::lower_bound(n.begin.begin(), n.begin.end(), ob) - n.begin.begin());
  if (i > 0) --i;
  while (i > 0 && n.text[i - 1] != ' ') --i;
  Tok t = toks.at(static_cast<std::uint32_t>(i));
  bool found = false;
  do {
    if (t.ob >= oe) break;
    if (t.oe > ob) {
      if (!found) a = t;
      b = t;
      found = true;
    }
  } while (toks.next(t, t));
  return found;
}

std::string_view Tokens::span(const Tok& a, const Tok& b) const noexcept {
  return std::string_view(norm_.text).substr(a.nb, b.ne - a.nb);
}

Digits read_digits(std::string_view token) noexcept {
  Digits d;
  std::size_t i = 0;
  if (!token.empty() && token[0] == '+') {
    d.plus = true;
    i = 1;
  }
  const std::size_t from = i;
  while (i < token.size() && token[i] >= '0' && token[i] <= '9') {
    if (i - from < 18) d.value = d.value * 10 + (token[i] - '0');
    ++i;
  }
  d.count = static_cast<std::uint32_t>(i - from);
  if (d.count == 0) return Digits{};
  d.rest = token.substr(i);
  return d;
}

namespace {
constexpr std::pair<std::string_view, std::string_view> kSigns[] = {
    {"€", "eur"}, {"£", "gbp"}, {"$", "usd"}, {"₺", "try"}, {"₫", "vnd"}, {"¥", "jpy"}, {"₹", "inr"},
    {"₽", "rub"}, {"₼", "azn"}, {"₪", "ils"}, {"₴", "uah"}, {"¢", "usd"}, {"₾", "gel"}, {"₸", "kzt"},
    // Banknote emoji, written as currency signs in adverts ("💷4500", "💶 2600").
    {"💷", "gbp"}, {"💶", "eur"}, {"💵", "usd"}, {"💴", "jpy"},
};
}  // namespace

std::span<const std::pair<std::string_view, std::string_view>> currency_signs() noexcept { return kSigns; }

bool currency_sign(std::string_view token, std::string_view& code) noexcept {
  // Every sign is 1 to 4 bytes and starts with '$' or a non-ASCII byte: most tokens stop here.
  if (token.empty() || token.size() > 4 || (token[0] != '$' && static_cast<unsigned char>(token[0]) < 0x80)) return false;
  for (const auto& [sign, c] : kSigns) {
    if (token == sign) {
      code = c;
      return true;
    }
  }
  return false;
}

void emit(std::vector<Entity>& out, Kind kind, const Tok& a, const Tok& b, double amount, std::string_view what) {
  Entity e;
  e.kind = kind;
  e.begin = a.ob;
  e.end = std::max(b.oe, a.ob);
  e.nbegin = a.nb;
  e.nend = b.ne;
  e.tok_begin = a.index;
  e.tok_end = b.index;
  e.amount = amount;
  e.what = what;
  try {
    out.push_back(e);
  } catch (...) {  // out of memory: the entity is dropped, never an exception on text
  }
}

bool dong_letter(std::string_view original, const NormalizedText& norm, std::uint32_t nb, std::uint32_t ne) noexcept {
  if (ne <= nb || ne > norm.text.size()) return false;
  const std::uint32_t oe = std::max(norm.end[ne - 1], norm.begin[nb]);
  if (oe < 2 || oe > original.size()) return false;
  const std::string_view o = original.substr(oe - 2, 2);
  return o == "\u0111" || o == "\u0110";
}

void scan(std::string_view original, const NormalizedText& norm, unsigned kinds, std::vector<Entity>& out,
          const unsigned* signals) {
  if (norm.text.empty() || norm.begin.size() != norm.text.size()) return;
  if (fast_path(FastPath::entities))
    kinds = signals ? possible_kinds_signalled(original, norm, kinds, *signals) : possible_kinds(original, norm, kinds);
  scan_ungated(original, norm, kinds, out);
}

void scan_ungated(std::string_view original, const NormalizedText& norm, unsigned kinds, std::vector<Entity>& out) {
  if (norm.text.empty() || norm.begin.size() != norm.text.size() || kinds == 0) return;
  original = original.substr(0, std::min<std::size_t>(original.size(), norm.considered));
  const Tokens toks(original, norm, fast_path(FastPath::entities));
  const std::size_t from = out.size();
  if (kinds & bit(Kind::money)) scan_money(toks, out);
  if (kinds & bit(Kind::phone)) scan_phones(toks, out);
  if (kinds & bit(Kind::handle)) scan_handles(toks, out);
  if (kinds & bit(Kind::date)) scan_dates(toks, out);
  if (kinds & bit(Kind::quote)) scan_quotes(toks, out);
  if (out.size() - from < 2) return;  // nothing to order
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(from), out.end(), [](const Entity& a, const Entity& b) {
    return a.nbegin != b.nbegin ? a.nbegin < b.nbegin : a.kind < b.kind;
  });
}

void append_hits(std::string_view original, const NormalizedText& norm, unsigned kinds,
                 const std::array<std::uint32_t, kKinds>& lexicon_of, std::vector<Entity>& found,
                 std::vector<Hit>& hits, const unsigned* signals) {
  found.clear();
  scan(original, norm, kinds, found, signals);
  for (const Entity& e : found) {
    if (hits.size() >= kMaxHitsPerCall) return;
    Hit h;
    h.lexicon = lexicon_of[static_cast<unsigned>(e.kind)];
    h.begin = e.nbegin;
    h.end = e.nend;
    h.tok_begin = e.tok_begin;
    h.tok_end = e.tok_end;
    try {
      hits.push_back(h);
    } catch (...) {  // out of memory: the hit is dropped
      return;
    }
  }
}

}  // namespace signpost::detail::entities
