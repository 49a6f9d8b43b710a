#include "service/plan_digest.h"

#include <charconv>
#include <iterator>

#include "base/sha256.h"

namespace kutsu::service {
namespace {

// Changes whenever what goes into the digest does, so that no digest kept
// by an older Kutsu matches a plan it did not describe.
constexpr std::string_view kFormat = "kutsu plan digest 1\n";

}  // namespace

Result<std::string> plan_digest(std::string_view series_version, const store::PlannedRows& rows) {
  Sha256 hash;
  hash.add(kFormat);
  hash.add(series_version);
  hash.add("\n");
  // Rows go to OpenSSL in blocks: a call per row costs more than the
  // hashing. Dues as decimal seconds, the same on every machine.
  constexpr std::size_t kBlock = 64 * 1024;
  std::string block;
  block.reserve(kBlock + 64);
  for (std::size_t index = 0; index < rows.size(); ++index) {
    const store::IdDigits id = rows.id(index);
    block.append(id.data(), id.size());
    char due[24];
    char* end =
        std::to_chars(std::begin(due), std::end(due), rows.due(index).time_since_epoch().count())
            .ptr;
    block.append(due, end);
    block += '\n';
    if (block.size() >= kBlock) {
      hash.add(block);
      block.clear();
    }
  }
  hash.add(block);
  return hash.hex();
}

}  // namespace kutsu::service
