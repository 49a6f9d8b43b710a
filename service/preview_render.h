// render_preview: every notification a loaded series plans, rendered as
// `kutsu preview` shows it without a daemon — the whole message of an
// e-mail (the exact bytes SMTP would carry), the JSON body of a webhook call
// — and handed to `each` in plan order with its bytes or the renderer's
// error.
//
// Each is rendered as if sent on time: RenderContext::now is its due time
// (its Date header and DTSTAMP), so a preview is the same on every run.
// From is `from` when given, else the series organiser ("Name <address>",
// or the bare address without a name). Without a store there is no history:
// every session is at SEQUENCE 0, a cancelled one at 1 (one change after
// the invitation), and no session has a previous time. Webhook endpoints are
// only names here; their URLs and secrets are the daemon config's.
//
// Pure: no outbox, no clock, no I/O; thread-safe as the Renderer is.
#pragma once

#include <functional>
#include <string>

#include "base/result.h"
#include "model/notification.h"
#include "notifier/renderer.h"
#include "service/series_load.h"

namespace kutsu::service {

using PreviewRendered =
    std::function<void(const model::Notification& notification, Result<std::string> bytes)>;

void render_preview(const LoadedSeries& planned, const notifier::Renderer& renderer,
                    const std::string& from, const PreviewRendered& each);

}  // namespace kutsu::service
