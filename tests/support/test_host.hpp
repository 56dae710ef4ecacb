// Shared set-up for integration tests: a host config over the first-party
// and fixture plugin folders, and JSON access to responses.
#pragma once

#include "host_process.hpp"
#include "http_client.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <cstdlib>
#include <set>
#include <string>

namespace agenthost::testing {

// A config whose `agents` member is `agents_json`; `extra_members` are
// further top-level members (without a leading comma).
// AGENTHOST_TEST_DEFAULT_ISOLATION (in_process, process, auto) sets
// plugins.default_isolation, so the same suite runs with every plugin in a
// runner process (ctest host_integration_tests_process); unset, fixtures run
// in process (the host's own default, auto, would put them in runners).
inline std::string host_config(const std::string& agents_json, const std::string& extra_members = "") {
    const char* isolation = std::getenv("AGENTHOST_TEST_DEFAULT_ISOLATION");
    std::string default_isolation = R"(,"default_isolation":")" +
                                    std::string(isolation != nullptr && *isolation != '\0' ? isolation : "in_process") +
                                    "\"";
    return R"({"plugins":{"directories":[")" + first_party_plugin_dir() + R"(",")" + fixture_plugin_dir() + R"("])" +
           default_isolation + R"(},"logging":{"level":"info"},"agents":)" + agents_json +
           (extra_members.empty() ? "" : "," + extra_members) + "}";
}

inline rapidjson::Document json_of(const HttpResult& result) {
    rapidjson::Document document;
    document.Parse(result.body.c_str());
    INFO("body: " << result.body);
    REQUIRE_FALSE(document.HasParseError());
    return document;
}

// The `result` of a synchronous invoke that must answer 200.
inline rapidjson::Document invoke_result(const HttpResult& answer) {
    INFO("body: " << answer.body);
    REQUIRE(answer.status == 200);
    rapidjson::Document body = json_of(answer);
    rapidjson::Document result;
    result.CopyFrom(body["result"], result.GetAllocator());
    return result;
}

// Checks the one error envelope and returns it.
inline rapidjson::Document error_envelope(const HttpResult& result, long status, const std::string& type) {
    INFO("body: " << result.body);
    CHECK(result.status == status);
    rapidjson::Document body = json_of(result);
    REQUIRE(body.IsObject());
    CHECK(std::string(body["error"].GetString()) == type);
    CHECK(body["message"].IsString());
    CHECK(std::string(body["request_id"].GetString()) == result.header("x-request-id"));
    CHECK(body["details"].IsArray());
    CHECK(result.header("content-type") == "application/json");
    return body;
}

}  // namespace agenthost::testing

// ---------------------------------------------------------------------------
// Helpers for the durability, scale-out and store-fault tests: polling with
// deadlines, run and event reads, a host expected to exit, and throwaway
// PostgreSQL databases (through psql).

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

namespace agenthost::testing {

// A data directory that outlives the hosts started on it, removed at the end.
struct DataDir {
    std::string root = make_temp_dir();
    std::string path = root + "/data";
    ~DataDir() {
        std::error_code ignored;
        std::filesystem::remove_all(root, ignored);
    }
};

inline std::vector<std::string> with_data_dir(const DataDir& dir, std::vector<std::string> args = {}) {
    args.push_back("--data-dir");
    args.push_back(dir.path);
    return args;
}

// A POST /runs body; `context_json` is a JSON object or empty.
// Runs `command` through the shell; its stdout, and its exit status in
// `status` (-1 when it did not exit normally).
inline std::string run_command(const std::string& command, int& status) {
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
        status = -1;
        return "";
    }
    std::string output;
    char buffer[4096];
    while (size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, got);
    int raw = pclose(pipe);
    status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return output;
}

inline std::string run_request(const std::string& agent, const std::string& task,
                               const std::string& context_json = "") {
    return R"({"agent_name":")" + agent + R"(","task":")" + task + "\"" +
           (context_json.empty() ? "" : R"(,"context":)" + context_json) + "}";
}

// POSTs a durable run and returns its id (202 required).
inline std::string submit_run(HttpClient& client, const std::string& agent, const std::string& context_json,
                              const std::string& task = "a test run") {
    auto created = client.post("/runs", run_request(agent, task, context_json));
    INFO("body: " << created.body);
    REQUIRE(created.status == 202);
    rapidjson::Document body;
    body.Parse(created.body.c_str());
    REQUIRE(body.IsObject());
    return body["run_id"].GetString();
}

// Calls `condition` until it returns true or `timeout` passes; true if it did.
template <typename Condition>
bool poll_until(Condition&& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval = std::chrono::milliseconds(50)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(interval);
    }
}

// The string member `name` of `value`, or "" when missing or not a string.
inline std::string string_member(const rapidjson::Value& value, const char* name) {
    if (!value.IsObject()) return "";
    auto found = value.FindMember(name);
    return found != value.MemberEnd() && found->value.IsString() ? found->value.GetString() : "";
}

