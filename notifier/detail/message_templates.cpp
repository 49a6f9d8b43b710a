#include "notifier/detail/message_templates.h"

#include <string>

namespace kutsu::notifier::detail {
namespace {

Result<MessageTemplateTexts> load_templates(const TemplateSource& source,
                                            const std::optional<std::filesystem::path>& dir,
                                            agenda::Language language,
                                            model::NotificationKind kind) {
  const std::string prefix{model::to_string(kind)};
  MessageTemplateTexts out;
  struct Slot {
    std::string name;
    TemplateText* target;
  };
  const Slot slots[] = {{prefix + ".subject", &out.subject},
                        {prefix + ".txt", &out.text},
                        {prefix + ".html", &out.html},
                        {"session.txt", &out.text_partials["session"]},
                        {"session.html", &out.html_partials["session"]}};
  for (const Slot& slot : slots) {
    Result<TemplateText> loaded = source.load(dir, language, slot.name);
    if (!loaded) return loaded.error();
    *slot.target = std::move(loaded).value();
  }
  return out;
}

}  // namespace

Result<CompiledPtr> MessageTemplates::get(Part part) const {
  if (parsed_) {
    switch (part) {
      case subject:
        return parsed_->subject;
      case text:
        return parsed_->text;
      case html:
        return parsed_->html;
      case description:
        return parsed_->description;
    }
  }
  const MessageTemplateTexts& t = *texts_;
  switch (part) {
    case subject:
      return cache_->get(t.subject, {}, Escaping::none);
    case text:
      return cache_->get(t.text, t.text_partials, Escaping::none);
    case html:
      return cache_->get(t.html, t.html_partials, Escaping::html);
    case description:
      return cache_->get(t.text_partials.at("session"), {}, Escaping::none);
  }
  return Error{"unknown template part"};
}

Result<MessageTemplates> MessageTemplateCache::for_message(
    const TemplateSource& source, const std::optional<std::filesystem::path>& dir,
    agenda::Language language, model::NotificationKind kind) {
  if (!dir) {
    Result<std::shared_ptr<const ParsedMessageTemplates>> parsed = built_in(source, language, kind);
    if (!parsed) return parsed.error();
    return MessageTemplates{std::move(parsed).value()};
  }
  Result<MessageTemplateTexts> texts = load_templates(source, dir, language, kind);
  if (!texts) return texts.error();
  return MessageTemplates{templates_, std::move(texts).value()};
}

Result<std::shared_ptr<const ParsedMessageTemplates>> MessageTemplateCache::built_in(
    const TemplateSource& source, agenda::Language language, model::NotificationKind kind) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = built_in_.find({language, kind}); it != built_in_.end()) return it->second;
  }
  Result<MessageTemplateTexts> texts = load_templates(source, std::nullopt, language, kind);
  if (!texts) return texts.error();
  const MessageTemplates unparsed{templates_, std::move(texts).value()};
  auto parsed = std::make_shared<ParsedMessageTemplates>();
  const std::pair<MessageTemplates::Part, CompiledPtr*> slots[] = {
      {MessageTemplates::subject, &parsed->subject},
      {MessageTemplates::text, &parsed->text},
      {MessageTemplates::html, &parsed->html},
      {MessageTemplates::description, &parsed->description}};
  for (const auto& [part, target] : slots) {
    Result<CompiledPtr> compiled = unparsed.get(part);
    if (!compiled) return compiled.error();
    *target = std::move(compiled).value();
  }
  std::lock_guard lock(mutex_);
  return built_in_.emplace(std::pair{language, kind}, std::move(parsed)).first->second;
}

}  // namespace kutsu::notifier::detail
