// The parsed templates of one message — subject, plain and HTML body, and the
// `session.txt` partial on its own for calendar descriptions — found the way
// the renderer has always found them (template_source.h), parsed at most once.
//
// The compiled-in templates cannot change, so they are parsed once per
// (language, kind) and a series without its own folder reads no file at all.
// A series with its own folder has its files read for every message (an
// organiser's edit applies at once, as template_source.h promises) and their
// parses looked up by content (template_cache.h).
//
// Errors keep their old order: an unreadable override fails when the message
// starts, before anything is rendered; a template that does not parse fails
// where rendering first needs it, as when every render parsed its templates.
// Thread-safe.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "agenda/language.h"
#include "base/result.h"
#include "model/notification.h"
#include "notifier/detail/template_cache.h"
#include "notifier/template_source.h"

namespace kutsu::notifier::detail {

using CompiledPtr = std::shared_ptr<const CompiledTemplate>;

// The templates of one message as files, before parsing.
struct MessageTemplateTexts {
  TemplateText subject;
  TemplateText text;
  TemplateText html;
  Partials text_partials;  // "session": session.txt
  Partials html_partials;  // "session": session.html
};

// The compiled-in templates of one (language, kind), parsed.
struct ParsedMessageTemplates {
  CompiledPtr subject, text, html, description;
};

class MessageTemplates {
 public:
  enum Part { subject, text, html, description };

  Result<CompiledPtr> get(Part part) const;

 private:
  friend class MessageTemplateCache;
  MessageTemplates(TemplateCache& cache, MessageTemplateTexts texts)
      : cache_(&cache), texts_(std::move(texts)) {}
  explicit MessageTemplates(std::shared_ptr<const ParsedMessageTemplates> parsed)
      : parsed_(std::move(parsed)) {}

  TemplateCache* cache_ = nullptr;
  std::optional<MessageTemplateTexts> texts_;
  std::shared_ptr<const ParsedMessageTemplates> parsed_;
};

class MessageTemplateCache {
 public:
  // `dir`: the series' own template folder, if it has one.
  Result<MessageTemplates> for_message(const TemplateSource& source,
                                       const std::optional<std::filesystem::path>& dir,
                                       agenda::Language language, model::NotificationKind kind);

 private:
  Result<std::shared_ptr<const ParsedMessageTemplates>> built_in(const TemplateSource& source,
                                                                 agenda::Language language,
                                                                 model::NotificationKind kind);

  TemplateCache templates_;
  std::mutex mutex_;
  std::map<std::pair<agenda::Language, model::NotificationKind>,
           std::shared_ptr<const ParsedMessageTemplates>>
      built_in_;
};

}  // namespace kutsu::notifier::detail
