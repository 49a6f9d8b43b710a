#include "admin/opt_out_page.h"

#include "admin/detail/html_text.h"

namespace kutsu::admin {
namespace {

using detail::html_escaped;

// One language's sentences; {a} is the address and {s} the series, both
// already escaped when put in.
struct Words {
  const char* lang;
  const char* title;
  const char* asking;
  const char* stop_reminders;
  const char* stop_all;
  const char* stop_all_note;
  const char* stopped_reminders;
  const char* stopped_all;
  const char* invalid;
  const char* unavailable;
};

constexpr Words kFinnish{
    "fi",
    "Muistutusten peruminen",
    "Osoitteeseen {a} tulee muistutuksia sarjan {s} tilaisuuksista.",
    "Peru muistutukset",
    "Peru kaikki tämän sarjan viestit",
    "Silloin et saa myöskään kutsuja etkä tietoa muutoksista.",
    "Valmis. Osoitteeseen {a} ei enää tule muistutuksia sarjasta {s}. Kutsut ja tiedot "
    "muutoksista tulevat edelleen.",
    "Valmis. Osoitteeseen {a} ei enää tule viestejä sarjasta {s}.",
    "Linkki ei ole voimassa. Tarkista, että kopioit sen viestistä kokonaan.",
    "Peruminen ei onnistunut juuri nyt. Yritä hetken kuluttua uudelleen.",
};

constexpr Words kSwedish{
    "sv",
    "Avsluta påminnelser",
    "Adressen {a} får påminnelser om tillfällena i serien {s}.",
    "Avsluta påminnelserna",
    "Avsluta alla meddelanden från serien",
    "Då får du inte heller inbjudningar eller meddelanden om ändringar.",
    "Klart. Adressen {a} får inte längre påminnelser från serien {s}. Inbjudningar och "
    "meddelanden om ändringar kommer fortfarande.",
    "Klart. Adressen {a} får inte längre meddelanden från serien {s}.",
    "Länken gäller inte. Kontrollera att du kopierade hela länken från meddelandet.",
    "Det gick inte just nu. Försök igen om en stund.",
};

constexpr Words kEnglish{
    "en",
    "Stop reminders",
    "{a} receives reminders of the sessions of {s}.",
    "Stop reminders",
    "Stop every e-mail from this series",
    "Then invitations and notices of changes will not come either.",
    "Done. {a} will get no more reminders from {s}. Invitations and notices of changes still "
    "come.",
    "Done. {a} will get no more e-mails from {s}.",
    "This link is not valid. Check that you copied all of it from the message.",
    "That did not work just now. Please try again in a moment.",
};

const Words& words_for(agenda::Language language) {
  switch (language) {
    case agenda::Language::fi: return kFinnish;
    case agenda::Language::sv: return kSwedish;
    case agenda::Language::en: return kEnglish;
  }
  return kEnglish;
}

std::string filled(std::string_view sentence, const OptOutPage& page) {
  std::string out;
  for (std::size_t i = 0; i < sentence.size(); ++i) {
    if (sentence.substr(i, 3) == "{a}") {
      out += "<strong>" + html_escaped(page.recipient) + "</strong>";
      i += 2;
    } else if (sentence.substr(i, 3) == "{s}") {
      out += "<strong>" + html_escaped(page.series_title) + "</strong>";
      i += 2;
    } else {
      out += sentence[i];
    }
  }
  return out;
}

std::string button(std::string_view scope, std::string_view label) {
  return "<form method=\"post\"><input type=\"hidden\" name=\"scope\" value=\"" +
         std::string(scope) + "\"><button type=\"submit\">" + std::string(label) +
         "</button></form>";
}

}  // namespace

std::string opt_out_page(const OptOutPage& page) {
  const Words& words = words_for(page.language);
  std::string body;
  switch (page.state) {
    case OptOutPageState::asking:
      body = "<p>" + filled(words.asking, page) + "</p>" +
             button("reminders", words.stop_reminders) + button("all", words.stop_all) +
             "<p class=\"note\">" + words.stop_all_note + "</p>";
      break;
    case OptOutPageState::stopped_reminders:
      body = "<p role=\"status\">" + filled(words.stopped_reminders, page) + "</p>" +
             button("all", words.stop_all) + "<p class=\"note\">" + words.stop_all_note + "</p>";
      break;
    case OptOutPageState::stopped_all:
      body = "<p role=\"status\">" + filled(words.stopped_all, page) + "</p>";
      break;
    case OptOutPageState::invalid:
      body = "<p>" + std::string(words.invalid) + "</p>";
      break;
    case OptOutPageState::unavailable:
      body = "<p>" + std::string(words.unavailable) + "</p>";
      break;
  }
  return std::string("<!DOCTYPE html>\n<html lang=\"") + words.lang +
         "\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<meta name=\"robots\" content=\"noindex\"><title>" +
         words.title +
         "</title><style>"
         "body{margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;"
         "line-height:1.5;color:#1a1a1a;overflow-wrap:anywhere}"
         "main{max-width:36rem;margin:0 auto}"
         "button{font:inherit;padding:.6em 1em;margin:.25em 0;border:1px solid #1a4f8a;"
         "border-radius:4px;background:#1a4f8a;color:#fff;cursor:pointer;max-width:100%}"
         "form+form button{background:#fff;color:#1a4f8a}"
         ".note{font-size:14px;color:#555}"
         "</style></head><body><main><h1>" +
         words.title + "</h1>" + body + "</main></body></html>\n";
}

}  // namespace kutsu::admin
