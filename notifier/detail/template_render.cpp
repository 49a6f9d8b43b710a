#include "notifier/detail/template_render.h"

namespace kutsu::notifier::detail {

Result<std::string> render_template(const TemplateText& tmpl, const MustacheData& view,
                                    const Partials& partials, Escaping escaping) {
  Result<std::shared_ptr<const CompiledTemplate>> compiled =
      CompiledTemplate::compile(tmpl, partials, escaping);
  if (!compiled) return compiled.error();
  return (*compiled)->render(view);
}

}  // namespace kutsu::notifier::detail
