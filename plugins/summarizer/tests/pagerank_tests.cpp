#include <catch2/catch.hpp>

#include <numeric>

#include "pagerank.hpp"

using summarizer::Edge;
using summarizer::WeightedGraph;

namespace {

double sum(const std::vector<double>& scores) { return std::accumulate(scores.begin(), scores.end(), 0.0); }

}  // namespace

TEST_CASE("the hub of a star graph gets the score solved by hand", "[pagerank]") {
    // Undirected star: node 0 linked to nodes 1, 2 and 3. With d = 0.85 the
    // fixed point is hub = 0.0375 + 0.85 * 3 * leaf, leaf = 0.0375 + 0.85 * hub / 3.
    const WeightedGraph star = {
        {{1, 1.0}, {2, 1.0}, {3, 1.0}},
        {{0, 1.0}},
        {{0, 1.0}},
        {{0, 1.0}},
    };
    const auto scores = summarizer::pagerank(star);
    REQUIRE(scores.size() == 4);
    CHECK(scores[0] == Approx(0.133125 / 0.2775).epsilon(1e-6));
    for (int leaf = 1; leaf <= 3; ++leaf) CHECK(scores[leaf] == Approx((1.0 - 0.133125 / 0.2775) / 3).epsilon(1e-6));
    CHECK(sum(scores) == Approx(1.0));
}

TEST_CASE("heavier edges carry more score", "[pagerank]") {
    // Node 0 links strongly to 1 and weakly to 2.
    const WeightedGraph graph = {
        {{1, 0.9}, {2, 0.1}},
        {{0, 0.9}},
        {{0, 0.1}},
    };
    const auto scores = summarizer::pagerank(graph);
    CHECK(scores[1] > scores[2]);
    CHECK(sum(scores) == Approx(1.0));
}

TEST_CASE("an isolated node scores lowest and nothing leaks", "[pagerank]") {
    const WeightedGraph graph = {
        {{1, 0.5}},
        {{0, 0.5}, {2, 0.5}},
        {{1, 0.5}},
        {},
    };
    const auto scores = summarizer::pagerank(graph);
    CHECK(scores[3] < scores[0]);
    CHECK(scores[3] < scores[2]);
    CHECK(scores[1] > scores[0]);
    CHECK(sum(scores) == Approx(1.0));
}

TEST_CASE("a graph without edges ranks every node alike", "[pagerank]") {
    const auto scores = summarizer::pagerank(WeightedGraph(5));
    for (double score : scores) CHECK(score == Approx(0.2));
    CHECK(summarizer::pagerank({}).empty());
}
