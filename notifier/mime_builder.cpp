#include "notifier/mime_builder.h"

#include <gmime/gmime.h>

#include <memory>
#include <mutex>

#include "notifier/detail/gobject_ptr.h"
#include "notifier/detail/mailbox_list.h"
#include "notifier/detail/safe_text.h"

namespace kutsu::notifier {
namespace {

void init_gmime_once() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

using detail::add_mailbox;
using detail::FormatOptionsPtr;
using detail::GPtr;

void set_content(GMimePart* part, std::string_view bytes, GMimeContentEncoding encoding) {
  GPtr<GMimeStream> stream{g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size())};
  GPtr<GMimeDataWrapper> wrapper{
      g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT)};
  g_mime_part_set_content(part, wrapper.get());
  g_mime_part_set_content_encoding(part, encoding);
}

// A text part whose charset parameter states what the bytes are. (GMime's
// g_mime_text_part_set_text would transcode to the "best" charset, e.g.
// ISO-8859-1, which is not what the brief or the tests promise.)
GPtr<GMimeObject> text_part(const char* subtype, std::string_view utf8,
                            GMimeContentEncoding encoding) {
  GMimeTextPart* part = g_mime_text_part_new_with_subtype(subtype);
  set_content(GMIME_PART(part), utf8, encoding);
  g_mime_text_part_set_charset(part, "utf-8");
  return GPtr<GMimeObject>{GMIME_OBJECT(part)};
}

GPtr<GMimeObject> calendar_inline(const CalendarPart& calendar) {
  GPtr<GMimeObject> part = text_part("calendar", calendar.text, GMIME_CONTENT_ENCODING_BASE64);
  const std::string method{to_string(calendar.method)};
  g_mime_object_set_content_type_parameter(part.get(), "method", method.c_str());
  return part;
}

GPtr<GMimeObject> calendar_attachment(const CalendarPart& calendar) {
  GMimePart* part = g_mime_part_new_with_type("application", "ics");
  set_content(part, calendar.text, GMIME_CONTENT_ENCODING_BASE64);
  const std::string filename = detail::one_line(calendar.filename);
  g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "name", filename.c_str());
  g_mime_object_set_disposition(GMIME_OBJECT(part), "attachment");
  g_mime_part_set_filename(part, filename.c_str());
  return GPtr<GMimeObject>{GMIME_OBJECT(part)};
}

GPtr<GMimeMultipart> multipart(const char* subtype, const std::string& boundary) {
  GPtr<GMimeMultipart> part{g_mime_multipart_new_with_subtype(subtype)};
  g_mime_multipart_set_boundary(part.get(), boundary.c_str());
  return part;
}

}  // namespace

Result<std::string> build_mime(const MailContent& content) {
  init_gmime_once();
  GPtr<GMimeMessage> message{g_mime_message_new(TRUE)};
  add_mailbox(g_mime_message_get_from(message.get()), content.from);
  add_mailbox(g_mime_message_get_reply_to(message.get()), content.reply_to);
  add_mailbox(g_mime_message_get_to(message.get()), content.to);
  const std::string subject = detail::one_line(content.subject);
  g_mime_message_set_subject(message.get(), subject.c_str(), "utf-8");

  GDateTime* date = g_date_time_new_from_unix_utc(content.date.time_since_epoch().count());
  if (date == nullptr) return Error{"the message date is out of range"};
  g_mime_message_set_date(message.get(), date);
  g_date_time_unref(date);

  const std::string message_id = detail::one_line(content.message_id);
  g_mime_message_set_message_id(message.get(), message_id.c_str());
  g_mime_object_set_header(GMIME_OBJECT(message.get()), "Auto-Submitted", "auto-generated",
                           nullptr);
  if (content.opt_out_url) {
    // Written raw: GMime would fold a long URL into RFC 2047 encoded words,
    // which mail providers do not read as a link. A URL has no white space,
    // and one line holds it (pieces_of in mime_skeleton.cpp bounds it).
    GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message.get()));
    const std::string link = "<" + detail::one_line(*content.opt_out_url) + ">";
    g_mime_header_list_set(headers, "List-Unsubscribe", link.c_str(), nullptr);
    g_mime_header_set_raw_value(g_mime_header_list_get_header(headers, "List-Unsubscribe"),
                                (" " + link + "\n").c_str());
    g_mime_header_list_set(headers, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click", nullptr);
  }
  const std::string language = detail::one_line(content.language);
  if (!language.empty()) {
    g_mime_object_set_header(GMIME_OBJECT(message.get()), "Content-Language", language.c_str(),
                             nullptr);
  }

  const std::string seed = detail::one_line(content.boundary_seed);
  GPtr<GMimeMultipart> alternative = multipart("alternative", "=_alt_" + seed);
  const std::string text = detail::multi_line(content.text);
  const std::string html = detail::multi_line(content.html);
  g_mime_multipart_add(alternative.get(),
                       text_part("plain", text, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE).get());
  g_mime_multipart_add(alternative.get(),
                       text_part("html", html, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE).get());
  if (content.calendar) {
    g_mime_multipart_add(alternative.get(), calendar_inline(*content.calendar).get());
    GPtr<GMimeMultipart> mixed = multipart("mixed", "=_mixed_" + seed);
    g_mime_multipart_add(mixed.get(), GMIME_OBJECT(alternative.get()));
    g_mime_multipart_add(mixed.get(), calendar_attachment(*content.calendar).get());
    g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(mixed.get()));
  } else {
    g_mime_message_set_mime_part(message.get(), GMIME_OBJECT(alternative.get()));
  }

  FormatOptionsPtr options{g_mime_format_options_new()};
  g_mime_format_options_set_newline_format(options.get(), GMIME_NEWLINE_FORMAT_DOS);
  GPtr<GMimeStream> out{g_mime_stream_mem_new()};
  if (g_mime_object_write_to_stream(GMIME_OBJECT(message.get()), options.get(), out.get()) < 0) {
    return Error{"GMime could not write the message"};
  }
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  return std::string{reinterpret_cast<const char*>(bytes->data), bytes->len};
}

Result<Mailbox> parse_mailbox(std::string_view text) {
  init_gmime_once();
  const std::string line = detail::one_line(text);
  GPtr<InternetAddressList> list{internet_address_list_parse(nullptr, line.c_str())};
  if (!list || internet_address_list_length(list.get()) != 1) {
    return Error{"'" + line + "' is not one e-mail address"};
  }
  InternetAddress* address = internet_address_list_get_address(list.get(), 0);
  if (!INTERNET_ADDRESS_IS_MAILBOX(address)) {
    return Error{"'" + line + "' is a group, not one e-mail address"};
  }
  const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
  if (addr == nullptr || std::string_view{addr}.find('@') == std::string_view::npos) {
    return Error{"'" + line + "' has no e-mail address"};
  }
  const char* name = internet_address_get_name(address);
  return Mailbox{name ? name : "", addr};
}

}  // namespace kutsu::notifier
