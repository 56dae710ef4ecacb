// OpenTelemetry traces from a real host: a local OTLP receiver (the
// webhook receiver, recording each POST /v1/traces body) stands in for the
// collector. Checked: the span tree of an invoke (HTTP server span, run,
// queue wait, agent invoke, LLM call with the GenAI attributes), a caller's
// traceparent kept and carried to the LLM provider and the webhook
// receiver, a run approved later by another request staying in its first
// trace, the OTLP headers and service name, malformed traceparent headers
// ignored, sampling off sending nothing, and a dead or stalled collector
// neither failing nor holding up requests (one log line, not one per batch).
#include "fake_llm_server.hpp"
#include "test_host.hpp"
#include "webhook_receiver.hpp"

#include <chrono>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace agenthost::testing;
using namespace std::chrono_literals;

namespace {

const std::string kTraceId = "0af7651916cd43dd8448eb211c80319c";
const std::string kCallerSpan = "b7ad6b7169203331";
const std::string kAgents = R"({"llm_probe":{"enabled":true},"echo":{"enabled":true}})";
const std::string kMessages = R"({"messages":[{"role":"user","content":"Say hello."}]})";

// The OTEL_* variables for the host about to start (HostProcess passes the
// test's environment on); restored when the scope ends.
class ScopedEnvironment {
  public:
    explicit ScopedEnvironment(const std::vector<std::pair<std::string, std::string>>& values) {
        for (const auto& [name, value] : values) {
            const char* old = std::getenv(name.c_str());
            saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
            setenv(name.c_str(), value.c_str(), 1);
        }
    }
    ~ScopedEnvironment() {
        for (const auto& [name, value] : saved_) {
            if (value) setenv(name.c_str(), value->c_str(), 1);
            else unsetenv(name.c_str());
        }
    }

  private:
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

struct SpanView {
    std::string trace_id, span_id, parent_span_id, name, service_name;
    int kind = 0;
    int status_code = 0;
    long long start_ns = 0, end_ns = 0;
    std::map<std::string, std::string> attributes;  // every value as text

    std::string attribute(const std::string& key) const {
        auto found = attributes.find(key);
        return found == attributes.end() ? std::string() : found->second;
    }
};

std::string value_text(const rapidjson::Value& value) {
    if (value.HasMember("stringValue")) return value["stringValue"].GetString();
    if (value.HasMember("intValue"))
        return value["intValue"].IsString() ? value["intValue"].GetString() : std::to_string(value["intValue"].GetInt64());
    if (value.HasMember("boolValue")) return value["boolValue"].GetBool() ? "true" : "false";
    if (value.HasMember("doubleValue")) return std::to_string(value["doubleValue"].GetDouble());
    return "?";
}

// Every span the collector received, in arrival order.
std::vector<SpanView> received_spans(const WebhookReceiver& collector) {
    std::vector<SpanView> spans;
    for (const auto& request : collector.requests()) {
        rapidjson::Document body;
        body.Parse(request.body.c_str());
        if (body.HasParseError() || !body.IsObject()) continue;
        for (const auto& resource : body["resourceSpans"].GetArray()) {
            std::string service;
            for (const auto& attribute : resource["resource"]["attributes"].GetArray())
                if (std::string(attribute["key"].GetString()) == "service.name") service = value_text(attribute["value"]);
            for (const auto& scope : resource["scopeSpans"].GetArray()) {
                for (const auto& span : scope["spans"].GetArray()) {
                    SpanView view;
                    view.service_name = service;
                    view.trace_id = string_member(span, "traceId");
                    view.span_id = string_member(span, "spanId");
                    view.parent_span_id = string_member(span, "parentSpanId");
                    view.name = string_member(span, "name");
                    view.kind = span["kind"].GetInt();
                    view.status_code = span["status"]["code"].GetInt();
                    view.start_ns = std::stoll(span["startTimeUnixNano"].GetString());
                    view.end_ns = std::stoll(span["endTimeUnixNano"].GetString());
                    for (const auto& attribute : span["attributes"].GetArray())
                        view.attributes[attribute["key"].GetString()] = value_text(attribute["value"]);
                    spans.push_back(std::move(view));
                }
            }
        }
    }
    return spans;
}

// The first span `match` accepts, waiting up to `timeout` for it.
template <typename Match>
std::optional<SpanView> wait_for_span(const WebhookReceiver& collector, Match match,
                                      std::chrono::milliseconds timeout = 10000ms) {
    std::optional<SpanView> found;
    poll_until(
        [&] {
            for (const SpanView& span : received_spans(collector))
                if (match(span)) {
                    found = span;
                    return true;
                }
            return false;
        },
        timeout);
    return found;
}

std::vector<std::pair<std::string, std::string>> otel_environment(const WebhookReceiver& collector,
                                                                  std::vector<std::pair<std::string, std::string>> more = {}) {
    std::vector<std::pair<std::string, std::string>> values = {
        {"OTEL_EXPORTER_OTLP_ENDPOINT", collector.url("")},
        {"OTEL_BSP_SCHEDULE_DELAY", "100"},
        {"OTEL_SERVICE_NAME", "agenthost-under-test"},
        {"OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=secret%20key%3D1,Langsmith-Project=traces-test"},
    };
    for (auto& entry : more) {
        bool replaced = false;
        for (auto& existing : values)
            if (existing.first == entry.first) {
                existing.second = entry.second;
                replaced = true;
            }
        if (!replaced) values.push_back(entry);
    }
    return values;
}

std::string llm_config(const FakeLlmServer& llm) {
    return R"("llm":{"provider":"openai","model":"gpt-test","max_retries":0,"timeout_seconds":5,)"
           R"("openai":{"api_key":"sk-test","base_url":")" + llm.url("/v1") + R"("}},)"
           R"("webhooks":{"max_retries":0,"timeout_seconds":2,"retry_base_ms":50,"allowed_hosts":["127.0.0.1"]})";
}

FakeLlmReply openai_answer(const FakeLlmRequest&) { return openai_reply("Hello from gpt", 11, 3); }

// The value of the sample `series` (name and labels as exposed) in a
// Prometheus exposition; -1 when absent.
double metric_value(const std::string& exposition, const std::string& series) {
    size_t at = 0;
    while ((at = exposition.find(series + " ", at)) != std::string::npos) {
        if (at == 0 || exposition[at - 1] == '\n') return std::stod(exposition.substr(at + series.size() + 1));
        at += series.size();
    }
    return -1;
}

std::string probe_body(const std::string& webhook_url = "") {
    return R"({"agent_name":"llm_probe","task":"probe","context":{"mode":"complete","request":)" + kMessages + "}" +
           (webhook_url.empty() ? "" : R"(,"webhook_url":")" + webhook_url + "\"") + "}";
}

}  // namespace

