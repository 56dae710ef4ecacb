#include "textkit/instruction.hpp"

#include "textkit/words.hpp"

#include <cctype>

namespace textkit {
namespace {

// Words that make a lead-in an instruction rather than a label ("Note:",
// "Customer:" and "Update:" stay part of the text): a word starting with
// one of the stems, or one of the question words.
bool asks_for_something(std::string_view lead) {
    static const char* stems[] = {"summar", "analy", "extract", "classif", "sentiment", "entit", "identif",
                                  "detect", "condens", "shorten", "evaluat", "assess", "tldr"};
    static const char* exact[] = {"what", "how", "find", "list", "tone", "feel", "tl", "dr"};
    for (const Word& word : split_words(lead)) {
        const std::string& lower = word.lower;
        for (const char* stem : stems)
            if (lower.rfind(stem, 0) == 0) return true;
        for (const char* whole : exact)
            if (lower == whole) return true;
    }
    return false;
}

}  // namespace

std::string strip_instruction(std::string_view task) {
    const size_t colon = task.find(':');
    // Only the first line, before any sentence has ended, and short.
    if (colon == std::string_view::npos || colon > 160) return std::string(task);
    // "10:30", "https://": a colon inside a token is not a lead-in's end.
    if (colon + 1 < task.size() && !std::isspace(static_cast<unsigned char>(task[colon + 1]))) return std::string(task);
    const std::string_view lead = task.substr(0, colon);
    if (lead.find_first_of(".!?\n") != std::string_view::npos) return std::string(task);
    const size_t words = split_words(lead).size();
    if (words == 0 || words > 14 || !asks_for_something(lead)) return std::string(task);
    std::string_view rest = task.substr(colon + 1);
    while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.front()))) rest.remove_prefix(1);
    // Nothing after the colon: the task is all instruction; keep it as it is
    // so the agent's own "nothing to summarize" check speaks.
    if (split_words(rest).empty()) return std::string(task);
    return std::string(rest);
}

}  // namespace textkit
