// Adding one Mailbox to a GMime address list, the one way the MIME code does
// it (build_mime's headers and the skeleton's To line must agree byte for
// byte). Not part of notifier's API.
#pragma once

#include <gmime/gmime.h>

#include <string>

#include "notifier/detail/gobject_ptr.h"
#include "notifier/detail/safe_text.h"
#include "notifier/mime_builder.h"

namespace kutsu::notifier::detail {

inline void add_mailbox(InternetAddressList* list, const Mailbox& mailbox) {
  const std::string name = one_line(mailbox.name);
  const std::string email = one_line(mailbox.email);
  GPtr<InternetAddress> address{internet_address_mailbox_new(name.c_str(), email.c_str())};
  // UTF-8 for encoded words, rather than the ISO-8859-1 GMime would pick
  // for names that fit it: one charset everywhere is simpler to check.
  internet_address_set_charset(address.get(), "utf-8");
  internet_address_list_add(list, address.get());
}

}  // namespace kutsu::notifier::detail
