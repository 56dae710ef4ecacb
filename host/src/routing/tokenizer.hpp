// Turns a task or a manifest field into routing terms: lower case, split on
// anything but letters and digits, English stopwords and instruction filler
// dropped, each word stemmed. Words joined by '-', '_' or '/' ("blue-green",
// "ci/cd", "kubernetes_agent") yield their parts and the compound as well,
// so both spellings of a compound meet.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace agenthost::routing {

struct TokenStream {
    // Every term, parts and compounds, in text order (repeats kept: they are
    // term frequencies for the index).
    std::vector<std::string> terms;
    // The parts alone in text order: what a keyword phrase is matched against.
    std::vector<std::string> sequence;
};

TokenStream tokenize(std::string_view text);

// A task with its URLs and repository addresses blanked out
// ("https://github.com/tiangolo/fastapi", "git@github.com:acme/shop.git",
// "github.com/acme/shop", "www.example.com"): an address names what to work
// on, not what to do, and its words ("github", "fastapi") outscored the
// instruction ("Dockerfile") they came with.
std::string without_addresses(std::string_view task);

// Lower-case word, before stemming.
bool is_stopword(std::string_view word);

}  // namespace agenthost::routing
