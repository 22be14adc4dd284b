// match/regex_condition.hpp: what a regex needs of the bytes of a text it matches, read from the
// pattern, for the prefilter (regex_prefilter.hpp).
//
// Contract: read() takes a pattern in the syntax Vectorscan takes (compiled with HS_FLAG_UTF8 only)
// and returns a condition every text the pattern matches satisfies: an `or` of terms, each an
// `and` of byte classes ("the text holds a byte of this class"). A literal character needs each of
// its bytes, `[0-9]` or `\d` a digit, `a|b` either condition, `ab` both, `x?` and `x{0,n}` nothing.
// A construct the reader does not know (inline flags, \Q...\E, named groups, lookaround, back
// references, POSIX classes...) gives "always" for the whole pattern. Past the limits (8 terms, 4
// classes a term) terms are merged and classes dropped or widened, never narrowed, so the
// condition stays necessary. Not on a hot path (allocates freely).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace signpost::detail::regex_condition {

// A set of bytes, one bit each.
using Class = std::array<std::uint64_t, 4>;
// An `and` of classes (the text holds a byte of each), sorted; empty: true.
using Term = std::vector<Class>;
// An `or` of terms; one empty term: always true.
using Cond = std::vector<Term>;

Cond read(const std::string& pattern);

// How likely a text of a query's length holds a byte of c, roughly (English letter frequencies;
// digits and the rest rare): a heuristic for what to keep, never for what is right.
double likely(const Class& c);
Class unite(const Class& a, const Class& b);
Class digits();
// Drops every term that holds all the classes of another (x or (x and y) is x).
void absorb(Cond& c);

}  // namespace signpost::detail::regex_condition
