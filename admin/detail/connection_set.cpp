#include "admin/detail/connection_set.h"

#include "admin/detail/http_session.h"

namespace kutsu::admin::detail {

void ConnectionSet::stop() {
  router_ = nullptr;
  // Closing makes each session's pending operation finish (and the session
  // remove itself), so close from a copy.
  std::vector<std::shared_ptr<HttpSession>> sessions;
  for (auto& [key, weak] : open_) {
    if (auto session = weak.lock()) sessions.push_back(std::move(session));
  }
  for (const auto& session : sessions) session->close();
}

}  // namespace kutsu::admin::detail