inline std::string json_text(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return buffer.GetString();
}

// GET /runs/{id} parsed; a null document when the answer is not 200 JSON.
// Safe off the test thread (no Catch assertions).
// The entry of GET /plugins named `name` (fails the test when missing).
inline rapidjson::Document plugin_entry(HttpClient& client, const std::string& name) {
    rapidjson::Document plugins;
    plugins.Parse(client.get("/plugins").body.c_str());
    REQUIRE(plugins.IsObject());
    for (const auto& plugin : plugins["plugins"].GetArray())
        if (string_member(plugin, "name") == name) {
            rapidjson::Document copy;
            copy.CopyFrom(plugin, copy.GetAllocator());
            return copy;
        }
    FAIL("no plugin " << name);
    return rapidjson::Document();
}

inline rapidjson::Document fetch_run(HttpClient& client, const std::string& run_id) {
    rapidjson::Document body;
    auto result = client.get("/runs/" + run_id);
    if (result.status == 200) body.Parse(result.body.c_str());
    if (result.status != 200 || body.HasParseError() || !body.IsObject()) body.SetNull();
    return body;
}

// The run's status, or "" when it could not be read.
inline std::string run_status_of(HttpClient& client, const std::string& run_id) {
    return string_member(fetch_run(client, run_id), "status");
}

// Polls the run until its status is one of `wanted` (or `timeout` passes);
// the last status read.
inline std::string wait_for_status(HttpClient& client, const std::string& run_id, const std::set<std::string>& wanted,
                                   std::chrono::milliseconds timeout = std::chrono::milliseconds(20000)) {
    std::string status;
    poll_until(
        [&] {
            status = run_status_of(client, run_id);
            return wanted.count(status) > 0;
        },
        timeout, std::chrono::milliseconds(20));
    return status;
}

struct RunEventView {
    long long seq = 0;
    std::string type;
    std::string data_json;  // the event's `data`, serialized
};

// Every event of a run, paging with since_index. Throws if a page fails.
inline std::vector<RunEventView> fetch_events(HttpClient& client, const std::string& run_id) {
    std::vector<RunEventView> events;
    long long since = 0;
    for (;;) {
        auto result = client.get("/runs/" + run_id + "/events?since_index=" + std::to_string(since));
        rapidjson::Document body;
        body.Parse(result.body.c_str());
        if (result.status != 200 || body.HasParseError() || !body.IsObject() || !body["events"].IsArray())
            throw std::runtime_error("GET events of " + run_id + " answered " + std::to_string(result.status) + ": " +
                                     result.body);
        if (body["events"].Empty()) return events;
        for (const auto& event : body["events"].GetArray()) {
            RunEventView view;
            view.seq = event["seq"].GetInt64();
            view.type = string_member(event, "type");
            if (event.HasMember("data")) view.data_json = json_text(event["data"]);
            events.push_back(std::move(view));
        }
        long long next = body["next_index"].GetInt64();
        if (next <= since) return events;
        since = next;
    }
}

inline size_t count_events(const std::vector<RunEventView>& events, const std::string& type) {
    size_t count = 0;
    for (const auto& event : events) count += event.type == type ? 1 : 0;
    return count;
}

// run_id -> status of every run GET /runs lists (all pages), optionally of
// one agent. Throws if a page fails.
inline std::map<std::string, std::string> list_run_statuses(HttpClient& client, const std::string& agent = "") {
    std::map<std::string, std::string> statuses;
    std::string cursor;
    for (;;) {
        std::string path = "/runs?limit=500";
        if (!agent.empty()) path += "&agent=" + agent;
        if (!cursor.empty()) path += "&cursor=" + cursor;
        auto result = client.get(path);
        rapidjson::Document body;
        body.Parse(result.body.c_str());
        if (result.status != 200 || body.HasParseError() || !body.IsObject())
            throw std::runtime_error("GET " + path + " answered " + std::to_string(result.status) + ": " + result.body);
        for (const auto& run : body["runs"].GetArray()) statuses[string_member(run, "run_id")] = string_member(run, "status");
        if (!body["next_cursor"].IsString()) return statuses;
        cursor = body["next_cursor"].GetString();
    }
}

// The value of the first `"key":"value"` string field in a JSON-lines log.
inline std::string log_field(const std::string& log, const std::string& key) {
    std::string needle = "\"" + key + "\":\"";
    size_t at = log.find(needle);
    if (at == std::string::npos) return "";
    size_t start = at + needle.size();
    size_t end = log.find('"', start);
    return end == std::string::npos ? "" : log.substr(start, end - start);
}

// SIGKILLs the host (no clean-up of any kind) and waits until it is gone;
// false if it was not running or did not go.
inline bool kill_host(HostProcess& host) {
    if (host.pid() <= 0 || !host.running()) return false;
    if (kill(host.pid(), SIGKILL) != 0) return false;
    return poll_until([&] { return !host.running(); }, std::chrono::milliseconds(5000), std::chrono::milliseconds(5));
}

