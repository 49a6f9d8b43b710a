#include "service/preview_render.h"

#include <string_view>
#include <utility>

namespace kutsu::service {
namespace {

std::string organiser_mailbox(const agenda::Series& series) {
  return series.organiser.name.empty()
             ? series.organiser.email
             : series.organiser.name + " <" + series.organiser.email + ">";
}

// The bytes a notification becomes: the whole message, or the JSON body.
Result<std::string> render(const notifier::Renderer& renderer,
                           const model::Notification& notification,
                           const notifier::RenderContext& context) {
  if (notification.channel == agenda::Channel::email) {
    Result<notifier::EmailMessage> message = renderer.render_email(notification, context);
    if (!message) return message.error();
    return std::move(message->bytes);
  }
  Result<notifier::WebhookCall> call = renderer.render_webhook(notification, context);
  if (!call) return call.error();
  return std::move(call->body);
}

}  // namespace

void render_preview(const LoadedSeries& planned, const notifier::Renderer& renderer,
                    const std::string& from, const PreviewRendered& each) {
  const agenda::Series& series = planned.series;
  notifier::RenderContext context;
  context.from = from.empty() ? organiser_mailbox(series) : from;
  context.revision = [&series](std::string_view session_id) {
    notifier::SessionRevision revision;
    for (const agenda::Session& session : series.sessions) {
      if (session.id == session_id && session.cancelled) revision.sequence = 1;
    }
    return revision;
  };
  for (const model::Notification& notification : planned.plan.notifications) {
    context.now = notification.due;
    each(notification, render(renderer, notification, context));
  }
}

}  // namespace kutsu::service
