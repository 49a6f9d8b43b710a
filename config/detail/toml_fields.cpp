#include "config/detail/toml_fields.h"

#include <algorithm>

namespace kutsu::config::detail {

const toml::node* FieldReader::find(std::string_view key) {
  known_.emplace(key);
  return table_.get(key);
}

void FieldReader::wrong_type(std::string_view key, const toml::node& value, std::string_view what) {
  sink_.error(position_of(value), "'" + std::string(key) + "' must be " + std::string(what) +
                                      ", not " + std::string(describe(value.type())));
}

std::optional<Located<std::string>> FieldReader::string(std::string_view key) {
  const toml::node* node = find(key);
  if (!node) return std::nullopt;
  if (const auto* text = node->as_string())
    return Located<std::string>{text->get(), position_of(*node)};
  wrong_type(key, *node, "a string");
  return std::nullopt;
}

std::optional<Located<std::int64_t>> FieldReader::integer(std::string_view key) {
  const toml::node* node = find(key);
  if (!node) return std::nullopt;
  if (const auto* number = node->as_integer()) {
    return Located<std::int64_t>{number->get(), position_of(*node)};
  }
  wrong_type(key, *node, "an integer");
  return std::nullopt;
}

std::optional<std::vector<Located<std::string>>> FieldReader::strings(std::string_view key) {
  const toml::node* node = find(key);
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

const toml::table* FieldReader::table(std::string_view key) {
  const toml::node* node = find(key);
  if (!node) return nullptr;
  if (const auto* nested = node->as_table()) return nested;
  wrong_type(key, *node, "a table ([" + std::string(key) + "])");
  return nullptr;
}

std::vector<const toml::table*> FieldReader::tables(std::string_view key) {
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

void FieldReader::missing(std::string_view key, std::string_view why) {
  sink_.error(pos(), "missing required key '" + std::string(key) + "'" + std::string(why));
}

void FieldReader::finish() {
  for (auto&& [key, value] : table_) {
    if (known_.contains(key.str())) continue;
    sink_.error(position_of(key.source()), "unknown key '" + std::string(key.str()) + "'");
  }
}

}  // namespace kutsu::config::detail
