#include <unordered_map>
#include <unordered_set>

#include "modifiers.hpp"

namespace sentiment {
namespace {

// VADER's empirically derived step for one booster word.
constexpr double increment = 0.293;
constexpr double decrement = -0.293;

bool ends_with(std::string_view word, std::string_view suffix) {
    return word.size() >= suffix.size() && word.substr(word.size() - suffix.size()) == suffix;
}

}  // namespace

Negation negation_of(std::string_view lower_word) {
    static const std::unordered_set<std::string_view> full = {
        "not",    "no",     "never",   "none",    "nobody",  "nothing",  "neither", "nor",     "nowhere",
        "without", "cannot", "aint",   "arent",   "cant",    "couldnt",  "didnt",   "doesnt",  "dont",
        "hadnt",  "hasnt",  "havent",  "isnt",    "mightnt", "mustnt",   "neednt",  "shouldnt", "wasnt",
        "werent", "wont",   "wouldnt",
    };
    static const std::unordered_set<std::string_view> partial = {"hardly", "scarcely", "rarely", "seldom"};
    if (full.count(lower_word) != 0 || ends_with(lower_word, "n't")) return Negation::full;
    if (partial.count(lower_word) != 0) return Negation::partial;
    return Negation::none;
}

std::optional<double> booster_of(std::string_view lower_word) {
    static const std::unordered_map<std::string_view, double> boosters = {
        // Intensifiers.
        {"very", increment}, {"extremely", increment}, {"really", increment}, {"so", increment},
        {"too", increment}, {"incredibly", increment}, {"highly", increment}, {"absolutely", increment},
        {"completely", increment}, {"totally", increment}, {"utterly", increment}, {"entirely", increment},
        {"fully", increment}, {"thoroughly", increment}, {"truly", increment}, {"super", increment},
        {"especially", increment}, {"exceptionally", increment}, {"remarkably", increment},
        {"particularly", increment}, {"unbelievably", increment}, {"tremendously", increment},
        {"hugely", increment}, {"immensely", increment}, {"deeply", increment}, {"seriously", increment},
        {"insanely", increment}, {"ridiculously", increment}, {"amazingly", increment}, {"awfully", increment},
        {"terribly", increment}, {"quite", increment}, {"much", increment}, {"more", increment}, {"most", increment},
        {"consistently", increment}, {"constantly", increment},
        // Dampeners.
        {"slightly", decrement}, {"somewhat", decrement}, {"barely", decrement}, {"marginally", decrement},
        {"mildly", decrement}, {"partly", decrement}, {"partially", decrement}, {"fairly", decrement},
        {"almost", decrement}, {"occasionally", decrement}, {"sometimes", decrement}, {"kinda", decrement},
        {"sorta", decrement}, {"little", decrement}, {"bit", decrement}, {"moderately", decrement},
    };
    auto found = boosters.find(lower_word);
    if (found == boosters.end()) return std::nullopt;
    return found->second;
}

bool is_contrast(std::string_view lower_word) { return lower_word == "but" || lower_word == "however"; }

}  // namespace sentiment
