// Shadow and canary packs (arms.hpp), --trusted-key, and reloading every pack of a set at once.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>
#include <string>
#include <vector>

#include <signpost/tools/pack.hpp>

#include "arms.hpp"
#include "fixture.hpp"
#include "options.hpp"

using namespace signpost;
using namespace signpost::server;
using namespace signpost::server::test;
namespace fs = std::filesystem;

namespace {

// A copy of the default pack under another version, with one category's action changed.
struct VariantPack : TempPack {
  VariantPack(std::string_view version, std::string_view from_action = {}, std::string_view to_action = {}) {
    std::string manifest = read("pack.yaml");
    const std::size_t at = manifest.find("version: ");
    manifest.replace(at, manifest.find('\n', at) - at, "version: " + std::string(version));
    write("pack.yaml", manifest);
    if (!from_action.empty()) {
      // crossing_offers: the first category whose action is `from_action`, after distress.
      std::string categories = read("categories.yaml");
      const std::size_t id = categories.find("id: crossing_offers");
      const std::size_t action = categories.find("action: " + std::string(from_action), id);
      REQUIRE(action != std::string::npos);
      categories.replace(action, 8 + from_action.size(), "action: " + std::string(to_action));
      write("categories.yaml", categories);
    }
  }
};

// An App over a pack set, whose reloads load `*paths` (change it to reload other packs).
struct SetFixture {
  std::shared_ptr<PackPaths> paths;
  App app;

  explicit SetFixture(PackPaths p)
      : paths(std::make_shared<PackPaths>(std::move(p))),
        app(AppConfig{.load = {}, .load_set = [ps = paths] { return load_pack_set(*ps); }, .admin_token = std::string(admin_token)},
            load_pack_set(*paths), Corpus::builtin(), Logger(LogFormat::off, [](std::string_view) {})) {}

