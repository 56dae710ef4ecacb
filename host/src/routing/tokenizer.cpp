#include "routing/tokenizer.hpp"

#include "routing/stemmer.hpp"

#include <algorithm>
#include <iterator>

namespace agenthost::routing {
namespace {

// English function words plus the filler of a request to an assistant
// ("please", "help", "want", "agent"): they say nothing about which agent
// fits, and in a corpus of a handful of manifests IDF alone cannot push them
// down far enough. Generic request verbs too ("set up monitoring", "create a
// dashboard", "write rules" say what to do, not to what: they matched
// whichever manifest happened to use them). Sorted for binary search.
constexpr std::string_view kStopwords[] = {
    "a", "about", "above", "after", "again", "against", "agent", "agents", "all", "also", "am", "an", "and", "any",
    "are", "as", "assist", "assistant", "at", "be", "because", "been", "before", "being", "below", "between",
    "both", "but", "by", "can", "could", "create", "did", "do", "does", "doing", "done", "down", "during", "each",
    "either", "else", "etc", "even", "ever", "every", "expert", "few", "for", "from", "further", "get", "give",
    "given", "go", "had", "has", "have", "having", "he", "hello", "help", "her", "here", "hers", "hey", "hi", "him",
    "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "kindly", "let", "like",
    "ll", "make", "may", "me", "might", "more", "most", "much", "must", "my", "need", "needs", "no", "nor", "not",
    "now", "of", "off", "on", "once", "one", "only", "or", "other", "otherwise", "our", "ours", "out", "over",
    "own", "per", "please", "re", "same", "set", "shall", "she", "should", "so", "some", "someone", "something",
    "such", "sure", "than", "thank", "thanks", "that", "the", "their", "theirs", "them", "then", "there", "these",
    "they", "this", "those", "through", "to", "too", "under", "until", "up", "upon", "us", "use", "used", "using",
    "ve", "very", "via", "want", "wanted", "was", "we", "were", "what", "when", "where", "whether", "which",
    "while", "who", "whom", "why", "will", "with", "within", "without", "would", "write", "yes", "yet", "you",
    "your", "yours", "yourself", "yourselves"};

bool is_word_byte(unsigned char c) {
    // Bytes of multi-byte UTF-8 characters count as letters: "café" stays one
    // word even though only ASCII is lower-cased.
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

bool is_joiner(char c) { return c == '-' || c == '_' || c == '/'; }

bool all_digits(const std::string& word) {
    return std::all_of(word.begin(), word.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// One run of word bytes and joiners, e.g. "blue-green" or "ci/cd".
void add_compound(std::string_view chunk, TokenStream& out) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start < chunk.size()) {
        size_t end = start;
        while (end < chunk.size() && !is_joiner(chunk[end])) ++end;
        std::string word = lower(chunk.substr(start, end - start));
        // Single letters ("s" of "customer's", "t" of "n't") and bare numbers
        // carry no routing meaning.
        if (word.size() >= 2 && !all_digits(word) && !is_stopword(word)) parts.push_back(stem(std::move(word)));
        start = end + 1;
    }
    for (const auto& part : parts) {
        out.terms.push_back(part);
        out.sequence.push_back(part);
    }
    if (parts.size() >= 2) {
        std::string joined = parts.front();
        for (size_t i = 1; i < parts.size(); ++i) joined += "_" + parts[i];
        out.terms.push_back(std::move(joined));
    }
}

}  // namespace

bool is_stopword(std::string_view word) {
    return std::binary_search(std::begin(kStopwords), std::end(kStopwords), word);
}

TokenStream tokenize(std::string_view text) {
    TokenStream out;
    size_t i = 0;
    while (i < text.size()) {
        if (!is_word_byte(static_cast<unsigned char>(text[i]))) {
            ++i;
            continue;
        }
        // A joiner belongs to the compound only between two word bytes, so
        // "pipeline -" or "a/" end the word.
        size_t end = i;
        while (end < text.size()) {
            auto c = static_cast<unsigned char>(text[end]);
            if (is_word_byte(c)) {
                ++end;
            } else if (is_joiner(static_cast<char>(c)) && end + 1 < text.size() &&
                       is_word_byte(static_cast<unsigned char>(text[end + 1]))) {
                ++end;
            } else {
                break;
            }
        }
        add_compound(text.substr(i, end - i), out);
        i = end;
    }
    return out;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// "host.tld/..." with a dot in the host part: a bare repository address.
bool looks_like_host_path(std::string_view word) {
    size_t slash = word.find('/');
    if (slash == std::string_view::npos || slash == 0) return false;
    std::string_view host = word.substr(0, slash);
    size_t dot = host.find('.');
    return dot != std::string_view::npos && dot > 0 && dot + 1 < host.size() &&
           std::all_of(host.begin(), host.end(), [](unsigned char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
           });
}

bool is_address(std::string_view word) {
    // Quotes and brackets around an address are not part of it.
    while (!word.empty() && std::string_view("(<[\"'`").find(word.front()) != std::string_view::npos) word.remove_prefix(1);
    return word.find("://") != std::string_view::npos || word.rfind("www.", 0) == 0 || word.rfind("git@", 0) == 0 ||
           looks_like_host_path(word);
}

}  // namespace

std::string without_addresses(std::string_view task) {
    std::string out(task);
    size_t i = 0;
    while (i < out.size()) {
        if (is_space(out[i])) {
            ++i;
            continue;
        }
        size_t end = i;
        while (end < out.size() && !is_space(out[end])) ++end;
        if (is_address(std::string_view(out).substr(i, end - i)))
            for (size_t k = i; k < end; ++k) out[k] = ' ';
        i = end;
    }
    return out;
}

}  // namespace agenthost::routing
