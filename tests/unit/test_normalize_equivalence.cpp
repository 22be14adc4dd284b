// The normalizer's fast paths against its general path (normalize/pass_*.cpp): with the fast paths
// off (set_fast_path(FastPath::normalizer, false)) every word is gathered as one record per code point and
// written by word(); with them on, ASCII words, runs of words after punctuation and words of other
// scripts are written by the lanes. On random mixes of everything the lanes take or must refuse
// (ASCII words of every length around the eight-byte chunks, repeated letters across chunk edges,
// l and i, leetspeak, digits inside words, Arabic words with particles, Persian with ZWNJ,
// Vietnamese, emoji, invisible characters, every kind of gap, the end of the input anywhere),
// both must give the same output bytes, the same offsets, the same token indices and the same
// word boundaries.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "base/fast_paths.hpp"
#include "normalize/normalizer.hpp"

using signpost::detail::NormalizedText;
using signpost::detail::normalize;
using signpost::detail::FastPath;
using signpost::detail::set_fast_path;

namespace {

// Where the two normalizations first differ, or an empty string when they agree.
std::string difference(const NormalizedText& a, const NormalizedText& b) {
  if (a.text != b.text) return "text";
  if (a.tokens != b.tokens) return "token count";
  if (a.considered != b.considered) return "bytes considered";
  if (a.begin.size() != b.begin.size() || a.end.size() != b.end.size() || a.token.size() != b.token.size() ||
      a.bounds.size() != b.bounds.size())
    return "array sizes";
  for (std::size_t p = 0; p < a.text.size(); ++p) {
    if (a.begin[p] != b.begin[p]) return "begin[" + std::to_string(p) + "]";
    if (a.end[p] != b.end[p]) return "end[" + std::to_string(p) + "]";
    if (a.token[p] != b.token[p]) return "token[" + std::to_string(p) + "]";
  }
  for (std::size_t p = 0; p < a.bounds.size(); ++p)
    if (a.bounds[p] != b.bounds[p]) return "bounds[" + std::to_string(p) + "]";
  return {};
}

struct Both {
  NormalizedText fast, slow;
};

// Normalizes `in` (at most max_bytes of it) both ways into outputs that are reused from call to
// call (so that stale bytes of a longer earlier text would show) and compares them.
std::string compare(const std::string& in, Both& out, std::size_t max_bytes = std::size_t(-1)) {
  set_fast_path(FastPath::normalizer, true);
  normalize(in, out.fast, max_bytes);
  set_fast_path(FastPath::normalizer, false);
  normalize(in, out.slow, max_bytes);
  set_fast_path(FastPath::normalizer, true);
  return difference(out.fast, out.slow);
}

class Mix {
 public:
  explicit Mix(std::uint64_t seed) : rng_(seed) {}

  std::size_t pick(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }

