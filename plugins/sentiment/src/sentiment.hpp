// Lexicon-based sentiment analysis in the spirit of VADER (Hutto & Gilbert,
// 2014): the core algorithm, free of any agenthost SDK type.
#ifndef SENTIMENT_SENTIMENT_HPP
#define SENTIMENT_SENTIMENT_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sentiment {

enum class Label { negative, neutral, positive };

// "negative", "neutral" or "positive".
std::string_view to_string(Label label);

// Scores closer to zero than this are neutral: VADER's convention.
constexpr double default_neutral_threshold = 0.05;

// neutral when |score| < neutral_threshold, otherwise by the sign.
Label label_for(double score, double neutral_threshold);

struct Options {
    // In [0, 1).
    double neutral_threshold = default_neutral_threshold;
};

// One sentiment word and what it contributed.
struct Driver {
    std::string word;  // lower-cased
    // Its contribution on the lexicon's scale (about -4..4) after negation,
    // intensifiers, ALL-CAPS emphasis and "but" weighting.
    double valence = 0.0;
    bool negated = false;
    // The nearest intensifier or dampener before it ("very", "slightly").
    std::optional<std::string> modifier;
    std::size_t sentence = 0;
};

struct SentenceSentiment {
    std::size_t index = 0;
    std::string text;
    double score = 0.0;  // in [-1, 1]
    Label label = Label::neutral;
};

struct Analysis {
    Label label = Label::neutral;
    // All contributions summed and squashed into [-1, 1] as VADER's
    // "compound": sum / sqrt(sum² + 15).
    double score = 0.0;
    // In [0, 1]: how far the score is inside its label's band, times how much
    // the drivers agree (1 when all point the same way, 0 when positive and
    // negative weigh the same). Mixed text is never a confident call.
    double confidence = 0.0;
    // Strongest first; ties in text order.
    std::vector<Driver> drivers;
    // Distinct words that pulled the score up, or down, in text order. A
    // negated word counts on the side it pulled: "not good" is negative.
    std::vector<std::string> positive_words;
    std::vector<std::string> negative_words;
    std::vector<SentenceSentiment> sentences;
};

// Scores each sentence from the lexicon valences of its words, adjusted for:
//  - negation: "not", "never", "no", "without", "n't" up to three words
//    before flip and weaken a word (x -0.74); "hardly", "rarely" flip it
//    more weakly (x -0.4);
//  - intensifiers and dampeners up to three words before ("very good" >
//    "good" > "slightly good");
//  - ALL-CAPS sentiment words and boosters, when the rest is not in caps;
//  - "but" / "however": the clause before counts half, the one after 1.5x;
//  - exclamation marks (up to four) push the sentence further from zero.
// Negation and boosters do not reach across clause punctuation (, ; : ( ) —).
Analysis analyze(std::string_view text, const Options& options = {});

}  // namespace sentiment

#endif  // SENTIMENT_SENTIMENT_HPP
