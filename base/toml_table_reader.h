// TomlTableReader: typed access to the keys of one TOML table, for the two
// file readers (series files in agenda/, kutsu.toml in config/).
//
// Every key the reader is asked for, present or not, is recorded as known;
// finish() then reports each remaining key as unknown at the key's own
// position, so a typo ("titel") is an error instead of a silently dropped
// value. A value of the wrong type is reported at the value, a missing
// required key at the table's header. Accessors return nullopt/nullptr after
// reporting, so callers only decide what to do with a good value.
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

#include "base/diagnostic_sink.h"
#include "base/toml_source.h"

namespace kutsu {

template <typename T>
struct Located {
  T value;
  SourcePos pos;
};

enum class Need { optional, required };

// What finish() says about an unknown key besides its name.
enum class UnknownKeyHint { closest_known, none };

class TomlTableReader {
 public:
  TomlTableReader(const toml::table& table, DiagnosticSink& sink) : table_(table), sink_(sink) {}
  TomlTableReader(const TomlTableReader&) = delete;
  TomlTableReader& operator=(const TomlTableReader&) = delete;

  SourcePos pos() const { return position_of(table_); }
  DiagnosticSink& sink() { return sink_; }

  // The value under `key`, or nullptr (reported if `need` is required).
  const toml::node* find(std::string_view key, Need need = Need::optional);

  std::optional<Located<std::string>> string(std::string_view key, Need need = Need::optional);
  std::optional<Located<std::int64_t>> integer(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  // An array of strings; elements of another type are reported one by one.
  std::optional<std::vector<Located<std::string>>> strings(std::string_view key,
                                                           Need need = Need::optional);
  // `what` names the expected value in the wrong-type message.
  const toml::table* table(std::string_view key, Need need = Need::optional,
                           std::string_view what = "a table");
  // An array of tables (`[[key]]`); a non-table element is reported and skipped.
  std::vector<const toml::table*> tables(std::string_view key);

  // Reports "'key' must be WHAT, not a TYPE" at `value`.
  void wrong_type(std::string_view key, const toml::node& value, std::string_view what);
  // "missing required key 'KEY'" (plus `why`, e.g. " when transport is smtp")
  // at the table's header.
  void missing(std::string_view key, std::string_view why = "");

  // Reports every key that was never asked for, with a suggestion of the
  // known key it most likely misspells unless `hint` is none. Call once,
  // after all reads.
  void finish(UnknownKeyHint hint = UnknownKeyHint::closest_known);

 private:
  const toml::table& table_;
  DiagnosticSink& sink_;
  std::set<std::string, std::less<>> known_;
};

}  // namespace kutsu