TEST_CASE("an invoke is one trace: HTTP span, run, queue wait, agent invoke, LLM call; the caller's trace id is kept "
          "and carried to the LLM provider and the webhook", "[traces]") {
    WebhookReceiver collector;
    WebhookReceiver hooks;
    FakeLlmServer llm;
    llm.set_responder(openai_answer);
    ScopedEnvironment environment(otel_environment(collector));
    HostProcess host(host_config(kAgents, llm_config(llm)));
    HttpClient client(host.base_url());

    auto answer = client.post("/agent/invoke", probe_body(hooks.url("/hook")),
                              {"traceparent: 00-" + kTraceId + "-" + kCallerSpan + "-01"});
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    std::string run_id = json_of(answer)["run_id"].GetString();

    auto http = wait_for_span(collector, [](const SpanView& s) { return s.kind == 2 && s.name == "POST /agent/invoke"; });
    REQUIRE(http);
    CHECK(http->trace_id == kTraceId);
    CHECK(http->parent_span_id == kCallerSpan);
    CHECK(http->attribute("http.request.method") == "POST");
    CHECK(http->attribute("http.route") == "/agent/invoke");
    CHECK(http->attribute("http.response.status_code") == "200");
    CHECK(http->service_name == "agenthost-under-test");

    auto run = wait_for_span(collector, [](const SpanView& s) { return s.name == "run llm_probe"; });
    REQUIRE(run);
    CHECK(run->trace_id == kTraceId);
    CHECK(run->parent_span_id == http->span_id);
    CHECK(run->attribute("agenthost.run.id") == run_id);
    CHECK(run->attribute("agenthost.run.status") == "succeeded");
    CHECK(run->start_ns <= run->end_ns);

    auto wait = wait_for_span(collector, [&](const SpanView& s) { return s.name == "queue_wait" && s.parent_span_id == run->span_id; });
    REQUIRE(wait);
    CHECK(wait->trace_id == kTraceId);

    auto invoke = wait_for_span(collector, [](const SpanView& s) { return s.name == "invoke_agent llm_probe"; });
    REQUIRE(invoke);
    CHECK(invoke->trace_id == kTraceId);
    CHECK(invoke->parent_span_id == run->span_id);
    CHECK(invoke->attribute("gen_ai.operation.name") == "invoke_agent");
    CHECK(invoke->attribute("gen_ai.agent.name") == "llm_probe");

    auto chat = wait_for_span(collector, [](const SpanView& s) { return s.name == "chat gpt-test"; });
    REQUIRE(chat);
    CHECK(chat->trace_id == kTraceId);
    CHECK(chat->parent_span_id == invoke->span_id);
    CHECK(chat->kind == 3);
    CHECK(chat->attribute("gen_ai.system") == "openai");
    CHECK(chat->attribute("gen_ai.request.model") == "gpt-test");
    CHECK(chat->attribute("gen_ai.response.model") == "fake-gpt");
    CHECK(chat->attribute("gen_ai.usage.input_tokens") == "11");
    CHECK(chat->attribute("gen_ai.usage.output_tokens") == "3");

    // The provider was called under the LLM span.
    REQUIRE(llm.count() == 1);
    CHECK(llm.requests()[0].header("traceparent") == "00-" + kTraceId + "-" + chat->span_id + "-01");

    // The webhook went out under a span of the same trace, and says so.
    REQUIRE(hooks.wait_for(1, 10000ms));
    std::string sent = hooks.requests()[0].header("traceparent");
    REQUIRE(sent.size() == 55);
    CHECK(sent.substr(3, 32) == kTraceId);
    auto webhook = wait_for_span(collector, [](const SpanView& s) { return s.name == "webhook run.succeeded"; });
    REQUIRE(webhook);
    CHECK(webhook->trace_id == kTraceId);
    CHECK(webhook->span_id == sent.substr(36, 16));
    CHECK(webhook->parent_span_id == http->span_id);
    CHECK(webhook->attribute("http.response.status_code") == "200");
    CHECK(webhook->attribute("agenthost.webhook.outcome") == "delivered");

    // Group commits are spans too, each the root of its own trace.
    auto commit = wait_for_span(collector, [](const SpanView& s) { return s.name == "db.commit"; });
    REQUIRE(commit);
    CHECK(commit->parent_span_id.empty());
    CHECK(commit->attribute("db.system") == "sqlite");
    CHECK(std::stoll(commit->attribute("db.operation.batch.size")) >= 1);

    // What the collector was sent: OTLP/HTTP JSON with the configured headers.
    auto exports = collector.requests();
    REQUIRE_FALSE(exports.empty());
    CHECK(exports[0].method == "POST");
    CHECK(exports[0].path == "/v1/traces");
    CHECK(exports[0].header("content-type") == "application/json");
    CHECK(exports[0].header("x-api-key") == "secret key=1");
    CHECK(exports[0].header("langsmith-project") == "traces-test");
}

