// archive/archive.hpp: pack archives (a pack folder as one tar file, optionally gzip-compressed).
//
// This folder is the only place that uses libarchive and libsodium (archive.cpp, signature.cpp).
// Tar is read and written with libarchive (Debian libarchive-dev) rather than a hand-written ustar
// reader: archives come from other parties, and libarchive is the maintained, fuzzed reader of every
// tar dialect (ustar, pax, GNU) and of gzip, with bounds we set on each member before reading it.
//
// Reading never touches the disk: members are read into memory (PackFiles), so a member named
// "../x" or "/etc/x", a link or a device cannot write or point anywhere; each is refused with a
// clear problem all the same, so that a bad archive is noticed when it is built, not shipped.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "pack/loader.hpp"
#include "signpost/error.hpp"

namespace signpost::detail {

// The signature file of a pack (signature.hpp); carried in the archive, never loaded as YAML.
inline constexpr std::string_view kSignatureFile = "pack.sig";
inline constexpr std::size_t kMaxSignatureBytes = 64u << 10;
// Bounds on what an archive may unpack to in memory, whatever its compressed size.
inline constexpr std::size_t kMaxArchiveMembers = kMaxPackFiles + 64;
inline constexpr std::size_t kMaxArchiveBytes = 64u << 20;  // all members together, unpacked
// An archive file read by Engine::load (a plain tar holds headers and padding beside the members).
inline constexpr std::size_t kMaxArchiveFileBytes = 2 * kMaxArchiveBytes;

// Reads a tar (or tar.gz) archive held in `bytes` into `out.files`. Regular files and folders are
// accepted; a member that is a link (symbolic or hard), a device or a FIFO, a name that is
// absolute or goes up ("..") or is not valid UTF-8, a duplicate name, a member larger than 4 MiB,
// too many members or too many bytes in total, and a truncated or damaged archive are each one
// problem, reported as "<origin>: archive member 'name': ...". Leading "./" is dropped. Returns
// true when no problem was added. Throws only std::bad_alloc.
bool read_archive(std::string_view bytes, PackFiles& out, std::vector<Problem>& problems);

// Reads a pack folder the way the loader does (every *.yaml file below it, hidden files and
// folders skipped, links to folders not followed), plus its signature file when present. Throws
// signpost::Error when a file cannot be read or is larger than the loader accepts.
PackFiles read_pack_folder(const std::filesystem::path& dir);

// The canonical archive of `files`: ustar, members in byte order of their names, regular files
// only, mode 0644, uid and gid 0, no owner names, mtime 0, ending with the two zero blocks of the
// format and no further padding; with `gzip`, compressed without a timestamp or file name. The same files give the same bytes. Throws signpost::Error when a name
// does not fit ustar.
std::string write_archive(const PackFiles& files, bool gzip);

}  // namespace signpost::detail
