#include <catch2/catch.hpp>

#include "similarity.hpp"

using summarizer::WeightedGraph;

namespace {

// The weight of the edge from `from` to `to`, 0 when there is none.
double weight(const WeightedGraph& graph, std::size_t from, std::size_t to) {
    for (const auto& edge : graph[from])
        if (edge.to == to) return edge.weight;
    return 0.0;
}

}  // namespace

TEST_CASE("sentences about the same thing are linked, others are not", "[similarity]") {
    const auto graph = summarizer::similarity_graph({
        "The database failover took twelve minutes.",
        "A slow database failover delayed every checkout.",
        "The new office opens in March.",
    });
    CHECK(weight(graph, 0, 1) > 0.0);
    CHECK(weight(graph, 0, 2) == 0.0);
    CHECK(weight(graph, 1, 2) == 0.0);
    CHECK(graph[2].empty());
}

TEST_CASE("shared stopwords alone do not link sentences", "[similarity]") {
    const auto graph = summarizer::similarity_graph({
        "The cache was on the old host.",
        "The report is in the shared folder.",
    });
    CHECK(graph[0].empty());
    CHECK(graph[1].empty());
}

TEST_CASE("plural and singular forms count as the same word", "[similarity]") {
    const auto graph = summarizer::similarity_graph({
        "Outages hurt customers.",
        "Each outage angers a customer.",
    });
    CHECK(weight(graph, 0, 1) > 0.0);
}

TEST_CASE("links are symmetric cosines: identical sentences weigh 1", "[similarity]") {
    const auto graph = summarizer::similarity_graph({
        "Disk usage alerts fired on the storage cluster.",
        "Disk usage alerts fired on the storage cluster.",
        "Storage cluster latency doubled during the alerts.",
    });
    CHECK(weight(graph, 0, 1) == Approx(1.0));
    CHECK(weight(graph, 0, 2) == Approx(weight(graph, 2, 0)));
    CHECK(weight(graph, 0, 2) > 0.0);
    CHECK(weight(graph, 0, 2) < 1.0);
    CHECK(weight(graph, 0, 0) == 0.0);
}

TEST_CASE("each sentence keeps only its most similar links", "[similarity]") {
    // Sentence 0 shares "backup" with all, and more with sentence 3.
    const auto graph = summarizer::similarity_graph(
        {
            "The nightly backup job failed on the storage cluster.",
            "The backup finished.",
            "Backup logs rotated.",
            "The storage cluster rejected the nightly backup job.",
        },
        /*max_links=*/1);
    REQUIRE(graph[0].size() == 1);
    CHECK(graph[0][0].to == 3);
    for (const auto& links : graph) CHECK(links.size() <= 1);
}