TEST_CASE("a run approved later by another request stays in the trace of the request that created it", "[traces]") {
    WebhookReceiver collector;
    ScopedEnvironment environment(otel_environment(collector));
    HostProcess host(host_config(kAgents));
    HttpClient client(host.base_url());
    auto created = client.post("/runs", R"({"agent_name":"echo","task":"later","thread_id":"trace-later","require_approval":true})",
                               {"traceparent: 00-" + kTraceId + "-" + kCallerSpan + "-01"});
    INFO(created.body);
    REQUIRE(created.status == 202);
    std::string run_id = json_of(created)["run_id"].GetString();
    auto creating = wait_for_span(collector, [](const SpanView& s) { return s.name == "POST /runs"; });
    REQUIRE(creating);
    CHECK(creating->trace_id == kTraceId);

    // Approved by a request of another trace.
    const std::string other_trace = "11111111111111111111111111111111";
    auto decided = client.post("/workflow/approve/trace-later", R"({"approved":true,"approver":"alice"})",
                               {"traceparent: 00-" + other_trace + "-2222222222222222-01"});
    INFO(decided.body);
    REQUIRE(decided.status == 200);
    REQUIRE(poll_until([&] { return run_status_of(client, run_id) == "succeeded"; }, 10000ms));

    auto run = wait_for_span(collector, [](const SpanView& s) { return s.name == "run echo"; });
    REQUIRE(run);
    CHECK(run->trace_id == kTraceId);
    CHECK(run->parent_span_id == creating->span_id);
    auto approving = wait_for_span(collector, [&](const SpanView& s) { return s.kind == 2 && s.trace_id == other_trace; });
    REQUIRE(approving);
    CHECK(approving->attribute("http.route") == "/workflow/approve/:thread_id");
}