  Response request(std::string method, std::string target, std::string body = {},
                   std::vector<Header> extra = {}) {
    Request req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.headers.push_back({"Host", "localhost"});
    if (req.method == "POST") {
      req.headers.push_back({"Content-Type", "application/json"});
      req.headers.push_back({"Content-Length", std::to_string(body.size())});
    }
    for (Header& h : extra) req.headers.push_back(std::move(h));
    req.body = std::move(body);
    return handle(req, app);
  }
  Response evaluate(std::string body, std::vector<Header> extra = {}) {
    return request("POST", "/v1/evaluate", std::move(body), std::move(extra));
  }
  Response reload() {
    Request req;
    req.method = "POST";
    req.target = "/admin/reload";
    req.headers = {{"Host", "localhost"}, {"Content-Length", "0"}, {"Authorization", "Bearer " + std::string(admin_token)}};
    req.listener = Listener::admin;
    return handle(req, app);
  }
};

// The count of one series in a /metrics text; 0 when absent.
std::uint64_t series(const std::string& text, std::string_view name) {
  const std::size_t at = text.find("\n" + std::string(name) + " ");
  if (at == std::string::npos) return 0;
  return std::stoull(text.substr(at + name.size() + 2));
}

// A signing key and signed copies of the default pack, made with `signpost pack`.
struct Publisher {
  fs::path dir;
  Publisher() : dir(fs::temp_directory_path() / ("signpost-arms-test-" + std::to_string(std::random_device{}()))) {
    fs::create_directories(dir);
    REQUIRE(pack({"keygen", "--out", (dir / "publisher").string()}) == 0);
  }
  ~Publisher() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  static int pack(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    return tools::run_pack(args, out, err);
  }
  std::string public_key() const { return read_trusted_key(dir / "publisher.pub"); }
  // An archive of `pack_dir`, signed unless `sign` is false.
  fs::path archive(const fs::path& pack_dir, std::string name, bool sign = true) const {
    const fs::path file = dir / name;
    REQUIRE(pack({"build", pack_dir.string(), "-o", file.string()}) == 0);
    if (sign) REQUIRE(pack({"sign", file.string(), "--key", (dir / "publisher.key").string()}) == 0);
    return file;
  }
};

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("shadow outcomes: agree, stronger, weaker, other category") {
  const auto d = [](Action a, std::string category) {
    Decision out;
    out.action = a;
    out.category = std::move(category);
    return out;
  };
  CHECK(compare(d(Action::none, ""), d(Action::none, "")) == ShadowOutcome::agree);
  // A held-out decision keeps its category with action none: still an agreement on "none".
  CHECK(compare(d(Action::none, "crossing_offers"), d(Action::none, "")) == ShadowOutcome::agree);
  CHECK(compare(d(Action::redirect, "crossing_offers"), d(Action::redirect, "crossing_offers")) == ShadowOutcome::agree);
  CHECK(compare(d(Action::annotate, "help_seeking"), d(Action::redirect, "crossing_offers")) == ShadowOutcome::stronger);
  CHECK(compare(d(Action::redirect, "crossing_offers"), d(Action::interstitial, "crossing_offers")) == ShadowOutcome::weaker);
  CHECK(compare(d(Action::redirect, "crossing_offers"), d(Action::redirect, "false_documents")) ==
        ShadowOutcome::other_category);
  CHECK(to_string(ShadowOutcome::other_category) == "other_category");
}

TEST_CASE("canary buckets: stable per subject, about R of many subjects, independent of holdouts") {
  constexpr double rate = 0.2;
  constexpr int subjects = 20000;
  int canary = 0, canary_and_low_holdout = 0;
  for (int i = 0; i < subjects; ++i) {
    const std::string s = "subject-" + std::to_string(i);
    const bool on_canary = holdout_bucket(canary_salt, s) < rate;
    CHECK(on_canary == (holdout_bucket(canary_salt, s) < rate));  // the same answer every time
    if (on_canary) {
      ++canary;
      if (holdout_bucket("people-smuggling", s) < 0.5) ++canary_and_low_holdout;
    }
  }
  // Binomial(20000, 0.2): standard deviation 57; 5 of them is far beyond chance.
  CHECK(std::abs(canary - subjects * rate) < 300);
  // Among canary subjects, half are below a holdout rate of 0.5 (the pack's salt): independent.
  CHECK(std::abs(canary_and_low_holdout - canary / 2.0) < 5 * std::sqrt(canary / 4.0));
}

TEST_CASE("a canary serves its share of subjects, each always from the same pack, counted by arm") {
  VariantPack canary("9.9.9-canary");
  SetFixture f(PackPaths{.live = default_pack(), .shadow = {}, .canary = canary.dir, .canary_rate = 0.3, .trusted_keys = {}});
  const auto state = f.app.state();
  int on_canary = 0;
  constexpr int subjects = 200;
  for (int i = 0; i < subjects; ++i) {
    const std::string subject = "user-" + std::to_string(i);
    const Arm arm = choose_arm(*state, subject);
    on_canary += arm == Arm::canary;
    for (int round = 0; round < 2; ++round) {
      const Response res = f.evaluate(R"({"text": "boat to uk price", "locale": "en", "subject": ")" + subject + "\"}");
      REQUIRE(res.status == 200);
      CHECK(contains(res.body, "9.9.9-canary") == (arm == Arm::canary));
    }
  }
  CHECK(on_canary > 30);
  CHECK(on_canary < 90);
  // No subject: always the live pack.
  CHECK(choose_arm(*state, "") == Arm::live);
  CHECK_FALSE(contains(f.evaluate(R"({"text": "boat to uk price", "locale": "en"})").body, "9.9.9-canary"));
  // The header stands in for a missing JSON subject; on /search too.
  std::string canary_subject;
  for (int i = 0; canary_subject.empty(); ++i)
    if (choose_arm(*state, "user-" + std::to_string(i)) == Arm::canary) canary_subject = "user-" + std::to_string(i);
  CHECK(contains(f.evaluate(R"({"text": "boat to uk price", "locale": "en"})", {{"X-Signpost-Subject", canary_subject}}).body,
            "9.9.9-canary"));
  CHECK(f.request("GET", "/search?q=boat+to+uk+price&hl=en", {}, {{"X-Signpost-Subject", canary_subject}}).status == 200);
  CHECK(f.evaluate(R"({"text": "x"})", {{"X-Signpost-Subject", std::string(300, 'a')}}).status == 400);
  // Refused on /search even without a query (the home page), as docs/openapi.yaml says.
  CHECK(f.request("GET", "/search", {}, {{"X-Signpost-Subject", std::string(257, 'a')}}).status == 400);
  CHECK(f.request("GET", "/search?q=+", {}, {{"X-Signpost-Subject", "a"}, {"X-Signpost-Subject", "b"}}).status == 400);
  CHECK(f.request("GET", "/search", {}, {{"X-Signpost-Subject", std::string(256, 'a')}}).status == 200);

