// normalize/pass_write.cpp: writing the output arrays: growth, the records of a word, symbols, flags,
// ZWJ sequences and spaced letters merged into one word (see pass.hpp).
#include "normalize/pass.hpp"

namespace signpost::detail::norm {

void Pass::grow(std::size_t need) {
  const std::size_t cap = std::max(need + 16, cap_ * 2);
  o_.text.resize(cap);
  o_.begin.resize(cap);
  o_.end.resize(cap);
  o_.token.resize(cap);
  o_.bounds.resize(cap + 1);
  w_.t = o_.text.data();
  w_.bg = o_.begin.data();
  w_.en = o_.end.data();
  w_.tk = o_.token.data();
  w_.bd = o_.bounds.data();
  cap_ = cap;
}

// put() for records [from, to) of the gathered word, with the cursor held in locals (the byte
// stores could otherwise alias it). A record marked kMarkStart starts a word.
void Pass::put_recs(std::size_t from, std::size_t to, bool first_start, bool first_extend) {
  char* const t = w_.t;
  std::uint32_t* const bg = w_.bg;
  std::uint32_t* const en = w_.en;
  std::uint32_t* const tk = w_.tk;
  std::uint8_t* const bd = w_.bd;
  const std::uint32_t tok = w_.tok;
  std::size_t o = w_.n, lp = w_.last_pos, ll = w_.last_len;
  std::uint8_t lkey = w_.last_key;
  std::uint32_t last_end = w_.last_end;
  for (std::size_t k = from; k < to; ++k) {
    const Rec& r = run_[k];
    const bool first = k == from;
    const bool start = (r.flags & kMarkStart) != 0 || (first && first_start);
    const std::uint8_t key = r.key();
    const std::size_t len = r.len;
    const std::uint32_t b = r.b, e = r.e();
    last_end = std::max(last_end, e);
    const bool edge = (r.flags & kEdgeBefore) != 0 && !first;
    if (keys_fold(lkey, key) && len == ll && same_bytes(t + lp, r.p, len)) {
      if (lkey == kKeyWild) lkey = key;
      if (start || edge) bd[lp] |= kS;
      if (edge) bd[o] |= kE;
      if (!first || first_extend)
        for (std::size_t q = lp; q < lp + len; ++q) en[q] = std::max(en[q], e);
      continue;
    }
    if (start) bd[o] |= kS;
    if (edge) bd[o] |= kS | kE;
    t[o] = r.p[0];
    bg[o] = b;
    en[o] = e;
    tk[o] = tok;
    bd[o + 1] = 0;
    for (std::size_t q = 1; q < len; ++q) {
      t[o + q] = r.p[q];
      bg[o + q] = b;
      en[o + q] = e;
      tk[o + q] = tok;
      bd[o + q + 1] = 0;
    }
    lp = o;
    ll = len;
    lkey = key;
    o += len;
  }
  w_.n = o;
  w_.last_pos = lp;
  w_.last_len = ll;
  w_.last_key = lkey;
  w_.last_end = last_end;
}

void Pass::symbol(const char* p, std::size_t len, std::uint32_t b, std::uint32_t e) {
  reserve(len + 1);
  W w = w_;
  open_token(w, b);
  put(w, p, len, kKeyNone, b, e, false, false);
  w.bd[w.n] |= kE;
  w_ = w;
  prev_ = kPrevSymbol;
  sep_n_ = 0;
  cont_ = false;
  sp_count_ = 0;
  sp_joined_ = false;
}

void Pass::pair_flag(const char* p, std::size_t len, std::uint32_t b, std::uint32_t e) {
  reserve(len);
  W w = w_;
  w.bd[w.n] &= static_cast<std::uint8_t>(~kE);
  put(w, p, len, kKeyNone, b, e, false, false);
  w.bd[w.n] |= kE;
  w_ = w;
}

void Pass::absorb(std::uint32_t e) {
  for (std::size_t k = cur_start_; k < w_.n; ++k) w_.en[k] = std::max(w_.en[k], e);
  w_.last_end = std::max(w_.last_end, e);
}

namespace {

// Single letters that are words of their own in the pack's languages, as the normalizer writes them:
// a (en, fr à), i (en I, sq i), e (sq, it), o (fr ô, sq o), y (fr), and the one-letter Arabic
// particles written attached (kParticles in pass.hpp: و ف ب ل ك).
bool standalone_letter(const char* p, std::size_t n) noexcept {
  if (n == 1) return *p == 'a' || *p == 'i' || *p == 'e' || *p == 'o' || *p == 'y';
  if (n != 2 || utf8_len(static_cast<unsigned char>(*p)) != 2) return false;
  const char32_t c = first_cp(p);
  for (const Particle& pt : particles_starting_with(c))
    if (pt.n == 1) return true;
  return false;
}

}  // namespace

// Rewrites the last two single-letter tokens ("x y") as the start of one joined token ("xy").
bool Pass::merge_spaced() {
  W w = w_;
  const std::size_t s0 = sp_start_[0], s1 = sp_start_[1];
  const std::size_t lx = s1 - 1 - s0, ly = w.n - s1;
  if (lx > kMergeMax || ly > kMergeMax || s1 == 0 || w.t[s1 - 1] != ' ') return false;
  char x[kMergeMax], y[kMergeMax];
  std::memcpy(x, w.t + s0, lx);
  std::memcpy(y, w.t + s1, ly);
  const std::uint32_t xb = w.bg[s0], xe = w.en[s0], yb = w.bg[s1], ye = w.en[s1];
  const std::uint32_t tok = w.tk[s0];
  w.n = s0;
  w.bd[w.n] = kS;
  w.tok = tok;
  tokens_ = tok + 1;
  cur_start_ = s0;
  w.last_key = kKeyNone;
  letter_piece(w, x, lx, xb, xe, sp_key_[0], true);
  w.bd[w.n] &= static_cast<std::uint8_t>(~kE);  // one word: no end between x and y
  // A first letter that is a word of its own ("a f a k e passport", "à L o n d r e s", Albanian
  // "i r r e g u l l t", Arabic "ب ف و ل ك س ت و ن") may not belong to the spelled-out word: a word
  // may also start after it.
  letter_piece(w, y, ly, yb, ye, sp_key_[1], standalone_letter(x, lx));
  w_ = w;
  return true;
}

void Pass::letter_piece(W& w, const char* p, std::size_t len, std::uint32_t b, std::uint32_t e,
                         std::uint8_t key, bool starts) {
  bool first = starts;
  for (std::size_t q = 0; q < len;) {
    const std::size_t l = utf8_len(static_cast<unsigned char>(p[q]));
    put(w, p + q, l, p[q] == 'i' ? key : std::uint8_t{kKeyPlain}, b, e, first, true);
    first = false;
    q += l;
  }
  w.bd[w.n] |= kE;
}

}  // namespace signpost::detail::norm
