// Parsed mustache templates, kept so that rendering a message parses nothing.
//
// kainjow parses a template whenever a mustache object is made from text, and
// parses a partial again every time a `{{> name}}` tag is rendered: for an
// invitation with five sessions that was most of the rendering time.
//
// CompiledTemplate parses once. Where it safely can, it writes each partial's
// text in place of its `{{> name}}` tag before parsing ("inlining"), which
// renders the same bytes as kainjow's own partial handling: kainjow renders a
// partial into the same line buffer and context stack as the tag, so only
// the parse could differ, and inlining is refused whenever it might — a
// set-delimiter tag anywhere, a partial that does not parse on its own, a
// partial that names a partial, or a partial whose edge could join the
// surrounding text into a different token (`{`, a CR). Refused templates keep
// kainjow's runtime partials: slower, never different. The final newline of
// a partial is dropped in both cases (template_render.h says why).
//
// A CompiledTemplate is immutable and may be rendered from several threads
// at once: each render takes a parsed copy from a small pool (kainjow's
// render is not const and remembers an error in the object).
//
// TemplateCache maps (escaping, template text and origin, partials' names,
// texts and origins) to one CompiledTemplate, so an override edited on disk
// is a new entry and an old one is never served. Thread-safe. It holds at
// most a few hundred entries and starts over when it grows past that.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <kainjow/mustache.hpp>

#include "base/result.h"
#include "notifier/template_source.h"

namespace kutsu::notifier::detail {

using MustacheData = kainjow::mustache::data;

enum class Escaping { none, html };

// Partial name ("session") → its template.
using Partials = std::map<std::string, TemplateText, std::less<>>;

class CompiledTemplate {
 public:
  // Fails with "<origin>: <kainjow's message>" when the template does not parse.
  static Result<std::shared_ptr<const CompiledTemplate>> compile(const TemplateText& tmpl,
                                                                 const Partials& partials,
                                                                 Escaping escaping);

  // Renders with `layers` as the context stack, the first one innermost
  // (looked at first). Layers with disjoint top-level names render exactly as
  // one object holding all of their names would.
  Result<std::string> render_layers(std::span<const MustacheData* const> layers) const;
  Result<std::string> render(const MustacheData& view) const;

  bool partials_inlined() const { return inlined_; }

  CompiledTemplate(const CompiledTemplate&) = delete;
  CompiledTemplate& operator=(const CompiledTemplate&) = delete;

 private:
  using Mustache = kainjow::mustache::mustache;
  using PartialData = std::map<std::string, MustacheData, std::less<>>;

  CompiledTemplate(Mustache parsed, bool inlined, TemplateText tmpl, Partials partials);

  std::unique_ptr<Mustache> acquire() const;
  void release(std::unique_ptr<Mustache> instance) const;
  std::string origin_of_error() const;

  const Mustache prototype_;  // never rendered; copied into the pool
  const bool inlined_;
  const TemplateText tmpl_;
  const Partials partials_;
  PartialData partial_data_;  // for kainjow's own partials when not inlined

  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<Mustache>> idle_;
};

class TemplateCache {
 public:
  Result<std::shared_ptr<const CompiledTemplate>> get(const TemplateText& tmpl,
                                                      const Partials& partials, Escaping escaping);

  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const CompiledTemplate>> entries_;
};

}  // namespace kutsu::notifier::detail
