// entities/handles.cpp: messaging handles and links, read from the original text (normalization
// drops the "@" of "@user" and the dots and slashes of "wa.me/44...").
//
// - links to messaging and social accounts: wa.me, api./chat.whatsapp.com, t.me, telegram.me,
//   telegram.dog, signal.me, signal.group, instagram.com, instagr.am, tiktok.com (and vm.),
//   m.me, facebook.com, fb.com, fb.me, snapchat.com, invite.viber.com, with or without
//   "https://" and "www.", followed by "/" and a path (what = "link");
// - "@name": 2 to 30 ASCII letters, digits, "_" or "." with at least one letter, after the start of
//   the text or a character that is not part of a word, and not running on into letters outside
//   ASCII (what = "handle"); "p@ssport" and "@ldığı" are leetspeak, not handles;
// - e-mail addresses: name@domain.tld (what = "email").
#include <algorithm>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "entities/support.hpp"

namespace signpost::detail::entities {
namespace {

constexpr std::string_view kHosts[] = {
    "wa.me/",        "api.whatsapp.com/", "chat.whatsapp.com/", "whatsapp.com/", "t.me/",
    "telegram.me/",  "telegram.dog/",     "signal.me/",         "signal.group/", "instagram.com/",
    "instagr.am/",   "tiktok.com/",       "vm.tiktok.com/",     "m.me/",         "facebook.com/",
    "fb.com/",       "fb.me/",            "snapchat.com/",      "invite.viber.com/",
};

bool alnum(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool letter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool starts_with_nocase(std::string_view s, std::size_t at, std::string_view what) noexcept {
  if (s.size() - at < what.size()) return false;
  for (std::size_t k = 0; k < what.size(); ++k)
    if (lower(s[at + k]) != what[k]) return false;
  return true;
}

bool path_char(char c) noexcept {
  return alnum(c) || c == '_' || c == '@' || c == '.' || c == '+' || c == '-' || c == '/' || c == '?' || c == '=' ||
         c == '#' || c == '%' || c == '&' || c == '~';
}

void emit_span(const Tokens& toks, std::vector<Entity>& out, std::size_t ob, std::size_t oe, std::string_view what) {
  Tok a, b;
  if (!locate(toks, static_cast<std::uint32_t>(ob), static_cast<std::uint32_t>(oe), a, b)) return;
  // A handle's '@' that the normalizer read as a letter ("@5ylum" is "asylum", "@nd" is "and") is
  // leetspeak, not a handle: the word's token then starts at the '@' itself. A name with a '_' or
  // a '.' ("@uk_trip") is a handle whatever the normalizer made of it.
  if (what == "handle" && a.ob <= ob) {
    const std::string_view name = toks.original().substr(ob, oe - ob);
    if (name.find_first_of("_.") == std::string_view::npos) return;
  }
  emit(out, Kind::handle, a, b, 0, what);
  if (!out.empty() && out.back().kind == Kind::handle && out.back().nbegin == a.nb) {
    out.back().begin = static_cast<std::uint32_t>(ob);
    out.back().end = static_cast<std::uint32_t>(oe);
  }
}

// Whether the name of "@name" ending at original byte e runs on into letters outside ASCII, which
// no platform's handle holds: the normalized word that holds its last byte goes on past it
// ("@ldığı", leetspeak for "aldığı"). Emoji and punctuation after a name are words of their own.
bool runs_on(const Tokens& toks, std::size_t ob, std::size_t e) noexcept {
  const std::string_view s = toks.original();
  if (e >= s.size() || static_cast<unsigned char>(s[e]) < 0x80) return false;
  Tok a, b;
  return locate(toks, static_cast<std::uint32_t>(ob), static_cast<std::uint32_t>(e), a, b) && b.oe > e;
}

// A link whose host starts at i: its end, or 0.
std::size_t link_end(std::string_view s, std::size_t i) noexcept {
  if (i > 0 && (alnum(s[i - 1]) || s[i - 1] == '-' || s[i - 1] == '_' || s[i - 1] == '@')) return 0;
  for (std::string_view host : kHosts) {
    if (!starts_with_nocase(s, i, host)) continue;
    std::size_t e = i + host.size();
    bool any = false;
    while (e < s.size() && path_char(s[e])) any |= alnum(s[e++]);
    while (e > i + host.size() && (s[e - 1] == '.' || s[e - 1] == '?' || s[e - 1] == '&' || s[e - 1] == '-')) --e;
    return any ? e : 0;
  }
  return 0;
}

// Extends a link's start back over "https://", "http://" and "www.".
std::size_t link_start(std::string_view s, std::size_t i) noexcept {
  if (i >= 4 && starts_with_nocase(s, i - 4, "www.")) i -= 4;
  if (i >= 8 && starts_with_nocase(s, i - 8, "https://")) return i - 8;
  if (i >= 7 && starts_with_nocase(s, i - 7, "http://")) return i - 7;
  return i;
}

// The bytes a link or a handle needs, found in one pass over s, sixteen bytes at a time: bit 0 when
// s holds a '/', bit 1 a '@', bit 2 a byte 0xEF (the first of U+FF20 '\uFF20', and of other
// characters). Three searches of the text (two memchr calls and a substring search) cost about
// three times as much on a query, where nearly every text holds none of them.
constexpr unsigned kSlash = 1, kAt = 2, kEF = 4;
unsigned marks(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
#if defined(__SSE2__)
  const __m128i slash = _mm_set1_epi8('/'), at = _mm_set1_epi8('@'), ef = _mm_set1_epi8(static_cast<char>(0xEF));
  __m128i ms = _mm_setzero_si128(), ma = ms, me = ms;
  const auto add = [&](const unsigned char* b) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
    ms = _mm_or_si128(ms, _mm_cmpeq_epi8(x, slash));
    ma = _mm_or_si128(ma, _mm_cmpeq_epi8(x, at));
    me = _mm_or_si128(me, _mm_cmpeq_epi8(x, ef));
  };
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) add(p + i);
  if (i < n) {
    if (n >= 16) {
      add(p + n - 16);  // the last sixteen bytes again: presence does not count twice
    } else {
      unsigned char pad[16] = {};  // zeros: none of the three
      std::memcpy(pad, p, n);
      add(pad);
    }
  }
  return (_mm_movemask_epi8(ms) ? kSlash : 0u) | (_mm_movemask_epi8(ma) ? kAt : 0u) | (_mm_movemask_epi8(me) ? kEF : 0u);
#else
  unsigned m = 0;
  for (std::size_t i = 0; i < n; ++i) m |= p[i] == '/' ? kSlash : p[i] == '@' ? kAt : p[i] == 0xEF ? kEF : 0u;
  return m;
#endif
}

}  // namespace