// An agenthost that is expected to stop by itself (a refused start).
struct ExitedHost {
    bool exited = false;   // false: still running at the deadline (then killed)
    int exit_code = -1;    // the exit status, or 128 + signal
    std::string output;    // stdout and stderr together
    std::chrono::milliseconds elapsed{0};
};

// Runs agenthost with `config_json`, a free port and a temporary data dir
// (both overridable through `extra_args`, the last option wins) and waits
// up to `timeout` for it to exit.
inline ExitedHost run_host_to_exit(const std::string& config_json, const std::vector<std::string>& extra_args,
                                   std::chrono::milliseconds timeout) {
    std::string dir = make_temp_dir();
    std::string config_path = dir + "/agenthost.json";
    std::ofstream(config_path) << config_json;
    std::string output_path = dir + "/output.log";
    std::vector<std::string> args = {host_binary(), "--config", config_path, "--port", std::to_string(free_port()),
                                     "--data-dir", dir + "/data"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    auto started = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        FILE* out = std::fopen(output_path.c_str(), "w");
        if (out != nullptr) {
            dup2(fileno(out), STDOUT_FILENO);
            dup2(fileno(out), STDERR_FILENO);
        }
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    ExitedHost outcome;
    int status = 0;
    outcome.exited = poll_until([&] { return waitpid(pid, &status, WNOHANG) == pid; }, timeout,
                                std::chrono::milliseconds(20));
    outcome.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    if (!outcome.exited) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::ifstream in(output_path);
    std::stringstream content;
    content << in.rdbuf();
    outcome.output = content.str();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    return outcome;
}

// ---- PostgreSQL ----------------------------------------------------------

// AGENTHOST_TEST_DATABASE_URL, or "" when unset.
inline std::string test_database_url() {
    const char* url = std::getenv("AGENTHOST_TEST_DATABASE_URL");
    return url == nullptr ? "" : url;
}

// For executables that only hold PostgreSQL tests: exits with 77 (ctest's
// SKIP_RETURN_CODE) before any test runs when no test database is given.
// Call it from a namespace-scope initializer.
inline bool exit_77_without_postgres() {
    if (test_database_url().empty()) {
        std::cerr << "AGENTHOST_TEST_DATABASE_URL is not set: skipping the PostgreSQL tests "
                     "(start one with tools/pg-test-cluster start DIR PORT)\n";
        std::exit(77);
    }
    return true;
}

// `url` with its database name replaced by `database` (query kept).
inline std::string database_url_named(const std::string& url, const std::string& database) {
    size_t scheme = url.find("://");
    size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    size_t query = url.find('?');
    std::string tail = query == std::string::npos ? "" : url.substr(query);
    std::string head = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
    return head + "/" + database + tail;
}

inline std::string shell_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += "'\\''";
        else out += c;
    }
    return out + "'";
}

// Runs one SQL command through psql on `url`; returns its unaligned,
// tuples-only output. Throws with psql's output when it fails.
inline std::string psql(const std::string& url, const std::string& sql) {
    std::string command = "psql -X -q -t -A -v ON_ERROR_STOP=1 -d " + shell_quoted(url) + " -c " + shell_quoted(sql) +
                          " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) throw std::runtime_error("cannot run psql");
    std::string output;
    char buffer[4096];
    while (size_t got = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, got);
    int status = pclose(pipe);
    if (status != 0) throw std::runtime_error("psql failed (" + sql + "): " + output);
    return output;
}

// A freshly created database on the test cluster, dropped (with FORCE) when
// the object goes; declare it before the hosts that use it.
class TestDatabase {
  public:
    TestDatabase() : admin_url_(test_database_url()) {
        if (admin_url_.empty()) throw std::runtime_error("AGENTHOST_TEST_DATABASE_URL is not set");
        std::random_device random;
        std::ostringstream name;
        name << "agenthost_t_" << getpid() << "_" << std::hex << random() << random();
        name_ = name.str();
        psql(admin_url_, "CREATE DATABASE " + name_);
        url_ = database_url_named(admin_url_, name_);
    }
    ~TestDatabase() {
        try {
            psql(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        } catch (const std::exception& e) {
            std::cerr << "could not drop test database " << name_ << ": " << e.what() << "\n";
        }
    }
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    const std::string& url() const { return url_; }
    const std::string& name() const { return name_; }
    const std::string& admin_url() const { return admin_url_; }

    // New connections are refused and the open ones are ended: to its
    // clients the database is gone.
    void refuse_connections() {
        psql(admin_url_, "ALTER DATABASE " + name_ + " ALLOW_CONNECTIONS false");
        psql(admin_url_, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name_ + "'");
    }
    void allow_connections() { psql(admin_url_, "ALTER DATABASE " + name_ + " ALLOW_CONNECTIONS true"); }

  private:
    std::string admin_url_;
    std::string name_;
    std::string url_;
};

}  // namespace agenthost::testing
