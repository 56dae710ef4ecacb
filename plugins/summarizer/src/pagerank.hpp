// PageRank over a weighted graph, the ranking step of TextRank.
#ifndef SUMMARIZER_PAGERANK_HPP
#define SUMMARIZER_PAGERANK_HPP

#include <cstddef>
#include <vector>

namespace summarizer {

struct Edge {
    std::size_t to;
    double weight;  // > 0
};

// Adjacency lists: graph[i] are the edges leaving node i.
using WeightedGraph = std::vector<std::vector<Edge>>;

struct PageRankOptions {
    double damping = 0.85;      // the value of Brin & Page, and of TextRank
    double tolerance = 1e-10;   // stop when scores move less than this in total (L1)
    int max_iterations = 1000;  // a safety net; convergence takes tens
};

// Weighted PageRank: a node's score is (1 - d) / n plus d times the score
// flowing in along edges, each node sharing its score among its edges in
// proportion to their weight. Nodes without edges share theirs with all, so
// scores always sum to 1. Iterates until converged.
std::vector<double> pagerank(const WeightedGraph& graph, const PageRankOptions& options = {});

}  // namespace summarizer

#endif  // SUMMARIZER_PAGERANK_HPP
