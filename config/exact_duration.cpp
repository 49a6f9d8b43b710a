#include "config/exact_duration.h"

#include <cctype>
#include <cstdint>
#include <limits>

namespace kutsu::config {
namespace {

constexpr std::int64_t kMaxComponent = 1'000'000'000;  // far beyond any sensible setting

Error not_a_duration(std::string_view text, std::string_view why) {
  return Error{"'" + std::string(text) + "' is not an exact duration such as PT30S, PT2M, PT1H " +
               "or P1D (" + std::string(why) + ")"};
}

}  // namespace

Result<std::chrono::seconds> parse_exact_duration(std::string_view text) {
  if (text.empty() || text.front() != 'P') return not_a_duration(text, "it must start with 'P'");
  // Units in the only order allowed; '\0' marks the "T" separator.
  constexpr struct {
    char unit;
    std::int64_t seconds;
  } kUnits[] = {{'W', 7 * 86'400}, {'D', 86'400}, {'\0', 0}, {'H', 3'600}, {'M', 60}, {'S', 1}};

  std::int64_t total = 0;
  std::size_t next_unit = 0;  // index into kUnits of the first unit still allowed
  bool any_component = false;
  bool after_t = false;
  bool component_after_t = false;
  std::size_t i = 1;
  while (i < text.size()) {
    if (text[i] == 'T') {
      if (after_t) return not_a_duration(text, "'T' appears twice");
      after_t = true;
      next_unit = 3;
      ++i;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      return not_a_duration(text, "expected a number at '" + std::string(text.substr(i)) + "'");
    }
    std::int64_t value = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      value = value * 10 + (text[i] - '0');
      if (value > kMaxComponent) return not_a_duration(text, "the number is too large");
      ++i;
    }
    if (i == text.size()) return not_a_duration(text, "a number lacks its unit");
    const char unit = text[i++];
    std::size_t found = next_unit;
    while (found < std::size(kUnits) && (kUnits[found].unit != unit || (found >= 3) != after_t)) {
      ++found;
    }
    if (found == std::size(kUnits) || kUnits[found].unit == '\0') {
      if (unit == 'Y' || (unit == 'M' && !after_t)) {
        return not_a_duration(text, "years and months have no exact length");
      }
      return not_a_duration(text, std::string("unexpected '") + unit + "'");
    }
    total += value * kUnits[found].seconds;
    next_unit = found + 1;
    any_component = true;
    component_after_t = component_after_t || after_t;
  }
  if (!any_component) return not_a_duration(text, "it has no number");
  if (after_t && !component_after_t) return not_a_duration(text, "nothing follows 'T'");
  return std::chrono::seconds{total};
}

std::string format_exact_duration(std::chrono::seconds duration) {
  std::int64_t left = duration.count();
  if (left == 0) return "PT0S";
  std::string text = "P";
  if (left >= 86'400) {
    text += std::to_string(left / 86'400) + "D";
    left %= 86'400;
  }
  if (left > 0) {
    text += "T";
    if (left >= 3'600) text += std::to_string(left / 3'600) + "H";
    if (left % 3'600 >= 60) text += std::to_string(left % 3'600 / 60) + "M";
    if (left % 60 > 0) text += std::to_string(left % 60) + "S";
  }
  return text;
}

}  // namespace kutsu::config
