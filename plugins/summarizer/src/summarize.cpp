#include <textkit/sentences.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <numeric>

#include "pagerank.hpp"
#include "similarity.hpp"
#include "summarizer.hpp"

namespace summarizer {
namespace {

void report(const PhaseObserver& observer, const std::string& done, double fraction) {
    if (observer) observer(done, fraction);
}

// A sentence as compared for repeats: letters and digits only, lower-cased
// ("Costs fell." and "costs  fell!" are the same sentence).
std::string comparable(const std::string& sentence) {
    std::string key;
    for (char c : sentence) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || u >= 0x80) key += static_cast<char>(std::tolower(u));
    }
    return key;
}

// Indices of the `count` best-scored sentences, in text order. Sorting by
// (score desc, index asc) makes ties, and so the result, deterministic. A
// sentence the text repeats is chosen once, at its first place: two copies
// are each other's closest neighbours, so both rank high, and a summary that
// says the same thing twice wastes one of its few sentences.
std::vector<std::size_t> best_in_text_order(const std::vector<double>& scores, const std::vector<std::string>& texts,
                                            std::size_t count) {
    std::vector<std::size_t> order(scores.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&scores](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    // Each wording's first place in the text: a repeat is represented there.
    std::map<std::string, std::size_t> first_place;
    for (std::size_t index = 0; index < texts.size(); ++index) first_place.emplace(comparable(texts[index]), index);
    std::vector<std::size_t> chosen;
    std::set<std::string> said;
    for (std::size_t index : order) {
        if (chosen.size() >= count) break;
        std::string key = comparable(texts[index]);
        if (!said.insert(key).second) continue;
        chosen.push_back(first_place[key]);
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

// Sentences may span wrapped lines; in a one-paragraph summary a line break
// or a run of spaces reads as one space.
void append_folding_whitespace(std::string& out, const std::string& sentence) {
    bool in_space = false;
    for (char c : sentence) {
        const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
        if (space && !in_space) out += ' ';
        if (!space) out += c;
        in_space = space;
    }
}

std::string join(const std::vector<textkit::Sentence>& sentences, const std::vector<std::size_t>& chosen) {
    std::string text;
    for (std::size_t index : chosen) {
        if (!text.empty()) text += ' ';
        append_folding_whitespace(text, sentences[index].text);
    }
    return text;
}

std::size_t count_code_points(const std::string& text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

Summary summarize(std::string_view text, std::size_t max_sentences, const PhaseObserver& observer) {
    const std::vector<textkit::Sentence> sentences = textkit::split_sentences(text);
    report(observer, "split the text into " + std::to_string(sentences.size()) + " sentences", 0.1);

    std::vector<std::string> sentence_texts;
    for (const auto& sentence : sentences) sentence_texts.push_back(sentence.text);
    const WeightedGraph graph = similarity_graph(sentence_texts);
    report(observer, "linked sentences that share content words", 0.6);

    std::vector<double> scores = pagerank(graph);
    const double best = scores.empty() ? 0.0 : *std::max_element(scores.begin(), scores.end());
    for (double& score : scores) score /= best;
    report(observer, "ranked the sentences with PageRank", 0.9);

    Summary summary;
    summary.original_sentence_count = sentences.size();
    const std::vector<std::size_t> chosen = best_in_text_order(scores, sentence_texts, max_sentences);
    for (std::size_t index : chosen) {
        const auto& sentence = sentences[index];
        summary.sentences.push_back(RankedSentence{index, sentence.text, scores[index], sentence.start, sentence.end});
    }
    summary.text = join(sentences, chosen);

    std::vector<std::size_t> all(sentences.size());
    std::iota(all.begin(), all.end(), 0);
    const std::size_t whole_length = count_code_points(join(sentences, all));
    summary.compression_ratio =
        whole_length == 0 ? 0.0 : static_cast<double>(count_code_points(summary.text)) / whole_length;
    return summary;
}

}  // namespace summarizer
