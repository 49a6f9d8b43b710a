// Assembling an RFC 5322 / MIME message with GMime 3.
//
// Structure (the one Google Calendar and Thunderbird send for invitations,
// which Outlook and Gmail both recognise):
//
//   without a calendar            with a calendar
//   multipart/alternative         multipart/mixed
//     text/plain; charset=utf-8     multipart/alternative
//     text/html; charset=utf-8        text/plain; charset=utf-8
//                                     text/html; charset=utf-8
//                                     text/calendar; charset=utf-8; method=M
//                                   application/ics; name=invite.ics (attachment)
//
// The inline text/calendar is what iMIP-aware clients (Outlook, Gmail,
// Thunderbird) turn into Accept/Add buttons; the attachment is for the
// clients and webmails that only offer attachments for import, and for
// people who want to save the file. Both carry the same bytes.
//
// Headers: From, To, Reply-To, Subject, Date, Message-ID, MIME-Version,
// Auto-Submitted: auto-generated (RFC 3834: no vacation auto-replies back
// into the organiser's inbox) and Content-Language. Display names and the
// subject are RFC 2047 encoded in UTF-8 by GMime; before that every field
// passes through detail::one_line, so no CR, LF or NUL from an agenda can
// end a header or start a new one. Bodies are quoted-printable (text) or
// base64 (calendar), so the message is 7-bit clean, and every line of the
// result ends in CRLF. Boundaries derive from `boundary_seed` so that the
// same content always gives the same bytes; they start with "=_", which
// neither encoding can produce, so no body can contain one.
//
// Thread-safe after the first call (g_mime_init runs once).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

#include "base/result.h"
#include "notifier/ical_builder.h"

namespace kutsu::notifier {

struct Mailbox {
  std::string name;  // display name, may be empty
  std::string email;
};

struct CalendarPart {
  CalendarMethod method = CalendarMethod::request;
  std::string text;      // the VCALENDAR, CRLF line ends
  std::string filename;  // of the attachment copy
};

struct MailContent {
  std::string message_id;  // without angle brackets
  std::string boundary_seed;
  Mailbox from;
  Mailbox to;
  Mailbox reply_to;
  std::string subject;
  date::sys_seconds date;
  std::string language;  // Content-Language: "fi"
  std::string text;      // plain-text body, LF line ends
  std::string html;      // HTML body
  std::optional<CalendarPart> calendar;
  // The recipient's opt-out link: List-Unsubscribe and, for one-click
  // unsubscription (RFC 8058), List-Unsubscribe-Post. Absent: neither.
  std::optional<std::string> opt_out_url;
};

// The whole message, ready for SMTP DATA or a maildir file.
Result<std::string> build_mime(const MailContent& content);

// Parses one mailbox as a user writes it ("Webinaarit <w@example.org>" or
// "w@example.org"), with GMime's RFC 5322 parser. Fails unless the text is
// exactly one mailbox with an address.
Result<Mailbox> parse_mailbox(std::string_view text);

}  // namespace kutsu::notifier
