#include <textkit/sentences.hpp>
#include <textkit/words.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>

#include "lexicon.hpp"
#include "modifiers.hpp"
#include "sentiment.hpp"

namespace sentiment {
namespace {

// VADER's empirically derived constants, except the partial negation scalar,
// which VADER lacks: "hardly good" should land between "good" and "not good"'s
// mirror image.
constexpr double negation_scalar = -0.74;
constexpr double partial_negation_scalar = -0.4;
constexpr double caps_increment = 0.733;
constexpr double before_contrast_weight = 0.5;
constexpr double after_contrast_weight = 1.5;
constexpr double exclamation_increment = 0.292;
constexpr int max_exclamations = 4;
constexpr double normalization_alpha = 15.0;
// Boosters further from the word they modify count for less.
constexpr double booster_decay[modifier_window] = {1.0, 0.95, 0.9};

// A word of a sentence and which clause of the sentence it is in.
struct SentenceWord {
    textkit::Word word;
    std::size_t clause;
};

double sign(double value) { return value > 0.0 ? 1.0 : value < 0.0 ? -1.0 : 0.0; }

double normalize(double sum) { return sum / std::sqrt(sum * sum + normalization_alpha); }

// Splits at clause punctuation, which negation and boosters do not cross:
// in "No complaints, great product" the "no" must not reach "great".
std::vector<std::string_view> split_clauses(std::string_view sentence) {
    static constexpr std::string_view separators[] = {",", ";", ":", "(", ")", "\u2014", "\u2013"};
    std::vector<std::string_view> clauses;
    std::size_t begin = 0;
    for (std::size_t at = 0; at < sentence.size(); ++at) {
        for (std::string_view separator : separators) {
            if (sentence.substr(at, separator.size()) != separator) continue;
            clauses.push_back(sentence.substr(begin, at - begin));
            begin = at + separator.size();
            at = begin - 1;
            break;
        }
    }
    clauses.push_back(sentence.substr(begin));
    return clauses;
}

std::vector<SentenceWord> words_with_clauses(std::string_view sentence) {
    std::vector<SentenceWord> words;
    const std::vector<std::string_view> clauses = split_clauses(sentence);
    for (std::size_t clause = 0; clause < clauses.size(); ++clause)
        for (textkit::Word& word : textkit::split_words(clauses[clause]))
            words.push_back(SentenceWord{std::move(word), clause});
    return words;
}

bool is_all_caps(std::string_view word) {
    const auto upper = std::count_if(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    const bool has_lower = std::any_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    return upper >= 2 && !has_lower;
}

// ALL-CAPS words are emphasis only when other words are not in caps; text
// written all in caps is just shouting throughout.
bool caps_stand_out(const std::vector<std::vector<SentenceWord>>& sentences) {
    bool some_caps = false;
    bool some_lower = false;
    for (const auto& words : sentences) {
        for (const auto& entry : words) {
            some_caps = some_caps || is_all_caps(entry.word.text);
            some_lower = some_lower || std::any_of(entry.word.text.begin(), entry.word.text.end(),
                                                   [](char c) { return c >= 'a' && c <= 'z'; });
        }
    }
    return some_caps && some_lower;
}

// Applies the boosters and the negation found in the few words before word
// `at`, stopping at the clause's start or at a contrast word.
void apply_modifiers(const std::vector<SentenceWord>& words, std::size_t at, bool caps_emphasis, Driver& driver) {
    const double direction = sign(driver.valence);
    Negation negation = Negation::none;
    for (std::size_t distance = 1; distance <= modifier_window && distance <= at; ++distance) {
        const SentenceWord& before = words[at - distance];
        if (before.clause != words[at].clause || is_contrast(before.word.lower)) break;
        if (const auto boost = booster_of(before.word.lower)) {
            double step = *boost * booster_decay[distance - 1];
            if (caps_emphasis && is_all_caps(before.word.text)) step += sign(step) * caps_increment;
            driver.valence += direction * step;
            if (!driver.modifier) driver.modifier = before.word.lower;
        } else if (negation == Negation::none) {
            negation = negation_of(before.word.lower);
        }
    }
    if (negation == Negation::none) return;
    driver.negated = true;
    driver.valence *= negation == Negation::full ? negation_scalar : partial_negation_scalar;
}

// Appends a driver for each sentiment word of the sentence and returns the
// sum of their contributions.
double score_words(const std::vector<SentenceWord>& words, std::size_t sentence, bool caps_emphasis,
                   std::vector<Driver>& drivers) {
    const auto contrast = std::find_if(words.begin(), words.end(),
                                       [](const SentenceWord& entry) { return is_contrast(entry.word.lower); });
    const auto contrast_at = static_cast<std::size_t>(std::distance(words.begin(), contrast));
    double sum = 0.0;
    for (std::size_t at = 0; at < words.size(); ++at) {
        const std::optional<double> valence = valence_of(words[at].word.lower);
        if (!valence) continue;
        Driver driver{words[at].word.lower, *valence, false, std::nullopt, sentence};
        if (caps_emphasis && is_all_caps(words[at].word.text)) driver.valence += sign(*valence) * caps_increment;
        apply_modifiers(words, at, caps_emphasis, driver);
        if (contrast != words.end())
            driver.valence *= at < contrast_at ? before_contrast_weight : after_contrast_weight;
        sum += driver.valence;
        drivers.push_back(std::move(driver));
    }
    return sum;
}

// "Great!!" is more positive than "Great.": each "!" pushes a sentence that
// already has a direction further from zero.
double with_exclamations(double sum, std::string_view sentence) {
    const auto ascii = std::count(sentence.begin(), sentence.end(), '!');
    std::size_t fullwidth = 0;
    for (std::size_t at = sentence.find("\uFF01"); at != std::string_view::npos; at = sentence.find("\uFF01", at + 1))
        ++fullwidth;
    const double marks =
        std::min<double>(static_cast<double>(ascii) + static_cast<double>(fullwidth), max_exclamations);
    return sum + sign(sum) * marks * exclamation_increment;
}

double confidence_of(double score, Label label, const std::vector<Driver>& drivers, double neutral_threshold) {
    double up = 0.0;
    double down = 0.0;
    for (const Driver& driver : drivers) (driver.valence > 0.0 ? up : down) += std::abs(driver.valence);
    const double agreement = up + down == 0.0 ? 1.0 : std::abs(up - down) / (up + down);
    const double magnitude = std::abs(score);
    double inside_band = 0.0;
    if (label == Label::neutral)
        inside_band = neutral_threshold > 0.0 ? 1.0 - magnitude / neutral_threshold : 1.0;
    else
        inside_band = (magnitude - neutral_threshold) / (1.0 - neutral_threshold);
    return std::clamp(inside_band * agreement, 0.0, 1.0);
}

void add_distinct(std::vector<std::string>& words, const std::string& word) {
    if (std::find(words.begin(), words.end(), word) == words.end()) words.push_back(word);
}

}  // namespace

std::string_view to_string(Label label) {
    switch (label) {
        case Label::negative:
            return "negative";
        case Label::positive:
            return "positive";
        case Label::neutral:
            break;
    }
    return "neutral";
}

Label label_for(double score, double neutral_threshold) {
    if (std::abs(score) < neutral_threshold) return Label::neutral;
    return score > 0.0 ? Label::positive : score < 0.0 ? Label::negative : Label::neutral;
}

Analysis analyze(std::string_view text, const Options& options) {
    const std::vector<textkit::Sentence> sentences = textkit::split_sentences(text);
    std::vector<std::vector<SentenceWord>> sentence_words;
    for (const auto& sentence : sentences) sentence_words.push_back(words_with_clauses(sentence.text));
    const bool caps_emphasis = caps_stand_out(sentence_words);

    Analysis analysis;
    double total = 0.0;
    for (std::size_t index = 0; index < sentences.size(); ++index) {
        const double sum = with_exclamations(score_words(sentence_words[index], index, caps_emphasis, analysis.drivers),
                                             sentences[index].text);
        total += sum;
        const double score = normalize(sum);
        analysis.sentences.push_back(
            SentenceSentiment{index, sentences[index].text, score, label_for(score, options.neutral_threshold)});
    }

    analysis.score = normalize(total);
    analysis.label = label_for(analysis.score, options.neutral_threshold);
    analysis.confidence = confidence_of(analysis.score, analysis.label, analysis.drivers, options.neutral_threshold);
    for (const Driver& driver : analysis.drivers) {
        if (driver.valence > 0.0) add_distinct(analysis.positive_words, driver.word);
        if (driver.valence < 0.0) add_distinct(analysis.negative_words, driver.word);
    }
    std::stable_sort(analysis.drivers.begin(), analysis.drivers.end(),
                     [](const Driver& a, const Driver& b) { return std::abs(a.valence) > std::abs(b.valence); });
    return analysis;
}

}  // namespace sentiment
