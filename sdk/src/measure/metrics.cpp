// measure/metrics.cpp: the lock-free metrics recorder.
//
// The recorder owns one flat table of atomic counters per shard, laid out once from the pack:
//   [0]                      evaluations
//   decisions                (category + "none") x action x locale (languages + "other") x holdout
//   cards                    card x locale x {impressions, clicks}
// A thread always adds into the same shard (picked once per thread), so threads on different
// cores rarely touch the same cache line; snapshot() sums the shards. Finding a cell takes a hash
// lookup per id (for locales, with case folded): no allocation, no lock.
#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <utility>

#include "base/locale.hpp"
#include "signpost/error.hpp"
#include "measure/ids.hpp"
#include "measure/snapshot.hpp"
#include "signpost/engine.hpp"
#include "signpost/measure.hpp"

namespace signpost {
namespace {

constexpr std::size_t kActions = 4;                 // none, annotate, interstitial, redirect
constexpr std::size_t kMaxShards = 16;
constexpr std::size_t kMaxTableBytes = 8u << 20;    // shards are dropped before the table grows past this
constexpr std::size_t kNotFound = static_cast<std::size_t>(-1);

struct alignas(64) Line {
  std::atomic<std::uint64_t> v[8];
};

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Each thread gets a small number once; shards are picked from it.
std::size_t thread_slot() noexcept {
  static std::atomic<std::size_t> next{0};
  thread_local const std::size_t slot = next.fetch_add(1, std::memory_order_relaxed);
  return slot;
}

constexpr char fold(char c) noexcept { return detail::fold_tag_char(c); }

// An open-addressing hash table from ids to their index, built once. Lookups hash the key
// (FNV-1a) and compare bytes inline: no allocation and no library calls on the hot path.
// With `fold`, keys compare as BCP 47 tags do: case-insensitively, '_' taken for '-'.
class IdTable {
 public:
  IdTable() = default;
  IdTable(const std::vector<std::string>& keys, bool fold_keys) : fold_(fold_keys) {
    std::size_t size = 8;
    while (size < keys.size() * 2) size *= 2;
    slots_.assign(size, 0);
    mask_ = size - 1;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      std::string k = keys[i];
      if (fold_) for (char& c : k) c = fold(c);
      if (find(k) != kNotFound) continue;  // a duplicate: the first one wins
      std::size_t at = hash(k) & mask_;
      while (slots_[at] != 0) at = (at + 1) & mask_;
      slots_[at] = static_cast<std::uint32_t>(keys_.size() + 1);
      keys_.push_back(std::move(k));
      index_.push_back(i);
    }
  }

  std::size_t find(std::string_view key) const noexcept {
    if (slots_.empty()) return kNotFound;
    for (std::size_t at = hash(key) & mask_;; at = (at + 1) & mask_) {
      const std::uint32_t slot = slots_[at];
      if (slot == 0) return kNotFound;
      if (equal(keys_[slot - 1], key)) return index_[slot - 1];
    }
  }

 private:
  // Locale tags are a few bytes: FNV-1a over their folded bytes. Ids: their length and their first
  // and last 8 bytes, read as two words and mixed, so a lookup costs the same whatever the id.
  std::uint64_t hash(std::string_view s) const noexcept {
    if (fold_) {
      std::uint64_t h = 14695981039346656037ull;
      for (const char c : s) h = (h ^ static_cast<unsigned char>(fold(c))) * 1099511628211ull;
      return h;
    }
    std::uint64_t a = 0, b = 0;
    if (s.size() >= 8) {
      std::memcpy(&a, s.data(), 8);
      std::memcpy(&b, s.data() + s.size() - 8, 8);
    } else {
      for (std::size_t i = 0; i < s.size(); ++i) a |= std::uint64_t(static_cast<unsigned char>(s[i])) << (8 * i);
    }
    std::uint64_t h = (a * 0x9e3779b97f4a7c15ull) ^ (b * 0xc2b2ae3d27d4eb4full) ^ s.size();
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 29);
  }
  bool equal(std::string_view stored, std::string_view key) const noexcept {
    if (stored.size() != key.size()) return false;
    for (std::size_t i = 0; i < key.size(); ++i)
      if (stored[i] != (fold_ ? fold(key[i]) : key[i])) return false;
    return true;
  }

  bool fold_ = false;
  std::vector<std::uint32_t> slots_;  // index into keys_ + 1; 0 = empty
  std::size_t mask_ = 0;
  std::vector<std::string> keys_;
  std::vector<std::size_t> index_;  // position of each key in the list it was built from
};

