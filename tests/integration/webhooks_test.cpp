// Webhooks through a real host on SQLite: outbound deliveries of finished runs
// and processing requests to a loopback receiver that checks both signature
// schemes with its own code; retries, 410, timeouts, durability across a
// restart, the delivery log and manual retry; the SSRF guard; inbound
// processing requests signed with the inbound secret; the signing test
// endpoint.
#include "test_host.hpp"
#include "webhook_receiver.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <regex>
#include <set>
#include <thread>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

const std::string kPlainSecret = "plain-s3cret-for-webhooks";
// python3 -c "import base64,os;print('whsec_'+base64.b64encode(os.urandom(32)).decode())"
const std::string kWhsecSecret = "whsec_LRtuvZnzWX4Ab59V1hqQKMwYKal32oArJXo3HJTWgjw=";
const std::string kInboundSecret = "inbound-s3cret-004";
const std::string kAgents = R"({"echo":{"enabled":true},"thrower":{"enabled":true}})";
const std::string kText = "Webhook deliveries carry the outcome of a processing request.";

// Loopback allowed, fast retries, 2 retries (3 attempts), 1 s timeout.
HostProcess& host() {
    static HostProcess instance(host_config(kAgents, R"("webhooks":{"max_retries":2,"timeout_seconds":1,"retry_base_ms":50,)"
                                                     R"("allowed_hosts":["127.0.0.1"],"inbound_secret":")" +
                                                         kInboundSecret + R"("})"));
    return instance;
}

// No allowed hosts and no inbound secret: the SSRF guard at its strictest.
HostProcess& guarded_host() {
    static HostProcess instance(host_config(kAgents, R"("webhooks":{"retry_base_ms":50})"));
    return instance;
}

// ---- Request bodies ---------------------------------------------------------

std::string hook_fields(const std::string& url, const std::string& secret) {
    std::string fields;
    if (!url.empty()) fields += R"(,"webhook_url":")" + url + "\"";
    if (!secret.empty()) fields += R"(,"webhook_secret":")" + secret + "\"";
    return fields;
}

std::string run_body(const std::string& agent, const std::string& task, const std::string& url,
                     const std::string& secret, const std::string& context = "") {
    return R"({"agent_name":")" + agent + R"(","task":")" + task + "\"" +
           (context.empty() ? "" : R"(,"context":)" + context) + hook_fields(url, secret) + "}";
}

std::string process_body(const std::string& agents_json, const std::string& url, const std::string& secret) {
    return R"({"text":")" + kText + R"(","orchestration_mode":"sequential","agents":)" + agents_json +
           hook_fields(url, secret) + "}";
}

std::string submit_run(HttpClient& client, const std::string& body) {
    auto result = client.post("/runs", body);
    INFO("POST /runs " << body << " -> " << result.status << " " << result.body);
    REQUIRE(result.status == 202);
    return json_of(result)["run_id"].GetString();
}

std::string submit_process(HttpClient& client, const std::string& body) {
    auto result = client.post("/api/v1/process", body);
    INFO("POST /api/v1/process " << body << " -> " << result.status << " " << result.body);
    REQUIRE(result.status == 202);
    return json_of(result)["request_id"].GetString();
}

// ---- Checks -------------------------------------------------------------------

bool is_rfc3339(const std::string& text) {
    static const std::regex pattern(R"(^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$)");
    return std::regex_match(text, pattern);
}

long long unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

rapidjson::Document parse(const std::string& text) {
    rapidjson::Document document;
    document.Parse(text.c_str());
    INFO("JSON: " << text);
    REQUIRE_FALSE(document.HasParseError());
    return document;
}

// One delivered request: method, path, headers of the contract, and its
// JSON envelope {"type", "timestamp", "data"}. Returns the parsed body.
rapidjson::Document check_delivery(const WebhookRequest& request, const std::string& path, const std::string& type) {
    INFO("delivery " << request.method << " " << request.path << " body " << request.body);
    CHECK(request.method == "POST");
    CHECK(request.path == path);
    CHECK(request.header("content-type") == "application/json");
    CHECK(request.header("x-webhook-event") == type);
    CHECK_FALSE(request.header("webhook-id").empty());
    const std::string& timestamp = request.header("webhook-timestamp");
    INFO("webhook-timestamp " << timestamp);
    CHECK(std::regex_match(timestamp, std::regex(R"(^\d{9,11}$)")));
    if (std::regex_match(timestamp, std::regex(R"(^\d{1,11}$)"))) {
        // The time of this attempt, not of the first one (Standard Webhooks
        // receivers refuse timestamps more than a few minutes off).
        long long arrived = std::chrono::duration_cast<std::chrono::seconds>(request.arrived_wall.time_since_epoch()).count();
        CHECK(std::llabs(std::stoll(timestamp) - arrived) <= 2);
    }
    rapidjson::Document payload = parse(request.body);
    REQUIRE(payload.IsObject());
    REQUIRE(payload.HasMember("type"));
    REQUIRE(payload["type"].IsString());
    CHECK(std::string(payload["type"].GetString()) == type);
    REQUIRE(payload.HasMember("timestamp"));
    REQUIRE(payload["timestamp"].IsString());
    CHECK(is_rfc3339(payload["timestamp"].GetString()));
    REQUIRE(payload.HasMember("data"));
    REQUIRE(payload["data"].IsObject());
    return payload;
}

// Both signature schemes verify with `secret`, and neither with another one.
void check_signed(const WebhookRequest& request, const std::string& secret) {
    INFO("x-webhook-signature " << request.header("x-webhook-signature") << ", webhook-signature "
                                << request.header("webhook-signature") << ", webhook-id " << request.header("webhook-id")
                                << ", webhook-timestamp " << request.header("webhook-timestamp") << ", body "
                                << request.body);
    CHECK(verify_hex(request, secret));
    CHECK(verify_standard(request, secret));
    CHECK_FALSE(verify_hex(request, secret + "x"));
    CHECK_FALSE(verify_standard(request, "not-" + secret));
}

// `actual` equals the JSON that GET `path` answers now.
void check_same_as_get(HttpClient& client, const rapidjson::Value& actual, const std::string& path) {
    auto result = client.get(path);
    REQUIRE(result.status == 200);
    rapidjson::Document expected = parse(result.body);
    INFO("webhook data: " << json_text(actual) << "\nGET " << path << ": " << result.body);
    CHECK(actual == expected);
}

