// normalize/pass_words.cpp: a gathered word: leetspeak, symbols inside it, Arabic particles, and how
// it joins the token before it (see pass.hpp, docs/normalization.md).
#include "normalize/pass.hpp"

namespace signpost::detail::norm {

// Only called for runs that resolve_leet() found to be leet characters.
void Pass::convert(std::size_t i, std::size_t j) {
  for (std::size_t k = i; k < j; ++k) {
    const char l = leet_letter(*run_[k].p);
    if (l < 'a' || l > 'z') continue;
    run_[k].p = kAscii + (l - 'a');
    run_[k].len = 1;
    run_[k].kind = kLetter;
    run_[k].flags = static_cast<std::uint8_t>((run_[k].flags & ~kFromL) | (l == 'i' ? kWild : 0));
  }
}

// Decides which digits and symbols of the gathered word are leetspeak (docs: "Leetspeak").
// Returns whether the word has a letter (before conversion).
bool Pass::resolve_leet(std::size_t n) {
  bool has_letter = false;
  for (std::size_t k = 0; k < n && !has_letter; ++k) has_letter = run_[k].kind == kLetter;
  if (!has_letter) {
    // "1$" on its own is "is" in leetspeak; as an amount (one dollar) it says nothing a pack uses.
    if (n == 2 && *run_[0].p == '1' && run_[0].kind == kDigit && *run_[1].p == '$' && run_[1].kind == kSym) {
      convert(0, 2);
      return true;
    }
    return false;
  }
  // Two passes: the runs after a letter first, then a leading run, so that "4z1l" counts the letters
  // it starts ("z1l" is three once its 1 is read).
  const bool read_later = resolve_runs(n, false);
  resolve_runs(n, true, read_later);
  return true;
}

namespace {

// Two letters after a number that make it a quantity, an ordinal or a time ("1st", "3am", "5km",
// "3tr" for 3 million dong), so that a leading digit before them stays a digit. Letters as the
// records hold them: lower case, l written i ("5ml" is "5mi", "3lb" is "3ib").
bool unit_pair(char digit, char a, char b) noexcept {
  // An ordinal suffix only after its own digit: "1st" and "3rd" stay, "4nd" is "and" ("2nd" has no
  // leet digit); "th" follows most digits.
  if (a == 's' && b == 't') return digit == '1';
  if (a == 'r' && b == 'd') return digit == '3';
  static constexpr const char* kUnits[] = {"th", "am", "pm", "km", "kg", "cm", "mm", "mi",
                                           "mg", "gb", "mb", "kb", "tb", "hz", "hp", "px", "ft", "ib", "oz",
                                           "hr", "yo", "yr", "pc", "wk", "ms", "mn", "bn", "tr", "ty", "ks",
                                           "cc", "kw", "gr", "dk", "sn", "rs", "ep", "pk", "kr", "it", "hd",
                                           "mp", "xl"};
  for (const char* u : kUnits)
    if (u[0] == a && u[1] == b) return true;
  return false;
}

// A word of two characters, one leet digit and one letter, that is a short function word written in
// leetspeak ("0n", "1n", "0f", "1t", "3t", "4t", "1s"); every other pair is a number with a unit or
// a multiplier ("4x", "5k", "3m", "1h", "2b") and stays.
bool leet_short_word(char digit, char letter) noexcept {
  switch (digit) {
    case '0': return letter == 'n' || letter == 'f' || letter == 'r';               // on, of, or
    case '1': return letter == 'n' || letter == 'f' || letter == 't' || letter == 's';  // in, if, it, is
    case '3': return letter == 'n' || letter == 't';                              // en, et
    case '4': return letter == 'n' || letter == 't' || letter == 's';               // an, at, as
    default: return false;
  }
}

// The letter after a currency sign and a leet digit that makes an amount: "$4k", "$3m", "$2b".
bool multiplier(char letter) noexcept { return letter == 'k' || letter == 'm' || letter == 'b' || letter == 't'; }

}  // namespace

// Whether the word is digits, "k" and the one digit at i, its last: a price in thousands with the
// next digit after the k ("2k5", "12k5": 2,500 and 12,500).
bool Pass::thousands_digit(std::size_t n, std::size_t i) const noexcept {
  if (i + 1 != n || i < 2 || run_[i - 1].kind != kLetter || *run_[i - 1].p != 'k') return false;
  for (std::size_t k = 0; k + 1 < i; ++k)
    if (run_[k].kind != kDigit) return false;
  return true;
}

// Returns whether a run was read as letters.
bool Pass::resolve_runs(std::size_t n, bool leading, bool read_later) {
  bool read = false;
  std::size_t i = 0;
  while (i < n) {
    if (run_[i].kind == kLetter) {
      ++i;
      continue;
    }
    if ((i == 0) != leading) {  // this pass leaves the run to the other
      while (i < n && run_[i].kind != kLetter) ++i;
      continue;
    }
    std::size_t j = i;
    bool all_leet = true, all_digit = true, all_dollar = true;
    for (; j < n && run_[j].kind != kLetter; ++j) {
      const Rec& r = run_[j];
      all_leet = all_leet && (r.kind == kDigit || r.kind == kSym) && leet_letter(*r.p) != 0;
      all_digit = all_digit && r.kind == kDigit;
      all_dollar = all_dollar && r.kind == kSym && *r.p == '$';
    }
    const bool left = i > 0, right = j < n;
    if (left && right) {
      if (all_leet) {
        convert(i, j);  // b0at, p@ssp0rt, b00t, sm|ggler
        read = true;
      }
    } else if (right) {
      std::size_t letters = 0;
      bool ascii = true;
      for (std::size_t k = j; k < n && run_[k].kind == kLetter; ++k) {
        ++letters;
        ascii = ascii && run_[k].len == 1 && run_[k].srclen == 1;  // an ASCII letter in the text too
      }
      const bool one_digit = all_digit && j - i == 1 && all_leet;
      const bool at_end = all_leet && *run_[j - 1].p == '@' && j - i <= 2;
      // A leet digit and a symbol together are no number and no handle: "4$ylum", "@5ile".
      const bool mixed = all_leet && j - i == 2 && run_[i].kind != run_[i + 1].kind;
      // "Read later": a run after the first letter was read, so the letters counted include it.
      const char d = *run_[i].p;
      if (all_dollar) {
        convert(i, j);  // $muggler
      } else if (one_digit && letters >= 3) {
        convert(i, j);  // 5muggler, not 3am / 1st
      } else if (one_digit && letters == 2 && ascii && !unit_pair(d, *run_[j].p, *run_[j + 1].p) &&
                 (!read_later || (j + 2 == n && *run_[j].p != 'x' && *run_[j].p != 'v'))) {
        convert(i, j);  // 4nh, 3ng, 4nd, 4r3, 0n3; not 1st, 3am, 5km, 3tr, 4x4, 1v1
      } else if (one_digit && letters == 1 && j + 1 == n && ascii && leet_short_word(d, *run_[j].p)) {
        convert(i, j);  // 0n, 1n, 0f, 1t, 3t; not 4x, 5k, 3m
      } else if (at_end && letters >= 2 && (letters <= 3 || read_later)) {
        convert(i, j);  // @nd, 5@ns, @ngl1; not @someone (a handle)
      } else if (mixed && (letters >= 3 || (letters == 1 && ascii && *run_[j].p != 'k' && *run_[j].p != 'm' && *run_[j].p != 'b' && *run_[j].p != 'p'))) {
        convert(i, j);  // 4$ylum, @5ile, 3$t (French est); not 5$pp, 5$k
      } else if (mixed && run_[i].kind == kSym && ascii &&
                 ((letters == 1 && !multiplier(*run_[j].p)) ||
                  (letters == 2 && !unit_pair(*run_[i + 1].p, *run_[j].p, *run_[j + 1].p)))) {
        convert(i, j);  // $4ng, $4u (Vietnamese sang, sau); not $4k, $3m (amounts)
      } else {
        i = j;
        continue;
      }
      read = true;
    } else if (left) {
      const char c = *run_[i].p;
      const bool after_two_letters = i >= 2 && run_[i - 1].kind == kLetter && run_[i - 2].kind == kLetter;
      bool only_letters_before = true;
      for (std::size_t k = 0; k < i && only_letters_before; ++k) only_letters_before = run_[k].kind == kLetter;
      if (j - i == 2 && all_leet && run_[i].kind != run_[i + 1].kind) {
        convert(i, j);  // a leet digit and a symbol: th1$, d3$, c0@
        read = true;
      } else if (run_[i].kind == kDigit && (i + 1 == n || run_[i + 1].kind != kDigit) && leet_letter(c) &&
                 !thousands_digit(n, i)) {
        convert(i, i + 1);  // a single trailing digit is a letter (t0, uk1); not 2k5 (2,500)
        read = true;
      } else if (j - i == 1 && (c == '$' || c == '@') && (after_two_letters || only_letters_before)) {
        convert(i, j);  // kid$, qu@, i$; not 5k$ (a price), and a lone '$' or '@' stays a symbol
        read = true;
      } else if (j - i == 2 && all_leet && *run_[i + 1].p == c && after_two_letters &&
                 (c == '0' || c == '1' || c == '3' || c == '5' || c == '7' || c == '$')) {
        convert(i, j);  // a doubled letter: fr33, bo$$, pa55; covid19, win10 and t00 stay
        read = true;
      }
    }
    i = j;
  }
  return read;
}

// Splits the gathered word at symbols that stayed symbols, and writes the pieces.
void Pass::finish_run(bool more) {
  if (!run_n_) return;
  const std::size_t n = run_n_;
  const std::uint32_t other = run_other_, letters = run_letters_;
  run_n_ = 0;
  edge_ = false;
  run_other_ = run_letters_ = 0;
  if (other == 0) {  // the common case: only letters, nothing to resolve or split
    word(0, n, Props{letters, static_cast<std::uint32_t>(n), 0, false});
    cont_ = more;
    return;
  }
  const bool has_letter = resolve_leet(n);
  std::size_t start = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Rec& r = run_[i];
    if (r.kind == kSym) {
      word(start, i);
      // A '$' that is not a letter is a price sign next to a number or on its own, else noise.
      const bool price = !has_letter || (i > 0 && run_[i - 1].kind == kDigit) ||
                         (i + 1 < n && run_[i + 1].kind == kDigit);
      if (*r.p == '$' && price) symbol(r.p, 1, r.b, r.e());
      else add_sep(static_cast<unsigned char>(*r.p));
      start = i + 1;
    } else if (r.kind == kPlusSign) {
      bool keep = i + 1 < n && run_[i + 1].kind == kDigit;
      for (std::size_t k = i + 1; keep && k < n && run_[k].kind != kSym; ++k) keep = run_[k].kind == kDigit;
      if (!keep) {
        word(start, i);
        add_sep('+');
        start = i + 1;
      }
    }
  }
  word(start, n);
  cont_ = more;
}

