// Reading the JSON object a language model was asked to answer with. Models
// often wrap it in a ```json fence or put a sentence before it, even in JSON
// mode, so the object is looked for rather than demanded. Plain C++ (only
// RapidJSON inside), shared by the text agents and by the host's routing
// supervisor and reflection, so every LLM answer is read the same way.
#ifndef TEXTKIT_JSON_ANSWER_HPP
#define TEXTKIT_JSON_ANSWER_HPP

#include <optional>
#include <string>
#include <string_view>

namespace textkit {

// Where the answer's JSON object is, in order of preference: the whole
// answer; the first code fence (```json or ```) holding one; the first
// {...} in the prose that parses. nullopt when there is none, and for an
// object nested deeper than 64 levels (so later recursive parsing is safe).
// The view points into `answer`.
std::optional<std::string_view> find_json_object(std::string_view answer);

// The answer as prose: code fence markers dropped, whitespace trimmed.
std::string prose_of(std::string_view answer);

// The follow-up sent once when an answer was unusable: says what was wrong
// and restates what is wanted, so the model can answer again.
std::string corrective_message(std::string_view problem, std::string_view wanted_shape);

}  // namespace textkit

#endif  // TEXTKIT_JSON_ANSWER_HPP
