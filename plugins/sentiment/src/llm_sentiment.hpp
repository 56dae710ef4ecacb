// The sentiment agent's LLM path: the prompt, and strict parsing of the
// model's JSON answer into a result that satisfies the manifest's
// output_schema (method "llm"; drivers and sentences stay empty because a
// model's word list is not a scored lexicon match).
#ifndef SENTIMENT_LLM_SENTIMENT_HPP
#define SENTIMENT_LLM_SENTIMENT_HPP

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace sentiment {

// The JSON object the model is asked for, and the prompt that asks for it.
extern const char* const kLlmAnswerShape;
extern const std::string kLlmSystemPrompt;

// Throws std::runtime_error naming the field the answer gets wrong.
rapidjson::Document result_from_llm_answer(const rapidjson::Value& answer, std::string_view model,
                                           double neutral_threshold);

}  // namespace sentiment

#endif  // SENTIMENT_LLM_SENTIMENT_HPP
