// Pulling registered log sources through the real host: a file that grows,
// a fake Loki answering query_range, a fake CloudWatch that checks the
// request's SigV4 signature the way AWS does (with a signer written here,
// checked against AWS's published example), a restart that must neither
// lose nor repeat lines, and sources that fail without harming the host.
#include "loopback_server.hpp"
#include "test_host.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

std::string unique(const std::string& prefix) {
    static int counter = 0;
    return prefix + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

// --- SigV4 as AWS's documentation states it, independent of the host's ----

std::string hex(const unsigned char* bytes, size_t length) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < length; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 15];
    }
    return out;
}

std::string sha256(const std::string& data) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
    return hex(digest, sizeof digest);
}

std::string hmac(const std::string& key, const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
         data.size(), digest, &length);
    return std::string(reinterpret_cast<const char*>(digest), length);
}

// `signed_headers` lower-case and sorted, `query` already canonical.
std::string expected_authorization(const std::string& method, const std::string& path, const std::string& query,
                                   const std::map<std::string, std::string>& headers, const std::string& payload,
                                   const std::string& key_id, const std::string& secret, const std::string& region,
                                   const std::string& service) {
    std::string canonical_headers, signed_headers;
    for (const auto& [name, value] : headers) {
        canonical_headers += name + ":" + value + "\n";
        signed_headers += (signed_headers.empty() ? "" : ";") + name;
    }
    std::string canonical = method + "\n" + path + "\n" + query + "\n" + canonical_headers + "\n" + signed_headers +
                            "\n" + sha256(payload);
    std::string date = headers.at("x-amz-date");
    std::string scope = date.substr(0, 8) + "/" + region + "/" + service + "/aws4_request";
    std::string to_sign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + sha256(canonical);
    std::string key = hmac(hmac(hmac(hmac("AWS4" + secret, date.substr(0, 8)), region), service), "aws4_request");
    std::string signature = hmac(key, to_sign);
    return "AWS4-HMAC-SHA256 Credential=" + key_id + "/" + scope + ", SignedHeaders=" + signed_headers +
           ", Signature=" + hex(reinterpret_cast<const unsigned char*>(signature.data()), signature.size());
}

void answer(int fd, int status, const std::string& body, const std::string& type = "application/json") {
    send_all(fd, "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\nContent-Type: " + type +
                     "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
}

std::string query_param(const std::string& target, const std::string& name) {
    size_t question = target.find('?');
    if (question == std::string::npos) return "";
    std::string query = target.substr(question + 1);
    size_t at = 0;
    while (at < query.size()) {
        size_t end = query.find('&', at);
        if (end == std::string::npos) end = query.size();
        std::string part = query.substr(at, end - at);
        if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
        at = end + 1;
    }
    return "";
}

std::string percent_decode(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// --- the host under test ---------------------------------------------------

std::string& logs_dir() {
    static std::string dir = make_temp_dir();
    return dir;
}

std::string pull_config(bool enabled = true) {
    return host_config("{}", R"("signals":{"agent":"","pull":{"enabled":)" + std::string(enabled ? "true" : "false") +
                                 R"(,"allowed_hosts":["127.0.0.1"],"file_roots":[")" + logs_dir() +
                                 R"("],"poll_ms":100,"timeout_seconds":5}})");
}

HostProcess& host() {
    static std::unique_ptr<HostProcess> instance;
    if (!instance) instance = std::make_unique<HostProcess>(pull_config());
    return *instance;
}

std::string add_source(HttpClient& client, const std::string& body) {
    auto created = client.post("/api/log-sources", body);
    INFO(created.body);
    REQUIRE(created.status == 201);
    return json_of(created)["id"].GetString();
}

rapidjson::Document source_status(HttpClient& client, const std::string& id) {
    auto found = client.get("/api/log-sources/" + id);
    INFO(found.body);
    REQUIRE(found.status == 200);
    rapidjson::Document body = json_of(found);
    REQUIRE(body.HasMember("status"));
    rapidjson::Document status;
    status.CopyFrom(body["status"], status.GetAllocator());
    return status;
}