// Arabic-script words: a word may also start after an attached particle (docs: "Arabic
// particles"). Marks the first record after each particle sequence the word begins with.
void Pass::mark_particles(std::size_t from, std::size_t to) {
  const Rec* const r = run_ + from;
  particle_starts(
      to - from,
      [r](std::size_t k) { return r[k].kind == kLetter ? std::string_view(r[k].p, r[k].len) : std::string_view(); },
      [this, from](std::size_t k) { run_[from + k].flags |= kMarkStart; });
}

void Pass::word(std::size_t from, std::size_t to) {
  if (from == to) return;
  Props p{0, 0, 0, false};
  for (std::size_t k = from; k < to; ++k) {
    const Rec& r = run_[k];
    if (r.kind == kLetter) {
      ++p.letter_recs;
      p.letters += (r.flags & kFirstOfSrc) != 0;
    } else if (r.kind == kDigit) {
      ++p.digits;
    } else {
      p.plus = true;
    }
  }
  word(from, to, p);
}

// Writes records [from, to) of the gathered word as one word.
void Pass::word(std::size_t from, std::size_t to, const Props& pr) {
  bool spaced;
  const Join j = decide(pr, to - from, spaced);
  if (j == kNew || j == kPiecewise) mark_particles(from, to);

  reserve(1 + 4 * (to - from));  // a code point is at most 4 bytes
  if (j == kNew) open_token(w_, run_[from].b);
  else if (j == kGroup || j == kContinue || j == kLetterwise) w_.bd[w_.n] &= static_cast<std::uint8_t>(~kE);
  // First record: a word starts there in joins by piece (folded into the letter before it if
  // equal); a piece's first letter does not stretch that letter's source range. Letters joined
  // one by one ("f a k e", "p.a.s.s") make one word with boundaries at its two ends only, so
  // that no shorter term matches inside it ("h o l i d a y" does not contain "id").
  const bool first_start = j == kPiecewise;
  const bool first_extend = j != kPiecewise;
  put_recs(from, to, first_start, first_extend);
  w_.bd[w_.n] |= kE;
  if (j == kLetterwise) mark_joined_particles();
  remember(j, pr, to - from, spaced);
}

