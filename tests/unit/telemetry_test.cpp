// Tracing pieces without a host: traceparent parsing (malformed headers are
// ignored, never a crash), the samplers, the OTEL_* settings, the OTLP JSON
// encoding, and the exporter's bounded queue and batching.
#include "telemetry/otlp_json.hpp"
#include "telemetry/sampler.hpp"
#include "telemetry/span_exporter.hpp"
#include "telemetry/trace_context.hpp"
#include "telemetry/trace_settings.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <thread>

using namespace agenthost::telemetry;

namespace {

const std::string kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
const std::string kSpan = "00f067aa0ba902b7";

EnvLookup env_of(std::map<std::string, std::string> values) {
    return [values](const char* name) -> std::optional<std::string> {
        auto found = values.find(name);
        if (found == values.end()) return std::nullopt;
        return found->second;
    };
}

TraceId trace_id_with_tail(std::uint64_t tail) {
    TraceId id{};
    id[0] = 1;
    for (int i = 0; i < 8; ++i) id[15 - i] = static_cast<std::uint8_t>(tail >> (8 * i));
    return id;
}

bool poll_calls(const std::atomic<int>& calls) {
    for (int i = 0; i < 500 && calls.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return calls.load() > 0;
}

}  // namespace

TEST_CASE("traceparent: a well-formed header is read, flags and all", "[telemetry]") {
    auto sampled = parse_traceparent("00-" + kTrace + "-" + kSpan + "-01");
    REQUIRE(sampled);
    CHECK(sampled->trace_id_hex() == kTrace);
    CHECK(sampled->span_id_hex() == kSpan);
    CHECK(sampled->sampled);
    CHECK(sampled->traceparent() == "00-" + kTrace + "-" + kSpan + "-01");

    auto unsampled = parse_traceparent("00-" + kTrace + "-" + kSpan + "-00");
    REQUIRE(unsampled);
    CHECK_FALSE(unsampled->sampled);
    // Other flag bits are not "sampled".
    auto other_bits = parse_traceparent("00-" + kTrace + "-" + kSpan + "-fe");
    REQUIRE(other_bits);
    CHECK_FALSE(other_bits->sampled);
    // Surrounding blanks are not part of the value.
    CHECK(parse_traceparent("  00-" + kTrace + "-" + kSpan + "-01\t"));
    // A later version is read as version 00, extra fields ignored.
    auto future = parse_traceparent("cc-" + kTrace + "-" + kSpan + "-01-what-the-future-brings");
    REQUIRE(future);
    CHECK(future->trace_id_hex() == kTrace);
    CHECK(parse_traceparent("01-" + kTrace + "-" + kSpan + "-01"));
}

TEST_CASE("traceparent: malformed headers are ignored", "[telemetry]") {
    const std::string good = "00-" + kTrace + "-" + kSpan + "-01";
    std::vector<std::string> bad = {
        "",
        "00",
        "garbage",
        good.substr(0, 54),                                     // one short
        good + "0",                                             // version 00 is exactly 55 characters
        good + "-extra",                                        // ... even with a separator
        "ff-" + kTrace + "-" + kSpan + "-01",                   // version ff is invalid
        "0g-" + kTrace + "-" + kSpan + "-01",                   // version not hex
        "00-" + std::string(32, '0') + "-" + kSpan + "-01",     // all-zero trace id
        "00-" + kTrace + "-" + std::string(16, '0') + "-01",    // all-zero span id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + kSpan + "-01", // upper case
        "00-" + kTrace + "-00F067AA0BA902B7-01",
        "00-" + kTrace + "-" + kSpan + "-0x",                   // flags not hex
        "00_" + kTrace + "-" + kSpan + "-01",                   // wrong separators
        "00-" + kTrace + "_" + kSpan + "-01",
        "00-" + kTrace + "-" + kSpan + "_01",
        "00-" + kTrace.substr(0, 31) + "-" + kSpan + "0-01",   // separator in the wrong place
        "cc-" + kTrace + "-" + kSpan + "-01x",                  // a later version still needs '-' after the flags
        "00-" + kTrace + "-" + kSpan + "-01\r\nX-Injected: 1",
        std::string("00-") + std::string(1, '\0') + kTrace.substr(1) + "-" + kSpan + "-01",
    };
    for (const std::string& header : bad) {
        INFO("header: " << header);
        CHECK_FALSE(parse_traceparent(header));
    }
}

TEST_CASE("traceparent: random bytes never crash the parser", "[telemetry]") {
    std::mt19937 random(19);
    std::uniform_int_distribution<int> byte(0, 255), length(0, 80);
    const std::string good = "00-" + kTrace + "-" + kSpan + "-01";
    for (int i = 0; i < 20000; ++i) {
        std::string text = i % 2 == 0 ? std::string(static_cast<size_t>(length(random)), ' ') : good;
        for (char& c : text)
            if (i % 2 == 0 || byte(random) < 8) c = static_cast<char>(byte(random));
        auto parsed = parse_traceparent(text);
        if (parsed) CHECK(parsed->valid());
    }
}

TEST_CASE("new ids are random and never zero; a scoped context nests", "[telemetry]") {
    TraceContext a{new_trace_id(), new_span_id(), true};
    TraceContext b{new_trace_id(), new_span_id(), false};
    CHECK(a.valid());
    CHECK(a.trace_id != b.trace_id);
    CHECK(a.span_id != b.span_id);
    CHECK(current_context() == nullptr);
    CHECK(current_traceparent().empty());
    {
        ScopedContext outer(a);
        CHECK(current_traceparent() == a.traceparent());
        {
            ScopedContext inner(b);
            CHECK(current_traceparent() == b.traceparent());
            ScopedContext invalid{TraceContext{}};  // changes nothing
            CHECK(current_traceparent() == b.traceparent());
        }
        CHECK(current_traceparent() == a.traceparent());
    }
    CHECK(current_context() == nullptr);
}

TEST_CASE("samplers: always_on, always_off, parent-based and trace-id ratio", "[telemetry]") {
    std::string problem;
    TraceContext sampled_parent{new_trace_id(), new_span_id(), true};
    TraceContext unsampled_parent{new_trace_id(), new_span_id(), false};
    TraceId id = new_trace_id();

    Sampler standard;  // parentbased_always_on
    CHECK(standard.sample(nullptr, id));
    CHECK(standard.sample(&sampled_parent, id));
    CHECK_FALSE(standard.sample(&unsampled_parent, id));

    Sampler off = Sampler::parse("always_off", "", problem);
    CHECK(problem.empty());
    CHECK_FALSE(off.sample(nullptr, id));
    CHECK_FALSE(off.sample(&sampled_parent, id));  // not parent-based: the caller's flag does not count

    Sampler on = Sampler::parse("always_on", "", problem);
    CHECK(on.sample(&unsampled_parent, id));

    Sampler parent_off = Sampler::parse("parentbased_always_off", "", problem);
    CHECK_FALSE(parent_off.sample(nullptr, id));
    CHECK(parent_off.sample(&sampled_parent, id));

    Sampler quarter = Sampler::parse("traceidratio", "0.25", problem);
    CHECK(problem.empty());
    CHECK(quarter.sample(nullptr, trace_id_with_tail(0)));
    CHECK(quarter.sample(nullptr, trace_id_with_tail(0x3ff0000000000000ULL)));
    CHECK_FALSE(quarter.sample(nullptr, trace_id_with_tail(0x4000100000000000ULL)));
    CHECK_FALSE(quarter.sample(nullptr, trace_id_with_tail(~0ULL)));
    int chosen = 0;
    for (int i = 0; i < 4000; ++i) chosen += quarter.sample(nullptr, new_trace_id()) ? 1 : 0;
    CHECK(chosen > 800);
    CHECK(chosen < 1200);
    // The same trace id gets the same answer (every host agrees).
    TraceId fixed = new_trace_id();
    CHECK(quarter.sample(nullptr, fixed) == quarter.sample(nullptr, fixed));

    Sampler parent_ratio = Sampler::parse("parentbased_traceidratio", "0", problem);
    CHECK_FALSE(parent_ratio.sample(nullptr, id));
    CHECK(parent_ratio.sample(&sampled_parent, id));
}

TEST_CASE("samplers: bad names and arguments fall back with a reason", "[telemetry]") {
    for (const std::string& arg : {"1.5", "-0.1", "half", "0.5x", "nan"}) {
        std::string problem;
        Sampler sampler = Sampler::parse("traceidratio", arg, problem);
        INFO(arg);
        CHECK_FALSE(problem.empty());
        CHECK(sampler.sample(nullptr, new_trace_id()));  // ratio 1
    }
    std::string problem;
    Sampler unknown = Sampler::parse("jaeger_remote", "", problem);
    CHECK(problem.find("jaeger_remote") != std::string::npos);
    CHECK(unknown.describe() == "parentbased_always_on");
}

TEST_CASE("OTEL_* settings: endpoint, headers, service name, sampler, batching", "[telemetry]") {
    std::vector<std::string> problems;
    TraceSettings settings;
    apply_otel_environment(settings,
                           env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "https://api.smith.langchain.com/otel/"},
                                   {"OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=lsv2%20key, Langsmith-Project = demo ,bad,=x"},
                                   {"OTEL_SERVICE_NAME", "checkout"},
                                   {"OTEL_RESOURCE_ATTRIBUTES", "service.name=ignored,deployment.environment=prod"},
                                   {"OTEL_TRACES_SAMPLER", "ParentBased_TraceIdRatio"},
                                   {"OTEL_TRACES_SAMPLER_ARG", "0.5"},
                                   {"OTEL_BSP_SCHEDULE_DELAY", "250"},
                                   {"OTEL_BSP_MAX_QUEUE_SIZE", "16"},
                                   {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "64"},
                                   {"AGENTHOST_TRACE_DATABASE_SPANS", "false"}}),
                           problems);
    CHECK(problems.empty());
    CHECK_FALSE(settings.database_spans);
    CHECK(settings.active());
    CHECK(settings.traces_url == "https://api.smith.langchain.com/otel/v1/traces");
    REQUIRE(settings.headers.size() == 2);
    CHECK(settings.headers[0] == std::make_pair(std::string("x-api-key"), std::string("lsv2 key")));
    CHECK(settings.headers[1] == std::make_pair(std::string("Langsmith-Project"), std::string("demo")));
    CHECK(settings.service_name == "checkout");
    REQUIRE(settings.resource_attributes.size() == 1);
    CHECK(settings.resource_attributes[0].first == "deployment.environment");
    CHECK(settings.sampler == "parentbased_traceidratio");
    CHECK(settings.sampler_arg == "0.5");
    CHECK(settings.schedule_delay_ms == 250);
    CHECK(settings.max_queue_size == 16);
    CHECK(settings.max_export_batch_size == 16);  // never more than the queue holds

    // The traces endpoint is used as it is and wins; signal headers win per key.
    TraceSettings specific;
    specific.headers = {{"Authorization", "from config"}};
    apply_otel_environment(specific,
                           env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"},
                                   {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://cloud.langfuse.com/api/public/otel/v1/traces"},
                                   {"OTEL_EXPORTER_OTLP_HEADERS", "authorization=Basic%20cGs6c2s%3D"},
                                   {"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-extra=1"}}),
                           problems);
    CHECK(specific.traces_url == "https://cloud.langfuse.com/api/public/otel/v1/traces");
    REQUIRE(specific.headers.size() == 2);
    CHECK(specific.headers[0].second == "Basic cGs6c2s=");
    CHECK(specific.headers[1].first == "x-extra");

    // No endpoint: off. OTEL_SDK_DISABLED and OTEL_TRACES_EXPORTER=none: off.
    TraceSettings none;
    apply_otel_environment(none, env_of({}), problems);
    CHECK_FALSE(none.active());
    TraceSettings disabled;
    apply_otel_environment(disabled, env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"}, {"OTEL_SDK_DISABLED", "TRUE"}}),
                           problems);
    CHECK_FALSE(disabled.active());
    TraceSettings exporter_none;
    apply_otel_environment(exporter_none,
                           env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"}, {"OTEL_TRACES_EXPORTER", "none"}}), problems);
    CHECK_FALSE(exporter_none.active());
}