// Any error envelope with `status`; returns its `error`.
std::string envelope_error(const HttpResult& result, long status) {
    INFO("answer " << result.status << " " << result.body);
    CHECK(result.status == status);
    rapidjson::Document body;
    body.Parse(result.body.c_str());
    REQUIRE_FALSE(body.HasParseError());
    REQUIRE(body.IsObject());
    CHECK(body["error"].IsString());
    CHECK(body["message"].IsString());
    CHECK(body["details"].IsArray());
    CHECK(string_member(body, "request_id") == result.header("x-request-id"));
    return string_member(body, "error");
}

// A 422 ValidationError naming /webhook_url.
void check_webhook_url_refused(const HttpResult& result, const std::string& what) {
    INFO(what << " -> " << result.status << " " << result.body);
    auto body = error_envelope(result, 422, "ValidationError");
    bool named = false;
    if (body.HasMember("details") && body["details"].IsArray())
        for (const auto& detail : body["details"].GetArray()) named = named || string_member(detail, "field") == "/webhook_url";
    CHECK(named);
}

// ---- The delivery log -------------------------------------------------------------

struct AttemptView {
    int attempt = 0;
    std::string at;
    bool has_status_code = false;
    long status_code = 0;
    bool has_error = false;
    std::string error;
    bool duration_is_number = false;
    double duration_ms = -1;
};

struct DeliveryView {
    std::string delivery_id, webhook_id, url, event_type, status;
    std::vector<AttemptView> attempts;
};

struct LogsView {
    long http_status = 0;
    std::string body;
    std::string request_id;
    std::vector<DeliveryView> deliveries;

    const DeliveryView* with_webhook_id(const std::string& id) const {
        for (const auto& delivery : deliveries)
            if (delivery.webhook_id == id) return &delivery;
        return nullptr;
    }
};

// GET /api/v1/webhook-logs/{id}, read leniently (no assertions: polling).
LogsView fetch_logs(HttpClient& client, const std::string& id) {
    LogsView view;
    auto result = client.get("/api/v1/webhook-logs/" + id);
    view.http_status = result.status;
    view.body = result.body;
    if (result.status != 200) return view;
    rapidjson::Document body;
    body.Parse(result.body.c_str());
    if (body.HasParseError() || !body.IsObject()) return view;
    view.request_id = string_member(body, "request_id");
    auto deliveries = body.FindMember("deliveries");
    if (deliveries == body.MemberEnd() || !deliveries->value.IsArray()) return view;
    for (const auto& d : deliveries->value.GetArray()) {
        DeliveryView delivery;
        delivery.delivery_id = string_member(d, "delivery_id");
        delivery.webhook_id = string_member(d, "webhook_id");
        delivery.url = string_member(d, "url");
        delivery.event_type = string_member(d, "event_type");
        delivery.status = string_member(d, "status");
        if (d.IsObject() && d.HasMember("attempts") && d["attempts"].IsArray()) {
            for (const auto& a : d["attempts"].GetArray()) {
                AttemptView attempt;
                if (!a.IsObject()) continue;
                if (a.HasMember("attempt") && a["attempt"].IsInt()) attempt.attempt = a["attempt"].GetInt();
                attempt.at = string_member(a, "at");
                if (a.HasMember("status_code") && a["status_code"].IsInt()) {
                    attempt.has_status_code = true;
                    attempt.status_code = a["status_code"].GetInt();
                }
                if (a.HasMember("error") && a["error"].IsString()) {
                    attempt.has_error = true;
                    attempt.error = a["error"].GetString();
                }
                if (a.HasMember("duration_ms") && a["duration_ms"].IsNumber()) {
                    attempt.duration_is_number = true;
                    attempt.duration_ms = a["duration_ms"].GetDouble();
                }
                delivery.attempts.push_back(attempt);
            }
        }
        view.deliveries.push_back(std::move(delivery));
    }
    return view;
}

template <typename Predicate>
LogsView wait_logs(HttpClient& client, const std::string& id, Predicate&& done, std::chrono::milliseconds timeout) {
    LogsView view;
    poll_until([&] {
        view = fetch_logs(client, id);
        return view.http_status == 200 && done(view);
    }, timeout, 50ms);
    return view;
}

// Waits until the only delivery of `id` has left `pending`.
LogsView wait_settled(HttpClient& client, const std::string& id, std::chrono::milliseconds timeout = 10000ms) {
    return wait_logs(client, id, [](const LogsView& view) {
        return !view.deliveries.empty() && view.deliveries.back().status != "pending";
    }, timeout);
}

// The exact shape of a webhook-logs answer.
void check_logs_shape(const LogsView& view, const std::string& id) {
    INFO("webhook-logs of " << id << ": " << view.http_status << " " << view.body);
    REQUIRE(view.http_status == 200);
    rapidjson::Document body = parse(view.body);
    REQUIRE(body.IsObject());
    CHECK(string_member(body, "request_id") == id);
    REQUIRE(body.HasMember("deliveries"));
    REQUIRE(body["deliveries"].IsArray());
    CHECK_FALSE(body["deliveries"].Empty());
    for (const auto& delivery : body["deliveries"].GetArray()) {
        REQUIRE(delivery.IsObject());
        for (const char* name : {"delivery_id", "webhook_id", "url", "event_type", "status"}) {
            INFO("member " << name);
            CHECK(delivery.HasMember(name));
            if (delivery.HasMember(name)) CHECK(delivery[name].IsString());
        }
        CHECK(std::set<std::string>{"pending", "delivered", "failed", "gone"}.count(string_member(delivery, "status")) == 1);
        REQUIRE(delivery.HasMember("attempts"));
        REQUIRE(delivery["attempts"].IsArray());
        int number = 0;
        for (const auto& attempt : delivery["attempts"].GetArray()) {
            REQUIRE(attempt.IsObject());
            ++number;
            CHECK((attempt.HasMember("attempt") && attempt["attempt"].IsInt() && attempt["attempt"].GetInt() == number));
            CHECK(is_rfc3339(string_member(attempt, "at")));
            CHECK((attempt.HasMember("status_code") && (attempt["status_code"].IsNull() || attempt["status_code"].IsInt())));
            CHECK((attempt.HasMember("error") && (attempt["error"].IsNull() || attempt["error"].IsString())));
            CHECK((attempt.HasMember("duration_ms") && attempt["duration_ms"].IsNumber()));
        }
    }
}

// The receiver got no request beyond `count` within `quiet`.
void check_no_more(const WebhookReceiver& receiver, size_t count, std::chrono::milliseconds quiet) {
    std::this_thread::sleep_for(quiet);
    CHECK(receiver.count() == count);
}

