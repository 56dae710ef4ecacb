// Hostile HTTP and text against the real host: malformed requests are
// answered at once with the error envelope and the connection is closed;
// text the store cannot hold is refused naming the field; webhook secrets
// never reach the database in the clear.
#include "test_host.hpp"
#include "webhook_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace agenthost::testing;
using namespace std::chrono_literals;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(R"({"echo":{"enabled":true}})", R"("server":{"max_request_bytes":65536})"));
    return instance;
}

struct RawAnswer {
    std::string text;       // everything the host sent before closing
    bool closed = false;    // the host closed the connection
    std::chrono::milliseconds elapsed{0};
};

// Sends `bytes` on a new connection and reads until the host closes it or
// `timeout` passes.
RawAnswer raw_exchange(int port, const std::string& bytes, std::chrono::milliseconds timeout = 5000ms) {
    RawAnswer answer;
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    auto start = std::chrono::steady_clock::now();
    size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;  // the host may close before it has read everything
        sent += static_cast<size_t>(n);
    }
    char buffer[4096];
    while (std::chrono::steady_clock::now() - start < timeout) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            answer.closed = true;
            break;
        }
        answer.text.append(buffer, static_cast<size_t>(n));
    }
    answer.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    ::close(fd);
    return answer;
}

int status_of(const std::string& response) {
    if (response.rfind("HTTP/1.1 ", 0) != 0) return 0;
    return std::atoi(response.c_str() + 9);
}

