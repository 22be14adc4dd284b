// match/regex_condition.cpp: what a regex needs of a text's bytes, read from the pattern (see
// regex_condition.hpp).
#include "match/regex_condition.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <iterator>
#include <string_view>
#include <utility>

namespace signpost::detail::regex_condition {
namespace {

constexpr std::size_t kMaxTerms = 8;     // per condition; past this, terms are merged (widened)
constexpr std::size_t kMaxClasses = 4;   // per term; past this, the likeliest are dropped

void add(Class& c, unsigned b) { c[b >> 6] |= std::uint64_t{1} << (b & 63); }
void add_range(Class& c, unsigned lo, unsigned hi) {
  for (unsigned b = lo; b <= hi; ++b) add(c, b);
}

bool full(const Class& c) { return (c[0] & c[1] & c[2] & c[3]) == ~std::uint64_t{0}; }
bool empty(const Class& c) { return (c[0] | c[1] | c[2] | c[3]) == 0; }

// How often a byte appears in text, roughly (English letter frequencies; digits and the rest rare),
// and from that how likely a text of a query's length holds a byte of a class. Only a heuristic for
// what to keep when something must go: it never makes a condition wrong.
double byte_rate(unsigned b) {
  static constexpr double kLetters[26] = {8.2, 1.5, 2.8, 4.3, 12.7, 2.2, 2.0, 6.1, 7.0, 0.15, 0.77, 4.0, 2.4,
                                          6.7, 7.5,  1.9, 0.1, 6.0, 6.3,  9.1, 2.8, 0.98, 2.4, 0.15, 2.0, 0.07};
  if (b >= 'a' && b <= 'z') return kLetters[b - 'a'] / 120.0;
  if (b == ' ') return 0.17;
  if (b >= '0' && b <= '9') return 0.002;
  if (b >= 0x80) return 0.004;
  return 0.001;
}

}  // namespace

Class unite(const Class& a, const Class& b) { return {a[0] | b[0], a[1] | b[1], a[2] | b[2], a[3] | b[3]}; }

double likely(const Class& c) {
  double w = 0;
  for (unsigned k = 0; k < 4; ++k)
    for (std::uint64_t x = c[k]; x != 0; x &= x - 1) w += byte_rate(k * 64 + static_cast<unsigned>(std::countr_zero(x)));
  return 1.0 - std::exp(-32.0 * w);
}

namespace {

double likely_all(const Term& t) {
  double p = 1.0;
  for (const Class& c : t) p *= likely(c);
  return p;
}

void tidy(Term& t) {
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end()), t.end());
  if (t.size() > kMaxClasses) {  // keep the least likely (dropping a class only widens the term)
    std::sort(t.begin(), t.end(), [](const Class& a, const Class& b) { return likely(a) < likely(b); });
    t.resize(kMaxClasses);
    std::sort(t.begin(), t.end());
  }
}

bool is_true(const Cond& c) { return c.size() == 1 && c[0].empty(); }
Cond always() { return Cond{Term{}}; }

}  // namespace

void absorb(Cond& c) {
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c[i].empty()) {
      c = always();
      return;
    }
  std::sort(c.begin(), c.end(), [](const Term& a, const Term& b) { return a.size() < b.size(); });
  Cond out;
  for (const Term& t : c) {
    bool redundant = false;
    for (const Term& o : out) redundant = redundant || std::includes(t.begin(), t.end(), o.begin(), o.end());
    if (!redundant) out.push_back(t);
  }
  c = std::move(out);
}