// A word joined letter by letter ("ل.ا.ل.م.ا.ن.ي.ا", "ب ك ا ل ي ه") gets the word starts after its
// Arabic particles that it would have had written whole. Run after each letter joins: a start,
// once marked, stays (the rule only adds starts as the word grows).
void Pass::mark_joined_particles() {
  constexpr std::size_t kMax = 24;  // code points looked at: longer spelled-out words are rare
  const std::size_t b = cur_start_, e = w_.n;
  if (e <= b || (static_cast<unsigned char>(w_.t[b]) != 0xD8 && static_cast<unsigned char>(w_.t[b]) != 0xD9)) return;
  std::uint32_t at[kMax + 1];
  std::size_t n = 0;
  for (std::size_t q = b; q < e && n < kMax; q += utf8_len(static_cast<unsigned char>(w_.t[q]))) at[n++] = static_cast<std::uint32_t>(q);
  if (n == kMax) return;
  at[n] = static_cast<std::uint32_t>(e);
  const char* const t = w_.t;
  std::uint8_t* const bd = w_.bd;
  particle_starts(
      n, [&](std::size_t k) { return std::string_view(t + at[k], at[k + 1] - at[k]); },
      [&](std::size_t k) { bd[at[k]] |= kS; });
}

}  // namespace signpost::detail::norm
