// The default templates compiled into the binary. The table is generated at
// build time from notifier/templates/ by notifier/templates/embed_templates.cmake;
// each entry's path is relative to that folder ("fi/reminder.txt.mustache").
#pragma once

#include <span>
#include <string_view>

namespace kutsu::notifier::detail {

struct EmbeddedTemplate {
  std::string_view path;
  std::string_view text;
};

std::span<const EmbeddedTemplate> embedded_templates();

}  // namespace kutsu::notifier::detail
