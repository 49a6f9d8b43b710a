// Making agenda text safe to put into headers and calendar values.
//
// Organisers' files and CSVs may hold anything: a CR/LF in a title must not
// start a new header line, a NUL must not cut a C string short, and bytes
// that are not UTF-8 must not reach an encoder that assumes UTF-8. These
// functions do that once, before any encoder (GMime, libical) sees the text,
// so that safety does not depend on each library's handling of bad input.
#pragma once

#include <string>
#include <string_view>

namespace kutsu::notifier::detail {

// For one-line fields (Subject, display names, SUMMARY, CN): every run of
// control characters (CR, LF, TAB, NUL, other C0, DEL) becomes one space,
// invalid UTF-8 becomes U+FFFD, and the ends are trimmed.
std::string one_line(std::string_view text);

// For multi-line text (bodies, DESCRIPTION): CRLF and lone CR become LF,
// TAB stays, other control characters become a space, invalid UTF-8
// becomes U+FFFD.
std::string multi_line(std::string_view text);

}  // namespace kutsu::notifier::detail
