#include "base/toml_table_reader.h"

#include <algorithm>

namespace kutsu {
namespace {

// Levenshtein distance, only to suggest the key an organiser probably meant.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

const toml::node* TomlTableReader::find(std::string_view key, Need need) {
  known_.emplace(key);
  const toml::node* node = table_.get(key);
  if (!node && need == Need::required) missing(key);
  return node;
}

void TomlTableReader::wrong_type(std::string_view key, const toml::node& value,
                                 std::string_view what) {
  sink_.error(position_of(value), "'" + std::string(key) + "' must be " + std::string(what) +
                                      ", not " + std::string(describe(value.type())));
}

std::optional<Located<std::string>> TomlTableReader::string(std::string_view key, Need need) {
  const toml::node* node = find(key, need);
  if (!node) return std::nullopt;
  if (const auto* text = node->as_string()) {
    return Located<std::string>{text->get(), position_of(*node)};
  }
  wrong_type(key, *node, "a string");
  return std::nullopt;
}

std::optional<Located<std::int64_t>> TomlTableReader::integer(std::string_view key) {
  const toml::node* node = find(key);
  if (!node) return std::nullopt;
  if (const auto* number = node->as_integer()) {
    return Located<std::int64_t>{number->get(), position_of(*node)};
  }
  wrong_type(key, *node, "an integer");
  return std::nullopt;
}

std::optional<bool> TomlTableReader::boolean(std::string_view key) {
  const toml::node* node = find(key);
  if (!node) return std::nullopt;
  if (const auto* flag = node->as_boolean()) return flag->get();
  wrong_type(key, *node, "a boolean (true or false)");
  return std::nullopt;
}

std::optional<std::vector<Located<std::string>>> TomlTableReader::strings(std::string_view key,
                                                                          Need need) {
  const toml::node* node = find(key, need);
  if (!node) return std::nullopt;
  const toml::array* array = node->as_array();
  if (!array) {
    wrong_type(key, *node, "an array of strings");
    return std::nullopt;
  }
  std::vector<Located<std::string>> values;
  bool all_strings = true;
  for (const toml::node& element : *array) {
    if (const auto* text = element.as_string()) {
      values.push_back({text->get(), position_of(element)});
    } else {
      sink_.error(position_of(element), "each item of '" + std::string(key) +
                                            "' must be a string, not " +
                                            std::string(describe(element.type())));
      all_strings = false;
    }
  }
  if (!all_strings) return std::nullopt;
  return values;
}

const toml::table* TomlTableReader::table(std::string_view key, Need need, std::string_view what) {
  const toml::node* node = find(key, need);
  if (!node) return nullptr;
  if (const auto* nested = node->as_table()) return nested;
  wrong_type(key, *node, what);
  return nullptr;
}

std::vector<const toml::table*> TomlTableReader::tables(std::string_view key) {
  std::vector<const toml::table*> result;
  const toml::node* node = find(key);
  if (!node) return result;
  const toml::array* array = node->as_array();
  if (!array) {
    wrong_type(key, *node, "an array of tables ([[" + std::string(key) + "]])");
    return result;
  }
  for (const toml::node& element : *array) {
    if (const auto* nested = element.as_table()) {
      result.push_back(nested);
    } else {
      sink_.error(position_of(element), "each item of '" + std::string(key) +
                                            "' must be a table, not " +
                                            std::string(describe(element.type())));
    }
  }
  return result;
}

void TomlTableReader::missing(std::string_view key, std::string_view why) {
  sink_.error(pos(), "missing required key '" + std::string(key) + "'" + std::string(why));
}

void TomlTableReader::finish(UnknownKeyHint hint) {
  for (auto&& [key, value] : table_) {
    if (known_.contains(key.str())) continue;
    std::string message = "unknown key '" + std::string(key.str()) + "'";
    if (hint == UnknownKeyHint::none) {
      sink_.error(position_of(key.source()), std::move(message));
      continue;
    }
    const std::string* closest = nullptr;
    std::size_t best = 3;  // suggest only close misspellings of longer keys
    for (const std::string& candidate : known_) {
      std::size_t distance = edit_distance(key.str(), candidate);
      if (distance < best && 2 * distance < candidate.size()) {
        best = distance;
        closest = &candidate;
      }
    }
    if (closest) message += " (did you mean '" + *closest + "'?)";
    sink_.error(position_of(key.source()), std::move(message));
  }
}

}  // namespace kutsu
