// The page behind an e-mail's opt-out link (GET/POST /u/{value}): in the
// participant's language, it says which address and series the link is
// for, and offers two buttons — stop the reminders (what the one-click
// POST of RFC 8058 does), or every e-mail from the series — and afterwards
// says what was done. Built on the server without script, like the public
// calendar; every text from a series file or the link is HTML-escaped.
// Its forms post to the page's own address, so it works behind a reverse
// proxy under any path.
#pragma once

#include <string>

#include "agenda/language.h"

namespace kutsu::admin {

enum class OptOutPageState {
  asking,             // GET with a valid link
  stopped_reminders,  // POSTed: no more reminders
  stopped_all,        // POSTed: no more e-mails from the series
  invalid,            // the link was altered, cut short or made elsewhere
  unavailable,        // the outbox could not record it, or too many requests: try again
};

struct OptOutPage {
  agenda::Language language = agenda::Language::en;
  OptOutPageState state = OptOutPageState::invalid;
  std::string series_title;  // or the series id when the series is not loaded
  std::string recipient;
};

std::string opt_out_page(const OptOutPage& page);

}  // namespace kutsu::admin