// The envelope of a raw response: JSON with error, message and request_id.
rapidjson::Document raw_envelope(const std::string& response) {
    rapidjson::Document body;
    size_t split = response.find("\r\n\r\n");
    REQUIRE(split != std::string::npos);
    body.Parse(response.c_str() + split + 4);
    INFO(response);
    REQUIRE_FALSE(body.HasParseError());
    REQUIRE(body.IsObject());
    CHECK(body["error"].IsString());
    CHECK(body["message"].IsString());
    CHECK(body["request_id"].IsString());
    CHECK(body["details"].IsArray());
    return body;
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("malformed HTTP is answered at once with the envelope and closed", "[hostile]") {
    struct Case {
        const char* what;
        std::string bytes;
        int status;
        const char* error;
    };
    std::string long_header = "GET /health HTTP/1.1\r\nX-Big: " + std::string(1 << 20, 'a') + "\r\n\r\n";
    std::string many_headers = "GET /health HTTP/1.1\r\n";
    for (int i = 0; i < 10000; ++i) many_headers += "X-H" + std::to_string(i) + ": v\r\n";
    many_headers += "\r\n";
    std::vector<Case> cases = {
        {"garbage", "GARBAGE\r\n\r\n", 400, "MalformedRequest"},
        {"no version", "GET /health\r\n\r\n", 400, "MalformedRequest"},
        {"bare LF", "GET /health HTTP/1.1\nHost: x\n\n", 400, "MalformedRequest"},
        {"header without colon", "GET /health HTTP/1.1\r\nHost localhost\r\n\r\n", 400, "MalformedRequest"},
        {"negative length", "POST /runs HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n", 400,
         "MalformedRequest"},
        {"20-digit length",
         "POST /runs HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n", 413,
         "PayloadTooLarge"},
        {"length over the limit", "POST /runs HTTP/1.1\r\nContent-Length: 70000\r\n\r\n", 413, "PayloadTooLarge"},
        {"HTTP/2 line", "GET /health HTTP/2.0\r\n\r\n", 505, "HTTPVersionNotSupported"},
        {"1 MiB header line", long_header, 431, "HeadersTooLarge"},
        {"10,000 headers", many_headers, 431, "HeadersTooLarge"},
        // Values Pistache's own header parsers refuse (once in plain text).
        {"Host port out of range", "GET /health HTTP/1.1\r\nHost: a:99999999999\r\n\r\n", 400, "MalformedRequest"},
        {"Date that is no date", "GET /health HTTP/1.1\r\nDate: nonsense\r\n\r\n", 400, "MalformedRequest"},
        {"Content-Type without subtype", "GET /health HTTP/1.1\r\nContent-Type: text/\r\n\r\n", 400,
         "MalformedRequest"},
    };
    for (const Case& c : cases) {
        INFO(c.what);
        RawAnswer answer = raw_exchange(host().port(), c.bytes);
        INFO(answer.text.substr(0, 400));
        CHECK(status_of(answer.text) == c.status);
        CHECK(answer.closed);
        CHECK(answer.elapsed < 3000ms);
        rapidjson::Document body = raw_envelope(answer.text);
        CHECK(std::string(body["error"].GetString()) == c.error);
        // No C++ exception text leaks out.
        CHECK(answer.text.find("basic_string") == std::string::npos);
        CHECK(answer.text.find("stoull") == std::string::npos);
    }
    HttpClient client(host().base_url());
    CHECK(client.get("/health").status == 200);
}

TEST_CASE("well-formed requests on one connection still work, chunked bodies included", "[hostile]") {
    std::string get = "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n";
    RawAnswer answer = raw_exchange(host().port(), get, 1000ms);
    CHECK(status_of(answer.text) == 200);
    std::string body = R"({"agent_name":"echo","task":"chunked"})";
    std::stringstream chunked;
    chunked << "POST /runs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            << "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            << std::hex << body.size() << "\r\n"
            << body << "\r\n0\r\n\r\n";
    RawAnswer posted = raw_exchange(host().port(), chunked.str());
    INFO(posted.text);
    CHECK(status_of(posted.text) == 202);
}

// Pistache's header timeout counts from a request's arrival and answers a
// plain 408 for a peer still busy: it cut answers being worked on (a sync
// invoke, a run wait) and wrote its 408 into open streams (outsider report).
// A one-second timeout stands in for its 60 seconds.
HostProcess& fast_timeout_host() {
    static HostProcess instance(
        host_config(R"({"echo":{"enabled":true}})", R"("server":{"header_timeout_seconds":1})"));
    return instance;
}

TEST_CASE("an answer worked on past the header timeout is delivered, not cut by a 408", "[hostile][timeouts]") {
    HttpClient client(fast_timeout_host().base_url());
    auto answer = client.post("/agent/invoke", run_request("echo", "slow", R"({"action":"sleep","ms":2500})"));
    INFO(answer.body);
    CHECK(answer.status == 200);
    CHECK(answer.body.find("\"status\"") != std::string::npos);
}

TEST_CASE("a stream open past the header timeout carries no 408", "[hostile][timeouts]") {
    HttpClient client(fast_timeout_host().base_url());
    std::string run_id = submit_run(client, "echo", R"({"action":"sleep","ms":2500})");
    RawAnswer stream = raw_exchange(fast_timeout_host().port(),
                                    "GET /runs/" + run_id + "/stream HTTP/1.1\r\nHost: x\r\n\r\n", 6000ms);
    INFO(stream.text);
    CHECK(status_of(stream.text) == 200);
    CHECK(stream.text.find("408") == std::string::npos);
    CHECK(stream.text.find("run.succeeded") != std::string::npos);
}

TEST_CASE("a request that stalls half-sent still gets its 408 after the header timeout", "[hostile][timeouts]") {
    RawAnswer stalled = raw_exchange(fast_timeout_host().port(), "GET /health HTTP/1.1\r\nHost: x\r\n", 8000ms);
    INFO(stalled.text);
    CHECK(status_of(stalled.text) == 408);
    CHECK(stalled.closed);
}

TEST_CASE("Connection: close and HTTP/1.0 end the connection after the answer", "[hostile]") {
    for (const std::string& request : {std::string("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                                      std::string("GET /health HTTP/1.0\r\n\r\n")}) {
        RawAnswer answer = raw_exchange(host().port(), request, 5000ms);
        INFO(request << answer.text);
        CHECK(answer.text.find(" 200 OK\r\n") != std::string::npos);
        CHECK(answer.closed);
        CHECK(answer.elapsed < 3000ms);
    }
}

TEST_CASE("text the store cannot hold is refused naming the field", "[hostile]") {
    HttpClient client(host().base_url());
    auto surrogate = client.post("/runs", R"({"agent_name":"echo","task":"bad \udc00 text"})");
    auto body = error_envelope(surrogate, 422, "ValidationError");
    REQUIRE(body["details"].Size() >= 1);
    CHECK(string_member(body["details"][0], "field") == "/task");
    CHECK(surrogate.header("retry-after").empty());

    auto nul = client.post("/agent/invoke", R"({"agent_name":"echo","task":"cut\u0000here"})");
    body = error_envelope(nul, 422, "ValidationError");
    REQUIRE(body["details"].Size() >= 1);
    CHECK(string_member(body["details"][0], "field") == "/task");

    auto nested = client.post("/runs", R"({"agent_name":"echo","task":"ok","context":{"notes":["fine","\udfff"]}})");
    body = error_envelope(nested, 422, "ValidationError");
    REQUIRE(body["details"].Size() >= 1);
    CHECK(string_member(body["details"][0], "field") == "/context/notes/1");

    // A lone high surrogate is refused by the JSON parser itself, with a
    // message that says so (400: there is no field to name yet).
    auto high = client.post("/runs", R"({"agent_name":"echo","task":"bad \ud800 text"})");
    body = error_envelope(high, 400, "InvalidJSON");
    CHECK_THAT(std::string(body["message"].GetString()), Catch::Matchers::Contains("surrogate"));

    // Raw bytes that are not UTF-8 at all: not a JSON text (RFC 8259 8.1).
    auto raw = client.post("/runs", std::string(R"({"agent_name":"echo","task":"bad )") + "\xff\xfe" + R"("})");
    body = error_envelope(raw, 400, "InvalidJSON");
    CHECK_THAT(std::string(body["message"].GetString()), Catch::Matchers::Contains("encoding"));

    // Real non-ASCII text, including a surrogate pair, is kept exactly.
    auto good = client.post("/runs", R"({"agent_name":"echo","task":"Grüße 😀 \ud83d\ude00"})");
    REQUIRE(good.status == 202);
    std::string run_id = string_member(json_of(good), "run_id");
    auto run = fetch_run(client, run_id);
    CHECK(string_member(run["input"], "task") == "Grüße 😀 😀");
}

TEST_CASE("webhook secrets are sealed in the database and still sign deliveries", "[hostile][secrets]") {
    WebhookReceiver receiver;
    DataDir dir;
    const std::string& data = dir.path;
    const std::string secret = "whsec_MARKERplaintextSecretThatMustNotBeStored0123";
    {
        HostProcess sealed_host(host_config(R"({"echo":{"enabled":true}})",
                                            R"("webhooks":{"allowed_hosts":["127.0.0.1"],"retry_base_ms":50})"),
                                with_data_dir(dir));
        HttpClient client(sealed_host.base_url());
        auto created = client.post("/runs", R"({"agent_name":"echo","task":"sealed","webhook_url":")" +
                                                receiver.url() + R"(","webhook_secret":")" + secret + "\"}");
        REQUIRE(created.status == 202);
        REQUIRE(receiver.wait_for(1, 20s));
        CHECK(verify_standard(receiver.requests().front(), secret));
        CHECK(sealed_host.stop() == 0);
    }
    std::string stored = file_bytes(data + "/agenthost.db") + file_bytes(data + "/agenthost.db-wal");
    CHECK(stored.find("MARKERplaintext") == std::string::npos);
    CHECK(stored.find("sbx1:") != std::string::npos);
    struct stat info {};
    REQUIRE(::stat((data + "/secret.key").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
}