  const std::string text = f.app.metrics_text();
  const std::uint64_t live_n = series(text, R"(signpost_server_arm_decisions_total{arm="live",category="crossing_offers",action="redirect"})");
  const std::uint64_t canary_n =
      series(text, R"(signpost_server_arm_decisions_total{arm="canary",category="crossing_offers",action="redirect"})");
  CHECK(canary_n == 2u * on_canary + 2u);  // + the header-keyed request and the search page
  CHECK(live_n == 2u * (subjects - on_canary) + 1u);
  CHECK(contains(text, "signpost_server_canary_pack_info{pack=\"people-smuggling\",version=\"9.9.9-canary\""));
  CHECK(contains(text, "signpost_server_canary_rate 0.3\n"));
  // The transparency counts hold both packs' decisions.
  CHECK(series(text, "signpost_evaluations_total") >= 2u * subjects);
}

TEST_CASE("the shadow pack never changes a response, and its disagreements are counted by category") {
  VariantPack shadow("9.9.9-shadow", "redirect", "interstitial");
  Fixture plain;
  SetFixture f(PackPaths{.live = default_pack(), .shadow = shadow.dir, .canary = {}, .canary_rate = 0, .trusted_keys = {}});
  const std::string queries[] = {R"({"text": "boat to uk price", "locale": "en", "id": "1"})",
                                 R"({"text": "dover calais ferry booking", "locale": "en"})",
                                 R"({"text": "passeur calais angleterre prix", "locale": "fr"})"};
  for (const std::string& q : queries) {
    const Response a = plain.post("/v1/evaluate", q), b = f.evaluate(q);
    CHECK(a.status == b.status);
    CHECK(a.body == b.body);
    CHECK_FALSE(contains(b.body, "9.9.9-shadow"));
  }
  const std::string redirect =
      R"({"query": {"text": "boat to uk", "locale": "en"}, "results": [{"id": "a", "title": "Crossing to England )"
      R"(this Friday", "snippet": "Good boat, fast trip to UK. 1400 euro each. WhatsApp", "url": "https://x.example/"}]})";
  CHECK(plain.post("/v1/redirect", redirect).body == f.request("POST", "/v1/redirect", redirect).body);
  CHECK(plain.get("/search?q=boat+to+uk+price&hl=en").body == f.request("GET", "/search?q=boat+to+uk+price&hl=en").body);

  const std::string text = f.app.metrics_text();
  // "boat to uk price" (evaluate, search): redirect live, interstitial in the shadow.
  CHECK(series(text, R"(signpost_server_shadow_decisions_total{arm="live",outcome="weaker",category="crossing_offers",shadow_category="crossing_offers"})") >= 2u);
  CHECK(series(text, R"(signpost_server_shadow_decisions_total{arm="live",outcome="agree",category="none",shadow_category="none"})") >= 1u);
  CHECK(contains(text, "signpost_server_shadow_pack_info{pack=\"people-smuggling\",version=\"9.9.9-shadow\""));
  CHECK(contains(text, "# TYPE signpost_server_shadow_decisions_total counter"));
  // Shadow judgements are not decisions shown: the transparency counts have the live pack only.
  CHECK(text.find("9.9.9-shadow") == text.rfind("9.9.9-shadow"));  // in shadow_pack_info only
  CHECK(series(text, "signpost_evaluations_total") == 5u);
  // Counts survive a reload.
  REQUIRE(f.reload().status == 204);
  CHECK(series(f.app.metrics_text(),
               R"(signpost_server_shadow_decisions_total{arm="live",outcome="weaker",category="crossing_offers",shadow_category="crossing_offers"})") ==
        series(text, R"(signpost_server_shadow_decisions_total{arm="live",outcome="weaker",category="crossing_offers",shadow_category="crossing_offers"})"));
}

TEST_CASE("a broken shadow or canary pack refuses the whole reload; every old pack keeps serving") {
  VariantPack shadow("9.9.9-shadow"), canary("9.9.9-canary");
  SetFixture f(PackPaths{.live = default_pack(), .shadow = shadow.dir, .canary = canary.dir, .canary_rate = 0.5, .trusted_keys = {}});
  const auto before = f.app.state();
  for (VariantPack* broken : {&shadow, &canary}) {
    broken->write("rules/zz-broken.yaml", "rules:\n  - id: Not An Id\n    category: nowhere\n");
    const Response res = f.reload();
    CHECK(res.status == 500);
    CHECK(contains(res.body, broken == &shadow ? "the shadow pack has" : "the canary pack has"));
    CHECK(contains(res.body, "nothing was reloaded: the previous packs keep serving"));
    CHECK(contains(res.body, "zz-broken.yaml:2:"));
    CHECK(f.app.state() == before);
    fs::remove(broken->dir / "rules/zz-broken.yaml");
  }
  CHECK(series(f.app.metrics_text(), R"(signpost_server_reloads_total{outcome="failure"})") == 2u);
  CHECK(f.reload().status == 204);
  CHECK(f.app.state() != before);
  CHECK(f.app.state()->arms->canary);
  CHECK(f.app.state()->arms->shadow);
}

