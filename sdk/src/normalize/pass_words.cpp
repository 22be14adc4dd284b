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
  if (!has_letter) return false;
  // Two passes: the runs after a letter first, then a leading run, so that "4z1l" counts the letters
  // it starts ("z1l" is three once its 1 is read).
  for (int pass = 0; pass < 2; ++pass) resolve_runs(n, pass == 1);
  return true;
}

void Pass::resolve_runs(std::size_t n, bool leading) {
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
      if (all_leet) convert(i, j);  // b0at, p@ssp0rt, b00t, sm|ggler
    } else if (right) {
      std::size_t letters = 0;
      for (std::size_t k = j; k < n && run_[k].kind == kLetter; ++k) ++letters;
      if (all_dollar) convert(i, j);  // $muggler
      else if (all_digit && j - i == 1 && all_leet && letters >= 3) convert(i, j);  // 5muggler, not 3am / 1st
    } else if (left) {
      const char c = *run_[i].p;
      const bool after_two_letters = i >= 2 && run_[i - 1].kind == kLetter && run_[i - 2].kind == kLetter;
      if (run_[i].kind == kDigit && (i + 1 == n || run_[i + 1].kind != kDigit) && leet_letter(c)) {
        convert(i, i + 1);  // a single trailing digit is a letter (t0, uk1)
      } else if (j - i == 1 && (c == '$' || c == '@') && after_two_letters) {
        convert(i, j);  // kid$, qu@; not 5k$ (a price), and a lone '$' or '@' stays a symbol
      } else if (j - i == 2 && all_leet && *run_[i + 1].p == c && after_two_letters &&
                 (c == '0' || c == '1' || c == '3' || c == '5' || c == '7' || c == '$')) {
        convert(i, j);  // a doubled letter: fr33, bo$$, pa55; covid19, win10 and t00 stay
      }
    }
    i = j;
  }
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
  remember(j, pr, to - from, spaced);
}

}  // namespace signpost::detail::norm
