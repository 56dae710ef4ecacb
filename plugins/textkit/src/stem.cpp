#include <textkit/stem.hpp>

namespace textkit {
namespace {

bool ends_with(std::string_view word, std::string_view suffix) {
    return word.size() >= suffix.size() && word.substr(word.size() - suffix.size()) == suffix;
}

}  // namespace

std::string light_stem(std::string_view lower_word) {
    std::string word(lower_word);
    if (word.size() <= 3) return word;
    if (ends_with(word, "'s")) {  // possessive: "customer's" -> "customer"
        word.resize(word.size() - 2);
        return word;
    }
    // Harman (1991), "How effective is suffixing?": the first rule that
    // matches applies, and only that one.
    if (ends_with(word, "ies") && !ends_with(word, "eies") && !ends_with(word, "aies")) {
        word.replace(word.size() - 3, 3, "y");
    } else if (ends_with(word, "es") && !ends_with(word, "aes") && !ends_with(word, "ees") && !ends_with(word, "oes")) {
        word.pop_back();
    } else if (ends_with(word, "s") && !ends_with(word, "us") && !ends_with(word, "ss")) {
        word.pop_back();
    }
    return word;
}

}  // namespace textkit
