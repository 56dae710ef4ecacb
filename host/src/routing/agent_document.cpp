#include "routing/agent_document.hpp"

#include "routing/tokenizer.hpp"

#include <algorithm>
#include <set>

namespace agenthost::routing {
namespace {

void add_terms(const TokenStream& tokens, double weight, WeightedDocument& document) {
    for (const auto& term : tokens.terms) {
        document.term_frequency[term] += weight;
        document.length += weight;
    }
}

}  // namespace

AgentDocument build_agent_document(const AgentProfile& profile, const RouterSettings& settings) {
    AgentDocument document;
    // snake_case names split into their parts through the compound rule, so
    // "kubernetes_agent" indexes "kubernet" (and "agent" is a stopword).
    TokenStream name = tokenize(profile.name);
    add_terms(name, settings.name_weight, document.weighted);
    document.keyword_terms.insert(name.terms.begin(), name.terms.end());
    static const std::set<std::string> role_words = [] {
        std::set<std::string> words;
        for (const auto& term : tokenize("generator generate manager expert agent").terms) words.insert(term);
        return words;
    }();
    for (const auto& term : name.terms)
        if (role_words.count(term) == 0) document.name_terms.insert(term);

    add_terms(tokenize(profile.description), settings.description_weight, document.weighted);

    for (const auto& keyword : profile.keywords) {
        TokenStream tokens = tokenize(keyword);
        add_terms(tokens, settings.keyword_weight, document.weighted);
        document.keyword_terms.insert(tokens.terms.begin(), tokens.terms.end());
        if (tokens.sequence.size() >= 2 &&
            std::find(document.phrases.begin(), document.phrases.end(), tokens.sequence) == document.phrases.end())
            document.phrases.push_back(tokens.sequence);
    }
    return document;
}

bool contains_phrase(const std::vector<std::string>& sequence, const std::vector<std::string>& phrase) {
    if (phrase.empty()) return false;
    return std::search(sequence.begin(), sequence.end(), phrase.begin(), phrase.end()) != sequence.end();
}

}  // namespace agenthost::routing
