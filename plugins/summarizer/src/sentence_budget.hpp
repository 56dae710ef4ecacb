// How long a summary the task's own words ask for: "Summarize in two
// sentences: ...", "a one-sentence summary of the following". A request
// that says so in prose means it as much as one that sets
// context.max_sentences.
#ifndef SUMMARIZER_SENTENCE_BUDGET_HPP
#define SUMMARIZER_SENTENCE_BUDGET_HPP

#include <optional>
#include <string_view>

namespace summarizer {

// The number of sentences `instruction` names ("two sentences", "3
// sentences", "one-sentence"), 1 to 20; nullopt when it names none. Only
// the instruction is read, never the text, where "two sentences" could be
// anything.
std::optional<int> sentences_named(std::string_view instruction);

}  // namespace summarizer

#endif  // SUMMARIZER_SENTENCE_BUDGET_HPP