TEST_CASE("a malformed traceparent is ignored: the request succeeds in a new trace", "[traces]") {
    WebhookReceiver collector;
    ScopedEnvironment environment(otel_environment(collector));
    HostProcess host(host_config(kAgents));
    HttpClient client(host.base_url());
    const std::vector<std::string> malformed = {
        "00-" + std::string(32, 'Z') + "-" + kCallerSpan + "-01",
        "00-" + std::string(32, '0') + "-" + kCallerSpan + "-01",
        "ff-" + kTraceId + "-" + kCallerSpan + "-01",
        "00-" + kTraceId + "-" + kCallerSpan,
        std::string(1000, '-'),
    };
    for (const std::string& header : malformed) {
        auto answer = client.get("/health", {"traceparent: " + header});
        INFO(header.substr(0, 80));
        CHECK(answer.status == 200);
    }
    auto answer = client.post("/agent/invoke", R"({"agent_name":"echo","task":"t"})", {"traceparent: garbage"});
    REQUIRE(answer.status == 200);
    auto http = wait_for_span(collector, [](const SpanView& s) { return s.name == "POST /agent/invoke"; });
    REQUIRE(http);
    CHECK(http->parent_span_id.empty());
    CHECK(http->trace_id.size() == 32);
    CHECK(http->trace_id != kTraceId);
    auto run = wait_for_span(collector, [](const SpanView& s) { return s.name == "run echo"; });
    REQUIRE(run);
    CHECK(run->trace_id == http->trace_id);
    REQUIRE(poll_until([&] { return received_spans(collector).size() >= 6; }, 5000ms));
    for (const SpanView& span : received_spans(collector)) {
        INFO(span.name);
        CHECK(span.trace_id != kTraceId);
    }
    // An unknown path is a span named by its method alone.
    CHECK(client.get("/no/such/route").status == 404);
    auto unrouted = wait_for_span(collector, [](const SpanView& s) { return s.kind == 2 && s.name == "GET"; });
    REQUIRE(unrouted);
    CHECK(unrouted->attribute("http.response.status_code") == "404");
    CHECK(unrouted->attribute("http.route").empty());
}

