#include "admin/detail/connection_set.h"

#include <algorithm>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/error.hpp>

#include "admin/detail/http_session.h"

namespace kutsu::admin::detail {

namespace net = boost::asio;

namespace {

// The sweep closes what is due in batches at most this often: a crowd of
// sessions whose waits end a few microseconds apart costs one wake-up.
constexpr std::chrono::milliseconds kSweepGranularity{10};

}  // namespace

ClientKey client_key(const net::ip::tcp::endpoint& remote) {
  const net::ip::address address = remote.address();
  if (address.is_v4()) return address;
  net::ip::address_v6 v6 = address.to_v6();
  if (v6.is_v4_mapped()) return net::ip::make_address_v4(net::ip::v4_mapped, v6);
  net::ip::address_v6::bytes_type bytes = v6.to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return net::ip::address_v6(bytes);
}

ConnectionSet::ConnectionSet(net::any_io_executor executor, Router& router, SessionLimits limits,
                             TableLimits table)
    : router_(&router), limits_(limits), table_(table), sweep_timer_(std::move(executor)) {}

bool ConnectionSet::make_room(const ClientKey& client) {
  auto mine = clients_.find(client);
  if (mine != clients_.end() && mine->second >= table_.max_per_client) {
    auto own = idlest(&client);
    if (own == idle_.end()) return false;
    evict(own, "its client is at its limit");
  }
  if (open_.size() >= table_.max_connections) {
    auto any = idlest(nullptr);
    if (any == idle_.end()) return false;
    evict(any, "the table is full");
  }
  return true;
}

void ConnectionSet::add(const std::shared_ptr<HttpSession>& session, const ClientKey& client) {
  auto counted = clients_.try_emplace(client, 0).first;
  ++counted->second;
  open_[session.get()] = Entry{session, counted, std::nullopt};
  schedule_sweep();
}

void ConnectionSet::remove(const HttpSession* session) {
  auto entry = open_.find(session);
  if (entry != open_.end()) erase(entry);
}

void ConnectionSet::erase(std::unordered_map<const HttpSession*, Entry>::iterator entry) {
  Entry& gone = entry->second;
  if (gone.idle) idle_.erase(*gone.idle);
  if (--gone.client->second == 0) clients_.erase(gone.client);
  open_.erase(entry);
}

void ConnectionSet::idle(const HttpSession* session) {
  auto entry = open_.find(session);
  if (entry == open_.end() || entry->second.idle) return;
  entry->second.idle = idle_.insert(idle_.end(), Idle{session, Clock::now()});
  schedule_sweep();
}

void ConnectionSet::busy(const HttpSession* session) {
  auto entry = open_.find(session);
  if (entry == open_.end() || !entry->second.idle) return;
  idle_.erase(*entry->second.idle);
  entry->second.idle.reset();
}

ConnectionSet::IdleList::iterator ConnectionSet::idlest(const ClientKey* client) {
  for (auto it = idle_.begin(); it != idle_.end(); ++it) {
    const Entry& entry = open_.at(it->session);
    if (client != nullptr && entry.client->first != *client) continue;
    // Bytes waiting unread are a request that has arrived: closing now
    // would lose it (and reset the connection), so it is not idle.
    std::shared_ptr<HttpSession> session = entry.session.lock();
    if (session && session->has_unread_input()) continue;
    return it;
  }
  return idle_.end();
}

void ConnectionSet::evict(IdleList::iterator idle, const char* why) {
  auto entry = open_.find(idle->session);
  std::shared_ptr<HttpSession> session = entry->second.session.lock();
  spdlog::debug(
      "admin API: closing a connection idle for {} ms: {} ({} open)",
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - idle->since).count(),
      why, open_.size());
  // Out of the table first: the session's own remove() comes only once its
  // aborted read has run, and the slot is needed now.
  erase(entry);
  if (session) session->close();
}

void ConnectionSet::schedule_sweep() {
  if (sweep_scheduled_ || router_ == nullptr || !crowded() || idle_.empty()) return;
  // The idlest session's wait ends first; later ones are seen at that sweep.
  const Clock::time_point due =
      std::max(idle_.front().since + table_.busy_idle_timeout, Clock::now() + kSweepGranularity);
  sweep_scheduled_ = true;
  sweep_timer_.expires_at(due);
  sweep_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    self->sweep_scheduled_ = false;
    if (!ec) self->sweep();
  });
}

void ConnectionSet::sweep() {
  const Clock::time_point now = Clock::now();
  while (router_ != nullptr && crowded()) {
    auto it = idlest(nullptr);
    if (it == idle_.end() || now - it->since < table_.busy_idle_timeout) break;
    evict(it, "idle while the table is crowded");
  }
  schedule_sweep();
}

void ConnectionSet::stop() {
  router_ = nullptr;
  sweep_timer_.cancel();
  // Closing makes each session's pending operation finish (and the session
  // remove itself), so close from a copy.
  std::vector<std::shared_ptr<HttpSession>> sessions;
  for (auto& [key, entry] : open_) {
    if (auto session = entry.session.lock()) sessions.push_back(std::move(session));
  }
  for (const auto& session : sessions) session->close();
}

}  // namespace kutsu::admin::detail