namespace {

// One term implied by either of a and b: the classes both hold, and the union of the least likely
// class of each of the rest.
Term merge(const Term& a, const Term& b) {
  Term common, ra, rb;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  std::set_difference(a.begin(), a.end(), common.begin(), common.end(), std::back_inserter(ra));
  std::set_difference(b.begin(), b.end(), common.begin(), common.end(), std::back_inserter(rb));
  const auto rarest = [](const Term& t) {
    return *std::min_element(t.begin(), t.end(), [](const Class& x, const Class& y) { return likely(x) < likely(y); });
  };
  if (!ra.empty() && !rb.empty()) common.push_back(unite(rarest(ra), rarest(rb)));
  tidy(common);
  return common;
}

// Widens c to at most kMaxTerms terms, merging the pair whose merge is least likely first.
void shrink(Cond& c) {
  absorb(c);
  while (c.size() > kMaxTerms) {
    std::size_t bi = 0, bj = 1;
    double best = 2.0;
    for (std::size_t i = 0; i < c.size(); ++i)
      for (std::size_t j = i + 1; j < c.size(); ++j)
        if (const double p = likely_all(merge(c[i], c[j])); p < best) {
          best = p;
          bi = i;
          bj = j;
        }
    Term m = merge(c[bi], c[bj]);
    c.erase(c.begin() + static_cast<std::ptrdiff_t>(bj));
    c[bi] = std::move(m);
    absorb(c);
  }
}

Cond either(Cond a, const Cond& b) {
  if (is_true(a) || is_true(b)) return always();
  a.insert(a.end(), b.begin(), b.end());
  shrink(a);
  return a;
}

Cond both(const Cond& a, const Cond& b) {
  if (is_true(a)) return b;
  if (is_true(b)) return a;
  Cond out;
  for (const Term& x : a)
    for (const Term& y : b) {
      Term t = x;
      t.insert(t.end(), y.begin(), y.end());
      tidy(t);
      out.push_back(std::move(t));
    }
  shrink(out);
  return out;
}

Cond of_class(const Class& c) {
  if (full(c) || empty(c)) return always();  // an empty class cannot match: "always" is still safe
  return Cond{Term{c}};
}

// A code point as UTF-8: every byte of it is in any text it matches.
Cond of_code_point(char32_t cp) {
  unsigned char buf[4];
  std::size_t n = 0;
  if (cp < 0x80) {
    buf[n++] = static_cast<unsigned char>(cp);
  } else if (cp < 0x800) {
    buf[n++] = static_cast<unsigned char>(0xC0 | (cp >> 6));
    buf[n++] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    buf[n++] = static_cast<unsigned char>(0xE0 | (cp >> 12));
    buf[n++] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
    buf[n++] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
  } else {
    buf[n++] = static_cast<unsigned char>(0xF0 | (cp >> 18));
    buf[n++] = static_cast<unsigned char>(0x80 | ((cp >> 12) & 0x3F));
    buf[n++] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
    buf[n++] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
  }
  Term t;
  for (std::size_t k = 0; k < n; ++k) {
    Class c{};
    add(c, buf[k]);
    t.push_back(c);
  }
  tidy(t);
  return Cond{t};
}

}  // namespace

Class digits() {
  Class c{};
  add_range(c, '0', '9');
  return c;
}

namespace {

Class words() {
  Class c = digits();
  add_range(c, 'a', 'z');
  add_range(c, 'A', 'Z');
  add(c, '_');
  return c;
}
Class spaces() {
  Class c{};
  add_range(c, '\t', '\r');
  add(c, ' ');
  return c;
}
Class everything() { return {~std::uint64_t{0}, ~std::uint64_t{0}, ~std::uint64_t{0}, ~std::uint64_t{0}}; }

// A recursive-descent reading of the pattern. Anything it does not know sets `failed`: the whole
// pattern's condition is then "always".
struct Reader {
  std::string_view p;
  std::size_t i = 0;
  bool failed = false;
  int depth = 0;

  bool at(char c) const { return i < p.size() && p[i] == c; }
  bool fail() {
    failed = true;
    return false;
  }

