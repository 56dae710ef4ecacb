#include "routing/stemmer.hpp"

namespace agenthost::routing {
namespace {

bool ends_with(const std::string& word, const char* suffix) {
    std::string_view s(suffix);
    return word.size() >= s.size() && word.compare(word.size() - s.size(), s.size(), s) == 0;
}

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

bool has_vowel(const std::string& word, size_t length) {
    for (size_t i = 0; i < length && i < word.size(); ++i)
        if (is_vowel(word[i])) return true;
    return false;
}

// "runn" -> "run" after -ing/-ed; l, s and z stay doubled ("roll", "pass").
void undouble(std::string& word) {
    size_t n = word.size();
    if (n >= 3 && word[n - 1] == word[n - 2] && !is_vowel(word[n - 1]) && word[n - 1] != 'l' &&
        word[n - 1] != 's' && word[n - 1] != 'z')
        word.pop_back();
}

// British -is- spellings to -iz- ("summarise", "organisation"), for words
// long enough that the rule cannot hit "rise" or "advise".
void americanize(std::string& word) {
    static const char* const suffixes[] = {"isations", "isation", "ising", "isers", "iser", "ised", "ises", "ise"};
    for (const char* suffix : suffixes) {
        size_t length = std::string_view(suffix).size();
        if (ends_with(word, suffix) && word.size() >= length + 4) {
            word[word.size() - length + 1] = 'z';
            return;
        }
    }
}

void strip_plural(std::string& word) {
    if (ends_with(word, "ies") && word.size() > 4) {
        word.replace(word.size() - 3, 3, "y");
    } else if (ends_with(word, "sses") || ends_with(word, "xes") || ends_with(word, "ches") ||
               ends_with(word, "shes") || ends_with(word, "zes")) {
        word.resize(word.size() - 2);
    } else if (ends_with(word, "s") && !ends_with(word, "ss") && !ends_with(word, "us") && !ends_with(word, "is") &&
               word.size() > 3) {
        word.pop_back();
    }
}

void strip_verb_ending(std::string& word) {
    if (ends_with(word, "ing") && word.size() >= 6 && has_vowel(word, word.size() - 3)) {
        word.resize(word.size() - 3);
        undouble(word);
    } else if (ends_with(word, "ed") && word.size() >= 5 && has_vowel(word, word.size() - 2)) {
        word.resize(word.size() - 2);
        if (ends_with(word, "i")) word.back() = 'y';  // "applied" -> "apply"
        undouble(word);
    }
}

// Nouns made from verbs, so "extraction" meets "extract" and "deployment"
// meets "deploy".
void strip_derivation(std::string& word) {
    if (ends_with(word, "ization")) {
        word.resize(word.size() - 5);  // "summarization" -> "summariz"
    } else if (ends_with(word, "ation") && word.size() >= 9) {
        word.resize(word.size() - 5);  // "configuration" -> "configur"
    } else if (ends_with(word, "tion") && word.size() >= 7) {
        word.resize(word.size() - 3);  // "extraction" -> "extract"
    } else if (ends_with(word, "ment") && word.size() >= 8) {
        word.resize(word.size() - 4);  // "deployment" -> "deploy"
    } else if (ends_with(word, "tor") && word.size() >= 8) {
        word.resize(word.size() - 2);  // "extractor" -> "extract"
    } else if (ends_with(word, "er") && word.size() >= 8) {
        word.resize(word.size() - 2);  // "summarizer" -> "summariz", "autoscaler" -> "autoscal"
    }
}

}  // namespace

std::string stem(std::string word) {
    if (word.size() <= 3) return word;
    americanize(word);
    strip_plural(word);
    strip_verb_ending(word);
    strip_derivation(word);
    // A silent e last, so "generate", "generated" and "generating" agree.
    if (ends_with(word, "e") && word.size() > 3) word.pop_back();
    return word;
}

}  // namespace agenthost::routing
