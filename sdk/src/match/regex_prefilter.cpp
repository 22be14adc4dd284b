// match/regex_prefilter.cpp: the necessary byte condition of each regex (see the header).
#include "match/regex_prefilter.hpp"

#include "match/regex_condition.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <utility>

namespace signpost::detail {
namespace {

using regex_condition::Class;
using regex_condition::Cond;
using regex_condition::likely;
using regex_condition::Term;
using regex_condition::unite;

constexpr std::size_t kMaxAtoms = 64;    // classes in all (bits of a mask); past this, merged
constexpr double kDropAbove = 0.95;      // a class this likely in a text is not worth a bit

}  // namespace

void RegexPrefilter::build(const std::vector<std::string>& patterns) {
  std::vector<Cond> conds;
  conds.reserve(patterns.size());
  for (const std::string& p : patterns) conds.push_back(regex_condition::read(p));
  // A class almost every text holds is not worth a bit: dropped (its terms only widen).
  for (Cond& c : conds) {
    for (Term& t : c)
      t.erase(std::remove_if(t.begin(), t.end(), [](const Class& k) { return likely(k) > kDropAbove; }),
              t.end());
    regex_condition::absorb(c);
  }
  // A class that every term implies (each holds a class inside it) is added to each: the term
  // means the same, and the class is then one of the pattern's common classes (candidates()): a
  // digit, for an amount that the pattern lets be written in several ways.
  Class high{};
  high[2] = high[3] = ~std::uint64_t{0};
  for (Cond& c : conds) {
    if (c.size() < 2) continue;
    std::vector<Class> implied = {regex_condition::digits(), high};
    for (const Term& t : c) implied.insert(implied.end(), t.begin(), t.end());
    for (const Class& k : implied) {
      const auto inside = [&](const Class& x) {
        return (x[0] & ~k[0]) == 0 && (x[1] & ~k[1]) == 0 && (x[2] & ~k[2]) == 0 && (x[3] & ~k[3]) == 0;
      };
      const bool every =
          std::all_of(c.begin(), c.end(), [&](const Term& t) { return std::any_of(t.begin(), t.end(), inside); });
      if (!every || likely(k) > kDropAbove) continue;
      for (Term& t : c)
        if (std::find(t.begin(), t.end(), k) == t.end()) {
          t.push_back(k);
          std::sort(t.begin(), t.end());
        }
    }
  }
  // The distinct classes; past kMaxAtoms, the two whose union costs least are merged (each term
  // then asks for a byte of the union: implied by either).
  std::vector<Class> atoms;
  for (const Cond& c : conds)
    for (const Term& t : c)
      for (const Class& k : t)
        if (std::find(atoms.begin(), atoms.end(), k) == atoms.end()) atoms.push_back(k);
  std::vector<std::size_t> slot(atoms.size());
  for (std::size_t k = 0; k < atoms.size(); ++k) slot[k] = k;
  std::vector<Class> merged = atoms;  // by slot
  std::vector<bool> live(atoms.size(), true);
  for (std::size_t count = atoms.size(); count > kMaxAtoms; --count) {
    std::size_t bi = 0, bj = 0;
    double best = 3.0;
    for (std::size_t a = 0; a < merged.size(); ++a)
      for (std::size_t b = a + 1; b < merged.size(); ++b)
        if (live[a] && live[b]) {
          const double cost = likely(unite(merged[a], merged[b])) - std::max(likely(merged[a]), likely(merged[b]));
          if (cost < best) {
            best = cost;
            bi = a;
            bj = b;
          }
        }
    merged[bi] = unite(merged[bi], merged[bj]);
    live[bj] = false;
    for (std::size_t& s : slot)
      if (s == bj) s = bi;
  }
  // Bits for the live slots, and the table of each byte's bits.
  std::vector<unsigned> bit(merged.size(), 0);
  unsigned next = 0;
  for (std::size_t s = 0; s < merged.size(); ++s)
    if (live[s]) bit[s] = next++;
  table_.fill(0);
  for (std::size_t s = 0; s < merged.size(); ++s)
    if (live[s])
      for (unsigned b = 0; b < 256; ++b)
        if ((merged[s][b >> 6] >> (b & 63)) & 1u) table_[b] |= std::uint64_t{1} << bit[s];
  term_begin_.assign(1, 0);
  terms_.clear();
  common_.clear();
  for (const Cond& c : conds) {
    std::vector<std::uint64_t> masks;
    for (const Term& t : c) {
      std::uint64_t m = 0;
      for (const Class& k : t) {
        const auto at = static_cast<std::size_t>(std::find(atoms.begin(), atoms.end(), k) - atoms.begin());
        m |= std::uint64_t{1} << bit[slot[at]];
      }
      masks.push_back(m);
    }
    if (masks.empty()) masks.push_back(0);
    // After merging, a term may hold all the bits of another: the wider one suffices.
    std::sort(masks.begin(), masks.end(), [](std::uint64_t a, std::uint64_t b) {
      return std::popcount(a) < std::popcount(b);
    });
    std::vector<std::uint64_t> kept;
    for (const std::uint64_t m : masks) {
      bool redundant = false;
      for (const std::uint64_t k : kept) redundant = redundant || (m & k) == k;
      if (!redundant) kept.push_back(m);
    }
    std::uint64_t common = ~std::uint64_t{0};
    for (const std::uint64_t m : kept) common &= m;
    common_.push_back(common);
    terms_.insert(terms_.end(), kept.begin(), kept.end());
    term_begin_.push_back(static_cast<std::uint32_t>(terms_.size()));
  }
  const std::size_t n = conds.size(), w = (n + 63) / 64;
  all_.assign(w, 0);
  without_.assign(64 * w, 0);
  common_bits_ = 0;
  for (std::size_t i = 0; i < n; ++i) {
    all_[i / 64] |= std::uint64_t{1} << (i % 64);
    common_bits_ |= common_[i];
    for (std::uint64_t c = common_[i]; c != 0; c &= c - 1)
      without_[static_cast<std::size_t>(std::countr_zero(c)) * w + i / 64] |= std::uint64_t{1} << (i % 64);
  }
}

bool RegexPrefilter::always(std::size_t i) const noexcept {
  for (std::uint32_t k = term_begin_[i]; k < term_begin_[i + 1]; ++k)
    if (terms_[k] == 0) return true;
  return false;
}

std::uint64_t RegexPrefilter::atoms(std::string_view text) const noexcept {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::uint64_t a = 0, b = 0, c = 0, d = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    a |= table_[s[i]];
    b |= table_[s[i + 1]];
    c |= table_[s[i + 2]];
    d |= table_[s[i + 3]];
  }
  for (; i < n; ++i) a |= table_[s[i]];
  return a | b | c | d;
}

}  // namespace signpost::detail
