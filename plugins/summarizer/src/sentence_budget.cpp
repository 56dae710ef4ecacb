#include "sentence_budget.hpp"

#include <textkit/words.hpp>

#include <cstdlib>
#include <string>
#include <vector>

namespace summarizer {
namespace {

std::optional<int> count_of(const std::string& word) {
    static const char* names[] = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};
    for (int i = 0; i < 10; ++i)
        if (word == names[i]) return i + 1;
    if (word == "single" || word == "a") return 1;
    if (!word.empty() && word.size() <= 2 && word.find_first_not_of("0123456789") == std::string::npos) {
        int n = std::atoi(word.c_str());
        if (n >= 1 && n <= 20) return n;
    }
    return std::nullopt;
}

}  // namespace

std::optional<int> sentences_named(std::string_view instruction) {
    // split_words keeps "one-sentence" whole; its parts are what count.
    std::vector<std::string> words;
    for (const textkit::Word& word : textkit::split_words(instruction)) {
        std::string part;
        for (char c : word.lower + "-") {
            if (c != '-') {
                part += c;
                continue;
            }
            if (!part.empty()) words.push_back(part);
            part.clear();
        }
    }
    for (size_t i = 1; i < words.size(); ++i) {
        if (words[i] != "sentence" && words[i] != "sentences" && words[i] != "line" && words[i] != "lines") continue;
        if (std::optional<int> n = count_of(words[i - 1])) return n;
    }
    return std::nullopt;
}

}  // namespace summarizer
