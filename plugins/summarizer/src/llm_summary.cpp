#include "llm_summary.hpp"

#include <textkit/stem.hpp>
#include <textkit/stopwords.hpp>
#include <textkit/words.hpp>

#include <algorithm>
#include <regex>
#include <set>
#include <stdexcept>

namespace summarizer {
namespace {

// Below this share of its content words in the prose, a sentence is not
// one the model's own summary draws on.
constexpr double kMinProseCoverage = 0.3;

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

double ratio_to_whole(const std::string& summary, const std::vector<textkit::Sentence>& sentences) {
    std::string whole;
    for (const auto& sentence : sentences) append_folded(whole, sentence.text);
    std::size_t whole_length = count_code_points(whole);
    return whole_length == 0 ? 0.0 : static_cast<double>(count_code_points(summary)) / whole_length;
}

}  // namespace

std::string llm_system_prompt(std::size_t max_sentences) {
    return "You summarize texts extractively. The user gives a text as numbered sentences. Choose the at most " +
           std::to_string(max_sentences) +
           " sentences that together best summarize it (the central facts, not asides). Answer with one JSON object "
           "and nothing else: " + std::string(kLlmAnswerShape) + ".";
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

namespace {

Summary extractive_summary(std::vector<std::size_t> chosen, const std::vector<textkit::Sentence>& sentences) {
    std::sort(chosen.begin(), chosen.end());
    Summary summary;
    summary.original_sentence_count = sentences.size();
    for (std::size_t index : chosen) {
        const auto& sentence = sentences[index];
        summary.sentences.push_back(RankedSentence{index, sentence.text, 1.0, sentence.start, sentence.end});
        append_folded(summary.text, sentence.text);
    }
    summary.compression_ratio = ratio_to_whole(summary.text, sentences);
    return summary;
}

// Sentence numbers the prose cites the way the text was shown ("[3]") or by
// name ("sentences 0 and 3", "the best sentences are 0 and 3", "sentence
// numbers: 1, 4"), in order, each once, only those in the text.
std::vector<std::size_t> cited_sentences(const std::string& prose, std::size_t sentence_count) {
    static const std::regex bracketed(R"(\[(\d{1,6})\])");
    static const std::regex named(
        R"(\bsentences?(?:\s+(?:are|is|were|numbers?|nos?\.?|numbered))*\s*:?\s*#?(\d{1,6}(?:\s*(?:,|and|&)\s*#?\d{1,6})*))",
        std::regex::icase);
    static const std::regex number(R"(\d{1,6})");
    std::vector<std::size_t> cited;
    auto add_numbers = [&](const std::string& list) {
        for (auto it = std::sregex_iterator(list.begin(), list.end(), number); it != std::sregex_iterator(); ++it) {
            std::size_t index = std::stoul(it->str());
            if (index < sentence_count && std::find(cited.begin(), cited.end(), index) == cited.end())
                cited.push_back(index);
        }
    };
    for (const std::regex* pattern : {&bracketed, &named})
        for (auto it = std::sregex_iterator(prose.begin(), prose.end(), *pattern); it != std::sregex_iterator(); ++it)
            add_numbers((*it)[1].str());
    return cited;
}

std::set<std::string> content_terms(std::string_view text) {
    std::set<std::string> terms;
    for (const textkit::Word& word : textkit::split_words(text))
        if (word.lower.size() >= 2 && !textkit::is_stopword(word.lower)) terms.insert(textkit::light_stem(word.lower));
    return terms;
}

// A lead-in such as "Here is a summary:" on a line of its own is not part
// of the summary.
std::string without_lead_in(const std::string& prose) {
    std::size_t line_end = prose.find('\n');
    if (line_end == std::string::npos) return prose;
    std::string first = prose.substr(0, line_end);
    while (!first.empty() && (first.back() == ' ' || first.back() == '\r')) first.pop_back();
    return !first.empty() && first.back() == ':' ? prose.substr(line_end + 1) : prose;
}

}  // namespace

const char* const kLlmAnswerShape = "{\"sentences\": [the chosen sentence numbers]}";

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
    return extractive_summary(std::move(chosen), sentences);
}

std::optional<ProseSummary> summary_from_llm_prose(const std::string& prose,
                                                   const std::vector<textkit::Sentence>& sentences,
                                                   std::size_t max_sentences) {
    std::vector<std::size_t> cited = cited_sentences(prose, sentences.size());
    if (!cited.empty()) {
        if (cited.size() > max_sentences) cited.resize(max_sentences);
        return ProseSummary{extractive_summary(std::move(cited), sentences), false};
    }
    // The model wrote its own summary: keep its words, and point at the
    // sentences it draws on (the share of each sentence's content words it
    // uses is that sentence's score).
    const std::string text = without_lead_in(prose);
    const std::set<std::string> used = content_terms(text);
    std::vector<std::pair<double, std::size_t>> drawn_on;
    for (std::size_t i = 0; i < sentences.size(); ++i) {
        const std::set<std::string> terms = content_terms(sentences[i].text);
        if (terms.empty()) continue;
        std::size_t shared = static_cast<std::size_t>(std::count_if(
            terms.begin(), terms.end(), [&](const std::string& term) { return used.count(term) > 0; }));
        double coverage = static_cast<double>(shared) / static_cast<double>(terms.size());
        if (coverage >= kMinProseCoverage) drawn_on.emplace_back(coverage, i);
    }
    // Prose that shares next to nothing with the text (a refusal, an
    // apology) is not a summary of it.
    if (drawn_on.empty()) return std::nullopt;
    std::stable_sort(drawn_on.begin(), drawn_on.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (drawn_on.size() > max_sentences) drawn_on.resize(max_sentences);
    std::sort(drawn_on.begin(), drawn_on.end(), [](const auto& a, const auto& b) { return a.second < b.second; });

    Summary summary;
    summary.original_sentence_count = sentences.size();
    for (const auto& [coverage, index] : drawn_on) {
        const auto& sentence = sentences[index];
        summary.sentences.push_back(RankedSentence{index, sentence.text, coverage, sentence.start, sentence.end});
    }
    append_folded(summary.text, text);
    summary.compression_ratio = std::min(1.0, ratio_to_whole(summary.text, sentences));
    return ProseSummary{std::move(summary), true};
}

}  // namespace summarizer