// The repository's incidents (each source names its own repository).
rapidjson::Document incidents_of(HttpClient& client, const std::string& repository) {
    auto list = client.get("/api/incidents?repository=" + repository);
    INFO(list.body);
    REQUIRE(list.status == 200);
    return json_of(list);
}

long long total_count(HttpClient& client, const std::string& repository, size_t* incidents = nullptr) {
    auto list = incidents_of(client, repository);
    long long total = 0;
    for (const auto& incident : list["incidents"].GetArray()) total += incident["signal_count"].GetInt64();
    if (incidents != nullptr) *incidents = list["incidents"].Size();
    return total;
}

void append(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::app);
    out << text;
}

std::string error_lines(int from, int count) {
    std::string text;
    for (int i = from; i < from + count; ++i)
        text += "2026-12-07T03:00:0" + std::to_string(i % 10) + "Z ERROR payment " + std::to_string(4000 + i) +
                " failed: upstream timeout after " + std::to_string(30 + i) + "ms\n";
    return text;
}

}  // namespace

TEST_CASE("log pull: the test's own SigV4 signer reproduces AWS's published get-vanilla example") {
    CHECK(expected_authorization("GET", "/", "", {{"host", "example.amazonaws.com"}, {"x-amz-date", "20150830T123600Z"}},
                                 "", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service") ==
          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
          "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST_CASE("log pull: appended error lines of a file source become one incident with their count") {
    HttpClient client(host().base_url());
    std::string repository = unique("file-repo-");
    std::string path = logs_dir() + "/" + repository + ".log";
    append(path, "INFO started\n" + error_lines(0, 1));
    std::string id = add_source(client, R"({"name":")" + repository + R"(","type":"file","path":")" + path +
                                            R"(","service":"payments","repository":")" + repository +
                                            R"(","interval_seconds":1,"start_at":"beginning"})");
    REQUIRE(poll_until([&] { return total_count(client, repository) == 1; }, std::chrono::seconds(15)));
    append(path, "DEBUG retrying\n" + error_lines(1, 3) + "INFO recovered\n");
    size_t incidents = 0;
    REQUIRE(poll_until([&] { return total_count(client, repository, &incidents) == 4; }, std::chrono::seconds(15)));
    CHECK(incidents == 1);
    auto list = incidents_of(client, repository);
    CHECK(std::string(list["incidents"][0]["service"].GetString()) == "payments");
    CHECK(std::string(list["incidents"][0]["source"].GetString()) == "log");
    REQUIRE(poll_until([&] { return source_status(client, id)["lines_read"].GetInt64() == 7; }, std::chrono::seconds(10)));
    auto status = source_status(client, id);
    CHECK(status["signals"].GetInt64() == 4);
    CHECK(status["pulled"].GetBool());
    CHECK(std::string(status["last_error"].GetString()).empty());
    CHECK(status.HasMember("last_pull_at"));
    // The lines are indexed for retrieval like pushed ones.
    auto found = client.get("/api/signals/search?q=upstream+timeout+payment");
    CHECK_THAT(found.body, Contains("upstream timeout"));
    // Nothing more comes while the file does not grow.
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    CHECK(total_count(client, repository) == 4);
}

