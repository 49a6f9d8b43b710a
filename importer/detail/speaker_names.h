// Speakers named in an announcement, where the text says so reliably: a
// sentence that has a speaker word ("alustaa", "puhumassa", "alustajana",
// "inledare", "speaker") and a personal name in it — two or three
// capitalised words in a row, such as "Anne Huotari". A third word in a
// Finnish local case ("Kati Jetsu Tehystä": from Tehy) is not part of the
// name. Sentences without a speaker word name no one, however many
// capitalised words they hold.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kutsu::importer::detail {

// Names in the order they appear, each once.
std::vector<std::string> speaker_names(std::string_view text);

}  // namespace kutsu::importer::detail
