// signpost/engine.hpp: load an intervention pack, judge texts, redirect result lists.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "signpost/export.hpp"
#include "signpost/trace.hpp"
#include "signpost/types.hpp"

namespace signpost {

namespace detail {
class EngineImpl;
}

// Host-side settings, fixed when the engine is built.
struct EngineOptions {
  // Bytes of Query::text considered by evaluate(); the rest is ignored (a decision on the prefix
  // is still returned). Bounds the work per call whatever a client sends.
  std::size_t max_text_bytes = std::size_t{1} << 20;
  // A holdout declared by the host. When set, it replaces every category's holdout rate from the
  // pack: a subject whose bucket (see docs/measurement.md) is below the rate gets action none,
  // holdout = true and the category it would have had. Queries without a subject are never held out.
  std::optional<double> holdout_rate;
  std::string holdout_salt;
  // ed25519 public keys, each in the text form of a NAME.pub file ("ed25519:<base64>", surrounding
  // whitespace ignored; see docs/operations.md). When non-empty, load() and load_archive() refuse
  // (ConfigError) a pack that has no pack.sig or whose pack.sig holds no valid signature of the
  // pack's digest (PackInfo::hash) by one of these keys.
  std::vector<std::string> trusted_keys;
};

// One failed embedded example, from Engine::lint().
struct SIGNPOST_API ExampleFailure {
  std::string file;
  int line = 0, column = 0;
  std::string owner;     // rule or context id
  std::string expected;  // "match" or "no_match"
  std::string text;      // the example text, from the pack (never user input)
  std::string to_string() const;  // "file:line:col: rule 'x': expected match: \"text\""
};

struct LintReport {
  std::size_t examples = 0;
  std::vector<ExampleFailure> failures;
  bool ok() const noexcept { return failures.empty(); }
};

// A compiled pack. Immutable after load: copies share one compiled state, and every const method
// is safe to call from any number of threads at once. To reload, build a new Engine and swap it in
// (for instance an std::shared_ptr<const Engine> behind std::atomic); calls in flight finish on the
// engine they started with.
class SIGNPOST_API Engine {
 public:
  // Loads and compiles the pack in `pack_dir`. Throws ConfigError listing every problem found
  // (file:line:col), or if the folder cannot be read.
  //
  // Side effects, all finished when load() returns:
  //  - Files read: every *.yaml file below `pack_dir` (hidden files and folders skipped, links to
  //    folders not followed; at most 1000 files of 4 MiB each), read-only, and pack.sig (at most
  //    64 KiB) when options.trusted_keys is not empty. Nothing is written.
  //  - Threads: files are read and parsed a few at a time (up to 8 at once, one per core) on
  //    threads started for the purpose and joined before load() returns; none is left running.
  //  - Memory: the compiled pack (a term table and one Vectorscan database), shared by copies.
  // Later, each thread that calls evaluate() keeps a small per-thread working area (the pipeline's
  // per-call context and Vectorscan scratch space), grown on first use and freed at thread exit.
  //
  // When `pack_dir` names a regular file rather than a folder, it is read (at most 128 MiB) as a
  // pack archive and loaded as load_archive() does, with problems reported under that file name.
  static Engine load(const std::filesystem::path& pack_dir, const EngineOptions& options = {});

  // Loads a pack archive held in memory: a tar (optionally gzip-compressed) of a pack folder, as
  // `signpost pack build` writes it. Throws ConfigError listing every problem: of the archive
  // (truncated or damaged, a member that is a link or not a regular file, a name that is absolute
  // or goes up, a member over 4 MiB, more than 1064 members or 64 MiB unpacked), then of the
  // pack, as load(); problems name files "<archive>/rules/x.yaml". Nothing is written anywhere:
  // members are read into memory only. Same threads and memory as load().
  static Engine load_archive(std::string_view archive_bytes, const EngineOptions& options = {});

