// Rendering one mustache template with kainjow, with our partials.
//
// Partials come from a separate table, not from the view: kainjow would
// otherwise look `{{> session}}` up among the data and find the `session`
// value instead of the partial. Text templates (subject, plain body,
// calendar description) are rendered without HTML escaping; HTML templates
// escape every {{ }} value. A partial's final newline is dropped, so that
// `{{> session}}` on a line of its own yields exactly the partial's lines.
// Errors name the template's origin.
//
// This parses the template on every call; the renderer keeps parsed ones in
// a TemplateCache (template_cache.h), which renders the same bytes.
#pragma once

#include <string>

#include "base/result.h"
#include "notifier/detail/template_cache.h"
#include "notifier/detail/template_view.h"
#include "notifier/template_source.h"

namespace kutsu::notifier::detail {

Result<std::string> render_template(const TemplateText& tmpl, const MustacheData& view,
                                    const Partials& partials, Escaping escaping);

}  // namespace kutsu::notifier::detail
