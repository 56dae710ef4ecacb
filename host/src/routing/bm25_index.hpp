// Okapi BM25 over a small, fixed set of documents whose term frequencies are
// already weighted per field (BM25F-style). Built once; scoring is read-only
// and therefore safe from any number of threads.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace agenthost::routing {

struct WeightedDocument {
    std::map<std::string, double> term_frequency;  // field-weighted
    double length = 0;                              // sum of the weighted frequencies
};

class Bm25Index {
  public:
    // `background_documents` are counted in N as documents holding none of
    // the terms (see RouterSettings).
    Bm25Index(std::vector<WeightedDocument> documents, double k1, double b, double background_documents = 0);

    size_t size() const { return documents_.size(); }
    // Lucene's non-negative IDF: log(1 + (N - n + 0.5) / (n + 0.5)), N
    // including the background documents; 0 for a term no document has.
    double idf(const std::string& term) const;
    // One query term's contribution to one document's score.
    double term_score(size_t document, const std::string& term) const;

  private:
    std::vector<WeightedDocument> documents_;
    std::map<std::string, size_t> document_frequency_;
    double average_length_ = 0;
    double k1_;
    double b_;
    double background_documents_;
};

}  // namespace agenthost::routing