// Ids must be valid and distinct.
IdTable make_index(const std::vector<std::string>& ids, const char* what) {
  std::vector<std::string_view> sorted;
  for (const auto& id : ids) {
    if (!detail::is_metric_id(id)) throw Error(std::string("metrics: invalid ") + what + " id");
    sorted.push_back(id);
  }
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i - 1] == sorted[i])
      throw Error(std::string("metrics: duplicate ") + what + " id '" + std::string(sorted[i]) + "'");
  return IdTable(ids, false);
}

}  // namespace

struct MetricsRecorder::Impl {
  Layout layout;
  IdTable categories, cards, languages;
  std::size_t n_categories = 0;  // pack categories + "none"
  std::size_t n_locales = 0;     // pack languages + "other"
  std::size_t n_cards = 0;
  std::size_t decisions_at = 1, cards_at = 0, cells = 0, stride = 0, shard_mask = 0;
  std::unique_ptr<Line[]> lines;
  std::atomic<std::int64_t> period_start{0};

  explicit Impl(Layout l) : layout(std::move(l)) {
    if (!detail::is_metric_id(layout.pack.name)) throw Error("metrics: invalid pack name");
    if (!detail::is_metric_version(layout.pack.version))
      throw Error("metrics: pack version must be at most 128 printable ASCII characters");
    if (!detail::is_metric_pack_hash(layout.pack.hash)) throw Error("metrics: invalid pack hash");
    if (!layout.holdout_rates.empty() && layout.holdout_rates.size() != layout.categories.size())
      throw Error("metrics: holdout_rates must be empty or one per category");
    layout.holdout_rates.resize(layout.categories.size(), 0.0);
    for (const double r : layout.holdout_rates)
      if (!(r >= 0.0 && r <= 1.0)) throw Error("metrics: holdout rate outside [0, 1]");
    for (const auto& c : layout.categories)
      if (c == detail::kNoCategory)
        throw Error("metrics: category id 'none' is reserved (it counts decisions without a category)");
    for (const auto& lang : layout.languages) {
      if (!detail::is_metric_locale(lang)) throw Error("metrics: invalid language tag");
      if (IdTable({lang}, true).find(detail::kOtherLocale) != kNotFound)
        throw Error("metrics: language 'other' is reserved (it counts locales outside the pack)");
    }
    categories = make_index(layout.categories, "category");
    cards = make_index(layout.cards, "card");
    languages = IdTable(layout.languages, true);

    n_categories = layout.categories.size() + 1;
    n_locales = layout.languages.size() + 1;
    n_cards = layout.cards.size();
    cards_at = decisions_at + n_categories * kActions * n_locales * 2;
    cells = cards_at + n_cards * n_locales * 2;
    const std::size_t lines_per_shard = (cells + 7) / 8;
    stride = lines_per_shard * 8;

    std::size_t shards = std::bit_floor(std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kMaxShards));
    while (shards > 1 && shards * lines_per_shard * sizeof(Line) > kMaxTableBytes) shards /= 2;
    shard_mask = shards - 1;
    lines.reset(new Line[shards * lines_per_shard]());
    period_start.store(now_seconds(), std::memory_order_relaxed);
  }

  std::size_t shards() const noexcept { return shard_mask + 1; }

  std::atomic<std::uint64_t>& cell(std::size_t shard, std::size_t i) const noexcept {
    const std::size_t at = shard * stride + i;
    return lines[at / 8].v[at % 8];
  }

  void add(std::size_t i) const noexcept {
    cell(thread_slot() & shard_mask, i).fetch_add(1, std::memory_order_relaxed);
  }

  // A pack language equal to the tag, else one equal to its language subtag, else "other".
  std::size_t locale_index(std::string_view tag) const noexcept {
    if (const std::size_t i = languages.find(tag); i != kNotFound) return i;
    const std::size_t cut = tag.find_first_of("-_");
    if (cut != std::string_view::npos)
      if (const std::size_t i = languages.find(tag.substr(0, cut)); i != kNotFound) return i;
    return layout.languages.size();
  }

  std::size_t decision_cell(std::size_t category, std::size_t action, std::size_t locale, bool holdout) const noexcept {
    return decisions_at + ((category * kActions + action) * n_locales + locale) * 2 + (holdout ? 1 : 0);
  }

  std::size_t card_cell(std::size_t card, std::size_t locale, bool click) const noexcept {
    return cards_at + (card * n_locales + locale) * 2 + (click ? 1 : 0);
  }

  void count_card(std::string_view id, std::size_t locale, bool click) const noexcept {
    const std::size_t card = cards.find(id);
    if (card == kNotFound) return;
    add(card_cell(card, locale, click));
  }

  std::string_view locale_name(std::size_t i) const noexcept {
    return i < layout.languages.size() ? std::string_view(layout.languages[i]) : detail::kOtherLocale;
  }

  template <class Read>
  MetricsSnapshot collect(Read read, std::int64_t start, std::int64_t end) const {
    std::vector<std::uint64_t> sum(cells, 0);
    for (std::size_t s = 0; s < shards(); ++s)
      for (std::size_t i = 0; i < cells; ++i) sum[i] += read(cell(s, i));

    MetricsSnapshot snap;
    snap.packs.push_back({layout.pack.name, layout.pack.version, layout.pack.hash});
    for (std::size_t c = 0; c < layout.categories.size(); ++c)
      snap.holdout_rates.push_back({layout.pack.name, layout.categories[c], layout.holdout_rates[c]});
    snap.period_start = start;
    snap.period_end = std::max(start, end);
    snap.evaluations = sum[0];
    for (std::size_t c = 0; c < n_categories; ++c)
      for (std::size_t a = 0; a < kActions; ++a)
        for (std::size_t l = 0; l < n_locales; ++l)
          for (const bool h : {false, true})
            if (const std::uint64_t n = sum[decision_cell(c, a, l, h)])
              snap.decisions.push_back({layout.pack.name,
                                        c < layout.categories.size() ? layout.categories[c] : std::string(detail::kNoCategory),
                                        std::string(to_string(static_cast<Action>(a))), std::string(locale_name(l)), h, n});
    for (std::size_t k = 0; k < n_cards; ++k)
      for (std::size_t l = 0; l < n_locales; ++l) {
        const std::uint64_t shown = sum[card_cell(k, l, false)], clicked = sum[card_cell(k, l, true)];
        if (shown || clicked) snap.cards.push_back({layout.pack.name, layout.cards[k], std::string(locale_name(l)), shown, clicked});
      }
    detail::canonicalize(snap);
    return snap;
  }
};