TEST_CASE("log pull: a Loki source is queried forward from its cursor and its error lines become signals") {
    struct Entry {
        long long ns;
        std::string line;
    };
    std::mutex mutex;
    std::vector<Entry> entries;
    std::vector<std::string> targets;
    std::string org;
    LoopbackServer loki("loki", 0, std::chrono::seconds(5), [&](int fd, LoopbackRequest request) {
        std::lock_guard lock(mutex);
        targets.push_back(request.path);
        org = request.header("x-scope-orgid");
        if (request.path.rfind("/loki/api/v1/query_range?", 0) != 0 || query_param(request.path, "direction") != "forward") {
            answer(fd, 400, R"({"status":"error","error":"bad request"})");
            return;
        }
        long long start = std::stoll(query_param(request.path, "start"));
        long long end = std::stoll(query_param(request.path, "end"));
        size_t limit = std::stoul(query_param(request.path, "limit"));
        std::string values;
        size_t taken = 0;
        for (const auto& entry : entries) {
            if (entry.ns < start || entry.ns > end || taken == limit) continue;
            ++taken;
            values += std::string(values.empty() ? "" : ",") + "[\"" + std::to_string(entry.ns) + "\",\"" + entry.line + "\"]";
        }
        answer(fd, 200, R"({"status":"success","data":{"resultType":"streams","result":[{"stream":{"app":"shop"},"values":[)" +
                            values + "]}]}}");
    });
    HttpClient client(host().base_url());
    std::string repository = unique("loki-repo-");
    auto now_ns = [] {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    std::string id = add_source(client, R"({"name":")" + repository + R"(","type":"loki","url":")" + loki.url("") +
                                            R"(","query":"{app=\"shop\"} |= \"error\"","org_id":"team-a","repository":")" +
                                            repository + R"(","service":"shop","interval_seconds":1,"limit":2})");
    {
        std::lock_guard lock(mutex);
        long long t = now_ns();
        entries.push_back({t + 1, "level=info msg=ok"});
        entries.push_back({t + 2, "ERROR checkout 7781 failed: card declined"});
        entries.push_back({t + 3, "ERROR checkout 7782 failed: card declined"});
        entries.push_back({t + 4, "ERROR checkout 7783 failed: card declined"});
    }
    size_t incidents = 0;
    REQUIRE(poll_until([&] { return total_count(client, repository, &incidents) == 3; }, std::chrono::seconds(20)));
    CHECK(incidents == 1);
    // Later pulls start after what was read: no line twice.
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    CHECK(total_count(client, repository) == 3);
    CHECK(source_status(client, id)["lines_read"].GetInt64() == 4);
    std::lock_guard lock(mutex);
    REQUIRE(targets.size() >= 3);
    CHECK(org == "team-a");
    CHECK(percent_decode(query_param(targets.front(), "query")) == R"({app="shop"} |= "error")");
    CHECK(query_param(targets.front(), "limit") == "2");
    CHECK(std::stoll(query_param(targets.back(), "start")) == entries.back().ns + 1);
}