TEST_CASE("trusted keys: unsigned and tampered packs are refused at load, signed ones load") {
  Publisher publisher;
  const std::vector<std::string> keys{publisher.public_key()};
  const fs::path signed_tar = publisher.archive(default_pack(), "signed.tar");
  const fs::path unsigned_tar = publisher.archive(default_pack(), "unsigned.tar", false);

  CHECK(load_pack_set(PackPaths{.live = signed_tar, .shadow = {}, .canary = {}, .canary_rate = 0, .trusted_keys = keys})
            .live.pack().name == "people-smuggling");
  const auto refusal = [&](const PackPaths& paths) {
    try {
      load_pack_set(paths);
    } catch (const PackSetError& e) {
      std::string all = std::string(e.what()) + "\n";
      for (const Problem& p : e.problems) all += p.to_string() + "\n";
      return std::pair{e.role, all};
    }
    return std::pair{std::string("-"), std::string("loaded")};
  };
  // An unsigned archive, an unsigned folder.
  auto [role, text] = refusal({.live = unsigned_tar, .shadow = {}, .canary = {}, .canary_rate = 0, .trusted_keys = keys});
  CHECK(role.empty());
  CHECK(contains(text, "the pack is not signed"));
  std::tie(role, text) = refusal({.live = default_pack(), .shadow = {}, .canary = {}, .canary_rate = 0, .trusted_keys = keys});
  CHECK(contains(text, "the pack is not signed"));
  // A tampered archive: one byte of pack.yaml changed after signing (same length, valid tar).
  std::string bytes = slurp(signed_tar);
  const std::size_t at = bytes.find("Redirects searches");
  REQUIRE(at != std::string::npos);
  bytes[at + 16] = 'z';
  const fs::path tampered = publisher.dir / "tampered.tar";
  std::ofstream(tampered, std::ios::binary) << bytes;
  std::tie(role, text) = refusal({.live = tampered, .shadow = {}, .canary = {}, .canary_rate = 0, .trusted_keys = keys});
  CHECK(contains(text, "the pack changed after it was signed"));
  // Every pack of a set is checked: a signed live pack with an unsigned shadow is refused.
  std::tie(role, text) = refusal({.live = signed_tar, .shadow = unsigned_tar, .canary = {}, .canary_rate = 0, .trusted_keys = keys});
  CHECK(role == "shadow");
  CHECK(contains(text, "the shadow pack has 1 problem"));
  std::tie(role, text) = refusal({.live = signed_tar, .shadow = {}, .canary = unsigned_tar, .canary_rate = 0.1, .trusted_keys = keys});
  CHECK(role == "canary");
}

TEST_CASE("trusted keys at reload: an unsigned pack is refused and the signed one keeps serving") {
  Publisher publisher;
  const fs::path signed_tar = publisher.archive(default_pack(), "signed.tar");
  SetFixture f(PackPaths{.live = signed_tar, .shadow = {}, .canary = {}, .canary_rate = 0, .trusted_keys = {publisher.public_key()}});
  const auto before = f.app.state();
  f.paths->live = publisher.archive(default_pack(), "unsigned.tar", false);
  const Response res = f.reload();
  CHECK(res.status == 500);
  CHECK(contains(res.body, "the pack has 1 problem; the previous pack keeps serving"));
  CHECK(contains(res.body, "the pack is not signed"));
  CHECK(f.app.state() == before);
  CHECK(series(f.app.metrics_text(), R"(signpost_server_reloads_total{outcome="failure"})") == 1u);
  CHECK(f.evaluate(R"({"text": "boat to uk price", "locale": "en"})").status == 200);
  f.paths->live = signed_tar;
  CHECK(f.reload().status == 204);
}