MetricsRecorder::MetricsRecorder(Layout layout) : impl_(std::make_unique<Impl>(std::move(layout))) {}

namespace {
MetricsRecorder::Layout layout_of(const Engine& engine) {
  MetricsRecorder::Layout l;
  l.pack = engine.pack();
  l.categories = engine.categories();
  for (const auto& c : l.categories) l.holdout_rates.push_back(engine.holdout_rate(c));
  l.cards = engine.card_ids();
  l.languages = engine.languages();
  return l;
}
}  // namespace

MetricsRecorder::MetricsRecorder(const Engine& engine) : MetricsRecorder(layout_of(engine)) {}

MetricsRecorder::~MetricsRecorder() = default;

void MetricsRecorder::record(const Decision& d) noexcept {
  const Impl& m = *impl_;
  m.add(0);
  const std::size_t category = d.category.empty() ? m.n_categories - 1 : m.categories.find(d.category);
  const auto action = static_cast<std::size_t>(d.action);
  if (category == kNotFound || action >= kActions) return;
  const std::size_t locale = m.locale_index(d.locale);
  m.add(m.decision_cell(category, action, locale, d.holdout));
  if (d.action == Action::none || d.holdout) return;
  for (const Card& card : d.cards)  // cards are usually in the decision's locale: look it up once
    m.count_card(card.id, card.locale.empty() || card.locale == d.locale ? locale : m.locale_index(card.locale), false);
}

void MetricsRecorder::record_impression(std::string_view card_id, std::string_view locale) noexcept {
  impl_->count_card(card_id, impl_->locale_index(locale), false);
}

void MetricsRecorder::record_click(std::string_view card_id, std::string_view locale) noexcept {
  impl_->count_card(card_id, impl_->locale_index(locale), true);
}

MetricsSnapshot MetricsRecorder::snapshot() const {
  return impl_->collect([](const std::atomic<std::uint64_t>& c) { return c.load(std::memory_order_relaxed); },
                        impl_->period_start.load(std::memory_order_relaxed), now_seconds());
}

MetricsSnapshot MetricsRecorder::drain() {
  const std::int64_t now = now_seconds();
  const std::int64_t start = impl_->period_start.exchange(now, std::memory_order_relaxed);
  return impl_->collect(
      [](std::atomic<std::uint64_t>& c) { return c.exchange(0, std::memory_order_relaxed); },
      start, now);
}

const MetricsRecorder::Layout& MetricsRecorder::layout() const noexcept { return impl_->layout; }

}  // namespace signpost