TEST_CASE("log pull: a CloudWatch source signs FilterLogEvents with SigV4 and a wrong key shows AWS's refusal") {
    const std::string key_id = "AKIDLOGPULLTEST";
    const std::string secret = "logpull/secret+KEY";
    std::mutex mutex;
    std::vector<std::string> bodies;
    std::atomic<int> refused{0};
    long long event_time = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count() + 1000;
    LoopbackServer cloudwatch("cloudwatch", 0, std::chrono::seconds(5), [&](int fd, LoopbackRequest request) {
        std::map<std::string, std::string> signed_headers;
        for (const char* name : {"content-type", "host", "x-amz-date", "x-amz-target", "x-amz-security-token"})
            if (request.has_header(name)) signed_headers[name] = request.header(name);
        std::string authorization = request.header("authorization");
        size_t credential = authorization.find("Credential=");
        std::string region = "eu-west-1";
        std::string expected = expected_authorization(request.method, "/", "", signed_headers, request.body, key_id,
                                                      secret, region, "logs");
        if (request.method != "POST" || request.header("x-amz-target") != "Logs_20140328.FilterLogEvents" ||
            request.header("content-type") != "application/x-amz-json-1.1" || credential == std::string::npos ||
            authorization != expected || request.header("x-amz-security-token") != "session-1") {
            ++refused;
            answer(fd, 400, R"({"__type":"InvalidSignatureException","message":"The request signature we calculated does not match the signature you provided."})",
                   "application/x-amz-json-1.1");
            return;
        }
        rapidjson::Document body;
        body.Parse(request.body.c_str());
        {
            std::lock_guard lock(mutex);
            bodies.push_back(request.body);
        }
        long long start = body["startTime"].GetInt64();
        std::string events;
        int n = 0;
        for (int i = 0; i < 3; ++i) {
            long long at = event_time + i;
            if (at < start) continue;
            events += std::string(n++ ? "," : "") + R"({"timestamp":)" + std::to_string(at) + R"(,"eventId":"ev-)" +
                      std::to_string(i) + R"(","logStreamName":"web-1","message":"FATAL orders )" + std::to_string(900 + i) +
                      R"( lost db connection\n","ingestionTime":)" + std::to_string(at) + "}";
        }
        answer(fd, 200, R"({"events":[)" + events + R"(],"searchedLogStreams":[]})", "application/x-amz-json-1.1");
    });
    HttpClient client(host().base_url());
    std::string repository = unique("cw-repo-");
    std::string good = add_source(client, R"({"name":")" + repository + R"(","type":"cloudwatch","log_group":"/aws/ecs/orders","region":"eu-west-1","endpoint":")" +
                                              cloudwatch.url("/") + R"(","access_key_id":")" + key_id +
                                              R"(","secret_access_key":")" + secret +
                                              R"(","session_token":"session-1","repository":")" + repository +
                                              R"(","service":"orders","interval_seconds":1})");
    // The secret is stored sealed for signing, and never shown.
    auto shown = client.get("/api/log-sources/" + good);
    CHECK_THAT(shown.body, !Contains(secret));
    CHECK_THAT(shown.body, Contains("[redacted]"));
    CHECK_THAT(client.get("/api/log-sources").body, !Contains(secret));
    for (const auto& file : std::filesystem::recursive_directory_iterator(host().work_dir() + "/data")) {
        if (!file.is_regular_file()) continue;
        std::ifstream in(file.path(), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        INFO(file.path());
        CHECK(bytes.find(secret) == std::string::npos);
        CHECK(bytes.find("session-1") == std::string::npos);
    }
    size_t incidents = 0;
    REQUIRE(poll_until([&] { return total_count(client, repository, &incidents) == 3; }, std::chrono::seconds(20)));
    CHECK(incidents == 1);
    auto list = incidents_of(client, repository);
    CHECK(std::string(list["incidents"][0]["severity"].GetString()) == "critical");
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    CHECK(total_count(client, repository) == 3);  // events at the cursor's millisecond are not taken twice
    {
        std::lock_guard lock(mutex);
        REQUIRE(bodies.size() >= 2);
        CHECK_THAT(bodies.front(), Contains(R"("logGroupName":"/aws/ecs/orders")"));
        CHECK_THAT(bodies.back(), Contains(R"("startTime":)" + std::to_string(event_time + 2)));
    }
    CHECK(refused == 0);
    // A wrong secret: AWS's answer is the source's error, and it backs off.
    std::string bad_repository = unique("cw-bad-");
    std::string bad = add_source(client, R"({"name":")" + bad_repository + R"(","type":"cloudwatch","log_group":"/aws/ecs/orders","region":"eu-west-1","endpoint":")" +
                                             cloudwatch.url("/") + R"(","access_key_id":")" + key_id +
                                             R"(","secret_access_key":"wrong","session_token":"session-1","interval_seconds":1})");
    REQUIRE(poll_until([&] { return source_status(client, bad)["consecutive_failures"].GetInt64() >= 1; },
                       std::chrono::seconds(15)));
    CHECK_THAT(std::string(source_status(client, bad)["last_error"].GetString()), Contains("InvalidSignatureException"));
    CHECK(total_count(client, bad_repository) == 0);
}

