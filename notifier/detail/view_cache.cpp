#include "notifier/detail/view_cache.h"

#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include <date/tz.h>

namespace kutsu::notifier::detail {
namespace {

constexpr std::size_t kMaxEntries = 1024;

// Writes a layer's inputs as one string: length-prefixed texts and numbers,
// so that different inputs can never give the same key.
class KeyWriter {
 public:
  void bytes(const void* data, std::size_t size) {
    key_.append(static_cast<const char*>(data), size);
  }
  std::string take() { return std::move(key_); }

 private:
  std::string key_;
};

// Reads a stored key back while the same inputs are written again: equal
// when every write matches. Costs no allocation, which matters because it
// runs for every message.
class KeyMatcher {
 public:
  explicit KeyMatcher(std::string_view key) : key_(key) {}
  void bytes(const void* data, std::size_t size) {
    if (!equal_ || key_.size() - at_ < size || std::memcmp(key_.data() + at_, data, size) != 0) {
      equal_ = false;
      return;
    }
    at_ += size;
  }
  bool equal() const { return equal_ && at_ == key_.size(); }

 private:
  std::string_view key_;
  std::size_t at_ = 0;
  bool equal_ = true;
};

template <typename Sink>
void number(Sink& key, std::int64_t value) {
  key.bytes(&value, sizeof value);
}

template <typename Sink>
void text(Sink& key, std::string_view value) {
  number(key, static_cast<std::int64_t>(value.size()));
  key.bytes(value.data(), value.size());
}

template <typename Sink>
void texts(Sink& key, const std::vector<std::string>& values) {
  number(key, static_cast<std::int64_t>(values.size()));
  for (const std::string& value : values) text(key, value);
}

template <typename Sink>
void time(Sink& key, const agenda::WrittenTime& value) {
  number(key, value.local.time_since_epoch().count());
  number(key, value.utc_offset ? 1 : 0);
  number(key, value.utc_offset ? value.utc_offset->count() : 0);
}

// Everything make_series_layer reads (template_view.cpp, series_view).
template <typename Sink>
void series_inputs(Sink& key, const agenda::Series& series) {
  text(key, series.id);
  text(key, series.title);
  text(key, series.description);
  text(key, series.organiser.name);
  text(key, series.organiser.email);
}

// Everything make_session_view reads for one session, including the link
// the participant gets and the zone its times are shown in.
template <typename Sink>
void session_inputs(Sink& key, const agenda::Series& series, const agenda::Session& session,
                    const agenda::Participant* participant) {
  text(key, session.id);
  text(key, session.title);
  time(key, session.start);
  time(key, session.end);
  number(key, session.doors_open ? 1 : 0);
  if (session.doors_open) time(key, *session.doors_open);
  texts(key, session.speakers);
  text(key, session.description);
  text(key, session.location);
  number(key, session.cancelled ? 1 : 0);
  const std::string* link = series.join_url_for(session, participant);
  number(key, link ? 1 : 0);
  if (link) text(key, *link);
  number(key, static_cast<std::int64_t>(session.agenda.size()));
  for (const agenda::AgendaItem& item : session.agenda) {
    time(key, item.start);
    number(key, item.end ? 1 : 0);
    if (item.end) time(key, *item.end);
    text(key, item.title);
    texts(key, item.speakers);
    number(key, static_cast<std::int64_t>(item.kind));
  }
}

template <typename Sink>
void sessions_inputs(Sink& key, const agenda::Series& series, const agenda::Session* session,
                     const agenda::Participant* participant, agenda::Language language) {
  number(key, session == nullptr ? 0 : 1);
  text(key, agenda::to_string(language));
  text(key, series.zone->name());
  text(key, participant != nullptr && participant->zone != nullptr ? participant->zone->name() : "");
  if (session == nullptr) {
    number(key, static_cast<std::int64_t>(series.sessions.size()));
    for (const agenda::Session& each : series.sessions) {
      session_inputs(key, series, each, participant);
    }
  } else {
    session_inputs(key, series, *session, participant);
  }
}

}  // namespace

std::size_t ViewCache::IdentityHash::operator()(const Identity& identity) const {
  std::size_t hash = std::hash<const void*>{}(identity.series);
  hash = hash * 31 + std::hash<const void*>{}(identity.session);
  hash = hash * 31 + std::hash<const void*>{}(identity.zone);
  return hash * 31 + static_cast<std::size_t>(identity.language);
}

const MustacheData& SessionsLayer::session_view(std::size_t index) const {
  return layer.get("sessions")->list_value().at(index);
}

void ViewCache::forget_replaced(const agenda::Series& series) {
  auto [latest, first] = latest_.try_emplace(series.id, &series);
  if (first || latest->second == &series) return;
  const agenda::Series* replaced = std::exchange(latest->second, &series);
  std::erase_if(series_, [replaced](const auto& entry) { return entry.first.series == replaced; });
  std::erase_if(sessions_, [replaced](const auto& entry) { return entry.first.series == replaced; });
}

std::shared_ptr<const MustacheData> ViewCache::series_layer(const agenda::Series& series) {
  const Identity identity{&series, nullptr, agenda::Language::fi, nullptr};
  {
    std::lock_guard lock(mutex_);
    if (auto it = series_.find(identity); it != series_.end()) {
      KeyMatcher matcher{it->second.key};
      series_inputs(matcher, series);
      if (matcher.equal()) return it->second.layer;
    }
  }
  KeyWriter writer;
  series_inputs(writer, series);
  Entry<MustacheData> entry{writer.take(),
                            std::make_shared<const MustacheData>(make_series_layer(series))};
  std::shared_ptr<const MustacheData> layer = entry.layer;
  std::lock_guard lock(mutex_);
  forget_replaced(series);
  if (series_.size() >= kMaxEntries) series_.clear();
  series_[identity] = std::move(entry);
  return layer;
}

std::shared_ptr<const SessionsLayer> ViewCache::sessions_layer(
    const agenda::Series& series, const agenda::Session* session,
    const agenda::Participant* participant, agenda::Language language) {
  auto build = [&] {
    return std::make_shared<const SessionsLayer>(
        SessionsLayer{make_sessions_layer(series, session, participant, language)});
  };
  if (participant != nullptr && participant->join_url) return build();
  const Identity identity{&series, session, language, participant != nullptr ? participant->zone : nullptr};
  {
    std::lock_guard lock(mutex_);
    if (auto it = sessions_.find(identity); it != sessions_.end()) {
      KeyMatcher matcher{it->second.key};
      sessions_inputs(matcher, series, session, participant, language);
      if (matcher.equal()) return it->second.layer;
    }
  }
  KeyWriter writer;
  sessions_inputs(writer, series, session, participant, language);
  Entry<SessionsLayer> entry{writer.take(), build()};
  std::shared_ptr<const SessionsLayer> layer = entry.layer;
  std::lock_guard lock(mutex_);
  forget_replaced(series);
  if (sessions_.size() >= kMaxEntries) sessions_.clear();
  sessions_[identity] = std::move(entry);
  return layer;
}

}  // namespace kutsu::notifier::detail