TEST_CASE("sampling off sends nothing; an unsampled caller's decision reaches the LLM provider", "[traces]") {
    WebhookReceiver collector;
    FakeLlmServer llm;
    llm.set_responder(openai_answer);
    SECTION("OTEL_TRACES_SAMPLER=always_off") {
        ScopedEnvironment environment(otel_environment(collector, {{"OTEL_TRACES_SAMPLER", "always_off"}}));
        HostProcess host(host_config(kAgents, llm_config(llm)));
        HttpClient client(host.base_url());
        // Even a caller that asks for sampling is not recorded.
        auto answer = client.post("/agent/invoke", probe_body(), {"traceparent: 00-" + kTraceId + "-" + kCallerSpan + "-01"});
        REQUIRE(answer.status == 200);
        CHECK(client.get("/health").status == 200);
        REQUIRE(llm.count() == 1);
        std::string sent = llm.requests()[0].header("traceparent");
        REQUIRE(sent.size() == 55);
        CHECK(sent.substr(3, 32) == kTraceId);
        CHECK(sent.substr(53) == "00");
        host.stop();  // the exporter's last flush has happened
        CHECK(collector.count() == 0);
    }
    SECTION("parentbased_traceidratio 0 and a caller that did not sample") {
        ScopedEnvironment environment(otel_environment(
            collector, {{"OTEL_TRACES_SAMPLER", "parentbased_traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "0"}}));
        HostProcess host(host_config(kAgents, llm_config(llm)));
        HttpClient client(host.base_url());
        auto answer = client.post("/agent/invoke", probe_body(), {"traceparent: 00-" + kTraceId + "-" + kCallerSpan + "-00"});
        REQUIRE(answer.status == 200);
        REQUIRE(llm.count() == 1);
        CHECK(llm.requests()[0].header("traceparent").substr(53) == "00");
        host.stop();
        CHECK(collector.count() == 0);
    }
    SECTION("OTEL_SDK_DISABLED=true: no spans and no traceparent sent on") {
        ScopedEnvironment environment(otel_environment(collector, {{"OTEL_SDK_DISABLED", "true"}}));
        HostProcess host(host_config(kAgents, llm_config(llm)));
        HttpClient client(host.base_url());
        auto answer = client.post("/agent/invoke", probe_body(), {"traceparent: 00-" + kTraceId + "-" + kCallerSpan + "-01"});
        REQUIRE(answer.status == 200);
        REQUIRE(llm.count() == 1);
        CHECK_FALSE(llm.requests()[0].has_header("traceparent"));
        host.stop();
        CHECK(collector.count() == 0);
    }
}

TEST_CASE("the config file's telemetry section configures tracing; the environment overrides it", "[traces]") {
    WebhookReceiver collector;
    std::string telemetry = R"("telemetry":{"otlp_endpoint":")" + collector.url("/base") +
                            R"(","headers":{"Authorization":"Basic cGs6c2s="},"service_name":"from-config",)"
                            R"("schedule_delay_ms":100,"database_spans":false})";
    ScopedEnvironment environment(std::vector<std::pair<std::string, std::string>>{{"OTEL_SERVICE_NAME", "from-environment"}});
    HostProcess host(host_config(kAgents, telemetry));
    HttpClient client(host.base_url());
    REQUIRE(client.post("/agent/invoke", R"({"agent_name":"echo","task":"t"})").status == 200);
    auto http = wait_for_span(collector, [](const SpanView& s) { return s.name == "POST /agent/invoke"; });
    REQUIRE(http);
    CHECK(http->service_name == "from-environment");
    auto exports = collector.requests();
    REQUIRE_FALSE(exports.empty());
    CHECK(exports[0].path == "/base/v1/traces");
    CHECK(exports[0].header("authorization") == "Basic cGs6c2s=");
    REQUIRE(wait_for_span(collector, [](const SpanView& s) { return s.name == "run echo"; }));
    for (const SpanView& span : received_spans(collector)) CHECK(span.name != "db.commit");
}

TEST_CASE("a dead collector neither fails nor slows requests and costs one log line, not one per batch", "[traces]") {
    ScopedEnvironment environment({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + std::to_string(free_port())},
                                   {"OTEL_BSP_SCHEDULE_DELAY", "20"},
                                   {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "2"}});
    HostProcess host(host_config(kAgents));
    HttpClient client(host.base_url());
    for (int i = 0; i < 20; ++i) {
        CHECK(client.get("/health").status == 200);
        CHECK(client.post("/agent/invoke", R"({"agent_name":"echo","task":"t"})").status == 200);
    }
    // Many batches failed by now ...
    REQUIRE(poll_until([&] { return metric_value(client.get("/metrics").body, "agenthost_trace_export_failures_total") >= 5; },
                       10000ms));
    // ... and the log says so once.
    std::string log = host.log();
    size_t lines = 0;
    for (size_t at = log.find("trace export failed"); at != std::string::npos; at = log.find("trace export failed", at + 1))
        ++lines;
    CHECK(lines == 1);
    auto metrics = client.get("/metrics").body;
    CHECK(metric_value(metrics, "agenthost_trace_spans_total{outcome=\"exported\"}") == 0);
    CHECK(metric_value(metrics, "agenthost_trace_spans_total{outcome=\"dropped\"}") >= 10);
}

TEST_CASE("a stalled collector holds no request and no shutdown: the queue is bounded, overflow dropped and counted",
          "[traces]") {
    WebhookReceiver collector;
    collector.set_delay(60000ms);  // takes each export and answers after a minute
    ScopedEnvironment environment(otel_environment(
        collector, {{"OTEL_BSP_MAX_QUEUE_SIZE", "8"}, {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "4"},
                    {"OTEL_EXPORTER_OTLP_TIMEOUT", "60000"}}));
    HostProcess host(host_config(kAgents));
    HttpClient client(host.base_url());
    auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 30; ++i) REQUIRE(client.post("/agent/invoke", R"({"agent_name":"echo","task":"t"})").status == 200);
    // Not a timing target: a host that waited for this collector would need
    // a minute per export.
    CHECK(std::chrono::steady_clock::now() - started < 30000ms);
    REQUIRE(collector.wait_for(1, 5000ms));
    CHECK(metric_value(client.get("/metrics").body, "agenthost_trace_spans_total{outcome=\"dropped\"}") > 0);
    // The export in flight is given up within the stop's grace period.
    auto stopping = std::chrono::steady_clock::now();
    CHECK(host.stop() == 0);
    CHECK(std::chrono::steady_clock::now() - stopping < 20000ms);
    collector.stop();
}