TEST_CASE("--trusted-key files: a public key is read, a secret key or anything else refused") {
  Publisher publisher;
  CHECK(publisher.public_key().starts_with("ed25519:"));
  CHECK_THROWS_WITH_AS(read_trusted_key(publisher.dir / "publisher.key"), doctest::Contains("holds a secret key"),
                       std::runtime_error);
  std::ofstream(publisher.dir / "junk.pub") << "hello\n";
  CHECK_THROWS_WITH_AS(read_trusted_key(publisher.dir / "junk.pub"), doctest::Contains("is not a public key file"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(read_trusted_key(publisher.dir / "missing.pub"), doctest::Contains("cannot read"),
                       std::runtime_error);
}

TEST_CASE("command line: --shadow-pack, --canary-pack with --canary-rate, repeated --trusted-key") {
  const auto parse = [](std::vector<std::string_view> args) { return parse_command_line(args); };
  const auto ok = parse({"--pack", "live.tar", "--shadow-pack", "next.tar", "--canary-pack=canary.tar.gz",
                         "--canary-rate", "0.05", "--trusted-key", "a.pub", "--trusted-key=b.pub"});
  REQUIRE(ok.kind == ParsedCommandLine::Kind::run);
  CHECK(ok.options.shadow_pack == fs::path("next.tar"));
  CHECK(ok.options.canary_pack == fs::path("canary.tar.gz"));
  CHECK(ok.options.canary_rate == doctest::Approx(0.05));
  CHECK(ok.options.trusted_keys == std::vector<fs::path>{"a.pub", "b.pub"});
  CHECK(parse({"--canary-rate", "0.1"}).error == "--canary-rate needs --canary-pack");
  CHECK(parse({"--canary-pack", "c"}).error == "--canary-pack needs --canary-rate");
  for (std::string_view bad : {"1.5", "-0.1", "nan", "x", ""})
    CHECK(parse({"--canary-pack", "c", "--canary-rate", bad}).error ==
          "--canary-rate expects a share from 0 to 1, such as 0.05");
  CHECK(parse({"--canary-pack", "c", "--canary-rate", "1"}).kind == ParsedCommandLine::Kind::run);
  CHECK(parse({"--shadow-pack", ""}).error == "--shadow-pack needs a folder or an archive");
  CHECK(contains(usage(), "--trusted-key FILE"));
}

TEST_SUITE("threads") {

TEST_CASE("threads served by live and canary, judged by the shadow, while reloads swap every pack") {
  VariantPack shadow("9.9.9-shadow", "redirect", "interstitial"), canary("9.9.9-canary");
  SetFixture f(PackPaths{.live = default_pack(), .shadow = shadow.dir, .canary = canary.dir, .canary_rate = 0.5, .trusted_keys = {}});
  constexpr int threads = 8;
  std::vector<std::uint64_t> answered(threads, 0), failed(threads, 0);
  std::atomic<bool> done{false};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      while (!done.load(std::memory_order_acquire) || answered[t] == 0) {
        paced(threads, [&] {
          const std::string subject = std::to_string(t) + "-" + std::to_string(answered[t]);
          const Response res = f.evaluate(R"({"text": "boat to uk price", "locale": "en", "subject": ")" + subject + "\"}");
          if (res.status != 200) ++failed[t];
          ++answered[t];
          if (answered[t] % 16 == 0) f.request("GET", "/metrics");
        });
      }
    });
  for (int i = 0; i < 2; ++i) CHECK(f.reload().status == 204);
  done.store(true, std::memory_order_release);
  for (std::thread& th : pool) th.join();

  std::uint64_t total = 0;
  for (int t = 0; t < threads; ++t) {
    CHECK(failed[t] == 0);
    total += answered[t];
  }
  // Every decision is counted once by arm and once by the shadow, across the swaps.
  const std::string text = f.app.metrics_text();
  const std::uint64_t live = series(text, R"(signpost_server_arm_decisions_total{arm="live",category="crossing_offers",action="redirect"})");
  const std::uint64_t on_canary =
      series(text, R"(signpost_server_arm_decisions_total{arm="canary",category="crossing_offers",action="redirect"})");
  CHECK(live + on_canary == total);
  CHECK(live > 0);
  CHECK(on_canary > 0);
  CHECK(series(text, R"(signpost_server_shadow_decisions_total{arm="live",outcome="weaker",category="crossing_offers",shadow_category="crossing_offers"})") +
            series(text, R"(signpost_server_shadow_decisions_total{arm="canary",outcome="weaker",category="crossing_offers",shadow_category="crossing_offers"})") ==
        total);
}

}  // TEST_SUITE
