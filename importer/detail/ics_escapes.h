// The backslashes of an iCalendar text read the way RFC 5545 readers agree
// on, before libical sees them.
//
// libical turns a backslash followed by anything but n, N, t, r, b, f, ",
// ;, , or a backslash into a space that replaces the next byte: "\ä" became
// a space and half a UTF-8 character (a draft TOML cannot hold), "C:\temp"
// became "C: emp". Python's icalendar and ical.js keep such a backslash and
// the character after it, and read "\:" (which some producers write) as ":".
//
// Promises: in the values of text properties (SUMMARY, DESCRIPTION,
// LOCATION, COMMENT, CONTACT, NAME, CATEGORIES, RESOURCES, UID and every
// X- property), a backslash that escapes nothing RFC 5545 names is doubled,
// so libical keeps it as written, and "\:" loses its backslash; "\\", "\;",
// "\,", "\n" and "\N" are left to libical. A fold (line break and one space
// or tab) between a backslash and its character is seen through and kept.
// Names, parameters and other properties are copied unchanged.
// Expects: any bytes; never fails.
#pragma once

#include <string>
#include <string_view>

namespace kutsu::importer::detail {

std::string with_rfc_escapes(std::string_view text);

}  // namespace kutsu::importer::detail
