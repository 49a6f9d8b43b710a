// Owners for GObject references and GMime format options, shared by the
// MIME code. Not part of notifier's API.
#pragma once

#include <gmime/gmime.h>

#include <memory>

namespace kutsu::notifier::detail {

// Owns one GObject reference.
template <typename T>
struct Unref {
  void operator()(T* object) const { g_object_unref(object); }
};
template <typename T>
using GPtr = std::unique_ptr<T, Unref<T>>;

struct FormatOptionsFree {
  void operator()(GMimeFormatOptions* options) const { g_mime_format_options_free(options); }
};
using FormatOptionsPtr = std::unique_ptr<GMimeFormatOptions, FormatOptionsFree>;

}  // namespace kutsu::notifier::detail
