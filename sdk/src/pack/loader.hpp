// pack/loader.hpp: read a pack folder (YAML) into a PackModel.
//
// Contract: load_pack reads every file of the pack, checks the structure (required fields,
// types, ids, references, ranges, URLs, translations, limits of docs/pack-format.md) and appends
// every problem found to `problems`, in file order, each with file:line:col. It never stops at
// the first problem. The returned model is complete only when no problem was added. Term
// normalization and regex compilation are checked later by the compiler (match/), which appends
// to the same list. Never hangs: file count, file size, nesting and node counts are bounded, and
// YAML anchors/aliases are refused before they can expand.
//
// A folder's files are read only when they are regular files inside it: a symbolic link that
// leads outside the folder, and a FIFO, device or socket named *.yaml, are problems (at 0:0 of
// that path), never read. Links to folders are not followed.
//
// Positions are 1-based lines and columns counted in Unicode code points; a problem about a
// whole file or folder has line and column 0. Where each problem is reported, and which ones are
// left out after a file could not be parsed, is written down in docs/pack-format.md ("Errors").
// Throws only std::bad_alloc, whatever the files hold. Reads and parses a few files at a time
// on worker threads (yaml-cpp is slow); the checks themselves run on the calling thread.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pack/model.hpp"
#include "signpost/error.hpp"

namespace signpost::detail {

inline constexpr std::size_t kMaxPackFiles = 1000;        // *.yaml files, pack.yaml included
inline constexpr std::size_t kMaxFileBytes = 4u << 20;
inline constexpr std::size_t kMaxPackBytes = 16u << 20;   // all files together
inline constexpr std::size_t kMaxPackExamples = 20000;     // examples of rules and contexts together
inline constexpr int kMaxYamlDepth = 32;                   // nested mappings and lists
inline constexpr std::size_t kMaxYamlNodes = 1000000;      // per file
inline constexpr std::size_t kMaxPackTerms = 200000;
inline constexpr std::size_t kMaxLexiconTerms = 4096;
inline constexpr std::size_t kMaxTermBytes = 256;
inline constexpr std::size_t kMaxTitleChars = 60;          // card texts, in code points
inline constexpr std::size_t kMaxBodyChars = 240;
inline constexpr std::size_t kMaxCtaChars = 40;

// A pack held in memory: each file's path relative to the pack root ('/'-separated, such as
// "pack.yaml" or "cards/en.yaml") and its bytes. `origin` names the pack in problems
// ("origin/cards/en.yaml:3:5: ..."). The same checks, limits, order and hash as a folder with
// these files; an archive loader unpacks into this.
struct PackFiles {
  std::string origin = "<memory>";
  std::map<std::string, std::string> files;
};

PackModel load_pack(const std::filesystem::path& dir, std::vector<Problem>& problems);
PackModel load_pack(const PackFiles& files, std::vector<Problem>& problems);

// Checks a card URL; returns an empty string when it is acceptable, else the reason.
std::string check_url(std::string_view url);

}  // namespace signpost::detail
