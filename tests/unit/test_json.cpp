// JSON string escaping (sdk/src/json.cpp): the fast paths (eight plain ASCII bytes at a time,
// two-byte UTF-8 inline) against a reference written from the rules, one code point at a time.
#include <doctest/doctest.h>

#include <cstdio>
#include <random>
#include <string>

#include "signpost/json.hpp"

namespace {

// The rules of append_json_string, code point by code point: " \ and controls escaped, < > &
// written \u003c \u003e \u0026, U+2028/U+2029 escaped, every invalid byte \ufffd.
std::string reference(std::string_view s) {
  std::string out = "\"";
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      char buf[8];
      switch (b) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '<': out += "\\u003c"; break;
        case '>': out += "\\u003e"; break;
        case '&': out += "\\u0026"; break;
        default:
          if (b < 0x20 || b == 0x7f) {
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(b));
            out += buf;
          } else {
            out += static_cast<char>(b);
          }
      }
      ++i;
      continue;
    }
    std::size_t len = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    char32_t cp = len == 2 ? b & 0x1F : len == 3 ? b & 0x0F : b & 0x07;
    bool ok = len != 0 && s.size() - i >= len;
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      ok = (c & 0xC0) == 0x80;
      cp = (cp << 6) | (c & 0x3F);
    }
    const char32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    ok = ok && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (!ok) {
      out += "\\ufffd";
      ++i;
    } else if (cp == 0x2028 || cp == 0x2029) {
      out += cp == 0x2028 ? "\\u2028" : "\\u2029";
      i += len;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out + "\"";
}

std::string escaped(std::string_view s) {
  std::string out = "x";  // appends to what is there
  signpost::append_json_string(out, s);
  return out.substr(1);
}

}  // namespace

TEST_CASE("JSON strings: plain ASCII runs, letters of every script and every escape") {
  CHECK(escaped("") == "\"\"");
  CHECK(escaped("boat to the uk tonight, 2 places") == "\"boat to the uk tonight, 2 places\"");
  CHECK(escaped("abcdefg\"hijklmnop") == "\"abcdefg\\\"hijklmnop\"");  // an escape inside an 8-byte block
  CHECK(escaped("abcdefgh<") == "\"abcdefgh\\u003c\"");               // right after one
  CHECK(escaped("abcdefg\x7f") == "\"abcdefg\\u007f\"");
  CHECK(escaped("abcdefg\x1f") == "\"abcdefg\\u001f\"");
  CHECK(escaped("\u0645\u0631\u062d\u0628\u0627 \u00e9t\u00e9") == "\"\u0645\u0631\u062d\u0628\u0627 \u00e9t\u00e9\"");
  CHECK(escaped("a\u2028b\u2029c") == "\"a\\u2028b\\u2029c\"");
  CHECK(escaped("\xc3") == "\"\\ufffd\"");         // a lead byte at the end
  CHECK(escaped("\xc3(") == "\"\\ufffd(\"");       // a lead byte without its continuation
  CHECK(escaped("\xc0\xaf") == "\"\\ufffd\\ufffd\"");  // an overlong form
}

TEST_CASE("JSON strings: the fast paths give what the rules give, on 20,000 random strings") {
  static const char* const pieces[] = {
      "a", "boat ", "0123456789", "\"", "\\", "<", ">", "&", "\n", "\t", "\x01", "\x1f", "\x7f", " ",
      "\u00e9", "\u0645", "\u06a9", "\u0131", "\u1ec7", "\u2028", "\u2029", "\u20ac", "\U0001F6A4",
      "\xc3", "\x80", "\xbf", "\xe2\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc1\xbf", "\xff",
      "abcdefgh", "ABCDEFGHIJKLMNOP"};
  std::mt19937 rng(20261205);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(pieces) - 1), count(0, 40);
  for (int t = 0; t < 20000; ++t) {
    std::string s;
    for (std::size_t k = count(rng); k > 0; --k) s += pieces[pick(rng)];
    INFO("case ", t);
    REQUIRE(escaped(s) == reference(s));
  }
}

TEST_CASE("JSON strings: plain strings of every length, and one byte to escape at every place") {
  for (std::size_t n = 0; n <= 130; ++n) {
    std::string s;
    for (std::size_t k = 0; k < n; ++k) s += static_cast<char>('a' + k % 26);
    INFO("length ", n);
    REQUIRE(escaped(s) == reference(s));
    for (const char* odd : {"\"", "<", "\x01", "\x7f", "\xc3\xa9", "\xff"})
      for (std::size_t at = 0; at < n; ++at) {
        std::string t = s;
        t.replace(at, 1, odd);
        INFO("at ", at, " ", odd);
        REQUIRE(escaped(t) == reference(t));
      }
  }
}
