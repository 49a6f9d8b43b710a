// Renderer: a planned Notification → the finished e-mail or webhook body.
//
// render_email produces the whole message delivery sends (mime_builder.h):
// subject and bodies from the templates (template_source.h) in the
// recipient's language (the participant's, else the series'), dates in the
// series zone (date_format.h), and for invitations, updates and
// cancellations a calendar part (ical_builder.h explains which METHOD and
// why). The Message-ID is "<notification id>@<domain of From>", so a retry
// after a crash carries the same id and receivers can drop the duplicate.
//
// render_webhook produces the JSON of webhook_payload.h for one endpoint.
//
// Both are pure functions of their arguments (the clock comes in through
// RenderContext::now): rendering twice gives the same bytes. Failures are
// values — a template that does not parse, an unknown zone, a bad From
// address — and name what to fix. The notification's Series must outlive
// the call.
//
// Speed: a burst sends the same session's message to thousands of people, so
// a Renderer keeps what does not depend on the recipient — parsed templates
// (detail/template_cache.h) and the series and session parts of the template
// data (detail/view_cache.h) — keyed by their inputs' content, never by
// address, so a reloaded series or an edited override is never served stale.
// The caches are internally locked: a Renderer may be used from several
// threads at once, and copies share their caches.
#pragma once

#include <memory>

#include "base/result.h"
#include "model/notification.h"
#include "notifier/message.h"
#include "notifier/render_context.h"
#include "notifier/template_source.h"

namespace kutsu::notifier {

class Renderer {
 public:
  explicit Renderer(TemplateSource templates);

  // Precondition: notification.channel is e-mail and its participant is set.
  Result<EmailMessage> render_email(const model::Notification& notification,
                                    const RenderContext& context) const;

  // Precondition: notification.channel is webhook.
  Result<WebhookCall> render_webhook(const model::Notification& notification,
                                     const RenderContext& context) const;

  // What is kept between messages (renderer.cpp); not part of the API.
  struct Caches;

 private:
  TemplateSource templates_;
  std::shared_ptr<Caches> caches_;
};

}  // namespace kutsu::notifier
