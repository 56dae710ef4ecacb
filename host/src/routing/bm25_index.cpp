#include "routing/bm25_index.hpp"

#include <cmath>

namespace agenthost::routing {

Bm25Index::Bm25Index(std::vector<WeightedDocument> documents, double k1, double b, double background_documents)
    : documents_(std::move(documents)), k1_(k1), b_(b), background_documents_(background_documents) {
    double total = 0;
    for (const auto& document : documents_) {
        total += document.length;
        for (const auto& entry : document.term_frequency) ++document_frequency_[entry.first];
    }
    average_length_ = documents_.empty() ? 0 : total / static_cast<double>(documents_.size());
}

double Bm25Index::idf(const std::string& term) const {
    auto found = document_frequency_.find(term);
    if (found == document_frequency_.end()) return 0;
    double n = static_cast<double>(found->second);
    double total = static_cast<double>(documents_.size()) + background_documents_;
    return std::log(1.0 + (total - n + 0.5) / (n + 0.5));
}

double Bm25Index::term_score(size_t document, const std::string& term) const {
    const auto& doc = documents_.at(document);
    auto found = doc.term_frequency.find(term);
    if (found == doc.term_frequency.end()) return 0;
    double tf = found->second;
    double relative_length = average_length_ > 0 ? doc.length / average_length_ : 1.0;
    double saturation = tf * (k1_ + 1.0) / (tf + k1_ * (1.0 - b_ + b_ * relative_length));
    return idf(term) * saturation;
}

}  // namespace agenthost::routing
