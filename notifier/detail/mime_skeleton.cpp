#include "notifier/detail/mime_skeleton.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "notifier/detail/gobject_ptr.h"
#include "notifier/detail/mailbox_list.h"
#include "notifier/detail/safe_text.h"

namespace kutsu::notifier::detail {
namespace {

constexpr std::size_t kMaxShapes = 64;
constexpr std::size_t kIdLength = 32;

enum class Hole { to, id, text, html, calendar, opt_out };

// What differs between the messages of one shape, made safe the way
// build_mime makes it safe (the To mailbox is cleaned by add_mailbox).
struct Pieces {
  std::string id;  // the boundary seed; the Message-Id is id + a suffix of the shape
  Mailbox to;
  std::string text;
  std::string html;
  std::optional<std::string> calendar;
  std::optional<std::string> opt_out_url;  // as it stands between < and >
};

// The pieces as they appear in the message.
using Encoded = std::array<std::string, 6>;  // indexed by Hole

bool is_id(std::string_view text) {
  return text.size() == kIdLength && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The filters GMime's writer runs a part's content through — the transfer
// encoding (none for a header line) and the CRLF newline filter of the DOS
// format build_mime writes with — applied the way GMimeStreamFilter applies
// them (gmime-stream-filter.c: stream_write, then stream_flush). One chain
// per thread and encoding, reset before each use, so that a message creates
// no GObject.
class FilterChain {
 public:
  explicit FilterChain(GMimeContentEncoding encoding) {
    if (encoding != GMIME_CONTENT_ENCODING_DEFAULT) {
      filters_.emplace_back(g_mime_filter_basic_new(encoding, TRUE));
    }
    FormatOptionsPtr options{g_mime_format_options_new()};
    g_mime_format_options_set_newline_format(options.get(), GMIME_NEWLINE_FORMAT_DOS);
    filters_.emplace_back(g_mime_format_options_create_newline_filter(options.get(), FALSE));
  }

  std::string run(std::string_view text) {
    for (const GPtr<GMimeFilter>& filter : filters_) g_mime_filter_reset(filter.get());
    // GMime's filters take a mutable input pointer but do not write through
    // it when given no prespace, as GMimeStreamFilter does with its caller's data.
    char* buffer = const_cast<char*>(text.data());
    std::size_t length = text.size();
    std::size_t prespace = 0;
    for (const GPtr<GMimeFilter>& filter : filters_) {
      g_mime_filter_filter(filter.get(), buffer, length, prespace, &buffer, &length, &prespace);
    }
    std::string out{buffer, length};
    static char empty[] = "";
    buffer = empty;
    length = 0;
    prespace = 0;
    for (const GPtr<GMimeFilter>& filter : filters_) {
      g_mime_filter_complete(filter.get(), buffer, length, prespace, &buffer, &length, &prespace);
    }
    out.append(buffer, length);
    return out;
  }

 private:
  std::vector<GPtr<GMimeFilter>> filters_;
};

std::string through_gmime_filters(std::string_view text, GMimeContentEncoding encoding) {
  thread_local FilterChain plain{GMIME_CONTENT_ENCODING_DEFAULT};
  thread_local FilterChain quoted{GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE};
  thread_local FilterChain base64{GMIME_CONTENT_ENCODING_BASE64};
  switch (encoding) {
    case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
      return quoted.run(text);
    case GMIME_CONTENT_ENCODING_BASE64:
      return base64.run(text);
    default:
      return plain.run(text);
  }
}

// The To header line as GMimeMessage writes it when its To list changes
// (gmime-message.c: the name, ": ", internet_address_list_encode).
std::string to_line(const Mailbox& to) {
  GPtr<InternetAddressList> list{internet_address_list_new()};
  add_mailbox(list.get(), to);
  GString* line = g_string_new("To: ");
  internet_address_list_encode(list.get(), nullptr, line);
  std::string text{line->str, line->len};
  g_string_free(line, TRUE);
  return through_gmime_filters(text, GMIME_CONTENT_ENCODING_DEFAULT);
}

Encoded encode(const Pieces& pieces) {
  Encoded out;
  out[static_cast<int>(Hole::to)] = to_line(pieces.to);
  out[static_cast<int>(Hole::id)] = pieces.id;
  out[static_cast<int>(Hole::text)] =
      through_gmime_filters(pieces.text, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  out[static_cast<int>(Hole::html)] =
      through_gmime_filters(pieces.html, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  if (pieces.calendar) {
    out[static_cast<int>(Hole::calendar)] =
        through_gmime_filters(*pieces.calendar, GMIME_CONTENT_ENCODING_BASE64);
  }
  if (pieces.opt_out_url) out[static_cast<int>(Hole::opt_out)] = *pieces.opt_out_url;
  return out;
}

// The pieces of `content`, or nothing when it does not fit a skeleton.
std::optional<Pieces> pieces_of(const MailContent& content) {
  Pieces pieces;
  pieces.id = one_line(content.boundary_seed);
  if (!is_id(pieces.id) || !one_line(content.message_id).starts_with(pieces.id)) {
    return std::nullopt;
  }
  pieces.to = content.to;
  pieces.text = multi_line(content.text);
  pieces.html = multi_line(content.html);
  if (pieces.text.empty() || pieces.html.empty()) return std::nullopt;
  if (content.calendar) {
    if (content.calendar->text.empty()) return std::nullopt;
    pieces.calendar = content.calendar->text;
  }
  if (content.opt_out_url) {
    // A link header is one unfolded line only while it has no white space
    // and fits a line (RFC 5322: 998 characters).
    std::string url = one_line(*content.opt_out_url);
    if (url.empty() || url.size() > 900 ||
        url.find_first_of(" \t") != std::string::npos) {
      return std::nullopt;
    }
    pieces.opt_out_url = std::move(url);
  }
  return pieces;
}

void add_field(std::string& key, std::string_view field) {
  const std::uint64_t size = field.size();
  key.append(reinterpret_cast<const char*>(&size), sizeof size);
  key += field;
}

// Everything but the pieces, and how each body ends (a final newline may
// change what the writer puts after it).
std::string shape_key(const MailContent& content, const Pieces& pieces) {
  std::string key;
  add_field(key, content.from.name);
  add_field(key, content.from.email);
  add_field(key, content.reply_to.name);
  add_field(key, content.reply_to.email);
  add_field(key, content.subject);
  add_field(key, std::to_string(content.date.time_since_epoch().count()));
  add_field(key, content.language);
  add_field(key, one_line(content.message_id).substr(kIdLength));
  add_field(key, content.calendar ? to_string(content.calendar->method) : "-");
  add_field(key, content.calendar ? content.calendar->filename : "");
  key += pieces.opt_out_url ? 'u' : '-';
  key += pieces.text.ends_with('\n') ? 'n' : '-';
  key += pieces.html.ends_with('\n') ? 'n' : '-';
  key += pieces.calendar && pieces.calendar->ends_with('\n') ? 'n' : '-';
  return key;
}

// Sentinel pieces shaped like `real`: plain ASCII that no encoder changes
// beyond line ends, with the same final newlines.
Pieces sentinels(const Pieces& real, bool second) {
  auto ending = [](const std::string& like) { return like.ends_with('\n') ? "\n" : ""; };
  Pieces out;
  out.id = second ? "c3f8e1a7b2d94e60f15a8c3b7d2e9a41" : "5e471a3c9b0d2f86e1c4a7b3d9f02e68";
  out.to = second ? Mailbox{"Kutsu Toinen", "kutsu-toinen@sentinel.invalid"}
                  : Mailbox{"Kutsu Sentinel Ensimmainen", "kutsu.ensimmainen@sentinel.invalid"};
  out.text =
      std::string{second ? "KutsuTextSentinelB" : "KutsuTextSentinelAlpha"} + ending(real.text);
  out.html =
      std::string{second ? "KutsuHtmlSentinelB" : "KutsuHtmlSentinelAlpha"} + ending(real.html);
  if (real.calendar) {
    out.calendar = std::string{second ? "KutsuCalendarSentinelB" : "KutsuCalendarSentinelAlpha"} +
                   ending(*real.calendar);
  }
  // Of very different lengths, so that a fold that depends on the length
  // shows in the check.
  if (real.opt_out_url) {
    out.opt_out_url = second ? "https://kutsu-sentinel.invalid/u/" + std::string(600, 'B')
                             : std::string("https://kutsu-sentinel.invalid/u/KutsuOptOutAlpha");
  }
  return out;
}

MailContent with_pieces(const MailContent& shape, const Pieces& pieces) {
  MailContent out = shape;
  out.message_id = pieces.id + one_line(shape.message_id).substr(kIdLength);
  out.boundary_seed = pieces.id;
  out.to = pieces.to;
  out.text = pieces.text;
  out.html = pieces.html;
  if (out.calendar) out.calendar->text = *pieces.calendar;
  out.opt_out_url = pieces.opt_out_url;
  return out;
}

std::size_t count_of(std::string_view haystack, std::string_view needle) {
  std::size_t count = 0;
  for (std::size_t at = haystack.find(needle); at != std::string_view::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

}  // namespace

// Literal bytes, each followed by a hole (none after the last).
struct MimeSkeletons::Skeleton {
  struct Segment {
    std::string literal;
    std::optional<Hole> hole;
  };
  std::vector<Segment> segments;

  std::string fill(const Encoded& pieces) const {
    std::size_t size = 0;
    for (const Segment& segment : segments) {
      size += segment.literal.size();
      if (segment.hole) size += pieces[static_cast<int>(*segment.hole)].size();
    }
    std::string out;
    out.reserve(size);
    for (const Segment& segment : segments) {
      out += segment.literal;
      if (segment.hole) out += pieces[static_cast<int>(*segment.hole)];
    }
    return out;
  }
};

namespace {

// Cuts GMime's output for sentinel pieces at the pieces, and keeps the
// result only if it reproduces GMime's output for other pieces and for the
// real message. Null when it does not.
std::shared_ptr<const MimeSkeletons::Skeleton> make_skeleton(const MailContent& content,
                                                             const Pieces& real,
                                                             const std::string& real_bytes) {
  const Pieces first = sentinels(real, false);
  const Pieces second = sentinels(real, true);
  Result<std::string> first_bytes = build_mime(with_pieces(content, first));
  Result<std::string> second_bytes = build_mime(with_pieces(content, second));
  if (!first_bytes || !second_bytes) return nullptr;
  const Encoded first_encoded = encode(first);
  const std::string& bytes = *first_bytes;

  struct Found {
    std::size_t at;
    std::size_t size;
    Hole hole;
  };
  std::vector<Found> found;
  const std::pair<Hole, std::size_t> expected[] = {{Hole::to, 1},
                                                   {Hole::text, 1},
                                                   {Hole::html, 1},
                                                   {Hole::calendar, real.calendar ? 2 : 0},
                                                   {Hole::opt_out, real.opt_out_url ? 1 : 0},
                                                   {Hole::id, 0}};  // id: wherever it is
  for (const auto& [hole, times] : expected) {
    const std::string& needle = first_encoded[static_cast<int>(hole)];
    const bool present = hole == Hole::calendar  ? real.calendar.has_value()
                         : hole == Hole::opt_out ? real.opt_out_url.has_value()
                                                 : true;
    if (present) {
      if (needle.empty()) return nullptr;
      const std::size_t count = count_of(bytes, needle);
      if (hole == Hole::id ? count == 0 : count != times) return nullptr;
      for (std::size_t at = bytes.find(needle); at != std::string::npos;
           at = bytes.find(needle, at + needle.size())) {
        found.push_back({at, needle.size(), hole});
      }
    }
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.at < b.at; });
  auto skeleton = std::make_shared<MimeSkeletons::Skeleton>();
  std::size_t copied = 0;
  for (const Found& hole : found) {
    if (hole.at < copied) return nullptr;  // overlapping pieces: not a clean cut
    skeleton->segments.push_back({bytes.substr(copied, hole.at - copied), hole.hole});
    copied = hole.at + hole.size;
  }
  skeleton->segments.push_back({bytes.substr(copied), std::nullopt});

  if (skeleton->fill(encode(second)) != *second_bytes) return nullptr;
  if (skeleton->fill(encode(real)) != real_bytes) return nullptr;
  return skeleton;
}

}  // namespace

Result<std::string> MimeSkeletons::build(const MailContent& content) {
  std::optional<Pieces> pieces = pieces_of(content);
  if (!pieces) return build_mime(content);
  std::string key = shape_key(content, *pieces);

  std::shared_ptr<const Skeleton> skeleton;
  bool known = false;
  bool seen = false;
  {
    std::lock_guard lock(mutex_);
    if (auto it = skeletons_.find(key); it != skeletons_.end()) {
      known = true;
      skeleton = it->second;
    } else {
      seen = seen_once_.contains(key);
      if (!seen) {
        // A shape is worth a skeleton from its second message on: a subject
        // with the recipient's name in it makes every message a new shape.
        if (seen_once_.size() >= kMaxShapes) seen_once_.clear();
        seen_once_.insert(key);
      }
    }
  }
  if (known) {
    if (!skeleton) return build_mime(content);
    ++filled_;
    return skeleton->fill(encode(*pieces));
  }
  Result<std::string> bytes = build_mime(content);
  if (!bytes || !seen) return bytes;
  std::shared_ptr<const Skeleton> made = make_skeleton(content, *pieces, *bytes);
  std::lock_guard lock(mutex_);
  if (skeletons_.size() >= kMaxShapes) skeletons_.clear();
  skeletons_[key] = std::move(made);
  seen_once_.erase(key);
  return bytes;
}

long MimeSkeletons::filled() const { return filled_; }

}  // namespace kutsu::notifier::detail
