// Pack archives and signatures: canonical bytes, load_archive, hostile archives, ed25519.
#include <doctest/doctest.h>

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <signpost/signpost.hpp>

#include "archive/archive.hpp"
#include "archive/signature.hpp"
#include "files.hpp"

namespace fs = std::filesystem;
using signpost::ConfigError;
using signpost::Engine;
using signpost::EngineOptions;
namespace detail = signpost::detail;

using signpost::test::write_file;

namespace {

const fs::path kFixture = fs::path(SIGNPOST_TEST_DATA) / "packs" / "engine";

// A member of a hand-made archive: what a hostile or foreign tar can hold.
struct Member {
  Member(std::string n, std::string d = {}, unsigned t = AE_IFREG, std::string l = {}, bool h = false)
      : name(std::move(n)), data(std::move(d)), type(t), link(std::move(l)), hard(h) {}
  std::string name;
  std::string data;
  unsigned type;
  std::string link;  // symlink target, or hard link target when `hard`
  bool hard;
};

// A tar written with libarchive, member by member as given (no checks, unlike write_archive).
std::string tar_of(const std::vector<Member>& members, bool pax = false) {
  struct archive* a = archive_write_new();
  if (pax) archive_write_set_format_pax_restricted(a); else archive_write_set_format_gnutar(a);
  std::string out;
  archive_write_open2(a, &out, nullptr,
                      [](struct archive*, void* ctx, const void* buf, std::size_t n) -> la_ssize_t {
                        static_cast<std::string*>(ctx)->append(static_cast<const char*>(buf), n);
                        return static_cast<la_ssize_t>(n);
                      },
                      nullptr, nullptr);
  for (const Member& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_filetype(e, m.type);
    archive_entry_set_perm(e, 0644);
    if (m.hard) archive_entry_set_hardlink(e, m.link.c_str());
    else if (m.type == AE_IFLNK) archive_entry_set_symlink(e, m.link.c_str());
    archive_entry_set_size(e, m.type == AE_IFREG && !m.hard ? static_cast<la_int64_t>(m.data.size()) : 0);
    archive_write_header(a, e);
    if (m.type == AE_IFREG && !m.hard && !m.data.empty()) archive_write_data(a, m.data.data(), m.data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

// The fixture pack's files as archive members.
std::vector<Member> fixture_members() {
  std::vector<Member> v;
  for (const auto& [name, bytes] : detail::read_pack_folder(kFixture).files) v.push_back({name, bytes});
  return v;
}

std::string problems_of(std::string_view bytes, const EngineOptions& options = {}) {
  try {
    (void)Engine::load_archive(bytes, options);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return {};
}

}  // namespace

TEST_CASE("an archive is canonical: the same folder gives the same bytes, plain or gzip") {
  const detail::PackFiles files = detail::read_pack_folder(kFixture);
  const std::string a = detail::write_archive(files, false), b = detail::write_archive(detail::read_pack_folder(kFixture), false);
  CHECK(a == b);
  CHECK(a.size() % 512 == 0);
  const std::string gz = detail::write_archive(files, true);
  ::sleep(1);  // a gzip timestamp would differ now
  CHECK(gz == detail::write_archive(files, true));
  CHECK(gz.substr(0, 2) == "\x1f\x8b");
  CHECK(gz.substr(4, 4) == std::string(4, '\0'));  // gzip MTIME field: none

  // Members in byte order of their names, regular files, mode 0644, owner 0, time 0.
  struct archive* r = archive_read_new();
  archive_read_support_format_tar(r);
  REQUIRE(archive_read_open_memory(r, a.data(), a.size()) == ARCHIVE_OK);
  archive_entry* e = nullptr;
  std::vector<std::string> names;
  while (archive_read_next_header(r, &e) == ARCHIVE_OK) {
    names.push_back(archive_entry_pathname(e));
    CHECK(archive_entry_filetype(e) == AE_IFREG);
    CHECK(archive_entry_perm(e) == 0644);
    CHECK(archive_entry_uid(e) == 0);
    CHECK(archive_entry_gid(e) == 0);
    CHECK(archive_entry_mtime(e) == 0);
  }
  archive_read_free(r);
  CHECK(std::is_sorted(names.begin(), names.end()));
  CHECK(names.size() == files.files.size());
  CHECK(std::find(names.begin(), names.end(), "pack.yaml") != names.end());
}

TEST_CASE("load_archive gives the same pack as the folder, plain and gzip") {
  const Engine folder = Engine::load(kFixture);
  const detail::PackFiles files = detail::read_pack_folder(kFixture);
  for (bool gzip : {false, true}) {
    const Engine e = Engine::load_archive(detail::write_archive(files, gzip));
    CHECK(e.pack().hash == folder.pack().hash);
    CHECK(e.evaluate({"boat to uk", "en"}).action == folder.evaluate({"boat to uk", "en"}).action);
  }
}

TEST_CASE("load() of a file reads it as an archive, problems named after the file") {
  const signpost::test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const fs::path tar = dir / "pack.tar";
  write_file(tar, detail::write_archive(detail::read_pack_folder(kFixture), false));
  CHECK(Engine::load(tar).pack().hash == Engine::load(kFixture).pack().hash);

  auto members = fixture_members();
  members.push_back({"rules/zz.yaml", "rules:\n  - id: BAD ID\n"});
  write_file(tar, tar_of(members));
  try {
    (void)Engine::load(tar);
    FAIL("expected ConfigError");
  } catch (const ConfigError& e) {
    CHECK(e.file == tar.generic_string() + "/rules/zz.yaml");
    CHECK(e.line == 2);
  }
}

TEST_CASE("foreign tars: ./ prefixes, folder entries and pax headers are accepted") {
  std::vector<Member> members{{"./", "", AE_IFDIR}, {"./rules/", "", AE_IFDIR}};
  for (Member m : fixture_members()) {
    m.name = "./" + m.name;
    members.push_back(m);
  }
  CHECK(Engine::load_archive(tar_of(members)).pack().hash == Engine::load(kFixture).pack().hash);
  CHECK(Engine::load_archive(tar_of(fixture_members(), true)).pack().hash == Engine::load(kFixture).pack().hash);
}

TEST_CASE("a truncated, empty or foreign archive is a clear problem") {
  const std::string good = detail::write_archive(detail::read_pack_folder(kFixture), false);
  CHECK(problems_of("").find("<archive>:0:0: empty archive") != std::string::npos);
  CHECK(problems_of("this is not a tar archive at all").find("not a tar archive") != std::string::npos);
  // Cut inside the data of the first member, then inside a later header.
  CHECK(problems_of(std::string_view(good).substr(0, 700)).find("truncated") != std::string::npos);
  CHECK(problems_of(std::string_view(good).substr(0, 512 * 5 + 100)).find("truncated") != std::string::npos);
  // Cut right after a member, on a block boundary: only the missing end blocks show it.
  const std::string cut = std::string(good.substr(0, good.size() - 1024));
  CHECK(problems_of(cut).find("ends without the end-of-archive blocks") != std::string::npos);
  CHECK(problems_of(good.substr(0, good.size() - 512)).empty());  // one end block is enough
  const std::string gz = detail::write_archive(detail::read_pack_folder(kFixture), true);
  INFO(problems_of(std::string_view(gz).substr(0, gz.size() / 2)));
  CHECK(problems_of(std::string_view(gz).substr(0, gz.size() / 2)).find("truncated") != std::string::npos);
}

TEST_CASE("members that leave the pack are refused and nothing is written") {
  const signpost::test::TempDir tmp;
  const fs::path& dir = tmp.path();
  const fs::path cwd = fs::current_path();
  fs::create_directories(dir / "inner");
  fs::current_path(dir / "inner");
  const std::string escape = "signpost-escape-" + std::to_string(::getpid()) + ".yaml";
  for (const std::string& name : {"../" + escape, "rules/../../" + escape, (dir / escape).string()}) {
    auto members = fixture_members();
    members.push_back({name, "rules: []\n"});
    const std::string why = problems_of(tar_of(members));
    INFO(name);
    CHECK(why.find("archive member") != std::string::npos);
    CHECK((why.find("outside the pack") != std::string::npos));
  }
  fs::current_path(cwd);
  CHECK_FALSE(fs::exists(dir / escape));
  CHECK_FALSE(fs::exists(dir / "inner" / escape));
  CHECK(fs::directory_iterator(dir / "inner") == fs::directory_iterator());
}

TEST_CASE("links, devices, duplicates and huge members are refused") {
  auto with = [](Member extra) {
    auto members = fixture_members();
    members.push_back(std::move(extra));
    return problems_of(tar_of(members));
  };
  CHECK(with({"rules/link.yaml", "", AE_IFLNK, "/etc/passwd"}).find("'rules/link.yaml': symbolic link") != std::string::npos);
  CHECK(with({"rules/hard.yaml", "", AE_IFREG, "pack.yaml", true}).find("'rules/hard.yaml': hard link") != std::string::npos);
  CHECK(with({"rules/fifo.yaml", "", AE_IFIFO}).find("not a regular file") != std::string::npos);
  CHECK(with({"pack.yaml", "name: again\n"}).find("'pack.yaml': appears twice") != std::string::npos);
  const std::string huge = with({"rules/huge.yaml", std::string((4u << 20) + 1, '#')});
  CHECK(huge.find("'rules/huge.yaml': larger than 4 MiB") != std::string::npos);
}

TEST_CASE("a gzip bomb stops at the unpacked limit") {
  // Members just under the per-member limit, highly compressible: together they unpack past
  // 64 MiB while the archive stays small.
  struct archive* a = archive_write_new();
  archive_write_set_format_ustar(a);
  archive_write_add_filter_gzip(a);
  std::string gz;
  archive_write_open2(a, &gz, nullptr,
                      [](struct archive*, void* ctx, const void* buf, std::size_t n) -> la_ssize_t {
                        static_cast<std::string*>(ctx)->append(static_cast<const char*>(buf), n);
                        return static_cast<la_ssize_t>(n);
                      },
                      nullptr, nullptr);
  const std::string block((4u << 20) - 1, 'a');
  for (int i = 0; i < 20; ++i) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, ("f" + std::to_string(i) + ".txt").c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_size(e, static_cast<la_int64_t>(block.size()));
    archive_write_header(a, e);
    archive_write_data(a, block.data(), block.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  CHECK(gz.size() < (1u << 20));
  CHECK(problems_of(gz).find("unpacks to more than 64 MiB") != std::string::npos);
}

TEST_CASE("write_archive refuses names that would leave the pack") {
  detail::PackFiles files;
  files.files["../x.yaml"] = "x";
  CHECK_THROWS_AS(detail::write_archive(files, false), signpost::Error);
}

// ---- signatures ------------------------------------------------------------------------------

namespace {

struct Signed {
  detail::KeyPair key = detail::generate_keypair();
  detail::PackFiles files = detail::read_pack_folder(kFixture);
  std::string hash = Engine::load(kFixture).pack().hash;
  Signed() { files.files["pack.sig"] = detail::add_signature("", hash, key.secret_key); }
  std::string bytes() const { return detail::write_archive(files, false); }
};

EngineOptions trusting(const std::vector<std::string>& keys) {
  EngineOptions o;
  o.trusted_keys = keys;
  return o;
}

}  // namespace

TEST_CASE("keys have their text forms and a secret key gives its public key") {
  const auto kp = detail::generate_keypair();
  CHECK(kp.public_key.starts_with("ed25519:"));
  CHECK(kp.secret_key.starts_with("ed25519-secret:"));
  CHECK(detail::is_public_key(kp.public_key + "\n"));
  CHECK_FALSE(detail::is_public_key(kp.secret_key));
  CHECK_FALSE(detail::is_public_key("ed25519:AAAA"));
  CHECK(detail::public_key_of(kp.secret_key + "\n") == kp.public_key);
  CHECK_THROWS_AS(detail::public_key_of(kp.public_key), signpost::Error);
}

TEST_CASE("a signed archive loads with its key trusted") {
  Signed s;
  const Engine e = Engine::load_archive(s.bytes(), trusting({s.key.public_key + "\n"}));
  CHECK(e.pack().hash == s.hash);
  // Another trusted key beside it changes nothing; without trusted keys the signature is not read.
  CHECK_NOTHROW((void)Engine::load_archive(s.bytes(), trusting({detail::generate_keypair().public_key, s.key.public_key})));
  CHECK_NOTHROW((void)Engine::load_archive(s.bytes()));
}

TEST_CASE("an unsigned pack is refused when keys are trusted, from an archive and from a folder") {
  const auto key = detail::generate_keypair();
  const std::string unsigned_tar = detail::write_archive(detail::read_pack_folder(kFixture), false);
  CHECK(problems_of(unsigned_tar, trusting({key.public_key})).find("<archive>/pack.sig:0:0: the pack is not signed") !=
        std::string::npos);
  CHECK_THROWS_WITH_AS((void)Engine::load(kFixture, trusting({key.public_key})),
                       doctest::Contains("pack.sig:0:0: the pack is not signed"), ConfigError);
}

TEST_CASE("a tampered file is refused: the digest no longer matches") {
  Signed s;
  s.files.files["rules/rules.yaml"] += "\n# changed after signing\n";
  const std::string why = problems_of(s.bytes(), trusting({s.key.public_key}));
  CHECK(why.find("<archive>/pack.sig:1:1: signed a pack with digest " + s.hash) != std::string::npos);
  CHECK(why.find("the pack changed after it was signed") != std::string::npos);
}

TEST_CASE("a tampered signature, or a digest rewritten to match, does not verify") {
  Signed s;
  std::string& sig = s.files.files["pack.sig"];
  std::string flipped = sig;
  flipped[flipped.size() - 6] = flipped[flipped.size() - 6] == 'A' ? 'B' : 'A';
  s.files.files["pack.sig"] = flipped;
  CHECK(problems_of(s.bytes(), trusting({s.key.public_key})).find("signature does not verify") != std::string::npos);

  // Change a rule and write the new digest into pack.sig: the old signature does not cover it.
  Signed t;
  t.files.files["rules/rules.yaml"] += "\n# changed\n";
  const std::string new_hash = Engine::load_archive(detail::write_archive(t.files, false)).pack().hash;
  std::string& line = t.files.files["pack.sig"];
  line.replace(line.find(t.hash), t.hash.size(), new_hash);
  CHECK(problems_of(t.bytes(), trusting({t.key.public_key})).find("signature does not verify") != std::string::npos);
}

TEST_CASE("a pack signed by another key is refused") {
  Signed s;
  const auto other = detail::generate_keypair();
  const std::string why = problems_of(s.bytes(), trusting({other.public_key}));
  CHECK(why.find("no signature by a trusted key") != std::string::npos);
}

TEST_CASE("malformed trusted keys and signature lines are problems") {
  Signed s;
  CHECK(problems_of(s.bytes(), trusting({"not a key"})).find("trusted key 1 is not an ed25519 public key") !=
        std::string::npos);
  s.files.files["pack.sig"] = "garbage line\n" + s.files.files["pack.sig"];
  // A malformed line is reported only when no trusted signature is valid.
  CHECK_NOTHROW((void)Engine::load_archive(s.bytes(), trusting({s.key.public_key})));
  s.files.files["pack.sig"] = "garbage line\n";
  CHECK(problems_of(s.bytes(), trusting({s.key.public_key})).find("pack.sig:1:1: malformed signature line") !=
        std::string::npos);
}

TEST_CASE("several signers: each line by its key, re-signing replaces a key's line") {
  Signed s;
  const auto second = detail::generate_keypair();
  std::string& sig = s.files.files["pack.sig"];
  sig = detail::add_signature(sig, s.hash, second.secret_key);
  sig = detail::add_signature(sig, s.hash, second.secret_key);
  CHECK(std::count(sig.begin(), sig.end(), '\n') == 2);
  CHECK_NOTHROW((void)Engine::load_archive(s.bytes(), trusting({second.public_key})));
  CHECK_NOTHROW((void)Engine::load_archive(s.bytes(), trusting({s.key.public_key})));
}

TEST_CASE("a signed folder loads with trusted keys; its archive carries the signature") {
  const signpost::test::TempDir tmp;
  const fs::path& dir = tmp.path();
  fs::copy(kFixture, dir, fs::copy_options::recursive);
  const auto key = detail::generate_keypair();
  write_file(dir / "pack.sig", detail::add_signature("", Engine::load(dir).pack().hash, key.secret_key));
  CHECK_NOTHROW((void)Engine::load(dir, trusting({key.public_key})));
  const std::string tar = detail::write_archive(detail::read_pack_folder(dir), false);
  CHECK_NOTHROW((void)Engine::load_archive(tar, trusting({key.public_key})));
  write_file(dir / "rules" / "rules.yaml", "rules: []\n");
  CHECK_THROWS_WITH_AS((void)Engine::load(dir, trusting({key.public_key})),
                       doctest::Contains("the pack changed after it was signed"), ConfigError);
}
