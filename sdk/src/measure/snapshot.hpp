// measure/snapshot.hpp: helpers shared by the recorder and the snapshot format.
#pragma once

#include "signpost/measure.hpp"

namespace signpost::detail {

// Puts a snapshot in its canonical form: rows sorted by key, rows with equal keys summed, zero
// rows dropped, `packs` and `holdout_rates` sorted and distinct, pack_name/version/hash set to the
// value every entry of `packs` shares (else ""). A snapshot whose `packs` is empty but whose
// pack_name is set gets packs = {pack_name, pack_version, pack_hash} first. Throws
// std::overflow_error if summing rows would overflow.
void canonicalize(MetricsSnapshot& s);

// a + b, throwing std::overflow_error instead of wrapping.
std::uint64_t checked_add(std::uint64_t a, std::uint64_t b);

}  // namespace signpost::detail