  // An ASCII word of 1 to 26 letters (mostly 2 to 10, often 7 to 9 and 15 to 17, around the
  // chunk edges), capitals, l / L / i / I weighted, with repeats of two or three letters anywhere.
  std::string ascii_word() {
    static const std::string letters = "abcdefghijklmnopqrstuvwxyzlLiIllooeesst";
    static const std::size_t lengths[] = {1, 2, 3, 4, 5, 6, 7, 7, 8, 8, 9, 9, 10, 12, 15, 16, 16, 17, 24, 26};
    const std::size_t n = lengths[pick(std::size(lengths))];
    std::string w;
    while (w.size() < n) {
      char c = letters[pick(letters.size())];
      if (pick(5) == 0 && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      w += c;
      if (pick(6) == 0) w.append(1 + pick(2), pick(3) == 0 ? static_cast<char>(c ^ 0x20) : c);  // a repeat
    }
    return w;
  }

  std::string word() {
    static const std::vector<std::string> leet = {"0", "1", "3", "4", "5", "7", "8", "9", "@", "$", "!", "|"};
    static const std::vector<std::string> arabic = {
        "في", "التي", "كان", "الذي", "والكتاب", "بالقارب", "للأطفال", "فالبحر", "وبالسيارة", "الللأطفال", "وو",
        "ككتاب", "قارب", "هجرة", "تهريب", "لندن", "بريطانيا", "والمهرب", "فللبيع", "كالبحر", "بحر", "سفر"};
    static const std::vector<std::string> particles = {"و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "لل", "فال"};
    static const std::vector<std::string> persian = {
        "می\u200cشود", "آن\u200cها", "قایق\u200cها", "کتاب\u200cها", "می\u200cتواند", "ایران", "قاچاق", "انگلیس",
        "به", "از", "برای", "نمی\u200cخواهم"};
    static const std::vector<std::string> vietnamese = {"là", "và", "có", "của", "được", "không", "người", "những",
                                                        "đến", "việt", "đồng", "trường", "thuyền", "Anh", "ệệ"};
    static const std::vector<std::string> other = {"Straße", "Ärger", "niño", "коммуна", "ССЫЛКА", "Ελλάδα", "ﬁne",
                                                   "İngiltere", "ılık", "pаss", "bоat", "ℌello", "ｆｕｌｌ", "ǉubav"};
    static const std::vector<std::string> emoji = {"🚤", "🛥️", "👍🏽", "🇬🇧", "🇫🇷🇬🇧", "👨‍👩‍👧", "€", "£", "$", "1️⃣"};
    switch (pick(14)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4: return ascii_word();
      case 5: {  // leetspeak inside, before or after letters
        std::string w = ascii_word();
        const std::size_t at = pick(w.size() + 1);
        w.insert(at, leet[pick(leet.size())]);
        if (pick(3) == 0) w.insert(pick(w.size() + 1), leet[pick(leet.size())]);
        return w;
      }
      case 6: {  // numbers, and digits inside words
        static const std::vector<std::string> nums = {"1400", "1,400", "12 345", "+44", "3am", "10places", "win10",
                                                      "covid19", "2026", "07700", "0", "99.5"};
        return pick(2) ? nums[pick(nums.size())] : ascii_word() + std::to_string(pick(100)) + ascii_word();
      }
      case 7: return pick(2) ? arabic[pick(arabic.size())] : particles[pick(particles.size())] + arabic[pick(arabic.size())];
      case 8: return persian[pick(persian.size())];
      case 9: return vietnamese[pick(vietnamese.size())];
      case 10: return other[pick(other.size())];
      case 11: return emoji[pick(emoji.size())];
      case 12: {  // letters spelled out or split into pieces
        static const std::vector<std::string> spelled = {"f a k e", "p.a.s.s", "b-o-a-t", "pass.port", "smug-gler",
                                                         "x y", "a b c d", "u_k", "on·line"};
        return spelled[pick(spelled.size())];
      }
      default: {  // an ASCII word with an invisible character or a mark inside
        static const std::vector<std::string> invisible = {"\u200b", "\u00ad", "\u200d", "\ufe0f", "\u2060", "\u200c",
                                                           "\u0301"};
        std::string w = ascii_word();
        w.insert(pick(w.size() + 1), invisible[pick(invisible.size())]);
        return w;
      }
    }
  }

  std::string gap() {
    static const std::vector<std::string> gaps = {
        " ", " ", " ", " ", ", ", ". ", ".", "-", "_", "'", "\n", "\t", "  ", "/", "*", " - ", "!", "?", "...",
        std::string(1, '\0'), "\u00a0", "\u3000", "\u200b", "؟ ", "، ", "\"", "(", ") ", ":", ";", "`"};
    return gaps[pick(gaps.size())];
  }

  std::string text() {
    std::string in;
    if (pick(8) == 0) in += gap();
    for (std::size_t w = 1 + pick(pick(4) == 0 ? 40 : 8); w > 0; --w) {
      in += word();
      if (w > 1) in += gap();
    }
    if (pick(4) == 0) in += gap();
    return in;
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace

TEST_CASE("normalizer lanes: the fast paths write exactly what the general path writes, on random mixes") {
  Mix mix(20261205);
  Both reused;
  std::size_t checked = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::string in = mix.text();
    Both fresh;
    const std::string d = compare(in, fresh);
    INFO("input: \"", in, "\" -> \"", fresh.slow.text, "\" / fast \"", fresh.fast.text, "\"");
    REQUIRE_MESSAGE(d.empty(), "first difference: " << d);
    REQUIRE(compare(in, reused).empty());
    // The same text cut anywhere (inside a code point too): every lane meets the end of the input
    // at every offset, with fewer and more than eight bytes left.
    const std::size_t cut = mix.pick(in.size() + 1);
    REQUIRE_MESSAGE(compare(in.substr(0, cut), reused).empty(), "cut at " << cut);
    REQUIRE_MESSAGE(compare(in, reused, cut).empty(), "max_bytes " << cut);
    checked += in.size();
  }
  CHECK(checked > 500000);
}

TEST_CASE("normalizer lanes: ASCII words of every length from 1 to 40 letters, with a repeat at every place") {
  // Each length and each place of one repeated letter (and of a run of three), after a space and at
  // the start, followed by the end of the input, a space or punctuation: the chunk edges of the
  // eight-byte lane at 8, 16, 24 and 32 letters are all crossed.
  Both out;
  const std::string base = "abcdefghijkmnopqrstuvwxyzabcdefghijkmnopq";  // no two equal letters in a row
  for (std::size_t n = 1; n <= 40; ++n) {
    for (std::size_t at = 0; at <= n; ++at) {
      for (std::size_t reps : {0, 1, 2}) {
        std::string w = base.substr(0, n);
        if (reps && at < n) w.insert(at, reps, w[at]);
        if (at % 3 == 1) w[0] = 'L';
        for (const std::string& in : {w, "to " + w, "to " + w + " uk", "to " + w + ", uk", "uk, " + w + "!",
                                      w + "." + w, "x " + w + "\n" + w}) {
          INFO("input: \"", in, "\"");
          CHECK(compare(in, out).empty());
        }
      }
    }
  }
}