TEST_CASE("log pull: a url source asks only for what is new (Range, If-None-Match) and reads JSON lines") {
    std::mutex mutex;
    std::string document = R"({"level":"info","msg":"boot"})" "\n";
    std::vector<std::string> ranges;
    std::vector<std::string> etags;
    auto etag_of = [](const std::string& text) { return "\"v" + std::to_string(text.size()) + "\""; };
    LoopbackServer server("logs", 0, std::chrono::seconds(5), [&](int fd, LoopbackRequest request) {
        std::lock_guard lock(mutex);
        std::string range = request.header("range");
        ranges.push_back(range);
        etags.push_back(request.header("if-none-match"));
        std::string etag = etag_of(document);
        if (!range.empty() && request.header("if-none-match") == etag) {
            send_all(fd, "HTTP/1.1 304 Not Modified\r\nETag: " + etag + "\r\nConnection: close\r\n\r\n");
            return;
        }
        if (range.rfind("bytes=", 0) == 0) {
            size_t from = std::stoul(range.substr(6));
            if (from >= document.size()) {
                send_all(fd, "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */" +
                                 std::to_string(document.size()) + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }
            std::string part = document.substr(from);
            send_all(fd, "HTTP/1.1 206 Partial Content\r\nETag: " + etag + "\r\nContent-Range: bytes " +
                             std::to_string(from) + "-" + std::to_string(document.size() - 1) + "/" +
                             std::to_string(document.size()) + "\r\nContent-Length: " + std::to_string(part.size()) +
                             "\r\nConnection: close\r\n\r\n" + part);
            return;
        }
        send_all(fd, "HTTP/1.1 200 OK\r\nETag: " + etag + "\r\nContent-Length: " + std::to_string(document.size()) +
                         "\r\nConnection: close\r\n\r\n" + document);
    });
    HttpClient client(host().base_url());
    std::string repository = unique("url-repo-");
    std::string id = add_source(client, R"({"name":")" + repository + R"(","type":"url","url":")" +
                                            server.url("/app.ndjson") + R"(","repository":")" + repository +
                                            R"(","interval_seconds":1})");
    // start_at end (the default): what was there at the first pull is skipped.
    REQUIRE(poll_until([&] { return source_status(client, id)["pulled"].GetBool(); }, std::chrono::seconds(10)));
    {
        std::lock_guard lock(mutex);
        document += R"({"level":"error","msg":"order 1001 rejected by fraud check"})" "\n";
        document += R"({"level":"warn","msg":"ERROR budget at 80%"})" "\n";
        document += "plain line Exception in thread main 1002\n";
    }
    size_t incidents = 0;
    REQUIRE(poll_until([&] { return total_count(client, repository, &incidents) == 2; }, std::chrono::seconds(15)));
    CHECK(incidents == 2);  // two templates
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    CHECK(total_count(client, repository) == 2);
    CHECK(source_status(client, id)["lines_read"].GetInt64() == 3);
    std::lock_guard lock(mutex);
    REQUIRE(ranges.size() >= 3);
    CHECK(ranges.front().empty());                  // the first pull learns the size
    CHECK(ranges.back() == "bytes=" + std::to_string(document.size()) + "-");  // then only what is new
    CHECK(etags.back() == etag_of(document));      // and asks whether it changed at all
}

TEST_CASE("log pull: failing sources record their error and back off; the host and other sources go on") {
    std::atomic<int> calls{0};
    LoopbackServer refusing("refusing", 0, std::chrono::seconds(5), [&](int fd, LoopbackRequest request) {
        ++calls;
        if (request.path.rfind("/loki/", 0) == 0) answer(fd, 200, "this is not json", "text/plain");
        else answer(fd, 401, R"({"message":"missing token"})");
    });
    HttpClient client(host().base_url());
    std::string unauthorized = add_source(client, R"({"name":")" + unique("url-401-") + R"(","type":"url","url":")" +
                                                      refusing.url("/app.log") + R"(","interval_seconds":1})");
    std::string garbled = add_source(client, R"({"name":")" + unique("loki-bad-") + R"(","type":"loki","url":")" +
                                                 refusing.url("") + R"(","query":"{a=\"b\"}","interval_seconds":1})");
    std::string outside = add_source(client, R"({"name":")" + unique("file-out-") +
                                                 R"(","type":"file","path":"/etc/passwd","interval_seconds":1})");
    std::string closed_port = add_source(client, R"({"name":")" + unique("url-down-") + R"(","type":"url","url":"http://127.0.0.1:)" +
                                                     std::to_string(free_port()) + R"(/x.log","interval_seconds":1})");
    REQUIRE(poll_until(
        [&] {
            for (const auto& id : {unauthorized, garbled, outside, closed_port})
                if (source_status(client, id)["consecutive_failures"].GetInt64() < 2) return false;
            return true;
        },
        std::chrono::seconds(20)));
    CHECK_THAT(std::string(source_status(client, unauthorized)["last_error"].GetString()), Contains("401"));
    CHECK_THAT(std::string(source_status(client, garbled)["last_error"].GetString()), Contains("not JSON"));
    CHECK_THAT(std::string(source_status(client, outside)["last_error"].GetString()), Contains("file_roots"));
    CHECK_FALSE(std::string(source_status(client, closed_port)["last_error"].GetString()).empty());
    // Backing off: the third failure waits twice as long as the second, so
    // a few seconds see far fewer pulls than once a second.
    int before = calls.load();
    std::this_thread::sleep_for(std::chrono::seconds(3));
    CHECK(calls.load() - before <= 3);
    CHECK(client.get("/health").status == 200);
    CHECK(host().running());
    // Deleting a source stops its pulls and drops its cursor.
    CHECK(client.request("DELETE", "/api/log-sources/" + unauthorized, "", {}).status == 204);
    error_envelope(client.get("/api/log-sources/" + unauthorized), 404, "LogSourceNotFound");
}

