// Drain: lines that differ in their variable parts share a template; other
// lines do not.
#include <catch2/catch.hpp>

#include "incident.hpp"

TEST_CASE("variable parts are masked", "[drain]") {
    CHECK(incident::masked_tokens("Connection to 10.0.0.7:5432 failed after 3 retries") ==
          std::vector<std::string>{"Connection", "to", "<*>", "failed", "after", "<*>", "retries"});
    CHECK(incident::masked_tokens("pool stats active=20 idle=0 name=main") ==
          std::vector<std::string>{"pool", "stats", "active=<*>", "idle=<*>", "name=main"});
}

TEST_CASE("lines of one kind share a template with counts", "[drain]") {
    incident::Drain drain;
    const auto a = drain.add("Order 81234 placed for customer 5521");
    const auto b = drain.add("Order 99120 placed for customer 17");
    const auto c = drain.add("Session closed for user alice after idle");
    const auto d = drain.add("Session closed for user bob after idle");
    const auto e = drain.add("Cache miss ratio 31% above 20% for catalog cache");
    const auto f = drain.add("Order 5 placed for customer 9 today");  // another length
    CHECK(a == b);
    CHECK(c == d);
    CHECK(a != c);
    CHECK(e != a);
    CHECK(f != a);
    auto& clusters = drain.clusters();
    CHECK(clusters[a].template_text() == "Order <*> placed for customer <*>");
    CHECK(clusters[a].count == 2);
    CHECK(clusters[c].template_text() == "Session closed for user <*> after idle");
    CHECK(clusters.size() == 4);
}

TEST_CASE("dissimilar lines of the same length and prefix stay apart", "[drain]") {
    incident::Drain drain;
    const auto a = drain.add("worker started queue emails with 4 threads");
    const auto b = drain.add("worker stopped because the disk is full");
    CHECK(a != b);
    CHECK(drain.clusters()[a].template_text() == "worker started queue emails with <*> threads");
}

TEST_CASE("groups keep otherwise similar lines apart", "[drain]") {
    incident::Drain drain;
    const auto ok = drain.add(R"(10.0.0.1 "GET /pay HTTP/1.1" 200 512 20ms)", 0);
    const auto failed = drain.add(R"(10.0.0.2 "GET /pay HTTP/1.1" 500 80 9ms)", 2);
    const auto ok_again = drain.add(R"(10.0.0.3 "GET /pay HTTP/1.1" 200 498 31ms)", 0);
    CHECK(ok != failed);
    CHECK(ok == ok_again);
}
