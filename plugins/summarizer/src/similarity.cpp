#include <textkit/stem.hpp>
#include <textkit/stopwords.hpp>
#include <textkit/words.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>
#include <utility>

#include "similarity.hpp"

namespace summarizer {
namespace {

// A unit-length TF-IDF vector as (term id, weight) pairs, by term id.
using SparseVector = std::vector<std::pair<std::size_t, double>>;

std::vector<std::string> content_terms(const std::string& sentence) {
    std::vector<std::string> terms;
    for (const textkit::Word& word : textkit::split_words(sentence)) {
        if (word.lower.size() < 2 || textkit::is_stopword(word.lower)) continue;
        terms.push_back(textkit::light_stem(word.lower));
    }
    return terms;
}

std::vector<SparseVector> tf_idf_vectors(const std::vector<std::string>& sentences) {
    // Term ids in order of first appearance keep every later loop deterministic.
    std::unordered_map<std::string, std::size_t> term_ids;
    std::vector<std::map<std::size_t, double>> term_counts(sentences.size());
    for (std::size_t i = 0; i < sentences.size(); ++i)
        for (const std::string& term : content_terms(sentences[i]))
            term_counts[i][term_ids.emplace(term, term_ids.size()).first->second] += 1.0;

    std::vector<double> document_frequency(term_ids.size(), 0.0);
    for (const auto& counts : term_counts)
        for (const auto& [term, count] : counts) document_frequency[term] += 1.0;

    const auto sentence_count = static_cast<double>(sentences.size());
    std::vector<SparseVector> vectors;
    for (const auto& counts : term_counts) {
        SparseVector vector;
        double squared_norm = 0.0;
        for (const auto& [term, count] : counts) {
            const double weight = count * std::log(1.0 + sentence_count / document_frequency[term]);
            vector.emplace_back(term, weight);
            squared_norm += weight * weight;
        }
        const double norm = std::sqrt(squared_norm);
        for (auto& entry : vector) entry.second /= norm;
        vectors.push_back(std::move(vector));
    }
    return vectors;
}

}  // namespace

WeightedGraph similarity_graph(const std::vector<std::string>& sentences, std::size_t max_links) {
    const std::vector<SparseVector> vectors = tf_idf_vectors(sentences);

    // Which sentences hold each term: only sentences sharing a term can be
    // similar, so the cost grows with shared terms rather than with n².
    std::vector<std::vector<std::pair<std::size_t, double>>> holders;
    for (std::size_t sentence = 0; sentence < vectors.size(); ++sentence) {
        for (const auto& [term, weight] : vectors[sentence]) {
            if (term >= holders.size()) holders.resize(term + 1);
            holders[term].emplace_back(sentence, weight);
        }
    }

    WeightedGraph graph(sentences.size());
    std::vector<double> cosine(sentences.size(), 0.0);
    std::vector<std::size_t> similar;
    for (std::size_t sentence = 0; sentence < vectors.size(); ++sentence) {
        for (const auto& [term, weight] : vectors[sentence]) {
            for (const auto& [other, other_weight] : holders[term]) {
                if (other == sentence) continue;
                if (cosine[other] == 0.0) similar.push_back(other);
                cosine[other] += weight * other_weight;
            }
        }
        if (similar.size() > max_links) {
            const auto more_similar = [&cosine](std::size_t a, std::size_t b) {
                return cosine[a] != cosine[b] ? cosine[a] > cosine[b] : a < b;
            };
            std::nth_element(similar.begin(), similar.begin() + static_cast<std::ptrdiff_t>(max_links), similar.end(),
                             more_similar);
            for (auto dropped = similar.begin() + static_cast<std::ptrdiff_t>(max_links); dropped != similar.end();
                 ++dropped)
                cosine[*dropped] = 0.0;
            similar.resize(max_links);
        }
        std::sort(similar.begin(), similar.end());
        for (std::size_t other : similar) {
            graph[sentence].push_back(Edge{other, cosine[other]});
            cosine[other] = 0.0;
        }
        similar.clear();
    }
    return graph;
}

}  // namespace summarizer