TEST_CASE("log pull: bad source settings are refused with the field named") {
    HttpClient client(host().base_url());
    auto bad_filter = client.post("/api/log-sources", R"({"name":"f-bad","type":"file","path":"/var/log/x.log","filter":"(unclosed"})");
    error_envelope(bad_filter, 422, "ValidationError");
    CHECK_THAT(bad_filter.body, Contains("filter"));
    error_envelope(client.post("/api/log-sources", R"({"name":"f-int","type":"file","path":"/var/log/x.log","interval_seconds":0.2})"),
                   422, "ValidationError");
    auto half_keys = client.post("/api/log-sources", R"({"name":"cw-half","type":"cloudwatch","log_group":"g","region":"eu-west-1","access_key_id":"AKID"})");
    error_envelope(half_keys, 422, "ValidationError");
    CHECK_THAT(half_keys.body, Contains("secret_access_key"));
    error_envelope(client.post("/api/log-sources", R"({"name":"cw-ep","type":"cloudwatch","log_group":"g","region":"eu-west-1","endpoint":"ftp://x"})"),
                   422, "ValidationError");
    error_envelope(client.post("/api/log-sources", R"({"name":"f-start","type":"file","path":"/var/log/x.log","start_at":"middle"})"),
                   422, "ValidationError");
}

TEST_CASE("log pull: after a restart a file source goes on from its cursor, nothing lost or repeated") {
    std::string data = make_temp_dir();
    std::string repository = unique("restart-repo-");
    std::string path = logs_dir() + "/" + repository + ".log";
    append(path, error_lines(0, 2));
    std::string id;
    {
        HostProcess first(pull_config(), {"--data-dir", data});
        HttpClient client(first.base_url());
        id = add_source(client, R"({"name":")" + repository + R"(","type":"file","path":")" + path +
                                    R"(","repository":")" + repository + R"(","interval_seconds":1,"start_at":"beginning"})");
        REQUIRE(poll_until([&] { return total_count(client, repository) == 2; }, std::chrono::seconds(15)));
        CHECK(first.stop() == 0);
    }
    // Written while no host ran.
    append(path, error_lines(2, 3));
    {
        HostProcess second(pull_config(), {"--data-dir", data});
        HttpClient client(second.base_url());
        REQUIRE(poll_until([&] { return total_count(client, repository) == 5; }, std::chrono::seconds(15)));
        std::this_thread::sleep_for(std::chrono::milliseconds(2500));
        CHECK(total_count(client, repository) == 5);
        CHECK(source_status(client, id)["lines_read"].GetInt64() == 5);
    }
    {
        // With pulling switched off the source is left alone.
        append(path, error_lines(5, 1));
        HostProcess third(pull_config(false), {"--data-dir", data});
        HttpClient client(third.base_url());
        std::this_thread::sleep_for(std::chrono::milliseconds(2500));
        CHECK(total_count(client, repository) == 5);
    }
    std::filesystem::remove_all(data);
}
