#include "http/api_error.hpp"
#include "http/raw_connection.hpp"
#include "http/router.hpp"
#include "http/url_encoding.hpp"

#include <catch2/catch.hpp>

using namespace agenthost::http;

namespace {

// Captures what a handler sends.
struct CapturingChannel : ResponseChannel {
    HttpResponse response;
    void send(HttpResponse r) override { response = std::move(r); }
    std::unique_ptr<RawConnection> take_over(InputSink) override { return nullptr; }
};

}  // namespace

TEST_CASE("routes match literal and :param segments") {
    Router router;
    std::string seen;
    router.get("/agents", [&](const HttpRequest&, Responder) { seen = "list"; });
    router.get("/agents/:name", [&](const HttpRequest& r, Responder) { seen = "one:" + r.param("name"); });
    auto channel = std::make_shared<CapturingChannel>();
    Responder responder(channel);

    HttpRequest request;
    request.method = "GET";
    request.path = "/agents";
    router.dispatch(request, responder);
    CHECK(seen == "list");

    request.path = "/agents/summarizer/";
    router.dispatch(request, responder);
    CHECK(seen == "one:summarizer");

    request.path = "/agents/a%20b";
    router.dispatch(request, responder);
    CHECK(seen == "one:a b");
}

TEST_CASE("an unknown path is 404 and a known path with another method is 405 with Allow") {
    Router router;
    router.get("/health", [](const HttpRequest&, Responder) {});
    auto channel = std::make_shared<CapturingChannel>();
    HttpRequest request;
    request.method = "GET";
    request.path = "/nowhere";
    try {
        router.dispatch(request, Responder(channel));
        FAIL("expected 404");
    } catch (const ApiError& error) {
        CHECK(error.status == 404);
    }
    request.method = "POST";
    request.path = "/health";
    try {
        router.dispatch(request, Responder(channel));
        FAIL("expected 405");
    } catch (const ApiError& error) {
        CHECK(error.status == 405);
        REQUIRE(error.headers.size() == 1);
        CHECK(error.headers[0].first == "Allow");
        CHECK(error.headers[0].second == "GET");
    }
}

TEST_CASE("query strings are decoded") {
    auto query = parse_query("?since_index=5&name=a+b%21&flag&since_index=9");
    CHECK(query["since_index"] == "5");  // first value wins
    CHECK(query["name"] == "a b!");
    CHECK(query.count("flag") == 1);
    CHECK(percent_decode("100%") == "100%");  // a lone % stays as it is
}
