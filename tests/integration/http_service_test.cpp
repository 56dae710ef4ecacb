// The plugins' http service through the real host, in both isolation modes:
// a request to a loopback server the operator allows arrives with its
// method, headers and body and its answer comes back whole; without the
// allow-list the SSRF guard refuses it; the response size limit, the
// timeout and a malformed request fail the run with a clear message; the
// log line of a request never shows its credentials.
#include "loopback_server.hpp"
#include "test_host.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

// Answers /big with 2000 bytes, /slow after 3 s, anything else with 201 and
// a small JSON body; keeps what it received.
class Upstream {
  public:
    Upstream()
        : server_("http upstream", 0, 10s, [this](int fd, LoopbackRequest request) {
              {
                  std::lock_guard<std::mutex> lock(mutex_);
                  requests_.push_back(request);
              }
              std::string body = R"({"ok":true})";
              int status = 201;
              if (request.path == "/big") body.assign(2000, 'x'), status = 200;
              if (request.path == "/slow") server_.pause(3000ms);
              send_all(fd, "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
                               "\r\nContent-Type: application/json\r\nX-Upstream: yes\r\nContent-Length: " +
                               std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
          }) {}

    std::string url(const std::string& path) const { return server_.url(path); }
    std::vector<LoopbackRequest> requests() {
        std::lock_guard<std::mutex> lock(mutex_);
        return requests_;
    }

  private:
    std::mutex mutex_;
    std::vector<LoopbackRequest> requests_;
    LoopbackServer server_;
};

std::string probe_config(const std::string& isolation, const std::string& http) {
    return host_config(R"({"http_probe":{"enabled":true,"isolation":")" + isolation + "\"" +
                       (http.empty() ? "" : R"(,"http":)" + http) + "}}");
}

HttpResult probe(HostProcess& host, const std::string& request_json) {
    HttpClient client(host.base_url());
    return client.post("/agent/invoke",
                       R"({"agent_name":"http_probe","task":"fetch","context":{"request":)" + request_json + "}}");
}

}  // namespace

TEST_CASE("a plugin reaches a loopback server the operator allows, and its credentials stay out of the log",
          "[http]") {
    for (const std::string isolation : {"in_process", "process"}) {
        SECTION(isolation) {
            Upstream upstream;
            HostProcess host(probe_config(isolation, R"({"allowed_hosts":["127.0.0.1"]})"));
            auto answer = probe(host, R"({"method":"POST","url":")" + upstream.url("/items?api_key=k3y") +
                                          R"(","headers":{"Authorization":"Bearer s3cret-token","X-Trace":"t1"},"body":"hello"})");
            INFO(answer.body);
            REQUIRE(answer.status == 200);
            auto body = json_of(answer);
            const auto& response = body["result"]["response"];
            CHECK(response["status"].GetInt() == 201);
            CHECK(std::string(response["body"].GetString()) == R"({"ok":true})");
            CHECK(std::string(response["headers"]["x-upstream"].GetString()) == "yes");
            auto received = upstream.requests();
            REQUIRE(received.size() == 1);
            CHECK(received[0].method == "POST");
            CHECK(received[0].path == "/items?api_key=k3y");
            CHECK(received[0].body == "hello");
            CHECK(received[0].header("authorization") == "Bearer s3cret-token");
            CHECK(received[0].header("x-trace") == "t1");
            // The log is flushed in the background: wait for the line.
            std::string log;
            CHECK(poll_until(
                [&] {
                    log = host.log();
                    return log.find("plugin http request") != std::string::npos;
                },
                5000ms));
            CHECK_THAT(log, Contains("[redacted]") && Contains("X-Trace: t1"));
            CHECK_THAT(log, !Contains("s3cret-token") && !Contains("k3y"));
        }
    }
}

TEST_CASE("without the allow-list the SSRF guard refuses a loopback address and nothing is sent", "[http]") {
    Upstream upstream;
    HostProcess host(probe_config("in_process", ""));
    auto body = error_envelope(probe(host, R"({"url":")" + upstream.url("/items") + "\"}"), 500, "AgentFailed");
    CHECK_THAT(body["message"].GetString(),
               Contains("127.0.0.1, a loopback address") && Contains("agents.http_probe.http.allowed_hosts"));
    CHECK(upstream.requests().empty());
    // The metadata endpoint is refused the same way, before any connection.
    auto metadata = error_envelope(probe(host, R"({"url":"http://169.254.169.254/latest/meta-data"})"), 500, "AgentFailed");
    CHECK_THAT(metadata["message"].GetString(), Contains("cloud metadata"));
}

TEST_CASE("the response size limit and the timeout end a request with a clear reason", "[http]") {
    Upstream upstream;
    HostProcess host(probe_config("in_process", R"({"allowed_hosts":["127.0.0.1"],"max_response_bytes":1000})"));
    auto big = error_envelope(probe(host, R"({"url":")" + upstream.url("/big") + "\"}"), 500, "AgentFailed");
    CHECK_THAT(big["message"].GetString(), Contains("larger than 1000 bytes"));
    // A smaller limit asked by the plugin wins; a larger one is cut to the operator's.
    auto small = error_envelope(
        probe(host, R"({"url":")" + upstream.url("/items") + R"(","max_response_bytes":5})"), 500, "AgentFailed");
    CHECK_THAT(small["message"].GetString(), Contains("larger than 5 bytes"));
    auto started = std::chrono::steady_clock::now();
    auto slow = error_envelope(probe(host, R"({"url":")" + upstream.url("/slow") + R"(","timeout_seconds":0.3})"),
                               500, "AgentFailed");
    CHECK_THAT(slow["message"].GetString(), Contains("timed out"));
    CHECK(std::chrono::steady_clock::now() - started < 2500ms);
}

TEST_CASE("a malformed http request is the plugin's bug: 500 naming http_request", "[http]") {
    HostProcess host(probe_config("in_process", R"({"allowed_hosts":["127.0.0.1"]})"));
    for (const std::string request :
         {R"({"url":"ftp://127.0.0.1/x"})", R"({"method":"BREW","url":"http://127.0.0.1/"})",
          R"({"url":"http://127.0.0.1/","headers":{"X-Bad":"a\r\nInjected: 1"}})"}) {
        INFO(request);
        auto body = error_envelope(probe(host, request), 500, "AgentFailed");
        CHECK_THAT(body["message"].GetString(), Contains("http_request refused a bad argument"));
    }
}
