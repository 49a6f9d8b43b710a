#include "notifier/detail/template_cache.h"

#include <optional>
#include <string_view>
#include <utility>

namespace kutsu::notifier::detail {
namespace {

using Mustache = kainjow::mustache::mustache;

// Past this many entries the cache starts over: overrides edited again and
// again must not grow it for months.
constexpr std::size_t kMaxEntries = 256;
// Parsed copies kept per template for renders running at the same time.
constexpr std::size_t kMaxIdle = 8;

// `{{> session}}` stands on its own line, and that line's newline follows
// the partial; the file's own final newline would double it.
std::string_view partial_body(const TemplateText& partial) {
  std::string_view text = partial.text;
  if (text.ends_with('\n')) text.remove_suffix(1);
  return text;
}

// One tag as kainjow's parser finds it with the default delimiters.
struct Tag {
  std::size_t begin = 0;  // the first '{'
  std::size_t end = 0;    // one past the last '}'
  bool unescaped = false;
  std::string contents;  // trimmed, as kainjow trims it
};

struct TagScan {
  std::vector<Tag> tags;
  bool complete = true;         // false: an unclosed tag (kainjow fails to parse)
  bool sets_delimiter = false;  // a `{{=<% %>=}}` tag
};

// Walks `text` the way kainjow's parser does (mustache.hpp, parser::parse)
// while the delimiters are the default ones, so that the tags found here are
// exactly the ones kainjow sees.
TagScan scan_tags(const std::string& text) {
  TagScan scan;
  const std::size_t size = text.size();
  std::size_t pos = 0;
  while (pos < size) {
    if (text.compare(pos, 2, "{{") != 0) {
      ++pos;
      continue;
    }
    Tag tag;
    tag.begin = pos;
    std::size_t contents = pos + 2;
    tag.unescaped = pos != size - 2 && text.at(contents) == '{';
    if (tag.unescaped) ++contents;
    const std::string_view close = tag.unescaped ? "}}}" : "}}";
    const std::size_t close_at = text.find(close, contents);
    if (close_at == std::string::npos) {
      scan.complete = false;
      return scan;
    }
    tag.contents = kainjow::mustache::trim(text.substr(contents, close_at - contents));
    if (!tag.contents.empty() && tag.contents.front() == '=') scan.sets_delimiter = true;
    tag.end = close_at + close.size();
    pos = tag.end;
    scan.tags.push_back(std::move(tag));
  }
  return scan;
}

// The partial a tag names, if it is a partial tag (kainjow's parse_tag_contents).
std::optional<std::string> partial_name(const Tag& tag) {
  if (tag.unescaped || tag.contents.empty() || tag.contents.front() != '>') return std::nullopt;
  return kainjow::mustache::trim(tag.contents.substr(1));
}

// Two characters that kainjow would read as one token when they meet: the
// start of a tag, or a CRLF line end. Inlining must never create one.
bool joins(char left, char right) {
  return (left == '{' && right == '{') || (left == '\r' && right == '\n');
}

// `tmpl` with every known partial written in place of its tag, or nothing
// when that might not render exactly as kainjow's runtime partials do.
std::optional<std::string> inline_partials(const TemplateText& tmpl, const Partials& partials) {
  const TagScan scan = scan_tags(tmpl.text);
  if (!scan.complete || scan.sets_delimiter) return std::nullopt;
  for (const auto& [name, partial] : partials) {
    const std::string body{partial_body(partial)};
    if (!Mustache{body}.is_valid()) return std::nullopt;
    const TagScan inner = scan_tags(body);
    if (!inner.complete || inner.sets_delimiter) return std::nullopt;
    for (const Tag& tag : inner.tags) {
      std::optional<std::string> nested = partial_name(tag);
      if (nested && partials.find(*nested) != partials.end()) return std::nullopt;
    }
  }
  std::string out;
  out.reserve(tmpl.text.size() * 2);
  std::size_t copied = 0;
  for (const Tag& tag : scan.tags) {
    std::optional<std::string> name = partial_name(tag);
    if (!name) continue;
    auto it = partials.find(*name);
    if (it == partials.end()) continue;  // unknown: kainjow renders nothing, inlined or not
    const std::string_view body = partial_body(it->second);
    const std::optional<char> before =
        tag.begin > 0 ? std::optional<char>{tmpl.text[tag.begin - 1]} : std::nullopt;
    const std::optional<char> after =
        tag.end < tmpl.text.size() ? std::optional<char>{tmpl.text[tag.end]} : std::nullopt;
    const std::optional<char> first = body.empty() ? after : std::optional<char>{body.front()};
    const std::optional<char> last = body.empty() ? before : std::optional<char>{body.back()};
    if (before && first && joins(*before, *first)) return std::nullopt;
    if (last && after && joins(*last, *after)) return std::nullopt;
    out.append(tmpl.text, copied, tag.begin - copied);
    out.append(body);
    copied = tag.end;
  }
  out.append(tmpl.text, copied, std::string::npos);
  return out;
}

// kainjow's context, with the name lookup done without a stringstream per
// dotted name and with partials taken only from our own table (never from
// the data, where `session` is a value, not a template).
class LayeredContext final : public kainjow::mustache::basic_context<std::string> {
 public:
  LayeredContext(std::span<const MustacheData* const> layers,
                 const std::map<std::string, MustacheData, std::less<>>* partials)
      : partials_(partials) {
    items_.reserve(layers.size() + 8);
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) items_.push_back(*it);
  }

