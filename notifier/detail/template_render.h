// Rendering one mustache template with kainjow, with our partials.
//
// Partials come from a separate table, not from the view: kainjow would
// otherwise look `{{> session}}` up among the data and find the `session`
// value instead of the partial. Text templates (subject, plain body,
// calendar description) are rendered without HTML escaping; HTML templates
// escape every {{ }} value. A partial's final newline is dropped, so that
// `{{> session}}` on a line of its own yields exactly the partial's lines.
// Errors name the template's origin.
#pragma once

#include <map>
#include <string>

#include "base/result.h"
#include "notifier/detail/template_view.h"
#include "notifier/template_source.h"

namespace kutsu::notifier::detail {

enum class Escaping { none, html };

// Partial name ("session") → its template.
using Partials = std::map<std::string, TemplateText, std::less<>>;

Result<std::string> render_template(const TemplateText& tmpl, const MustacheData& view,
                                    const Partials& partials, Escaping escaping);

}  // namespace kutsu::notifier::detail
