#include "importer/detail/session_id.h"

#include <unicode/utrans.h>
#include <unicode/ustring.h>

#include <memory>
#include <vector>

namespace kutsu::importer::detail {
namespace {

struct TransliteratorClose {
  void operator()(UTransliterator* t) const { utrans_close(t); }
};

// One transliterator per thread: ICU's are not safe to share.
UTransliterator* ascii_transliterator() {
  thread_local std::unique_ptr<UTransliterator, TransliteratorClose> instance = [] {
    static const char16_t kRules[] = u"Any-Latin; Latin-ASCII; Lower";
    UErrorCode status = U_ZERO_ERROR;
    UTransliterator* t = utrans_openU(reinterpret_cast<const UChar*>(kRules), -1, UTRANS_FORWARD,
                                      nullptr, 0, nullptr, &status);
    if (U_FAILURE(status)) t = nullptr;
    return std::unique_ptr<UTransliterator, TransliteratorClose>(t);
  }();
  return instance.get();
}

// The title in ASCII where ICU can make it so (bytes that are not UTF-8 and
// letters with no Latin form become spaces); the bytes as they were if ICU
// fails.
std::string to_ascii(std::string_view title) {
  // Only the head of a long title can end up in an id.
  if (title.size() > 256) {
    std::size_t cut = 256;
    while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) --cut;
    title = title.substr(0, cut);
  }
  UTransliterator* t = ascii_transliterator();
  if (t == nullptr || title.empty()) return std::string(title);
  UErrorCode status = U_ZERO_ERROR;
  int32_t length = 0;
  std::vector<UChar> utf16(title.size() + 1);
  u_strFromUTF8WithSub(utf16.data(), static_cast<int32_t>(utf16.size()), &length, title.data(),
                       static_cast<int32_t>(title.size()), 0xFFFD, nullptr, &status);
  if (U_FAILURE(status)) return std::string(title);
  // Transliteration may lengthen the text (ß → ss, 東 → dong): grow and retry.
  std::vector<UChar> buffer;
  int32_t out_length = 0;
  for (std::size_t capacity = utf16.size() * 4 + 16; capacity <= utf16.size() * 64 + 64; capacity *= 4) {
    buffer.assign(utf16.begin(), utf16.begin() + length);
    buffer.resize(capacity);
    out_length = length;
    int32_t limit = length;
    status = U_ZERO_ERROR;
    utrans_transUChars(t, buffer.data(), &out_length, static_cast<int32_t>(buffer.size()), 0, &limit,
                       &status);
    if (status != U_BUFFER_OVERFLOW_ERROR) break;
  }
  if (U_FAILURE(status)) return std::string(title);
  std::string out;
  out.reserve(static_cast<std::size_t>(out_length));
  for (int32_t i = 0; i < out_length; ++i) {
    const UChar c = buffer[static_cast<std::size_t>(i)];
    out += c < 0x80 ? static_cast<char>(c) : ' ';
  }
  return out;
}

bool is_id_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// Lowercase letters and digits, one '-' between runs, none at the ends.
std::string slug(std::string_view ascii) {
  std::string out;
  bool pending_dash = false;
  for (char c : ascii) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!is_id_char(c)) {
      pending_dash = !out.empty();
      continue;
    }
    if (pending_dash) out += '-';
    pending_dash = false;
    out += c;
  }
  return out;
}

// At most `limit` characters, cut after a whole word where there is one.
std::string shortened(std::string id, std::size_t limit) {
  if (id.size() <= limit) return id;
  const std::size_t dash = id.rfind('-', limit);
  id.resize(dash != std::string::npos && dash > 0 ? dash : limit);
  while (!id.empty() && id.back() == '-') id.pop_back();
  return id;
}

}  // namespace

std::string session_id(std::string_view title, std::set<std::string>& taken) {
  std::string base = shortened(slug(to_ascii(title)), kSessionIdLength);
  if (base.empty()) base = "session";
  std::string id = base;
  for (int n = 2; taken.contains(id); ++n) id = base + "-" + std::to_string(n);
  taken.insert(id);
  return id;
}

}  // namespace kutsu::importer::detail
