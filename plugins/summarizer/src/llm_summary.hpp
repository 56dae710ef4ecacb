// The summarizer's LLM path. The model picks the sentences (it is shown the
// text as a numbered list and answers {"sentences": [indices]}), so the
// result keeps the manifest's shape exactly: real sentences of the text with
// their offsets, in text order, method "llm". Picks outside the list,
// repeats or more than max_sentences are refused, never guessed at. A model
// that answers in prose still gets read (method "llm_prose" when the summary
// is in its own words).
#ifndef SUMMARIZER_LLM_SUMMARY_HPP
#define SUMMARIZER_LLM_SUMMARY_HPP

#include "summarizer.hpp"

#include <textkit/sentences.hpp>

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <vector>

namespace summarizer {

// The JSON object the model is asked for.
extern const char* const kLlmAnswerShape;

// The system prompt and the user message for `sentences`.
std::string llm_system_prompt(std::size_t max_sentences);
std::string llm_user_message(const std::vector<textkit::Sentence>& sentences);

// Throws std::runtime_error saying what is wrong with the answer. Chosen
// sentences score 1 (the model ranks, it does not score).
Summary summary_from_llm_answer(const rapidjson::Value& answer, const std::vector<textkit::Sentence>& sentences,
                                std::size_t max_sentences);

struct ProseSummary {
    Summary summary;
    bool own_words = false;  // the model's words, not sentences of the text
};

// Reads an answer that holds no JSON: the sentence numbers it cites ("[3]",
// "sentences 0 and 3") make an extractive summary as above; otherwise the
// prose is the model's own summary, and its sentences are those of the text
// it draws on (scored by the share of their content words it uses).
// std::nullopt when the prose shares next to nothing with the text.
std::optional<ProseSummary> summary_from_llm_prose(const std::string& prose,
                                                   const std::vector<textkit::Sentence>& sentences,
                                                   std::size_t max_sentences);

}  // namespace summarizer

#endif  // SUMMARIZER_LLM_SUMMARY_HPP
