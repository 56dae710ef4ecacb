#include <textkit/stopwords.hpp>

#include <iterator>
#include <unordered_set>

namespace textkit {
namespace {

// The NLTK English list, with the contractions written out both with and
// without the apostrophe, plus a few fillers ("also", "would") that the NLTK
// list lacks and that say nothing about a topic.
constexpr std::string_view stopwords[] = {
    "a", "about", "above", "after", "again", "against", "ain", "ain't", "all", "also", "am", "an", "and", "any",
    "are", "aren", "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "can't", "cannot", "could", "couldn", "couldn't", "d", "did", "didn", "didn't", "do",
    "does", "doesn", "doesn't", "doing", "don", "don't", "down", "during", "each", "few", "for", "from",
    "further", "had", "hadn", "hadn't", "has", "hasn", "hasn't", "have", "haven", "haven't", "having", "he",
    "he'd", "he'll", "he's", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "i'd",
    "i'll", "i'm", "i've", "if", "in", "into", "is", "isn", "isn't", "it", "it'd", "it'll", "it's", "its",
    "itself", "just", "let's", "ll", "m", "ma", "may", "me", "might", "mightn", "mightn't", "more", "most",
    "must", "mustn", "mustn't", "my", "myself", "needn", "needn't", "no", "nor", "not", "now", "o", "of",
    "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "re", "s",
    "same", "shall", "shan", "shan't", "she", "she'd", "she'll", "she's", "should", "should've", "shouldn",
    "shouldn't", "so", "some", "such", "t", "than", "that", "that'll", "that's", "the", "their", "theirs",
    "them", "themselves", "then", "there", "there's", "these", "they", "they'd", "they'll", "they're",
    "they've", "this", "those", "through", "to", "too", "under", "until", "up", "us", "ve", "very", "was",
    "wasn", "wasn't", "we", "we'd", "we'll", "we're", "we've", "were", "weren", "weren't", "what", "what's",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "won", "won't", "would",
    "wouldn", "wouldn't", "y", "you", "you'd", "you'll", "you're", "you've", "your", "yours", "yourself",
    "yourselves",
};

}  // namespace

bool is_stopword(std::string_view lower_word) {
    // Built once, on first use; thread-safe since C++11.
    static const std::unordered_set<std::string_view> lookup(std::begin(stopwords), std::end(stopwords));
    return lookup.count(lower_word) != 0;
}

}  // namespace textkit