TEST_CASE("seed 001's LANGSMITH_API_KEY sends spans to LangSmith's OTLP endpoint", "[telemetry]") {
    std::vector<std::string> problems;
    TraceSettings settings;
    apply_otel_environment(settings, env_of({{"LANGSMITH_API_KEY", "lsv2_pt_abc"}, {"LANGSMITH_PROJECT", "agents"}}),
                           problems);
    CHECK(problems.empty());
    CHECK(settings.active());
    CHECK(settings.traces_url == "https://api.smith.langchain.com/otel/v1/traces");
    REQUIRE(settings.headers.size() == 2);
    CHECK(settings.headers[0] == std::make_pair(std::string("x-api-key"), std::string("lsv2_pt_abc")));
    CHECK(settings.headers[1] == std::make_pair(std::string("Langsmith-Project"), std::string("agents")));

    // A self-hosted or regional LangSmith; the OTEL_* variables win.
    TraceSettings eu;
    apply_otel_environment(eu, env_of({{"LANGSMITH_API_KEY", "k"}, {"LANGSMITH_ENDPOINT", "https://eu.api.smith.langchain.com/"}}),
                           problems);
    CHECK(eu.traces_url == "https://eu.api.smith.langchain.com/otel/v1/traces");
    TraceSettings collector;
    apply_otel_environment(collector,
                           env_of({{"LANGSMITH_API_KEY", "k"}, {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"}}),
                           problems);
    CHECK(collector.traces_url == "http://collector:4318/v1/traces");

    // LANGSMITH_TRACING=false turns it off; a key with a line break is not sent.
    TraceSettings off;
    apply_otel_environment(off, env_of({{"LANGSMITH_API_KEY", "k"}, {"LANGSMITH_TRACING", "false"}}), problems);
    CHECK_FALSE(off.active());
    TraceSettings injected;
    apply_otel_environment(injected, env_of({{"LANGSMITH_API_KEY", "k\r\nX-Evil: 1"}}), problems);
    CHECK(injected.headers.empty());
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].find("LANGSMITH_API_KEY") != std::string::npos);
}

TEST_CASE("OTEL_* settings: unusable values are named and skipped", "[telemetry]") {
    std::vector<std::string> problems;
    TraceSettings settings;
    apply_otel_environment(settings,
                           env_of({{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"},
                                   {"OTEL_BSP_SCHEDULE_DELAY", "soon"},
                                   {"OTEL_BSP_MAX_QUEUE_SIZE", "-3"},
                                   {"OTEL_SDK_DISABLED", "maybe"},
                                   {"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}}),
                           problems);
    CHECK(problems.size() == 4);
    CHECK(settings.active());
    CHECK(settings.schedule_delay_ms == 5000);
    CHECK(settings.max_queue_size == 2048);
}

TEST_CASE("key=value lists: trimmed, percent-decoded, no header injection", "[telemetry]") {
    auto parsed = parse_key_values(" a = 1 ,b=x%3Dy%2Cz,,c,=d,e=%0D%0AX-Evil: 1,f%20g=h, i= ");
    REQUIRE(parsed.size() == 4);
    CHECK(parsed[0] == std::make_pair(std::string("a"), std::string("1")));
    CHECK(parsed[1] == std::make_pair(std::string("b"), std::string("x=y,z")));
    CHECK(parsed[2] == std::make_pair(std::string("f g"), std::string("h")));
    CHECK(parsed[3] == std::make_pair(std::string("i"), std::string("")));
    CHECK(parse_key_values("").empty());
    CHECK(traces_url_from_base("http://localhost:4318") == "http://localhost:4318/v1/traces");
    CHECK(traces_url_from_base("http://localhost:4318//") == "http://localhost:4318/v1/traces");
}

TEST_CASE("OTLP JSON: resource, scope and spans in the protobuf's JSON mapping", "[telemetry]") {
    SpanData span;
    span.context = *parse_traceparent("00-" + kTrace + "-" + kSpan + "-01");
    span.parent_span_id = new_span_id();
    span.has_parent = true;
    span.name = "POST /agent/invoke";
    span.kind = SpanKind::server;
    span.start_unix_ns = 1700000000000000000LL;
    span.end_unix_ns = 1700000000500000000LL;
    span.attributes = {{"http.route", std::string("/agent/invoke")},
                       {"http.response.status_code", 200LL},
                       {"ratio", 0.5},
                       {"stream", true},
                       {"bad", std::string("caf\xc3\xa9 \xff\xfe end")}};
    span.status_code = 2;
    span.status_message = "HTTP 500";
    SpanData root;
    root.context = TraceContext{new_trace_id(), new_span_id(), true};
    root.name = "db.commit";
    root.kind = SpanKind::client;
    std::string body = encode_traces({{"service.name", std::string("agenthost")}}, "1.2.3", {span, root});
    rapidjson::Document json;
    json.Parse(body.c_str());
    INFO(body);
    REQUIRE_FALSE(json.HasParseError());
    const auto& resource_spans = json["resourceSpans"][0];
    CHECK(std::string(resource_spans["resource"]["attributes"][0]["key"].GetString()) == "service.name");
    CHECK(std::string(resource_spans["resource"]["attributes"][0]["value"]["stringValue"].GetString()) == "agenthost");
    const auto& scope = resource_spans["scopeSpans"][0];
    CHECK(std::string(scope["scope"]["name"].GetString()) == "agenthost");
    CHECK(std::string(scope["scope"]["version"].GetString()) == "1.2.3");
    REQUIRE(scope["spans"].Size() == 2);
    const auto& first = scope["spans"][0];
    CHECK(std::string(first["traceId"].GetString()) == kTrace);
    CHECK(std::string(first["spanId"].GetString()) == kSpan);
    CHECK(std::string(first["parentSpanId"].GetString()).size() == 16);
    CHECK(first["kind"].GetInt() == 2);
    CHECK(std::string(first["startTimeUnixNano"].GetString()) == "1700000000000000000");
    CHECK(std::string(first["endTimeUnixNano"].GetString()) == "1700000000500000000");
    CHECK(std::string(first["attributes"][1]["value"]["intValue"].GetString()) == "200");
    CHECK(first["attributes"][2]["value"]["doubleValue"].GetDouble() == 0.5);
    CHECK(first["attributes"][3]["value"]["boolValue"].GetBool());
    // Bytes that are not UTF-8 become U+FFFD: the batch stays valid JSON.
    CHECK(std::string(first["attributes"][4]["value"]["stringValue"].GetString()) ==
          "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd end");
    CHECK(first["status"]["code"].GetInt() == 2);
    CHECK(std::string(first["status"]["message"].GetString()) == "HTTP 500");
    CHECK_FALSE(scope["spans"][1].HasMember("parentSpanId"));
}

TEST_CASE("exporter: batches by size and delay, bounded queue drops and counts, sends the rest at stop", "[telemetry]") {
    TraceSettings settings;
    settings.traces_url = "http://unused";
    settings.max_queue_size = 8;
    settings.max_export_batch_size = 4;
    settings.schedule_delay_ms = 60000;  // only full batches go before stop
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<size_t> batches;
    bool hold = true;
    SpanExporter exporter(settings, {}, "test", [&](const std::string& body, long long, const std::function<bool()>&, std::string&) {
        rapidjson::Document json;
        json.Parse(body.c_str());
        std::unique_lock<std::mutex> lock(mutex);
        batches.push_back(json["resourceSpans"][0]["scopeSpans"][0]["spans"].Size());
        changed.notify_all();
        changed.wait(lock, [&] { return !hold; });
        return true;
    });
    exporter.start();
    auto span = [] {
        SpanData data;
        data.context = TraceContext{new_trace_id(), new_span_id(), true};
        data.name = "s";
        return data;
    };
    for (int i = 0; i < 4; ++i) CHECK(exporter.enqueue(span()));
    {
        // The full batch goes at once; the sender is held inside it.
        std::unique_lock<std::mutex> lock(mutex);
        REQUIRE(changed.wait_for(lock, std::chrono::seconds(5), [&] { return batches.size() == 1; }));
    }
    // While the collector is slow the queue fills (8), then spans are dropped.
    int accepted = 0;
    for (int i = 0; i < 12; ++i) accepted += exporter.enqueue(span()) ? 1 : 0;
    CHECK(accepted == 8);
    CHECK(exporter.stats().dropped == 4);
    {
        std::lock_guard<std::mutex> lock(mutex);
        hold = false;
    }
    changed.notify_all();
    exporter.stop();
    CHECK(exporter.stats().exported == 12);
    size_t total = 0;
    for (size_t size : batches) {
        CHECK(size <= 4);
        total += size;
    }
    CHECK(total == 12);
    CHECK_FALSE(exporter.enqueue(span()));  // after stop: dropped
}

TEST_CASE("exporter: a failing collector drops the batch and counts it", "[telemetry]") {
    TraceSettings settings;
    settings.traces_url = "http://unused";
    settings.max_export_batch_size = 2;
    settings.schedule_delay_ms = 60000;  // full batches and the stop decide
    std::atomic<int> calls{0};
    SpanExporter exporter(settings, {}, "test", [&](const std::string&, long long, const std::function<bool()>&, std::string& error) {
        ++calls;
        error = "connection refused";
        return false;
    });
    exporter.start();
    for (int i = 0; i < 6; ++i) {
        SpanData data;
        data.context = TraceContext{new_trace_id(), new_span_id(), true};
        exporter.enqueue(std::move(data));
    }
    exporter.stop();
    CHECK(calls.load() == 3);
    CHECK(exporter.stats().failed_batches == 3);
    CHECK(exporter.stats().dropped == 6);
    CHECK(exporter.stats().exported == 0);
}

TEST_CASE("exporter: a collector that never answers cannot hold the stop past its grace", "[telemetry]") {
    TraceSettings settings;
    settings.traces_url = "http://unused";
    settings.max_export_batch_size = 1;
    settings.export_timeout_ms = 60000;
    std::atomic<int> calls{0};
    SpanExporter exporter(settings, {}, "test",
                          [&](const std::string&, long long, const std::function<bool()>& give_up, std::string& error) {
                              ++calls;
                              while (!give_up()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
                              error = "gave up";
                              return false;
                          });
    exporter.start();
    for (int i = 0; i < 5; ++i) {
        SpanData data;
        data.context = TraceContext{new_trace_id(), new_span_id(), true};
        exporter.enqueue(std::move(data));
    }
    REQUIRE(poll_calls(calls));
    exporter.stop();  // returns once the grace is over, not after 5 x 60 s
    CHECK(calls.load() == 1);
    CHECK(exporter.stats().dropped == 5);
}
