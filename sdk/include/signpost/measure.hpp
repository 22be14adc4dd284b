// signpost/measure.hpp: holdout bucketing and privacy-safe metrics.
//
// Nothing here ever holds text a user wrote, a subject key, or a hash of either: metrics are
// counts keyed by ids that come from the pack (pack, category, card, locale, action). See
// docs/measurement.md for what is counted and how to read a report.
//
//   signpost::MetricsRecorder metrics(engine);        // one per engine, shared by all threads
//   metrics.record(engine.evaluate(query));           // lock-free
//   metrics.record_click(card_id, card_locale);       // when someone follows a card's link
//   std::string json = metrics.snapshot().to_json();  // persist; merge later with others
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/export.hpp"
#include "signpost/types.hpp"

namespace signpost {

class Engine;

// The holdout bucket of a subject, in [0, 1): the first 8 bytes of
// HMAC-SHA256(key = salt, message = subject), read as a big-endian unsigned 64-bit integer v,
// divided by 2^64 and truncated to the 53 bits a double holds: bucket = floor(v / 2^11) / 2^53.
// The result is exact (no rounding) and always below 1. A subject is held out of a category when
// bucket < that category's rate. The same (salt, subject) gives the same bucket in every process,
// machine and binding. In Python:
//   (int.from_bytes(hmac.new(salt, subject, "sha256").digest()[:8], "big") >> 11) / 2**53
// Never throws, allocates nothing.
SIGNPOST_API double holdout_bucket(std::string_view salt, std::string_view subject) noexcept;

// A point-in-time copy of a recorder's counts. Snapshots are sums: merge() adds another one.
//
// Every string in a snapshot is an id from a pack: pack, category and card ids, one of the pack's
// languages or "other", an action name, the pack's version and hash. Decisions that matched no
// category are counted under the category "none" (so "none" is reserved as a category id here).
struct SIGNPOST_API MetricsSnapshot {
  struct DecisionCount {
    std::string pack, category, action, locale;
    bool holdout = false;
    std::uint64_t count = 0;
    friend bool operator==(const DecisionCount&, const DecisionCount&) = default;
  };
  struct CardCount {
    std::string pack, card, locale;
    std::uint64_t impressions = 0, clicks = 0;
    friend bool operator==(const CardCount&, const CardCount&) = default;
  };
  // One pack (name, version, hash) whose decisions are in the snapshot.
  struct PackId {
    std::string name, version, hash;
    friend bool operator==(const PackId&, const PackId&) = default;
  };
  // The holdout rate a category had while counted. A merged snapshot lists every distinct
  // (pack, category, rate); two rates for one category mean it changed during the period.
  struct HoldoutRate {
    std::string pack, category;
    double rate = 0.0;
    friend bool operator==(const HoldoutRate&, const HoldoutRate&) = default;
  };

  // The pack's name, version and hash when every merged snapshot agrees on it, else "".
  std::string pack_name, pack_version, pack_hash;
  std::int64_t period_start = 0, period_end = 0;  // unix seconds; both 0 = no period (empty)
  std::uint64_t evaluations = 0;                  // every decision recorded, whatever its action
  std::vector<DecisionCount> decisions;           // only non-zero rows, sorted by key
  std::vector<CardCount> cards;                   // only non-zero rows, sorted by key
  std::vector<PackId> packs;                      // sorted, distinct
  std::vector<HoldoutRate> holdout_rates;         // sorted, distinct

  // Adds `other` into this snapshot: rows with equal keys (pack, category, action, locale,
  // holdout; pack, card, locale) are summed, the period becomes [min start, max end], the pack
  // and holdout-rate lists are unioned. Merging across pack versions is allowed: rows are keyed
  // by pack name, so counts of one pack add up across versions, and `packs` lists every version.
  // Commutative and associative; an empty snapshot is its identity. Throws signpost::Error if
  // a count would overflow.
  void merge(const MetricsSnapshot& other);

  // One JSON object (format "signpost-metrics", version 1; see docs/measurement.md).
  std::string to_json() const;
  // Parses what to_json() writes, strictly: unknown or missing fields, wrong types, duplicate
  // keys or rows, counts that are not non-negative integers, and strings that are not ids all
  // throw signpost::Error with a message naming the field ("decisions[2].count: expected
  // a non-negative integer"). Values from the input are never echoed in the message.
  // Reading snapshots is a tool's job: this function is defined in signpost::tools (link it).
  static MetricsSnapshot from_json(std::string_view json);

  // Prometheus text exposition format: counters with HELP and TYPE, label values escaped.
  // Throws signpost::Error if `prefix` is not a valid metric name.
  std::string to_prometheus(std::string_view prefix = "signpost") const;

  friend bool operator==(const MetricsSnapshot&, const MetricsSnapshot&) = default;
};

// Counts decisions, card impressions and clicks. Thread-safe; recording takes no lock and
// allocates nothing: the table of counters is laid out from the pack when the recorder is built
// (categories plus "none" x actions x locales x holdout; cards x locales), and record() finds its
// cells with small lookups and adds with relaxed atomic increments (spread over a few shards so
// that threads rarely share a cache line). Locales are reduced to the pack's languages, or
// "other": decision.locale (or a card's locale) counts under the pack language equal to it, else
// under the pack language equal to its language subtag ("fr" for "fr-BE"), else under "other".
// Decisions for a category the pack does not have, and cards it does not have, are counted only
// in `evaluations`.
class SIGNPOST_API MetricsRecorder {
 public:
  // What the table is laid out from; normally taken from an Engine.
  struct Layout {
    PackInfo pack;
    std::vector<std::string> categories;  // category ids
    std::vector<double> holdout_rates;    // parallel to categories; empty = all 0
    std::vector<std::string> cards;       // card ids
    std::vector<std::string> languages;   // the pack's languages
  };

  // Lays the table out from the engine's pack (pack(), categories(), holdout_rate(), card_ids(),
  // languages()). The recorder does not keep a reference to the engine.
  explicit MetricsRecorder(const Engine& engine);
  // Throws signpost::Error if the layout holds a string that is not an id (see MetricsSnapshot).
  explicit MetricsRecorder(Layout layout);
  ~MetricsRecorder();
  MetricsRecorder(const MetricsRecorder&) = delete;
  MetricsRecorder& operator=(const MetricsRecorder&) = delete;

  // Counts one decision (its category, action, locale, holdout flag) and, when its action is
  // not none, one impression of each of its cards (under the card's locale).
  void record(const Decision& d) noexcept;
  void record_impression(std::string_view card_id, std::string_view locale) noexcept;
  void record_click(std::string_view card_id, std::string_view locale) noexcept;

  // The counts since the recorder was built (or last drained): period_start is that time,
  // period_end now. Counters are read one by one while others may still record, so a snapshot
  // taken under load is a consistent sum of events, not a cut at one instant.
  MetricsSnapshot snapshot() const;
  // Like snapshot(), and resets every counter to zero in the same atomic step per counter: no
  // event is lost or counted twice across successive drains. Successive drains cover disjoint
  // periods, so their snapshots can be merged (cumulative snapshot() results must not be: they
  // overlap). Call from one thread at a time.
  MetricsSnapshot drain();

  const Layout& layout() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signpost
