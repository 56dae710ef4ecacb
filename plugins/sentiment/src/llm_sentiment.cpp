#include "llm_sentiment.hpp"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <stdexcept>
#include <vector>

namespace sentiment {

const char* const kLlmAnswerShape =
    "{\"label\": \"positive\" | \"negative\" | \"neutral\", \"score\": number from -1 (most negative) to 1 (most "
    "positive), \"confidence\": number from 0 to 1, \"positive_words\": [words from the text that express positive "
    "sentiment], \"negative_words\": [words from the text that express negative sentiment]}";

const std::string kLlmSystemPrompt =
    std::string("You are a sentiment classifier. Read the user's text and answer with one JSON object and nothing else:\n") +
    kLlmAnswerShape +
    ".\nUse neutral when the text expresses no clear sentiment. Words must be copied from the text, lower-cased.";

namespace {

double number_in(const rapidjson::Value& answer, const char* name, double low, double high) {
    auto found = answer.FindMember(name);
    if (found == answer.MemberEnd() || !found->value.IsNumber())
        throw std::runtime_error(std::string("the model's answer has no numeric \"") + name + "\"");
    double value = found->value.GetDouble();
    if (!(value >= low && value <= high))
        throw std::runtime_error(std::string("the model's \"") + name + "\" is outside [" + std::to_string(low) + ", " +
                                 std::to_string(high) + "]");
    return value;
}

rapidjson::Value words(const rapidjson::Value& answer, const char* name, rapidjson::Document& owner) {
    rapidjson::Value list(rapidjson::kArrayType);
    auto found = answer.FindMember(name);
    if (found == answer.MemberEnd() || found->value.IsNull()) return list;
    if (!found->value.IsArray()) throw std::runtime_error(std::string("the model's \"") + name + "\" is not a list");
    std::vector<std::string> seen;
    for (const auto& item : found->value.GetArray()) {
        if (!item.IsString()) throw std::runtime_error(std::string("the model's \"") + name + "\" has a non-string");
        std::string word(item.GetString(), item.GetStringLength());
        std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
        if (word.empty() || std::find(seen.begin(), seen.end(), word) != seen.end()) continue;
        seen.push_back(word);
        list.PushBack(rapidjson::Value(word.c_str(), static_cast<rapidjson::SizeType>(word.size()), owner.GetAllocator()),
                      owner.GetAllocator());
    }
    return list;
}

}  // namespace

rapidjson::Document result_from_llm_answer(const rapidjson::Value& answer, std::string_view model,
                                           double neutral_threshold) {
    if (!answer.IsObject()) throw std::runtime_error("the model's answer is not a JSON object");
    auto label = answer.FindMember("label");
    if (label == answer.MemberEnd() || !label->value.IsString())
        throw std::runtime_error("the model's answer has no \"label\"");
    std::string label_text = label->value.GetString();
    if (label_text != "positive" && label_text != "negative" && label_text != "neutral")
        throw std::runtime_error("the model's \"label\" is '" + label_text + "', not positive, negative or neutral");
    double score = number_in(answer, "score", -1.0, 1.0);
    double confidence = number_in(answer, "confidence", 0.0, 1.0);
    // A label that contradicts the score's sign would make the result lie
    // one way or the other.
    bool consistent = label_text == "neutral" ? std::abs(score) <= std::max(neutral_threshold, 0.5)
                      : label_text == "positive" ? score > 0
                                                 : score < 0;
    if (!consistent) throw std::runtime_error("the model's label '" + label_text + "' contradicts its score");

    rapidjson::Document result(rapidjson::kObjectType);
    auto& allocator = result.GetAllocator();
    result.AddMember("label", rapidjson::Value(label_text.c_str(), allocator), allocator);
    result.AddMember("score", score, allocator);
    result.AddMember("confidence", confidence, allocator);
    result.AddMember("drivers", rapidjson::Value(rapidjson::kArrayType), allocator);
    rapidjson::Value positive = words(answer, "positive_words", result);
    rapidjson::Value negative = words(answer, "negative_words", result);
    result.AddMember("positive_words", positive, allocator);
    result.AddMember("negative_words", negative, allocator);
    result.AddMember("sentences", rapidjson::Value(rapidjson::kArrayType), allocator);
    result.AddMember("method", "llm", allocator);
    result.AddMember("model", rapidjson::Value(model.data(), static_cast<rapidjson::SizeType>(model.size()), allocator),
                     allocator);
    return result;
}

}  // namespace sentiment
