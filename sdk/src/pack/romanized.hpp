// pack/romanized.hpp: Arabic-script languages written in Latin letters with digits for the
// letters Latin lacks (Arabizi: 2 hamza, 3 ayn, 5 kha, 6 ta, 7 ha, 8 ghayn, 9 qaf), as pack-term
// variants.
//
// Contract: the normalizer reads a digit inside a Latin word as leetspeak ("7arga" -> "targa"),
// the same way for terms and text, so a romanised term written with its digits already matches
// the same spelling in a text. What differs is the spelling: one writer types "7arga", another
// "harga". add_romanized_variants() gives every term listed under an Arabic-script language
// (arabic_script_language()) its other spellings: the digits read as letters ("7arga" -> "harga",
// "ta2meen" -> "tameen") and the letters h, kh, gh, q written as 7, 5, 8, 9 ("harga" -> "7arga").
// Text is not changed at all, so leetspeak in Latin-script languages and numbers read as before,
// and nothing is added to the cost of a query. Variants keep the term's language and position,
// and are added once (the function is idempotent).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pack/model.hpp"

namespace signpost::detail {

// Whether terms listed under this language tag (its language subtag) are romanised Arabic-script
// text when written in Latin letters: Arabic and its varieties, Persian, Dari, Sorani and
// Southern Kurdish, Pashto, Urdu.
bool arabic_script_language(std::string_view tag) noexcept;

// The other spellings of one romanised term (lower-case ASCII letters, digits, spaces; anything
// else is left as it is). Empty when the term has no Arabizi digit and no letter to write as one,
// or when it is too short to vary safely (fewer than 4 letters for letter-to-digit spellings).
std::vector<std::string> arabizi_variants(std::string_view term);

// Appends to each lexicon the variants of its terms listed under an Arabic-script language.
void add_romanized_variants(PackModel& model);

}  // namespace signpost::detail
