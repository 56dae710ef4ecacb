// The summarizer's LLM path. The model picks the sentences (it is shown the
// text as a numbered list and answers {"sentences": [indices]}), so the
// result keeps the manifest's shape exactly: real sentences of the text with
// their offsets, in text order, method "llm". Picks outside the list,
// repeats or more than max_sentences are refused, never guessed at.
#ifndef SUMMARIZER_LLM_SUMMARY_HPP
#define SUMMARIZER_LLM_SUMMARY_HPP

#include "summarizer.hpp"

#include <textkit/sentences.hpp>

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace summarizer {

// The system prompt and the user message for `sentences`.
std::string llm_system_prompt(std::size_t max_sentences);
std::string llm_user_message(const std::vector<textkit::Sentence>& sentences);

// Throws std::runtime_error saying what is wrong with the answer. Chosen
// sentences score 1 (the model ranks, it does not score).
Summary summary_from_llm_answer(const rapidjson::Value& answer, const std::vector<textkit::Sentence>& sentences,
                                std::size_t max_sentences);

}  // namespace summarizer

#endif  // SUMMARIZER_LLM_SUMMARY_HPP
