#include "llm_summary.hpp"

#include <algorithm>
#include <stdexcept>

namespace summarizer {
namespace {

std::size_t count_code_points(const std::string& text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// As the TextRank path writes a summary: single spaces, line breaks folded.
void append_folded(std::string& out, const std::string& sentence) {
    if (!out.empty()) out += ' ';
    bool in_space = false;
    for (char c : sentence) {
        const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
        if (space && !in_space) out += ' ';
        if (!space) out += c;
        in_space = space;
    }
}

}  // namespace

std::string llm_system_prompt(std::size_t max_sentences) {
    return "You summarize texts extractively. The user gives a text as numbered sentences. Choose the at most " +
           std::to_string(max_sentences) +
           " sentences that together best summarize it (the central facts, not asides). Answer with one JSON object "
           "and nothing else: {\"sentences\": [the chosen sentence numbers]}.";
}

std::string llm_user_message(const std::vector<textkit::Sentence>& sentences) {
    std::string message;
    for (std::size_t i = 0; i < sentences.size(); ++i) {
        std::string folded;
        append_folded(folded, sentences[i].text);
        message += "[" + std::to_string(i) + "] " + folded + "\n";
    }
    return message;
}

Summary summary_from_llm_answer(const rapidjson::Value& answer, const std::vector<textkit::Sentence>& sentences,
                                std::size_t max_sentences) {
    if (!answer.IsObject()) throw std::runtime_error("the model's answer is not a JSON object");
    auto found = answer.FindMember("sentences");
    if (found == answer.MemberEnd() || !found->value.IsArray())
        throw std::runtime_error("the model's answer has no \"sentences\" list");
    std::vector<std::size_t> chosen;
    for (const auto& item : found->value.GetArray()) {
        if (!item.IsUint64() || item.GetUint64() >= sentences.size())
            throw std::runtime_error("the model chose a sentence number that is not in the text");
        std::size_t index = static_cast<std::size_t>(item.GetUint64());
        if (std::find(chosen.begin(), chosen.end(), index) != chosen.end())
            throw std::runtime_error("the model chose sentence " + std::to_string(index) + " twice");
        chosen.push_back(index);
    }
    if (chosen.empty()) throw std::runtime_error("the model chose no sentence");
    if (chosen.size() > max_sentences)
        throw std::runtime_error("the model chose " + std::to_string(chosen.size()) + " sentences, more than " +
                                 std::to_string(max_sentences));
    std::sort(chosen.begin(), chosen.end());

    Summary summary;
    summary.original_sentence_count = sentences.size();
    for (std::size_t index : chosen) {
        const auto& sentence = sentences[index];
        summary.sentences.push_back(RankedSentence{index, sentence.text, 1.0, sentence.start, sentence.end});
        append_folded(summary.text, sentence.text);
    }
    std::string whole;
    for (const auto& sentence : sentences) append_folded(whole, sentence.text);
    std::size_t whole_length = count_code_points(whole);
    summary.compression_ratio =
        whole_length == 0 ? 0.0 : static_cast<double>(count_code_points(summary.text)) / whole_length;
    return summary;
}

}  // namespace summarizer
