#include <algorithm>
#include <cmath>

#include "pagerank.hpp"

namespace summarizer {

std::vector<double> pagerank(const WeightedGraph& graph, const PageRankOptions& options) {
    const std::size_t n = graph.size();
    if (n == 0) return {};

    std::vector<double> out_weight(n, 0.0);
    for (std::size_t node = 0; node < n; ++node)
        for (const Edge& edge : graph[node]) out_weight[node] += edge.weight;

    std::vector<double> scores(n, 1.0 / static_cast<double>(n));
    std::vector<double> next(n);
    for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
        double dangling = 0.0;  // score of nodes with nowhere to send it
        for (std::size_t node = 0; node < n; ++node)
            if (out_weight[node] == 0.0) dangling += scores[node];

        const double base = (1.0 - options.damping + options.damping * dangling) / static_cast<double>(n);
        std::fill(next.begin(), next.end(), base);
        for (std::size_t node = 0; node < n; ++node) {
            if (out_weight[node] == 0.0) continue;
            const double share = options.damping * scores[node] / out_weight[node];
            for (const Edge& edge : graph[node]) next[edge.to] += share * edge.weight;
        }

        double change = 0.0;
        for (std::size_t node = 0; node < n; ++node) change += std::abs(next[node] - scores[node]);
        scores.swap(next);
        if (change < options.tolerance) break;
    }
    return scores;
}

}  // namespace summarizer