  void push(const MustacheData* data) override { items_.push_back(data); }
  void pop() override { items_.pop_back(); }

  // Same answers as kainjow::mustache::context::get: "." is the innermost
  // item; a dotted name is split like std::getline on '.' would (a trailing
  // empty piece is dropped) and resolved item by item, innermost first.
  const MustacheData* get(const std::string& name) const override {
    if (name.size() == 1 && name[0] == '.') return items_.back();
    if (name.find('.') == std::string::npos) {
      for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
        if (const MustacheData* var = (*it)->get(name)) return var;
      }
      return nullptr;
    }
    std::vector<std::string> names;
    std::size_t start = 0;
    while (start < name.size()) {
      std::size_t dot = name.find('.', start);
      if (dot == std::string::npos) dot = name.size();
      names.emplace_back(name, start, dot - start);
      start = dot + 1;
    }
    for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
      const MustacheData* var = *it;
      for (const std::string& piece : names) {
        var = var->get(piece);
        if (!var) break;
      }
      if (var) return var;
    }
    return nullptr;
  }

  const MustacheData* get_partial(const std::string& name) const override {
    if (partials_ == nullptr) return nullptr;
    auto it = partials_->find(name);
    return it == partials_->end() ? nullptr : &it->second;
  }

 private:
  std::vector<const MustacheData*> items_;  // back() is innermost
  const std::map<std::string, MustacheData, std::less<>>* partials_;
};

void append_field(std::string& key, std::string_view field) {
  key += std::to_string(field.size());
  key += ':';
  key += field;
}

}  // namespace

CompiledTemplate::CompiledTemplate(Mustache parsed, bool inlined, TemplateText tmpl,
                                   Partials partials)
    : prototype_(std::move(parsed)),
      inlined_(inlined),
      tmpl_(std::move(tmpl)),
      partials_(std::move(partials)) {
  for (const auto& [name, partial] : partials_) {
    partial_data_.emplace(name, MustacheData{std::string{partial_body(partial)}});
  }
}

Result<std::shared_ptr<const CompiledTemplate>> CompiledTemplate::compile(const TemplateText& tmpl,
                                                                          const Partials& partials,
                                                                          Escaping escaping) {
  Mustache parsed{tmpl.text};
  if (!parsed.is_valid()) return Error{tmpl.origin + ": " + parsed.error_message()};
  bool inlined = false;
  if (std::optional<std::string> expanded = inline_partials(tmpl, partials)) {
    Mustache whole{*expanded};
    if (whole.is_valid()) {
      parsed = std::move(whole);
      inlined = true;
    }
  }
  if (escaping == Escaping::none) {
    parsed.set_custom_escape([](const std::string& text) { return text; });
  }
  return std::shared_ptr<const CompiledTemplate>(
      new CompiledTemplate(std::move(parsed), inlined, tmpl, partials));
}

std::unique_ptr<CompiledTemplate::Mustache> CompiledTemplate::acquire() const {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<Mustache> instance = std::move(idle_.back());
      idle_.pop_back();
      return instance;
    }
  }
  return std::make_unique<Mustache>(prototype_);  // the prototype is only ever read
}

void CompiledTemplate::release(std::unique_ptr<Mustache> instance) const {
  std::lock_guard lock(mutex_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(instance));
}

// Kainjow reports a partial's error without saying which file it was in.
std::string CompiledTemplate::origin_of_error() const {
  for (const auto& [name, partial] : partials_) {
    if (!Mustache{partial.text}.is_valid()) return partial.origin;
  }
  return tmpl_.origin;
}

Result<std::string> CompiledTemplate::render_layers(
    std::span<const MustacheData* const> layers) const {
  std::unique_ptr<Mustache> instance = acquire();
  LayeredContext context{layers, inlined_ ? nullptr : &partial_data_};
  std::string out = instance->render(context);
  // An instance that failed keeps its error: it is dropped, not pooled.
  if (!instance->is_valid()) return Error{origin_of_error() + ": " + instance->error_message()};
  release(std::move(instance));
  return out;
}

Result<std::string> CompiledTemplate::render(const MustacheData& view) const {
  const MustacheData* layers[] = {&view};
  return render_layers(layers);
}

Result<std::shared_ptr<const CompiledTemplate>> TemplateCache::get(const TemplateText& tmpl,
                                                                   const Partials& partials,
                                                                   Escaping escaping) {
  std::string key;
  key.reserve(tmpl.text.size() + 64);
  key += escaping == Escaping::html ? 'h' : 'n';
  append_field(key, tmpl.origin);
  append_field(key, tmpl.text);
  for (const auto& [name, partial] : partials) {
    append_field(key, name);
    append_field(key, partial.origin);
    append_field(key, partial.text);
  }
  {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) return it->second;
  }
  Result<std::shared_ptr<const CompiledTemplate>> compiled =
      CompiledTemplate::compile(tmpl, partials, escaping);
  if (!compiled) return compiled;  // errors are not kept: the file may be fixed any moment
  std::lock_guard lock(mutex_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  return entries_.emplace(std::move(key), *compiled).first->second;
}

std::size_t TemplateCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace kutsu::notifier::detail