  // One UTF-8 code point at i (a malformed byte reads as itself).
  char32_t code_point() {
    const auto b = static_cast<unsigned char>(p[i++]);
    int more = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
    char32_t cp = more == 3 ? b & 0x07 : more == 2 ? b & 0x0F : more == 1 ? b & 0x1F : b;
    if (b >= 0x80 && more == 0) {
      failed = true;  // a stray continuation byte: not a pattern this reader understands
      return b;
    }
    for (; more > 0; --more) {
      if (i >= p.size() || (static_cast<unsigned char>(p[i]) & 0xC0) != 0x80) {
        failed = true;
        return cp;
      }
      cp = cp << 6 | (static_cast<unsigned char>(p[i++]) & 0x3F);
    }
    return cp;
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  // \x{...} or \xhh, i just after the x; false when malformed.
  bool hex_escape(char32_t& cp) {
    cp = 0;
    if (at('{')) {
      ++i;
      int n = 0;
      for (; i < p.size() && hex(p[i]) >= 0 && n < 7; ++i, ++n) cp = cp * 16 + static_cast<char32_t>(hex(p[i]));
      if (n == 0 || !at('}')) return fail();
      ++i;
      return true;
    }
    for (int n = 0; n < 2 && i < p.size() && hex(p[i]) >= 0; ++n, ++i) cp = cp * 16 + static_cast<char32_t>(hex(p[i]));
    return true;
  }

  // An escape that stands for one code point (i just after the backslash); false when it is not one.
  bool single_escape(char c, char32_t& cp) {
    switch (c) {
      case 'n': cp = '\n'; return true;
      case 't': cp = '\t'; return true;
      case 'r': cp = '\r'; return true;
      case 'f': cp = '\f'; return true;
      case 'e': cp = 0x1B; return true;
      case 'a': cp = 0x07; return true;
      default: break;
    }
    return false;
  }

  Cond alternation() {
    Cond c = sequence();
    while (!failed && at('|')) {
      ++i;
      c = either(std::move(c), sequence());
    }
    return c;
  }

  Cond sequence() {
    Cond c = always();
    while (!failed && i < p.size() && p[i] != '|' && p[i] != ')') {
      Cond a = item();
      if (failed) break;
      // Quantifiers: one that allows zero repeats makes the item's condition "always".
      while (i < p.size() && (p[i] == '*' || p[i] == '+' || p[i] == '?' || p[i] == '{')) {
        long min = 0;
        if (p[i] == '{') {
          std::size_t j = i + 1;
          bool digits_seen = false;
          while (j < p.size() && p[j] >= '0' && p[j] <= '9') {
            min = std::min(min * 10 + (p[j] - '0'), 100000L);
            ++j;
            digits_seen = true;
          }
          if (!digits_seen) {
            fail();  // "{," or a literal "{": either way, not read here
            break;
          }
          if (j < p.size() && p[j] == ',') {
            ++j;
            while (j < p.size() && p[j] >= '0' && p[j] <= '9') ++j;
          }
          if (j >= p.size() || p[j] != '}') {
            fail();
            break;
          }
          i = j + 1;
        } else {
          min = p[i] == '+' ? 1 : 0;
          ++i;
        }
        if (at('?') || at('+')) ++i;  // lazy or possessive
        if (min == 0) a = always();
      }
      if (failed) break;
      c = both(c, a);
    }
    return c;
  }

  Cond item() {
    const char c = p[i];
    if (c == '(') {
      ++i;
      if (at('?')) {
        if (i + 1 < p.size() && p[i + 1] == ':') {
          i += 2;
        } else {
          fail();  // flags, named groups, lookaround, comments...
          return always();
        }
      }
      if (++depth > 64) {
        fail();
        return always();
      }
      Cond inner = alternation();
      --depth;
      if (failed || !at(')')) {
        fail();
        return always();
      }
      ++i;
      return inner;
    }
    if (c == '[') return bracket();
    if (c == '.' || c == '^' || c == '$') {
      ++i;
      return always();
    }
    if (c == '*' || c == '+' || c == '?' || c == '{') {
      fail();  // nothing to repeat, or a literal brace: not read here
      return always();
    }
    if (c == '\\') return escape();
    return of_code_point(code_point());
  }

  Cond escape() {
    ++i;
    if (i >= p.size()) {
      fail();
      return always();
    }
    const char c = p[i];
    if (static_cast<unsigned char>(c) >= 0x80) return of_code_point(code_point());  // an escaped literal
    ++i;
    char32_t cp = 0;
    if (single_escape(c, cp)) return of_code_point(cp);
    switch (c) {
      case 'd': return of_class(digits());
      case 'w': return of_class(words());
      case 's': return of_class(spaces());
      case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G':  // zero width
      case 'D': case 'W': case 'S': case 'h': case 'H': case 'v': case 'V': case 'R': case 'X':
        return always();
      case 'p': case 'P':
        if (at('{')) {
          const std::size_t close = p.find('}', i);
          if (close == std::string_view::npos) {
            fail();
            return always();
          }
          i = close + 1;
        } else if (i < p.size()) {
          ++i;
        }
        return always();
      case 'x':
        if (!hex_escape(cp)) return always();
        return cp < 0x80 ? of_code_point(cp) : always();
      default: break;
    }
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      fail();  // back references, \Q, \K, \c, \o, \N...: not read here
      return always();
    }
    return of_code_point(static_cast<unsigned char>(c));  // an escaped punctuation mark
  }

