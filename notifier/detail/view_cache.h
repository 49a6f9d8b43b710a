// The parts of a message's template data that every recipient shares — the
// series layer and the sessions layer of template_view.h — built once and
// kept for the next message.
//
// An entry is found by address (series, session, language, and the
// participant's own time zone if they have one) but used only if
// its inputs — every field the builders read, kept serialised with the
// entry — are still equal to the series' fields now: a reloaded series may
// well be allocated where the old one was and must not be served the old
// text. Comparing costs no allocation. A participant with a personal join
// link gets sessions that are theirs alone: that layer is built for the
// message and not kept.
//
// Thread-safe; a layer, once returned, is immutable and stays valid for as
// long as the caller holds it. A series object seen in place of another of
// the same id (a reload) drops every entry of the one it replaced: those
// can never be found again, and a daemon reloading every few seconds kept
// them until the next start-over. The cache also starts over past a
// thousand entries (a handful per series, session and language).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "agenda/language.h"
#include "agenda/series.h"
#include "notifier/detail/template_view.h"

namespace kutsu::notifier::detail {

struct SessionsLayer {
  MustacheData layer;  // sessions, session

  // The view of series.sessions[index] in an invitation's layer; in a layer
  // for one session, that session is index 0.
  const MustacheData& session_view(std::size_t index) const;
};

class ViewCache {
 public:
  std::shared_ptr<const MustacheData> series_layer(const agenda::Series& series);

  // `session` null: every session of the series, as an invitation shows them.
  std::shared_ptr<const SessionsLayer> sessions_layer(const agenda::Series& series,
                                                      const agenda::Session* session,
                                                      const agenda::Participant* participant,
                                                      agenda::Language language);

 private:
  struct Identity {
    const agenda::Series* series;
    const agenda::Session* session;
    agenda::Language language;
    const date::time_zone* zone;  // the participant's own zone, or null for the series zone
    friend bool operator==(const Identity&, const Identity&) = default;
  };
  struct IdentityHash {
    std::size_t operator()(const Identity& identity) const;
  };
  // Under mutex_: when `series` replaces the object last seen with its id,
  // the entries of that one go.
  void forget_replaced(const agenda::Series& series);

  template <typename Layer>
  struct Entry {
    std::string key;  // the inputs the layer was built from
    std::shared_ptr<const Layer> layer;
  };

  std::mutex mutex_;
  std::unordered_map<Identity, Entry<MustacheData>, IdentityHash> series_;
  std::unordered_map<Identity, Entry<SessionsLayer>, IdentityHash> sessions_;
  std::unordered_map<std::string, const agenda::Series*> latest_;  // by series id
};

}  // namespace kutsu::notifier::detail
