// Bytes that are not UTF-8 (a percent-decoded "%FF" in a path or query) must
// never reach a JSON answer raw: the sanitiser, the error envelope, every
// JSON response, and the router's refusal of such path parameters.
#include "http/api_error.hpp"
#include "http/router.hpp"
#include "util/log.hpp"
#include "util/utf8.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

using namespace agenthost;
using namespace agenthost::http;

namespace {

const std::string kReplacement = "\xEF\xBF\xBD";

struct CapturingChannel : ResponseChannel {
    HttpResponse response;
    void send(HttpResponse r) override { response = std::move(r); }
    std::unique_ptr<RawConnection> take_over(InputSink) override { return nullptr; }
};

rapidjson::Document parsed(const std::string& body) {
    rapidjson::Document document;
    document.Parse(body.c_str(), body.size());
    INFO("body: " << body);
    REQUIRE_FALSE(document.HasParseError());
    return document;
}

}  // namespace

TEST_CASE("is_valid_utf8 accepts well-formed UTF-8 only") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ASCII, long enough for the eight-byte steps"));
    CHECK(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));
    CHECK(is_valid_utf8(std::string("a\0b", 3)));  // NUL is a character
    CHECK_FALSE(is_valid_utf8("\xFF"));
    CHECK_FALSE(is_valid_utf8("ok until here \x80"));             // stray continuation byte
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));                       // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));                   // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xED\xB0\x80"));                   // a surrogate
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));               // past U+10FFFF
    CHECK_FALSE(is_valid_utf8("caf\xC3"));                        // truncated
    CHECK_FALSE(is_valid_utf8("12345678\xE2\x82"));               // truncated after the fast path
}

TEST_CASE("with_invalid_utf8_replaced puts one U+FFFD per maximal ill-formed subpart") {
    CHECK(with_invalid_utf8_replaced("no run with id 'abc'") == "no run with id 'abc'");
    CHECK(with_invalid_utf8_replaced("caf\xC3\xA9") == "caf\xC3\xA9");
    CHECK(with_invalid_utf8_replaced("'\xFF'") == "'" + kReplacement + "'");
    // C0 can start nothing; AF is a stray continuation byte: two replacements.
    CHECK(with_invalid_utf8_replaced("\xC0\xAF") == kReplacement + kReplacement);
    // A sequence cut short is one replacement, and the ASCII after it stays.
    CHECK(with_invalid_utf8_replaced("\xE2\x82'") == kReplacement + "'");
    CHECK(with_invalid_utf8_replaced("\xF0\x9F\x98") == kReplacement);
    CHECK(with_invalid_utf8_replaced("\xED\xA0\x80") == kReplacement + kReplacement + kReplacement);
    // Quotes and backslashes are never swallowed, so serialised JSON stays JSON.
    CHECK(with_invalid_utf8_replaced("{\"a\":\"\xE2\"}") == "{\"a\":\"" + kReplacement + "\"}");
    CHECK(is_valid_utf8(with_invalid_utf8_replaced("\x80\x81\xFE\xFF\xC2\xE0\xA0\xF0\x90\x80")));
}

TEST_CASE("the error envelope is valid JSON whatever bytes its message echoes") {
    HttpResponse response = error_response(404, "RunNotFound", "no run with id '\xFF'", "req-1",
                                           {{"id\xC0", "not \xE2\x82 found"}});
    REQUIRE(is_valid_utf8(response.body));
    auto body = parsed(response.body);
    CHECK(std::string(body["error"].GetString()) == "RunNotFound");
    CHECK(std::string(body["message"].GetString()) == "no run with id '" + kReplacement + "'");
    CHECK(std::string(body["request_id"].GetString()) == "req-1");
    CHECK(std::string(body["details"][0]["field"].GetString()) == "id" + kReplacement);
    CHECK(std::string(body["details"][0]["message"].GetString()) == "not " + kReplacement + " found");
}

TEST_CASE("a JSON response is sent as UTF-8; other content types are left alone") {
    auto channel = std::make_shared<CapturingChannel>();
    Responder responder(channel);
    responder.send(json_response(200, "{\"task\":\"\xFF\"}"));
    CHECK(channel->response.body == "{\"task\":\"" + kReplacement + "\"}");
    parsed(channel->response.body);

    HttpResponse bytes;
    bytes.content_type = "application/octet-stream";
    bytes.body = "\xFF\xFE";
    responder.send(bytes);
    CHECK(channel->response.body == "\xFF\xFE");
}

TEST_CASE("a path parameter that is not UTF-8 once decoded is refused with 400 InvalidPath naming it") {
    Router router;
    bool called = false;
    router.get("/runs/:id", [&](const HttpRequest&, Responder) { called = true; });
    auto channel = std::make_shared<CapturingChannel>();
    Responder responder(channel);

    for (const char* path : {"/runs/%FF", "/runs/%C0%AF", "/runs/ok%E2%82"}) {
        INFO(path);
        HttpRequest request;
        request.method = "GET";
        request.path = path;
        try {
            router.dispatch(request, responder);
            FAIL("dispatched");
        } catch (const ApiError& error) {
            CHECK(error.status == 400);
            CHECK(error.type == "InvalidPath");
            CHECK(std::string(error.what()).find("not valid UTF-8") != std::string::npos);
            REQUIRE(error.details.size() == 1);
            CHECK(error.details[0].field == "id");
        }
    }
    CHECK_FALSE(called);

    HttpRequest good;
    good.method = "GET";
    good.path = "/runs/caf%C3%A9";
    router.dispatch(good, responder);
    CHECK(called);
}

TEST_CASE("a log field with bytes that are not UTF-8 is written with U+FFFD, the line stays valid JSON") {
    // A raw 0xFF in a request path reached the access log as it was.
    CHECK(log::json_escape("/runs/a\xFF\"b") == "/runs/a\xEF\xBF\xBD\\\"b");
    CHECK(log::json_escape("caf\xC3\xA9 \xE2\x82\xAC") == "caf\xC3\xA9 \xE2\x82\xAC");  // well-formed: kept
    CHECK(log::json_escape("plain \"ascii\"\n") == "plain \\\"ascii\\\"\\n");
    std::string line = "{\"path\":\"" + log::json_escape("\xC0\xAF/\xED\xA0\x80x") + "\"}";
    CHECK(is_valid_utf8(line));
    rapidjson::Document parsed;
    parsed.Parse<rapidjson::kParseValidateEncodingFlag>(line.c_str());
    CHECK_FALSE(parsed.HasParseError());
}
