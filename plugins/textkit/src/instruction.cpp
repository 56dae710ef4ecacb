#include "textkit/instruction.hpp"

#include "textkit/words.hpp"

#include <cctype>
#include <optional>
#include <vector>

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

// A whole first sentence that is the request ("Summarize the following
// article in two sentences."): it starts with a verb that asks (after
// "please", "can you" and the like), or it is a question ("Is this review
// positive or negative?"), and it points at the text ("the following",
// "this review", "below"). Both, so a text that opens with an imperative
// or a question of its own ("Find the fault before you restart.", "Is this
// product worth it?") keeps it.
bool is_request_sentence(std::string_view sentence, bool question) {
    static const char* verbs[] = {"summarize", "summarise", "analyze",  "analyse", "extract", "identify",
                                  "classify",  "find",      "list",     "give",    "tell",    "condense",
                                  "shorten",   "evaluate",  "assess",   "detect",  "determine", "rate",
                                  "provide",   "write",     "create",   "pull",    "get",     "tldr"};
    // "the following", "below", a word for a text ("this review", "the
    // email"), or "this" ending the sentence ("Summarize this."); not
    // "this quarter".
    static const char* places[] = {"following", "below", "above"};
    static const char* texts[] = {"text",    "article", "passage", "paragraph", "review",   "reviews",   "email",
                                  "document", "story",  "report",  "message",   "post",     "content",   "excerpt",
                                  "comment", "comments", "feedback", "transcript", "tweet", "letter",    "notes"};
    static const char* openers[] = {"please", "kindly", "can", "could", "would", "you", "i", "we", "want", "need",
                                    "like", "to", "help", "me", "us"};
    const std::vector<Word> words = split_words(sentence);
    if (words.empty() || words.size() > 25) return false;
    size_t first = 0;
    auto in = [](const std::string& word, const auto& list) {
        for (const char* entry : list)
            if (word == entry) return true;
        return false;
    };
    static const char* question_words[] = {"is", "are", "was", "were", "does", "do", "did", "what", "how", "which",
                                           "would", "could", "can"};
    while (first < words.size() && first < 6 && in(words[first].lower, openers)) ++first;
    const bool asks = first < words.size() && in(words[first].lower, verbs);
    const bool wonders = question && in(words.front().lower, question_words);
    if (!asks && !wonders) return false;
    for (size_t i = first + 1; i < words.size(); ++i) {
        const std::string& word = words[i].lower;
        if (in(word, places) || in(word, texts)) return true;
        // Only after a verb that asks: "Is this product worth it?" is the text's own question.
        if (asks && (word == "this" || word == "these" || word == "it") && i + 1 == words.size()) return true;
    }
    return false;
}

// The rest of the task after a first sentence that is the request, or
// nullopt. The sentence ends at ". ", "? ", "! " or a line break.
std::optional<std::string_view> after_request_sentence(std::string_view task) {
    size_t end = std::string_view::npos;
    for (size_t i = 0; i < task.size() && i < 240; ++i) {
        const char c = task[i];
        if (c == '\n') {
            end = i;
            break;
        }
        if ((c == '.' || c == '?' || c == '!') &&
            (i + 1 == task.size() || std::isspace(static_cast<unsigned char>(task[i + 1])))) {
            end = i;
            break;
        }
    }
    if (end == std::string_view::npos || !is_request_sentence(task.substr(0, end), task[end] == '?'))
        return std::nullopt;
    std::string_view rest = task.substr(end + 1);
    while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.front()))) rest.remove_prefix(1);
    if (split_words(rest).empty()) return std::nullopt;
    return rest;
}

}  // namespace

std::string strip_instruction(std::string_view task) {
    if (std::optional<std::string_view> rest = after_request_sentence(task)) return std::string(*rest);
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
