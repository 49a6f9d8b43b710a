// Whether an agenda item's title already says what kind of item it is, so a
// plain-text timetable can leave out its "[tauko]" tag: "Tauko [tauko]" and
// "Lounastauko [ruokailu]" say the kind twice, while "Kyselytunti
// [keskustelu]" says something the title does not.
//
// The words are those of the reader's language (the tag is in that
// language too): a Swedish reader of "Tauko" still gets "[paus]". Matching
// is case-insensitive and finds a word inside a compound ("Kahvitauko",
// "Lunchpaus"), which Finnish and Swedish titles mostly are. A talk never
// has a tag, and `other` names nothing, so neither ever matches.
#pragma once

#include <string_view>

#include "agenda/language.h"
#include "agenda/series.h"

namespace kutsu::notifier::detail {

bool title_names_kind(std::string_view title, agenda::AgendaItemKind kind,
                      agenda::Language language);

}  // namespace kutsu::notifier::detail