  // The default pack: $SIGNPOST_PACK if set; else the pack installed with the library, found from
  // where the library (or the program it is linked into) lives: <prefix>/share/signpost/packs/
  // people-smuggling for a library or program in <prefix>/bin or <prefix>/lib (a build tree has a
  // link to the source pack at the same place); else messages/people-smuggling under the current
  // folder. No path of the build machine is compiled in. Reads the environment and checks for
  // pack.yaml files; then loads as load() does.
  static Engine load_default(const EngineOptions& options = {});
  static std::filesystem::path default_pack_path();

  // Judges one text. Never throws on any input text and never reads past max_text_bytes:
  // invalid UTF-8 is repaired (each bad byte is a separator), NULs and controls are separators.
  // Allocates nothing when nothing matches (beyond per-thread scratch kept for the next call).
  // Match offsets are bytes into q.text as given. May throw std::bad_alloc only.
  Decision evaluate(const Query& q) const;

  // Judges a query and each of the host's results (title + snippet, in post mode), and returns the
  // list to show: the query's cards first when it intervenes, results judged redirect removed and
  // a card swapped in at their place, results judged interstitial or annotate kept, flagged and
  // moved after the clean results. See docs/redirect.md.
  RedirectedResults redirect(const Query& q, std::span<const Result> results) const;

  // Typeahead: the indices (in order) of the suggestions that are safe to show for what the user
  // has typed so far. A suggestion is dropped when it would warn or redirect (action interstitial
  // or redirect) as a query in typed.locale and typed.mode, or when the typed text completed into
  // it would: the suggestion itself when it starts with the typed text (ASCII case ignored), else
  // the typed text, a space and the suggestion. Suggestions that only annotate (help-seeking) are
  // kept: they lead to help. Holdout does not apply (typed.subject is ignored). Never throws on any
  // text (std::bad_alloc only); one or two evaluations per suggestion, without building decisions.
  std::vector<std::size_t> filter_suggestions(const Query& typed, std::span<const std::string> suggestions) const;

  // Runs every example embedded in the pack and reports the ones that fail.
  LintReport lint() const;

  // What evaluate(q) sees and does, stage by stage (signpost/trace.hpp): the concepts found, every
  // rule and context with how its condition fared, the scores, and the same Decision. For pack
  // authors' tools such as `signpost explain`; it allocates freely, so keep it off a service's hot
  // path. Never throws on any input text; may throw std::bad_alloc only.
  Trace trace(const Query& q) const;

  // Appends `d` as the decision JSON: the same bytes as signpost::append_json(out, d, pack(), id)
  // (signpost/json.hpp), written faster for a decision this engine returned. The JSON of every
  // card of the pack (each id in each locale) and of the pack's identity is rendered once, at
  // load; a card of `d` equal in every field to the pack's card with its id and locale is appended
  // as rendered, and any other card (one the host built or changed) is escaped as usual. Allocates
  // only to grow `out`; thread-safe like every const method.
  void append_json(std::string& out, const Decision& d, const std::string* id = nullptr) const;

  const PackInfo& pack() const noexcept;
  const EngineOptions& options() const noexcept;

  // The pack's languages as declared in its manifest, and its default locale.
  const std::vector<std::string>& languages() const noexcept;
  const std::string& default_locale() const noexcept;

  // Category ids, card ids, and one card by id in a locale (following the fallback chain);
  // nullopt for an unknown id.
  std::vector<std::string> categories() const;
  std::vector<std::string> card_ids() const;
  std::optional<Card> card(std::string_view id, std::string_view locale = {}) const;

  // The locale chain used for cards: the tag, its declared fallbacks, its language subtag, the
  // pack's default locale.
  std::vector<std::string> locale_chain(std::string_view locale) const;

  // Holdout rate in effect for a category (host option or pack), 0 when none.
  double holdout_rate(std::string_view category) const noexcept;

 private:
  explicit Engine(std::shared_ptr<const detail::EngineImpl> impl);
  std::shared_ptr<const detail::EngineImpl> impl_;
};

}  // namespace signpost
