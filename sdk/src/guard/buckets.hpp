// guard/buckets.hpp: lock-free counters in a ring of time buckets, for the flood guard.
//
// One slot holds one bucket's count and which bucket it is for, packed in one 64-bit atomic (a
// 24-bit tag of the bucket index above a 40-bit count), so a slot is moved to a new bucket and
// counted in one compare-and-swap: no count is lost to a reset racing an increment, and no lock.
// A bucket index is (time since the clock's epoch) / window; the ring keeps the last N buckets.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace signpost::detail {

class BucketSlot {
 public:
  static constexpr unsigned count_bits = 40;
  static constexpr std::uint64_t count_mask = (std::uint64_t{1} << count_bits) - 1;
  static constexpr std::uint64_t tag_mask = (std::uint64_t{1} << (64 - count_bits)) - 1;

  // Adds one to bucket `b` (the slot forgets whatever older bucket it held); returns the new count.
  std::uint64_t bump(std::uint64_t b) noexcept {
    const std::uint64_t tag = (b & tag_mask) << count_bits;
    std::uint64_t v = value_.load(std::memory_order_relaxed);
    for (;;) {
      const bool same = (v & ~count_mask) == tag;
      if (same && (v & count_mask) == count_mask) return count_mask;  // saturated
      const std::uint64_t next = same ? v + 1 : (tag | 1);
      if (value_.compare_exchange_weak(v, next, std::memory_order_relaxed)) return next & count_mask;
    }
  }

  // The count of bucket `b`, or 0 when the slot holds another bucket.
  std::uint64_t read(std::uint64_t b) const noexcept {
    const std::uint64_t v = value_.load(std::memory_order_relaxed);
    return (v >> count_bits) == (b & tag_mask) ? (v & count_mask) : 0;
  }

 private:
  std::atomic<std::uint64_t> value_{0};
};

}  // namespace signpost::detail
