// baseline.cpp: see baseline.hpp.
#include "baseline.hpp"

#include <hs/hs.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <chrono>
#include <stdexcept>

namespace bench {
namespace {

const icu::Normalizer2& nfkc_cf() {
  static const icu::Normalizer2* n = [] {
    UErrorCode e = U_ZERO_ERROR;
    const icu::Normalizer2* p = icu::Normalizer2::getNFKCCasefoldInstance(e);
    if (U_FAILURE(e) || p == nullptr) throw std::runtime_error("ICU NFKC_Casefold is not available");
    return p;
  }();
  return *n;
}

int on_match(unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
  ++*static_cast<std::size_t*>(ctx);
  return 0;
}

}  // namespace

std::string nfkc_casefold(std::string_view text) {
  UErrorCode e = U_ZERO_ERROR;
  const icu::UnicodeString src = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  const icu::UnicodeString folded = nfkc_cf().normalize(src, e);
  std::string out;
  if (U_SUCCESS(e)) folded.toUTF8String(out);
  return out;
}

Baseline::Baseline(const std::vector<std::string>& phrases) {
  std::vector<std::string> folded;
  folded.reserve(phrases.size());
  for (const auto& p : phrases) folded.push_back(nfkc_casefold(p));
  std::vector<const char*> exprs;
  std::vector<std::size_t> lens;
  std::vector<unsigned> flags(folded.size(), 0), ids(folded.size());
  for (std::size_t i = 0; i < folded.size(); ++i) {
    exprs.push_back(folded[i].data());
    lens.push_back(folded[i].size());
    ids[i] = static_cast<unsigned>(i);
  }
  const auto t0 = std::chrono::steady_clock::now();
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(), static_cast<unsigned>(exprs.size()),
                           HS_MODE_BLOCK, nullptr, &db_, &err) != HS_SUCCESS) {
    std::string msg = err && err->message ? err->message : "unknown error";
    hs_free_compile_error(err);
    throw std::runtime_error("baseline: hs_compile_lit_multi failed: " + msg);
  }
  compile_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (hs_alloc_scratch(db_, &scratch_) != HS_SUCCESS) {
    hs_free_database(db_);
    throw std::runtime_error("baseline: hs_alloc_scratch failed");
  }
}

Baseline::~Baseline() {
  if (scratch_) hs_free_scratch(scratch_);
  if (db_) hs_free_database(db_);
}

std::size_t Baseline::scan(const std::string& folded) {
  std::size_t matches = 0;
  hs_scan(db_, folded.data(), static_cast<unsigned>(folded.size()), 0, scratch_, on_match, &matches);
  return matches;
}

std::size_t Baseline::run(std::string_view text) {
  buf_.clear();
  icu::StringByteSink<std::string> sink(&buf_, static_cast<int32_t>(text.size()));
  UErrorCode e = U_ZERO_ERROR;
  nfkc_cf().normalizeUTF8(0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink, nullptr, e);
  if (U_FAILURE(e)) buf_.clear();
  return scan(buf_);
}

std::size_t Baseline::run_naive(std::string_view text) { return scan(nfkc_casefold(text)); }

std::size_t Baseline::database_bytes() const {
  std::size_t n = 0;
  if (db_) hs_database_size(db_, &n);
  return n;
}

}  // namespace bench
