// Reading toml++ nodes for messages: where a node stands in its file, and how
// to name a value's type to the person who wrote it ("expected a string, got
// an integer"). Shared by the series parser (agenda/) and the daemon config
// loader (config/), so both report places and types in the same words.
#pragma once

#include <string_view>

#include <toml++/toml.h>

#include "base/diagnostic.h"

namespace kutsu {

SourcePos position_of(const toml::source_region& source);
inline SourcePos position_of(const toml::node& node) { return position_of(node.source()); }

// "a string", "an integer", "a date-time", …
std::string_view describe(toml::node_type type);

}  // namespace kutsu
