// Extractive summarization with TextRank: the core algorithm, free of any
// agenthost SDK type so it can be tested and reused on its own.
#ifndef SUMMARIZER_SUMMARIZER_HPP
#define SUMMARIZER_SUMMARIZER_HPP

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace summarizer {

struct RankedSentence {
    // Position among all sentences of the text, from 0.
    std::size_t index = 0;
    // The sentence exactly as in the text.
    std::string text;
    // TextRank centrality, scaled so the most central sentence scores 1.
    double score = 0.0;
    // Span [start, end) of the sentence in the text, in code points.
    std::size_t start = 0;
    std::size_t end = 0;
};

struct Summary {
    // The chosen sentences joined by single spaces, line breaks inside them
    // folded into spaces.
    std::string text;
    // The chosen sentences in their original order.
    std::vector<RankedSentence> sentences;
    std::size_t original_sentence_count = 0;
    // Length of the summary over the length of the whole text written the
    // same way, in characters: 1 when every sentence is kept.
    double compression_ratio = 0.0;
};

// Told when each phase ends, with what was done and the fraction of the work
// done so far. It may throw to stop summarizing, e.g. when the run was
// cancelled; the exception propagates out of summarize().
using PhaseObserver = std::function<void(std::string_view done, double fraction)>;

// Picks the `max_sentences` most central sentences of the text with TextRank
// (cosine similarity of TF-IDF vectors, PageRank with damping 0.85) and
// returns them in their original order. Text with at most `max_sentences`
// sentences comes back whole. Deterministic: ties go to the earlier
// sentence, so text without shared vocabulary yields its opening sentences.
Summary summarize(std::string_view text, std::size_t max_sentences, const PhaseObserver& observer = {});

}  // namespace summarizer

#endif  // SUMMARIZER_SUMMARIZER_HPP