  // [...]: the bytes a matched character may hold (any non-ASCII character: every byte from 0x80).
  Cond bracket() {
    ++i;
    bool negated = false;
    if (at('^')) {
      negated = true;
      ++i;
    }
    Class set{};
    bool wide = false;  // a non-ASCII character may match
    bool first = true;
    const auto add_cp = [&](char32_t lo, char32_t hi) {
      if (lo <= 0x7F) add_range(set, static_cast<unsigned>(lo), static_cast<unsigned>(std::min<char32_t>(hi, 0x7F)));
      if (hi >= 0x80) wide = true;
    };
    while (true) {
      if (i >= p.size()) {
        fail();
        return always();
      }
      if (p[i] == ']' && !first) {
        ++i;
        break;
      }
      first = false;
      // One member: a class escape, or a code point (then perhaps a range).
      char32_t lo = 0;
      if (p[i] == '[' && i + 1 < p.size() && (p[i + 1] == ':' || p[i + 1] == '.' || p[i + 1] == '=')) {
        fail();  // POSIX classes: not read here
        return always();
      }
      if (!member(lo, set, wide)) {
        if (failed) return always();
        continue;  // a class escape, added
      }
      if (at('-') && i + 1 < p.size() && p[i + 1] != ']') {
        ++i;
        Class ignored{};
        bool ignored_wide = false;
        char32_t hi = 0;
        if (!member(hi, ignored, ignored_wide) || hi < lo) {
          fail();
          return always();
        }
        add_cp(lo, hi);
      } else {
        add_cp(lo, lo);
      }
    }
    if (negated) {
      for (unsigned b = 0; b < 0x80; ++b) set[b >> 6] ^= std::uint64_t{1} << (b & 63);
      wide = true;
    }
    if (wide) add_range(set, 0x80, 0xFF);
    return of_class(set);
  }

  // A member of a bracket: true with its code point, or false after adding a class escape to
  // `set` (or after a failure).
  bool member(char32_t& cp, Class& set, bool& wide) {
    if (p[i] != '\\') {
      cp = code_point();
      return !failed;
    }
    ++i;
    if (i >= p.size()) return fail();
    const char c = p[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      cp = code_point();
      return !failed;
    }
    ++i;
    if (single_escape(c, cp)) return true;
    switch (c) {
      case 'b': cp = 0x08; return true;
      case 'd': set = unite(set, digits()); return false;
      case 'w': set = unite(set, words()); return false;
      case 's': set = unite(set, spaces()); return false;
      case 'D': case 'W': case 'S': case 'h': case 'H': case 'v': case 'V':
        set = everything();
        wide = true;
        return false;
      case 'p': case 'P':
        if (at('{')) {
          const std::size_t close = p.find('}', i);
          if (close == std::string_view::npos) return fail();
          i = close + 1;
        } else if (i < p.size()) {
          ++i;
        }
        set = everything();
        wide = true;
        return false;
      case 'x': return hex_escape(cp);
      default: break;
    }
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return fail();
    cp = static_cast<unsigned char>(c);
    return true;
  }
};

}  // namespace

Cond read(const std::string& pattern) {
  Reader r{pattern};
  Cond c = r.alternation();
  if (r.failed || r.i != pattern.size() || c.empty()) return always();
  return c;
}

}  // namespace signpost::detail::regex_condition
