// FieldReader: typed access to the keys of one table of kutsu.toml, with
// every problem reported at its place.
//
// Each key asked for is remembered; finish() reports the rest as unknown at
// the key itself, so a misspelt setting is an error rather than a silently
// ignored default. A value of the wrong type is reported at the value and
// read as absent. (agenda/ has a table reader for series files with more
// kinds of value; the sink and the place/type wording both use are in base/.)
//
// The reader borrows the table and the sink; both must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "base/diagnostic.h"
#include "base/diagnostic_sink.h"
#include "base/toml_source.h"

namespace kutsu::config::detail {

template <typename T>
struct Located {
  T value;
  SourcePos pos;
};

class FieldReader {
 public:
  FieldReader(const toml::table& table, DiagnosticSink& sink) : table_(table), sink_(sink) {}
  FieldReader(const FieldReader&) = delete;
  FieldReader& operator=(const FieldReader&) = delete;

  SourcePos pos() const { return position_of(table_); }
  DiagnosticSink& sink() { return sink_; }

  const toml::node* find(std::string_view key);
  std::optional<Located<std::string>> string(std::string_view key);
  std::optional<Located<std::int64_t>> integer(std::string_view key);
  std::optional<std::vector<Located<std::string>>> strings(std::string_view key);
  const toml::table* table(std::string_view key);
  std::vector<const toml::table*> tables(std::string_view key);  // [[key]]

  // "missing required key 'KEY'" (plus `why`, e.g. " when transport is smtp")
  // at the table's header.
  void missing(std::string_view key, std::string_view why = "");

  // Reports every key never asked for. Call once, after all reads.
  void finish();

 private:
  void wrong_type(std::string_view key, const toml::node& value, std::string_view what);

  const toml::table& table_;
  DiagnosticSink& sink_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace kutsu::config::detail