// Sets environment variables for the hosts started while it lives.
struct ScopedEnv {
    std::vector<std::string> names;
    ScopedEnv(std::initializer_list<std::pair<const char*, const char*>> values) {
        for (const auto& [name, value] : values) {
            setenv(name, value, 1);
            names.emplace_back(name);
        }
    }
    ~ScopedEnv() {
        for (const auto& name : names) unsetenv(name.c_str());
    }
};

}  // namespace

// ---- The receiver's own code ---------------------------------------------------------

TEST_CASE("the receiver's signature code agrees with reference vectors") {
    // RFC 4231-style known answer and seed 004's scheme.
    CHECK(to_hex(hmac_sha256("key", "The quick brown fox jumps over the lazy dog")) ==
          "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    // hmac.new(secret.encode(), b'{"a":1}', hashlib.sha256).hexdigest(): the whole string is the key.
    CHECK(hex_signature(kWhsecSecret, R"({"a":1})") == "ebc33274f6bd9b75560812768fe1d4a0f6d280a83c02ec9a281b6408fd612bbe");
    // Standard Webhooks' published vector (whsec_ secret) and a plain secret (python3 hmac/base64).
    CHECK(standard_signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330",
                             R"({"test": 2432232314})") == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    CHECK(standard_signature("plain-secret", "msg_1", "1700000000", R"({"a":1})") ==
          "v1,PQ8G/5vQE995TQFlpC2YXRDs2RbuscvSWFk9pfKhuhc=");
    std::string key;
    REQUIRE(base64_decode(kWhsecSecret.substr(6), key));
    CHECK(key.size() == 32);
    CHECK(base64_encode(key) == kWhsecSecret.substr(6));

    WebhookRequest request;
    request.body = R"({"type":"run.succeeded"})";
    std::string now = std::to_string(unix_now());
    request.headers["webhook-id"] = "msg_test";
    request.headers["webhook-timestamp"] = now;
    request.headers["webhook-signature"] = "v1,bogus " + standard_signature(kWhsecSecret, "msg_test", now, request.body);
    request.headers["x-webhook-signature"] = hex_signature(kWhsecSecret, request.body);
    CHECK(verify_hex(request, kWhsecSecret));
    CHECK(verify_standard(request, kWhsecSecret));
    CHECK_FALSE(verify_standard(request, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    WebhookRequest tampered = request;
    tampered.body += " ";
    CHECK_FALSE(verify_hex(tampered, kWhsecSecret));
    CHECK_FALSE(verify_standard(tampered, kWhsecSecret));
    WebhookRequest stale = request;
    std::string old = std::to_string(unix_now() - 3600);
    stale.headers["webhook-timestamp"] = old;
    stale.headers["webhook-signature"] = standard_signature(kWhsecSecret, "msg_test", old, request.body);
    CHECK_FALSE(verify_standard(stale, kWhsecSecret));
}

TEST_CASE("the receiver records requests and answers its script in order") {
    WebhookReceiver receiver;
    receiver.script({500, 410});
    HttpClient client(receiver.url(""));
    CHECK(client.post("/a?x=1", R"({"n":1})", {"X-Custom: One"}).status == 500);
    CHECK(client.post("/b", R"({"n":2})").status == 410);
    CHECK(client.post("/c", R"({"n":3})").status == 200);
    REQUIRE(receiver.wait_for(3, 1000ms));
    auto requests = receiver.requests();
    CHECK(requests[0].path == "/a?x=1");
    CHECK(requests[0].header("x-custom") == "One");
    CHECK(requests[0].body == R"({"n":1})");
    CHECK(requests[0].answered_status == 500);
    CHECK(requests[2].answered_status == 200);
}

// ---- Outbound deliveries --------------------------------------------------------------

TEST_CASE("a succeeded run is delivered once, signed in both schemes, with the run as GET /runs/{id} shows it") {
    WebhookReceiver receiver;
    HttpClient client(host().base_url());
    std::string id = submit_run(client, run_body("echo", "deliver me", receiver.url("/hooks/run"), kPlainSecret));
    REQUIRE(receiver.wait_for(1, 10000ms));
    auto request = receiver.requests()[0];
    auto payload = check_delivery(request, "/hooks/run", "run.succeeded");
    check_signed(request, kPlainSecret);
    CHECK(string_member(payload["data"], "run_id") == id);
    CHECK(string_member(payload["data"], "status") == "succeeded");
    check_same_as_get(client, payload["data"], "/runs/" + id);

    auto logs = wait_settled(client, id);
    check_logs_shape(logs, id);
    REQUIRE(logs.deliveries.size() == 1);
    const auto& delivery = logs.deliveries[0];
    CHECK(delivery.status == "delivered");
    CHECK(delivery.webhook_id == request.header("webhook-id"));
    CHECK(delivery.url == receiver.url("/hooks/run"));
    CHECK(delivery.event_type == "run.succeeded");
    CHECK_FALSE(delivery.delivery_id.empty());
    REQUIRE(delivery.attempts.size() == 1);
    CHECK(delivery.attempts[0].attempt == 1);
    CHECK(delivery.attempts[0].status_code == 200);
    CHECK_FALSE(delivery.attempts[0].has_error);
    CHECK(delivery.attempts[0].duration_ms >= 0);
    check_no_more(receiver, 1, 300ms);
    // The secret signs; it is never shown.
    CHECK(request.body.find(kPlainSecret) == std::string::npos);
    CHECK(logs.body.find(kPlainSecret) == std::string::npos);
    CHECK(client.get("/runs/" + id).body.find(kPlainSecret) == std::string::npos);
}

TEST_CASE("POST /agent/invoke delivers too; a whsec_ secret is base64-decoded for the Standard Webhooks key") {
    WebhookReceiver receiver;
    HttpClient client(host().base_url());
    auto invoked = client.post("/agent/invoke", run_body("echo", "invoke and deliver", receiver.url("/hooks/invoke"), kWhsecSecret));
    INFO(invoked.body);
    REQUIRE(invoked.status == 200);
    std::string id = json_of(invoked)["run_id"].GetString();
    REQUIRE(receiver.wait_for(1, 10000ms));
    auto request = receiver.requests()[0];
    auto payload = check_delivery(request, "/hooks/invoke", "run.succeeded");
    // verify_standard decodes the whsec_ secret; verify_hex keys with the whole string, as seed 004 does.
    check_signed(request, kWhsecSecret);
    CHECK(string_member(payload["data"], "run_id") == id);
    check_same_as_get(client, payload["data"], "/runs/" + id);
    CHECK(wait_settled(client, id).deliveries.back().status == "delivered");
}

TEST_CASE("without a webhook_secret the delivery carries no signature headers") {
    WebhookReceiver receiver;
    HttpClient client(host().base_url());
    std::string id = submit_run(client, run_body("echo", "unsigned", receiver.url("/hooks/unsigned"), ""));
    REQUIRE(receiver.wait_for(1, 10000ms));
    auto request = receiver.requests()[0];
    auto payload = check_delivery(request, "/hooks/unsigned", "run.succeeded");
    CHECK(string_member(payload["data"], "run_id") == id);
    CHECK_FALSE(request.has_header("x-webhook-signature"));
    CHECK_FALSE(request.has_header("webhook-signature"));
}

TEST_CASE("failed and cancelled runs are delivered as run.failed and run.cancelled") {
    WebhookReceiver receiver;
    HttpClient client(host().base_url());
    std::string failed = submit_run(client, run_body("thrower", "fail", receiver.url("/hooks/failed"), kPlainSecret));
    std::string sleeper = submit_run(client, run_body("echo", "sleep", receiver.url("/hooks/cancelled"), kPlainSecret,
                                                      R"({"action":"sleep","ms":20000})"));
    REQUIRE(poll_until([&] { return run_status_of(client, sleeper) == "running"; }, 10000ms));
    auto cancel = client.post("/runs/" + sleeper + "/cancel", "");
    CHECK(cancel.status == 202);
    REQUIRE(receiver.wait_for(2, 10000ms));

    bool saw_failed = false, saw_cancelled = false;
    for (const auto& request : receiver.requests()) {
        if (request.path == "/hooks/failed") {
            saw_failed = true;
            auto payload = check_delivery(request, "/hooks/failed", "run.failed");
            check_signed(request, kPlainSecret);
            CHECK(string_member(payload["data"], "run_id") == failed);
            CHECK(string_member(payload["data"], "status") == "failed");
            CHECK_THAT(string_member(payload["data"], "error"), Contains("boom from thrower"));
            check_same_as_get(client, payload["data"], "/runs/" + failed);
        } else {
            saw_cancelled = true;
            auto payload = check_delivery(request, "/hooks/cancelled", "run.cancelled");
            check_signed(request, kPlainSecret);
            CHECK(string_member(payload["data"], "run_id") == sleeper);
            CHECK(string_member(payload["data"], "status") == "cancelled");
            check_same_as_get(client, payload["data"], "/runs/" + sleeper);
        }
    }
    CHECK(saw_failed);
    CHECK(saw_cancelled);
    CHECK(wait_settled(client, failed).deliveries.back().event_type == "run.failed");
    CHECK(wait_settled(client, sleeper).deliveries.back().event_type == "run.cancelled");
}

TEST_CASE("processing requests are delivered as pipeline.completed and pipeline.failed with their results") {
    WebhookReceiver receiver;
    HttpClient client(host().base_url());
    std::string completed = submit_process(client, process_body(R"(["echo"])", receiver.url("/hooks/completed"), kPlainSecret));
    std::string failed = submit_process(client, process_body(R"(["thrower","echo"])", receiver.url("/hooks/pfailed"), kWhsecSecret));
    REQUIRE(receiver.wait_for(2, 15000ms));
    // One delivery per processing request: its runs carry no webhook of their own.
    check_no_more(receiver, 2, 500ms);

    for (const auto& request : receiver.requests()) {
        if (request.path == "/hooks/completed") {
            auto payload = check_delivery(request, "/hooks/completed", "pipeline.completed");
            check_signed(request, kPlainSecret);
            CHECK(string_member(payload["data"], "request_id") == completed);
            CHECK(string_member(payload["data"], "status") == "completed");
            check_same_as_get(client, payload["data"], "/api/v1/results/" + completed);
        } else {
            auto payload = check_delivery(request, "/hooks/pfailed", "pipeline.failed");
            check_signed(request, kWhsecSecret);
            CHECK(string_member(payload["data"], "request_id") == failed);
            CHECK(string_member(payload["data"], "status") == "failed");
            check_same_as_get(client, payload["data"], "/api/v1/results/" + failed);
        }
    }
    auto logs = wait_settled(client, completed);
    check_logs_shape(logs, completed);
    CHECK(logs.deliveries.back().event_type == "pipeline.completed");
    CHECK(logs.deliveries.back().status == "delivered");
    CHECK(wait_settled(client, failed).deliveries.back().event_type == "pipeline.failed");
}

TEST_CASE("500, 500, 200: retried with the same webhook-id and delivered on the third attempt") {
    WebhookReceiver receiver;
    receiver.script({500, 500, 200});
    HttpClient client(host().base_url());
    std::string id = submit_run(client, run_body("echo", "retry me", receiver.url("/hooks/retry"), kPlainSecret));
    REQUIRE(receiver.wait_for(3, 10000ms));
    auto requests = receiver.requests();
    for (const auto& request : requests) {
        check_delivery(request, "/hooks/retry", "run.succeeded");
        check_signed(request, kPlainSecret);
    }
    CHECK(requests[1].header("webhook-id") == requests[0].header("webhook-id"));
    CHECK(requests[2].header("webhook-id") == requests[0].header("webhook-id"));
    CHECK(requests[1].arrived > requests[0].arrived);
    CHECK(requests[2].arrived > requests[1].arrived);

    auto logs = wait_settled(client, id);
    check_logs_shape(logs, id);
    REQUIRE(logs.deliveries.size() == 1);
    const auto& delivery = logs.deliveries[0];
    CHECK(delivery.status == "delivered");
    CHECK(delivery.webhook_id == requests[0].header("webhook-id"));
    REQUIRE(delivery.attempts.size() == 3);
    CHECK(delivery.attempts[0].status_code == 500);
    CHECK(delivery.attempts[1].status_code == 500);
    CHECK(delivery.attempts[2].status_code == 200);
    CHECK_FALSE(delivery.attempts[2].has_error);
    CHECK(delivery.attempts[0].at <= delivery.attempts[1].at);
    CHECK(delivery.attempts[1].at <= delivery.attempts[2].at);
    check_no_more(receiver, 3, 300ms);
}

TEST_CASE("always 500 with max_retries 2: three attempts, then failed; a manual retry resends the same webhook-id") {
    WebhookReceiver receiver;
    receiver.set_default_status(500);
    HttpClient client(host().base_url());
    std::string id = submit_run(client, run_body("echo", "never accepted", receiver.url("/hooks/exhausted"), kPlainSecret));
    REQUIRE(receiver.wait_for(3, 10000ms));
    auto logs = wait_settled(client, id);
    check_logs_shape(logs, id);
    REQUIRE(logs.deliveries.size() == 1);
    CHECK(logs.deliveries[0].status == "failed");
    REQUIRE(logs.deliveries[0].attempts.size() == 3);
    for (const auto& attempt : logs.deliveries[0].attempts) CHECK(attempt.status_code == 500);
    // No fourth attempt: 1 + max_retries.
    check_no_more(receiver, 3, 1000ms);
    std::string webhook_id = receiver.requests()[0].header("webhook-id");
    for (const auto& request : receiver.requests()) CHECK(request.header("webhook-id") == webhook_id);

    receiver.set_default_status(200);
    auto retried = client.post("/api/v1/webhook/retry/" + id, "");
    INFO("retry: " << retried.status << " " << retried.body);
    REQUIRE(retried.status == 202);
    auto answer = json_of(retried);
    CHECK(string_member(answer, "request_id") == id);
    CHECK_FALSE(string_member(answer, "delivery_id").empty());
    CHECK(string_member(answer, "status") == "pending");
    REQUIRE(receiver.wait_for(4, 10000ms));
    auto resent = receiver.requests()[3];
    check_delivery(resent, "/hooks/exhausted", "run.succeeded");
    check_signed(resent, kPlainSecret);
    CHECK(resent.header("webhook-id") == webhook_id);
    auto after = wait_logs(client, id, [&](const LogsView& view) {
        auto* delivery = view.with_webhook_id(webhook_id);
        return delivery != nullptr && delivery->status == "delivered";
    }, 5000ms);
    INFO(after.body);
    REQUIRE(after.with_webhook_id(webhook_id) != nullptr);
    CHECK(after.with_webhook_id(webhook_id)->status == "delivered");
    CHECK(after.with_webhook_id(webhook_id)->attempts.back().status_code == 200);
    check_no_more(receiver, 4, 300ms);
}

TEST_CASE("a manual retry after a delivered webhook resends it with the same webhook-id") {
    WebhookReceiver receiver;
    HttpClient client(host().base_url());
    std::string id = submit_run(client, run_body("echo", "again please", receiver.url("/hooks/again"), kWhsecSecret));
    REQUIRE(receiver.wait_for(1, 10000ms));
    REQUIRE(wait_settled(client, id).deliveries.back().status == "delivered");
    auto first = receiver.requests()[0];

    auto retried = client.post("/api/v1/webhook/retry/" + id, "");
    INFO("retry: " << retried.status << " " << retried.body);
    REQUIRE(retried.status == 202);
    CHECK(string_member(json_of(retried), "status") == "pending");
    REQUIRE(receiver.wait_for(2, 10000ms));
    auto second = receiver.requests()[1];
    auto payload = check_delivery(second, "/hooks/again", "run.succeeded");
    check_signed(second, kWhsecSecret);
    CHECK(second.header("webhook-id") == first.header("webhook-id"));
    CHECK(string_member(payload["data"], "run_id") == id);
    check_no_more(receiver, 2, 300ms);
}

TEST_CASE("410 Gone stops at once: one attempt, status gone") {
    WebhookReceiver receiver;
    receiver.set_default_status(410);
    HttpClient client(host().base_url());
    std::string id = submit_run(client, run_body("echo", "gone", receiver.url("/hooks/gone"), kPlainSecret));
    REQUIRE(receiver.wait_for(1, 10000ms));
    auto logs = wait_settled(client, id);
    check_logs_shape(logs, id);
    REQUIRE(logs.deliveries.size() == 1);
    CHECK(logs.deliveries[0].status == "gone");
    REQUIRE(logs.deliveries[0].attempts.size() == 1);
    CHECK(logs.deliveries[0].attempts[0].status_code == 410);
    check_no_more(receiver, 1, 800ms);
}

TEST_CASE("a redirect is a non-2xx answer: retried, never followed") {
    WebhookReceiver target;
    WebhookReceiver receiver;
    receiver.set_default_status(307);
    receiver.set_response_headers({"Location: " + target.url("/hooks/redirected")});
    HttpClient client(host().base_url());
    std::string id = submit_run(client, run_body("echo", "redirected", receiver.url("/hooks/redirect"), kPlainSecret));
    REQUIRE(receiver.wait_for(3, 10000ms));
    auto logs = wait_settled(client, id);
    REQUIRE(logs.deliveries.size() == 1);
    CHECK(logs.deliveries[0].status == "failed");
    REQUIRE(logs.deliveries[0].attempts.size() == 3);
    for (const auto& attempt : logs.deliveries[0].attempts) CHECK(attempt.status_code == 307);
    CHECK(target.count() == 0);
}

TEST_CASE("a receiver slower than timeout_seconds: every attempt times out with an error, then failed") {
    WebhookReceiver receiver;
    receiver.set_delay(2500ms);  // the host gives up after 1 s
    HttpClient client(host().base_url());
    std::string id = submit_run(client, run_body("echo", "too slow", receiver.url("/hooks/slow"), kPlainSecret));
    REQUIRE(receiver.wait_for(3, 15000ms));
    auto logs = wait_settled(client, id, 10000ms);
    check_logs_shape(logs, id);
    REQUIRE(logs.deliveries.size() == 1);
    CHECK(logs.deliveries[0].status == "failed");
    REQUIRE(logs.deliveries[0].attempts.size() == 3);
    for (const auto& attempt : logs.deliveries[0].attempts) {
        INFO("attempt " << attempt.attempt << " error '" << attempt.error << "' duration " << attempt.duration_ms);
        CHECK_FALSE(attempt.has_status_code);
        CHECK(attempt.has_error);
        CHECK_FALSE(attempt.error.empty());
        // Cut at about timeout_seconds, long before the receiver answers.
        CHECK(attempt.duration_ms >= 800);
        CHECK(attempt.duration_ms < 2300);
    }
    auto requests = receiver.requests();
    for (const auto& request : requests) CHECK(request.header("webhook-id") == requests[0].header("webhook-id"));
}

TEST_CASE("a pending delivery survives SIGKILL and is delivered after a restart on the same data") {
    DataDir dir;
    int port = free_port();  // the receiver is down while the first host tries
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/hooks/durable";
    auto config = [](int base_ms) {
        return host_config(kAgents, R"("webhooks":{"max_retries":10,"retry_base_ms":)" + std::to_string(base_ms) +
                                        R"(,"allowed_hosts":["127.0.0.1"]})");
    };
    std::string id, webhook_id;
    {
        HostProcess first(config(3000), {"--data-dir", dir.path});
        REQUIRE(first.port() != port);
        HttpClient client(first.base_url());
        id = submit_run(client, run_body("echo", "outlive the host", url, kPlainSecret));
        auto logs = wait_logs(client, id, [](const LogsView& view) {
            return !view.deliveries.empty() && !view.deliveries[0].attempts.empty();
        }, 10000ms);
        INFO(logs.body);
        REQUIRE(logs.deliveries.size() == 1);
        REQUIRE(logs.deliveries[0].attempts.size() >= 1);
        CHECK(logs.deliveries[0].status == "pending");
        CHECK_FALSE(logs.deliveries[0].attempts[0].has_status_code);
        CHECK(logs.deliveries[0].attempts[0].has_error);
        webhook_id = logs.deliveries[0].webhook_id;
        REQUIRE(kill_host(first));
    }
    WebhookReceiver receiver(port);
    HostProcess second(config(50), {"--data-dir", dir.path});
    HttpClient client(second.base_url());
    REQUIRE(receiver.wait_for(1, 20000ms));
    auto request = receiver.requests()[0];
    auto payload = check_delivery(request, "/hooks/durable", "run.succeeded");
    check_signed(request, kPlainSecret);
    CHECK(request.header("webhook-id") == webhook_id);
    CHECK(string_member(payload["data"], "run_id") == id);
    auto logs = wait_settled(client, id);
    check_logs_shape(logs, id);
    REQUIRE(logs.deliveries.size() == 1);
    CHECK(logs.deliveries[0].status == "delivered");
    REQUIRE(logs.deliveries[0].attempts.size() >= 2);
    CHECK(logs.deliveries[0].attempts.back().status_code == 200);
    check_no_more(receiver, 1, 300ms);
}

TEST_CASE("a delivery in flight when the host is SIGKILLed is sent again after a restart") {
    // On SQLite one host owns the data (the data dir is locked), so whatever
    // the killed host was sending is orphaned at the next start, as its
    // running runs are, which the host recovers at once. 15 s is far beyond
    // a retry_base_ms of 50; it is shorter than the killed host's claim
    // (timeout_seconds + its margin), which a restart should not wait out.
    DataDir dir;
    WebhookReceiver receiver;
    receiver.set_delay(4000ms);  // holds the first attempt open
    const std::string config =
        host_config(kAgents, R"("webhooks":{"max_retries":3,"timeout_seconds":10,"retry_base_ms":50,"allowed_hosts":["127.0.0.1"]})");
    std::string id;
    {
        HostProcess first(config, {"--data-dir", dir.path});
        HttpClient client(first.base_url());
        id = submit_run(client, run_body("echo", "killed mid-send", receiver.url("/hooks/inflight"), kPlainSecret));
        REQUIRE(receiver.wait_for(1, 10000ms));
        REQUIRE(kill_host(first));  // while the receiver still holds the attempt
    }
    receiver.set_delay(0ms);
    auto restarted = std::chrono::steady_clock::now();
    HostProcess second(config, {"--data-dir", dir.path});
    HttpClient client(second.base_url());
    bool resent = receiver.wait_for(2, 15000ms);
    INFO("second request " << (resent ? "arrived" : "did not arrive") << " "
                           << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - restarted).count()
                           << " ms after the restart began; webhook-logs: " << fetch_logs(client, id).body);
    REQUIRE(resent);
    auto requests = receiver.requests();
    check_delivery(requests[1], "/hooks/inflight", "run.succeeded");
    check_signed(requests[1], kPlainSecret);
    CHECK(requests[1].header("webhook-id") == requests[0].header("webhook-id"));
    CHECK(wait_settled(client, id).deliveries.back().status == "delivered");
}

TEST_CASE("defaults: max_retries 3 means four attempts") {
    HostProcess defaults(host_config(kAgents, R"("webhooks":{"retry_base_ms":50,"allowed_hosts":["127.0.0.1"]})"));
    WebhookReceiver receiver;
    receiver.set_default_status(500);
    HttpClient client(defaults.base_url());
    std::string id = submit_run(client, run_body("echo", "defaults", receiver.url("/hooks/defaults"), kPlainSecret));
    REQUIRE(receiver.wait_for(4, 15000ms));
    auto logs = wait_settled(client, id);
    REQUIRE(logs.deliveries.size() == 1);
    CHECK(logs.deliveries[0].status == "failed");
    CHECK(logs.deliveries[0].attempts.size() == 4);
    check_no_more(receiver, 4, 1000ms);
}

TEST_CASE("the environment configures webhooks: retries, retry base, allowed hosts, inbound secret") {
    std::unique_ptr<HostProcess> configured;
    {
        ScopedEnv env({{"WEBHOOK_MAX_RETRIES", "1"},
                       {"AGENTHOST_WEBHOOKS_RETRY_BASE_MS", "50"},
                       {"AGENTHOST_WEBHOOKS_ALLOWED_HOSTS", "10.9.9.9,127.0.0.1"},
                       {"AGENTHOST_WEBHOOKS_INBOUND_SECRET", "env-inbound-secret"},
                       {"WEBHOOK_TIMEOUT", "1"}});
        configured = std::make_unique<HostProcess>(host_config(kAgents));
    }
    WebhookReceiver receiver;
    receiver.set_default_status(500);
    HttpClient client(configured->base_url());
    std::string id = submit_run(client, run_body("echo", "env", receiver.url("/hooks/env"), kPlainSecret));
    REQUIRE(receiver.wait_for(2, 10000ms));
    auto logs = wait_settled(client, id);
    REQUIRE(logs.deliveries.size() == 1);
    CHECK(logs.deliveries[0].status == "failed");
    CHECK(logs.deliveries[0].attempts.size() == 2);
    check_no_more(receiver, 2, 800ms);

    std::string body = process_body(R"(["echo"])", "", "");
    auto accepted = client.post("/webhook/receive", body, {"X-Webhook-Signature: " + hex_signature("env-inbound-secret", body)});
    INFO(accepted.body);
    CHECK(accepted.status == 202);

    // WEBHOOK_TIMEOUT=1: a receiver answering after 2.5 s is cut at about 1 s.
    WebhookReceiver slow;
    slow.set_delay(2500ms);
    std::string slow_id = submit_run(client, run_body("echo", "env slow", slow.url("/hooks/env-slow"), kPlainSecret));
    REQUIRE(slow.wait_for(2, 10000ms));
    auto slow_logs = wait_settled(client, slow_id);
    INFO(slow_logs.body);
    REQUIRE(slow_logs.deliveries.size() == 1);
    CHECK(slow_logs.deliveries[0].status == "failed");
    REQUIRE(slow_logs.deliveries[0].attempts.size() == 2);
    for (const auto& attempt : slow_logs.deliveries[0].attempts) {
        CHECK(attempt.has_error);
        CHECK(attempt.duration_ms < 2300);
    }
}

TEST_CASE("webhook-logs of an unknown id and manual retry without a delivery answer 404; a run without a webhook has an empty log") {
    HttpClient client(host().base_url());
    envelope_error(client.get("/api/v1/webhook-logs/no-such-request"), 404);
    envelope_error(client.post("/api/v1/webhook/retry/no-such-request", ""), 404);
    // A run without a webhook_url: its log is there and empty (it was 404,
    // as for an id naming nothing); there is nothing to retry.
    std::string id = submit_run(client, run_body("echo", "no hook", "", ""));
    REQUIRE(poll_until([&] { return run_status_of(client, id) == "succeeded"; }, 10000ms));
    auto log = client.get("/api/v1/webhook-logs/" + id);
    INFO(log.body);
    REQUIRE(log.status == 200);
    CHECK(json_of(log)["deliveries"].Empty());
    envelope_error(client.post("/api/v1/webhook/retry/" + id, ""), 404);
}

// ---- SSRF guard ------------------------------------------------------------------------

TEST_CASE("webhook URLs to loopback, private, link-local and metadata addresses, and non-HTTP schemes, are refused") {
    HttpClient client(guarded_host().base_url());
    const std::vector<std::string> refused = {
        "http://127.0.0.1:9/x",  "http://10.0.0.1/x",  "http://192.168.1.1/x", "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",        "http://localhost/x", "ftp://example.com/x",
    };
    for (const auto& url : refused) {
        check_webhook_url_refused(client.post("/runs", run_body("echo", "ssrf", url, kPlainSecret)), "POST /runs " + url);
        check_webhook_url_refused(client.post("/agent/invoke", run_body("echo", "ssrf", url, kPlainSecret)),
                                  "POST /agent/invoke " + url);
        check_webhook_url_refused(client.post("/api/v1/process", process_body(R"(["echo"])", url, kPlainSecret)),
                                  "POST /api/v1/process " + url);
    }
    // Nothing was run for them.
    auto listed = json_of(client.get("/runs?limit=500"));
    for (const auto& run : listed["runs"].GetArray()) CHECK(string_member(run["input"], "task") != "ssrf");
    CHECK(json_of(client.get("/api/v1/results?page=1&page_size=100"))["total"].GetInt() == 0);
}

TEST_CASE("other spellings of loopback, private and link-local addresses are refused too") {
    HttpClient client(guarded_host().base_url());
    for (const std::string url : {"http://[::ffff:127.0.0.1]/x", "http://0.0.0.0/x", "http://127.1/x", "http://2130706433/x",
                                  "http://0x7f000001/x", "http://LOCALHOST/x", "http://127.0.0.1./x", "http://172.16.0.1/x",
                                  "http://[fe80::1]/x", "http://[fd00::1]/x", "http://[::ffff:169.254.169.254]/x",
                                  "http://user@127.0.0.1/x", "http://example.com@10.0.0.1/x", "http://10.0.0.1#@example.com/x",
                                  "file:///etc/passwd", "gopher://127.0.0.1/x", "http:///x"}) {
        check_webhook_url_refused(client.post("/runs", run_body("echo", "ssrf", url, kPlainSecret)), "POST /runs " + url);
    }
}

// Seed 004's own example URL need not resolve where the run is accepted: a
// name is resolved at delivery (never on a request thread), and one that
// does not resolve is retried like a receiver that did not answer.
TEST_CASE("a webhook host that does not resolve is accepted at submit and refused at delivery, with retries") {
    HttpClient client(guarded_host().base_url());
    // A 64-character label cannot go into a DNS query: glibc fails at once,
    // with no network and no timeout.
    std::string url = "https://" + std::string(64, 'a') + ".example/hook";
    std::string id = submit_run(client, run_body("echo", "unresolvable hook", url, kPlainSecret));
    LogsView logs;
    bool gave_up = poll_until(
        [&] {
            logs = fetch_logs(client, id);
            return logs.deliveries.size() == 1 && logs.deliveries[0].status == "failed";
        },
        10000ms, 50ms);
    INFO(logs.body);
    REQUIRE(gave_up);
    const auto& attempts = logs.deliveries[0].attempts;
    CHECK(attempts.size() > 1);  // retried, not failed at the first try
    for (const auto& attempt : attempts) CHECK_THAT(attempt.error, Contains("does not resolve"));
    CHECK(run_status_of(client, id) == "succeeded");
}

TEST_CASE("allowed_hosts opens only the hosts it names") {
    HttpClient client(host().base_url());
    for (const std::string url : {"http://10.0.0.1/x", "http://169.254.169.254/latest/meta-data", "http://192.168.1.1/x"}) {
        check_webhook_url_refused(client.post("/runs", run_body("echo", "ssrf", url, kPlainSecret)), "POST /runs " + url);
    }
    check_webhook_url_refused(client.post("/runs", run_body("echo", "ssrf", "ftp://127.0.0.1/x", kPlainSecret)),
                              "POST /runs ftp://127.0.0.1/x");
}

// ---- Inbound ------------------------------------------------------------------------------

TEST_CASE("an inbound processing request signed with the inbound secret is accepted and runs") {
    WebhookReceiver receiver;
    HttpClient client(host().base_url());
    // Spacing a re-serializer would change: the HMAC is over the raw bytes.
    std::string body = R"({ "text" : ")" + kText + R"(",  "agents": [ "echo" ] )" +
                       hook_fields(receiver.url("/hooks/inbound"), kPlainSecret) + " }";
    auto accepted = client.post("/webhook/receive", body, {"X-Webhook-Signature: " + hex_signature(kInboundSecret, body)});
    INFO(accepted.status << " " << accepted.body);
    REQUIRE(accepted.status == 202);
    std::string id = string_member(json_of(accepted), "request_id");
    REQUIRE_FALSE(id.empty());
    rapidjson::Document result;
    REQUIRE(poll_until([&] {
        auto answer = client.get("/api/v1/results/" + id);
        if (answer.status != 200) return false;
        result.Parse(answer.body.c_str());
        return !result.HasParseError() && string_member(result, "status") != "processing";
    }, 15000ms));
    CHECK(string_member(result, "status") == "completed");
    CHECK(string_member(result["results"]["echo"], "status") == "succeeded");
    // Its own webhook fires like any processing request's.
    REQUIRE(receiver.wait_for(1, 10000ms));
    auto payload = check_delivery(receiver.requests()[0], "/hooks/inbound", "pipeline.completed");
    check_signed(receiver.requests()[0], kPlainSecret);
    CHECK(string_member(payload["data"], "request_id") == id);

    // Signed but not a valid processing request: validated like /api/v1/process.
    std::string short_body = R"({"text":"short"})";
    error_envelope(client.post("/webhook/receive", short_body, {"X-Webhook-Signature: " + hex_signature(kInboundSecret, short_body)}),
                   422, "ValidationError");
}

TEST_CASE("inbound requests with a wrong or missing signature, or without an inbound secret, are 401") {
    HttpClient client(host().base_url());
    std::string body = process_body(R"(["echo"])", "", "");
    error_envelope(client.post("/webhook/receive", body, {"X-Webhook-Signature: " + hex_signature("wrong-secret", body)}),
                   401, "Unauthorized");
    error_envelope(client.post("/webhook/receive", body,
                               {"X-Webhook-Signature: " + hex_signature(kInboundSecret, body + " ")}),
                   401, "Unauthorized");
    error_envelope(client.post("/webhook/receive", body, {"X-Webhook-Signature: "}), 401, "Unauthorized");
    error_envelope(client.post("/webhook/receive", body), 401, "Unauthorized");
    error_envelope(client.post("/webhook/receive", body, {"X-Webhook-Signature: not-hex-at-all"}), 401, "Unauthorized");

    HttpClient guarded(guarded_host().base_url());
    error_envelope(guarded.post("/webhook/receive", body, {"X-Webhook-Signature: " + hex_signature(kInboundSecret, body)}),
                   401, "Unauthorized");
    error_envelope(guarded.post("/webhook/receive", body, {"X-Webhook-Signature: " + hex_signature("", body)}), 401,
                   "Unauthorized");
    error_envelope(guarded.post("/webhook/receive", body), 401, "Unauthorized");
}

// ---- Signing test endpoint -------------------------------------------------------------

TEST_CASE("POST /webhook/callback/test signs a body in both schemes, and sends it once when given a URL") {
    HttpClient client(host().base_url());
    auto as_request = [](const rapidjson::Value& answer) {
        WebhookRequest request;
        request.body = string_member(answer, "body");
        const auto& headers = answer["headers"];
        for (const char* name : {"X-Webhook-Signature", "webhook-id", "webhook-timestamp", "webhook-signature"}) {
            std::string value = string_member(headers, name);
            std::string lower(name);
            std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
            if (!value.empty()) request.headers[lower] = value;
        }
        return request;
    };

    auto plain = client.post("/webhook/callback/test", R"({"webhook_secret":")" + kWhsecSecret + R"("})");
    INFO(plain.body);
    REQUIRE(plain.status == 200);
    auto answer = json_of(plain);
    REQUIRE(answer["body"].IsString());
    REQUIRE(answer["headers"].IsObject());
    CHECK(answer["delivery"].IsNull());
    parse(answer["body"].GetString());
    check_signed(as_request(answer), kWhsecSecret);

    // With a payload: the signed body carries it.
    auto with_payload = client.post("/webhook/callback/test",
                                    R"({"webhook_secret":")" + kPlainSecret + R"(","payload":{"hello":"world","n":7}})");
    INFO(with_payload.body);
    REQUIRE(with_payload.status == 200);
    auto payload_answer = json_of(with_payload);
    auto signed_body = parse(string_member(payload_answer, "body"));
    rapidjson::Document expected = parse(R"({"hello":"world","n":7})");
    bool carries = signed_body == expected || (signed_body.IsObject() && signed_body.HasMember("data") && signed_body["data"] == expected);
    CHECK(carries);
    check_signed(as_request(payload_answer), kPlainSecret);

    // With a URL: sent there once, exactly the body it answers.
    WebhookReceiver receiver;
    receiver.set_default_status(500);
    auto sent = client.post("/webhook/callback/test", R"({"webhook_secret":")" + kPlainSecret + R"(","webhook_url":")" +
                                                          receiver.url("/hooks/callback") + R"("})");
    INFO(sent.body);
    REQUIRE(sent.status == 200);
    auto sent_answer = json_of(sent);
    REQUIRE(receiver.wait_for(1, 5000ms));
    auto request = receiver.requests()[0];
    CHECK(request.method == "POST");
    CHECK(request.path == "/hooks/callback");
    CHECK(request.body == string_member(sent_answer, "body"));
    check_signed(request, kPlainSecret);
    CHECK(request.header("webhook-id") == string_member(sent_answer["headers"], "webhook-id"));
    REQUIRE(sent_answer["delivery"].IsObject());
    CHECK((sent_answer["delivery"].HasMember("status_code") && sent_answer["delivery"]["status_code"].IsInt() &&
           sent_answer["delivery"]["status_code"].GetInt() == 500));
    CHECK(sent_answer["delivery"].HasMember("error"));
    CHECK((sent_answer["delivery"].HasMember("duration_ms") && sent_answer["delivery"]["duration_ms"].IsNumber()));
    check_no_more(receiver, 1, 500ms);

    // The SSRF rules apply to it too.
    HttpClient guarded(guarded_host().base_url());
    check_webhook_url_refused(guarded.post("/webhook/callback/test", R"({"webhook_secret":"s","webhook_url":"http://127.0.0.1:9/x"})"),
                              "POST /webhook/callback/test http://127.0.0.1:9/x");
    check_webhook_url_refused(guarded.post("/webhook/callback/test", R"({"webhook_secret":"s","webhook_url":"http://169.254.169.254/latest/meta-data"})"),
                              "POST /webhook/callback/test metadata");
}

TEST_CASE("an orchestrated workflow's webhook carries every step, as /agents/status shows it", "[dag]") {
    WebhookReceiver receiver;
    HttpClient client(host().base_url());
    auto created = client.post("/agents/orchestrate", R"({"task":"t","webhook_url":")" + receiver.url("/hooks/dag") +
                                                          R"(","webhook_secret":")" + kPlainSecret + R"(","steps":[
        {"id":"first","agent":"echo"},{"id":"second","agent":"echo","depends_on":["first"]}]})");
    INFO(created.body);
    REQUIRE(created.status == 202);
    std::string id = string_member(json_of(created), "id");
    REQUIRE(receiver.wait_for(1, 10000ms));
    auto request = receiver.requests()[0];
    rapidjson::Document body;
    body.Parse(request.body.c_str());
    REQUIRE(body.IsObject());
    CHECK(string_member(body, "type") == "pipeline.completed");
    CHECK(string_member(body["data"], "id") == id);
    REQUIRE(body["data"]["steps"].Size() == 2);
    CHECK(string_member(body["data"]["steps"][1], "id") == "second");
    CHECK(string_member(body["data"]["steps"][1], "status") == "succeeded");
    check_signed(request, kPlainSecret);
}