void scan_handles(const Tokens& toks, std::vector<Entity>& out) {
  const std::string_view s = toks.original();
  bool has_slash, has_at;
  if (toks.fast()) {
    const unsigned m = marks(s);
    has_slash = (m & kSlash) != 0;
    has_at = (m & kAt) != 0 || ((m & kEF) != 0 && s.find("\uFF20") != std::string_view::npos);
  } else {
    has_slash = s.find('/') != std::string_view::npos;
    has_at = s.find('@') != std::string_view::npos || s.find("\uFF20") != std::string_view::npos;
  }
  if (!has_slash && !has_at) return;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (has_slash && letter(c)) {
      if (const std::size_t e = link_end(s, i)) {
        emit_span(toks, out, link_start(s, i), e, "link");
        i = e;
        continue;
      }
    }
    const bool at = c == '@';
    const bool wide_at = s.compare(i, 3, "\uFF20") == 0;
    if (at || wide_at) {
      const std::size_t after = i + (at ? 1 : 3);
      // Before it: the local part of an e-mail address, or nothing of a word.
      std::size_t lb = i;
      while (lb > 0 && (alnum(s[lb - 1]) || s[lb - 1] == '.' || s[lb - 1] == '_' || s[lb - 1] == '-' || s[lb - 1] == '+')) --lb;
      std::size_t e = after;
      bool has_letter = false;
      while (e < s.size() && (alnum(s[e]) || s[e] == '_' || s[e] == '.' || (lb < i && s[e] == '-'))) has_letter |= letter(s[e++]);
      while (e > after && s[e - 1] == '.') --e;
      const std::string_view name = s.substr(after, e - after);
      if (lb < i) {
        // name@domain.tld
        const std::size_t dot = name.rfind('.');
        const bool email = dot != std::string_view::npos && dot > 0 && name.size() - dot - 1 >= 2 &&
                           std::all_of(name.begin() + static_cast<std::ptrdiff_t>(dot) + 1, name.end(), letter) &&
                           alnum(s[lb]);
        if (email) {
          emit_span(toks, out, lb, e, "email");
          i = e;
          continue;
        }
      } else if (name.size() >= 2 && name.size() <= 30 && has_letter && (alnum(name[0]) || name[0] == '_') &&
                 !runs_on(toks, i, e)) {
        emit_span(toks, out, i, e, "handle");
        i = e;
        continue;
      }
      i = after;
      continue;
    }
    ++i;
  }
}

}  // namespace signpost::detail::entities
