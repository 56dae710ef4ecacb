// The sandboxed exec service through the real host, in both isolation
// modes: an allowed program runs in the run's workspace and its output
// arrives as exec.* events and in the result; everything else is refused
// or confined (other binaries, writes outside the workspace, the network,
// a program past its timeout, a cancelled run, a plugin without the exec
// permission).
#include "test_host.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

// Whether bubblewrap can make the exec sandbox on this machine (it cannot
// in some containers); the host probes the same way.
bool sandbox_works() {
    static const bool works =
        std::system("/usr/bin/bwrap --unshare-all --die-with-parent --new-session --ro-bind / / --proc /proc "
                    "--dev /dev --tmpfs /tmp --remount-ro / -- /bin/true >/dev/null 2>&1") == 0;
    return works;
}

std::string agents_config(const std::string& isolation, bool network) {
    std::string exec = R"({"allow":["sh","bash","cat","sleep","pwd"],"env":{"FROM_OPERATOR":"op"},"max_timeout_seconds":20)" +
                       std::string(network ? R"(,"network":true)" : "") +
                       (sandbox_works() ? "" : R"(,"allow_unsandboxed":true)") + "}";
    return R"({"exec_probe":{"enabled":true,"isolation":")" + isolation + R"(","exec":)" + exec +
           R"(},"exec_unpermitted":{"enabled":true,"isolation":")" + isolation + R"(","exec":)" + exec + "}}";
}

// One host per isolation mode and network setting, shared by the tests.
HostProcess& host_for(const std::string& isolation, bool network = false) {
    static std::map<std::string, std::unique_ptr<HostProcess>> hosts;
    std::string key = isolation + (network ? "+net" : "");
    auto& host = hosts[key];
    if (!host) host = std::make_unique<HostProcess>(host_config(agents_config(isolation, network)));
    return *host;
}

struct Finished {
    std::string id, status, error;
    rapidjson::Document run;
    std::vector<RunEventView> events;
};

std::string submit(HttpClient& client, const std::string& agent, const std::string& context_json) {
    auto created = client.post("/runs", run_request(agent, "exec test", context_json));
    INFO("body: " << created.body);
    REQUIRE(created.status == 202);
    return string_member(json_of(created), "run_id");
}

Finished wait_for(HttpClient& client, const std::string& id) {
    Finished finished;
    finished.id = id;
    REQUIRE(poll_until(
        [&] {
            finished.status = run_status_of(client, id);
            return finished.status == "succeeded" || finished.status == "failed" || finished.status == "cancelled";
        },
        30000ms, 20ms));
    finished.run = fetch_run(client, id);
    finished.error = string_member(finished.run, "error");
    finished.events = fetch_events(client, id);
    return finished;
}

Finished run_exec(HttpClient& client, const std::string& request_json, const std::string& agent = "exec_probe",
                  const std::string& extra = "") {
    return wait_for(client, submit(client, agent, R"({"request":)" + request_json + extra + "}"));
}

const rapidjson::Value& result_of(const Finished& finished) {
    INFO("run " << finished.id << " ended " << finished.status << ": " << finished.error);
    REQUIRE(finished.status == "succeeded");
    return finished.run["result"];
}

// Of a run that is not kept (result_of(run_exec(...))): a copy, which a
// const reference at the call site keeps alive, not a view into the
// temporary's document.
rapidjson::Document result_of(Finished&& finished) {
    rapidjson::Document copy;
    copy.CopyFrom(result_of(static_cast<const Finished&>(finished)), copy.GetAllocator());
    return copy;
}

std::vector<std::string> output_lines(const Finished& finished, const std::string& stream) {
    std::vector<std::string> lines;
    for (const auto& event : finished.events) {
        if (event.type != "exec.output") continue;
        rapidjson::Document data;
        data.Parse(event.data_json.c_str());
        if (string_member(data, "stream") == stream) lines.push_back(string_member(data, "line"));
    }
    return lines;
}

}  // namespace

TEST_CASE("an allowed program runs in the run's workspace and streams its output", "[exec]") {
    std::string isolation = GENERATE(std::string("in_process"), std::string("process"));
    INFO("isolation: " << isolation);
    HttpClient client(host_for(isolation).base_url());
    Finished finished = run_exec(
        client, R"({"argv":["sh","-c","echo hello; echo oops >&2; pwd; echo $FROM_PLUGIN $FROM_OPERATOR; cat seeded.txt; exit 3"],)"
                R"("env":{"FROM_PLUGIN":"plug","FROM_OPERATOR":"overridden"}})",
        "exec_probe", R"(,"seed":{"seeded.txt":"written by the plugin"})");
    const auto& result = result_of(finished);
    std::string workspace = string_member(result, "workspace");
    CHECK_THAT(workspace, Contains("/workspaces/exec_probe/" + finished.id));
    CHECK(result["exit_code"].GetInt() == 3);
    CHECK(result["signal"].GetInt() == 0);
    CHECK_FALSE(result["timed_out"].GetBool());
    CHECK(string_member(result, "stdout") == "hello\n" + workspace + "\nplug op\nwritten by the plugin");
    CHECK(string_member(result, "stderr") == "oops\n");
    if (sandbox_works()) CHECK_THAT(string_member(result, "sandbox"), Contains("bwrap"));
    // The same lines as events, framed by exec.started and exec.finished.
    CHECK(count_events(finished.events, "exec.started") == 1);
    CHECK(count_events(finished.events, "exec.finished") == 1);
    CHECK(output_lines(finished, "stdout") ==
          std::vector<std::string>{"hello", workspace, "plug op", "written by the plugin"});
    CHECK(output_lines(finished, "stderr") == std::vector<std::string>{"oops"});
    for (const auto& event : finished.events)
        if (event.type == "exec.finished") CHECK_THAT(event.data_json, Contains("\"exit_code\":3"));
    // The workspace goes when the run ends.
    CHECK_FALSE(std::filesystem::exists(workspace));

    // stdin reaches the program.
    const auto& piped = result_of(run_exec(client, R"({"argv":["cat"],"stdin":"through stdin"})"));
    CHECK(string_member(piped, "stdout") == "through stdin");
    // Counted in GET /metrics.
    CHECK_THAT(client.get("/metrics").body, Contains(R"(agenthost_exec_commands_total{agent="exec_probe",outcome="exited"})") &&
                                                Contains("agenthost_exec_duration_seconds_count{agent=\"exec_probe\"}"));
}

TEST_CASE("GET /agents/{name} shows what the agent may run and how it is confined", "[exec]") {
    HttpClient client(host_for("in_process").base_url());
    auto body = json_of(client.get("/agents/exec_probe"));
    REQUIRE(body.HasMember("exec"));
    CHECK(body["exec"]["allow"].Size() == 5);
    CHECK_FALSE(body["exec"]["network"].GetBool());
    CHECK(body["exec"]["max_timeout_seconds"].GetDouble() == 20);
    CHECK_THAT(string_member(body["exec"], "sandbox"), Contains(sandbox_works() ? "bwrap" : "none: "));
    CHECK_FALSE(json_of(client.get("/agents/exec_unpermitted")).HasMember("exec"));
}

TEST_CASE("exec refuses binaries off the allow-list, paths and bad requests", "[exec]") {
    std::string isolation = GENERATE(std::string("in_process"), std::string("process"));
    INFO("isolation: " << isolation);
    HttpClient client(host_for(isolation).base_url());
    Finished refused = run_exec(client, R"({"argv":["ls","/"]})");
    CHECK(refused.status == "failed");
    CHECK_THAT(refused.error, Contains("'ls' is not an allowed command") && Contains("agents.exec_probe.exec.allow"));
    CHECK(count_events(refused.events, "exec.started") == 0);
    Finished path = run_exec(client, R"({"argv":["/bin/sh","-c","true"]})", "exec_probe", R"(,"raw":true)");
    CHECK(path.status == "failed");
    CHECK_THAT(path.error, Contains("bare name"));
    Finished climbing = run_exec(client, R"({"argv":["pwd"],"cwd":"../.."})", "exec_probe", R"(,"raw":true)");
    CHECK(climbing.status == "failed");
    CHECK_THAT(climbing.error, Contains("cwd"));
}

TEST_CASE("the exec check answers what exec would decide without running anything", "[exec]") {
    std::string isolation = GENERATE(std::string("in_process"), std::string("process"));
    INFO("isolation: " << isolation);
    HttpClient client(host_for(isolation).base_url());
    const std::string check = R"(,"check":true)";
    // Allowed: the binary the host would run and how it would be confined;
    // the program is not started (it would have written the marker).
    Finished allowed = run_exec(client, R"({"argv":["sh","-c","echo ran > marker.txt"],"cwd":"not/made/yet"})",
                                "exec_probe", check);
    const auto& result = result_of(allowed);
    CHECK(result["check"]["checked"].GetBool());
    CHECK_THAT(string_member(result["check"], "binary"), Contains("/sh"));
    CHECK_THAT(string_member(result["check"], "sandbox"), Contains(sandbox_works() ? "bwrap (no network)" : "none: "));
    CHECK(count_events(allowed.events, "exec.started") == 0);
    CHECK_FALSE(std::filesystem::exists(string_member(result, "workspace") + "/marker.txt"));
    // Refused with exec's own words: off the allow-list, network not allowed.
    Finished off_list = run_exec(client, R"({"argv":["kubectl","apply","-f","-"]})", "exec_probe", check);
    CHECK(off_list.status == "failed");
    CHECK_THAT(off_list.error, Contains("'kubectl' is not an allowed command") && Contains("agents.exec_probe.exec.allow"));
    Finished network = run_exec(client, R"({"argv":["sh","-c","true"],"network":true})", "exec_probe", check);
    CHECK(network.status == "failed");
    CHECK_THAT(network.error, Contains("agents.exec_probe.exec.network"));
    // Without the exec permission the check is refused too.
    Finished unpermitted = run_exec(client, R"({"argv":["sh"]})", "exec_unpermitted", check);
    CHECK(unpermitted.status == "failed");
    CHECK_THAT(unpermitted.error, Contains("without the 'exec' permission"));
    for (const Finished* run : {&off_list, &network, &unpermitted}) CHECK(count_events(run->events, "exec.started") == 0);
}

TEST_CASE("a plugin without the exec permission is refused", "[exec]") {
    std::string isolation = GENERATE(std::string("in_process"), std::string("process"));
    INFO("isolation: " << isolation);
    HttpClient client(host_for(isolation).base_url());
    Finished refused = run_exec(client, R"({"argv":["sh","-c","echo should not run"]})", "exec_unpermitted");
    CHECK(refused.status == "failed");
    CHECK_THAT(refused.error, Contains("exec_unpermitted") && Contains("without the 'exec' permission"));
    CHECK(count_events(refused.events, "exec.started") == 0);
}

TEST_CASE("a program writes only inside its workspace", "[exec]") {
    if (!sandbox_works()) {
        WARN("bubblewrap cannot create namespaces here: the filesystem confinement is not tested");
        return;
    }
    std::string isolation = GENERATE(std::string("in_process"), std::string("process"));
    INFO("isolation: " << isolation);
    HostProcess& host = host_for(isolation);
    HttpClient client(host.base_url());
    // The host's own work directory (config, data, log) is outside every
    // workspace: the program can neither see it writable nor change it.
    std::string outside = host.work_dir() + "/escaped-" + isolation + ".txt";
    const auto& result = result_of(run_exec(
        client, R"({"argv":["sh","-c","echo in > inside.txt && cat inside.txt; echo x > /usr/escaped; echo x > ')" +
                    outside + R"('; echo x > ../sibling.txt; echo done"]})"));
    CHECK_THAT(string_member(result, "stdout"), Contains("in\n") && Contains("done"));
    CHECK_THAT(string_member(result, "stderr"), Contains("/usr/escaped") && Contains("Read-only file system"));
    CHECK_FALSE(std::filesystem::exists(outside));
    std::string workspace = string_member(result, "workspace");
    CHECK_FALSE(std::filesystem::exists(std::filesystem::path(workspace).parent_path() / "sibling.txt"));
}

TEST_CASE("the network is off unless the operator and the request allow it", "[exec]") {
    std::string isolation = GENERATE(std::string("in_process"), std::string("process"));
    INFO("isolation: " << isolation);
    {
        // The operator did not allow it: asking is refused.
        HttpClient client(host_for(isolation).base_url());
        Finished refused = run_exec(client, R"({"argv":["sh","-c","true"],"network":true})");
        CHECK(refused.status == "failed");
        CHECK_THAT(refused.error, Contains("network") && Contains("agents.exec_probe.exec.network"));
    }
    if (!sandbox_works()) {
        WARN("bubblewrap cannot create namespaces here: network confinement is not tested");
        return;
    }
    HostProcess& host = host_for(isolation, /*network=*/true);
    HttpClient client(host.base_url());
    // The host listens on loopback; the probe connects to it.
    std::string connect = R"({"argv":["bash","-c","exec 3<>/dev/tcp/127.0.0.1/)" + std::to_string(host.port()) +
                          R"( && echo connected"])";
    const auto& without = result_of(run_exec(client, connect + "}"));
    CHECK(without["exit_code"].GetInt() != 0);
    CHECK_THAT(string_member(without, "stdout"), !Contains("connected"));
    const auto& with = result_of(run_exec(client, connect + R"(,"network":true})"));
    CHECK(with["exit_code"].GetInt() == 0);
    CHECK_THAT(string_member(with, "stdout"), Contains("connected"));
}

TEST_CASE("a program past its timeout is killed", "[exec]") {
    std::string isolation = GENERATE(std::string("in_process"), std::string("process"));
    INFO("isolation: " << isolation);
    HttpClient client(host_for(isolation).base_url());
    auto started = std::chrono::steady_clock::now();
    const auto& result = result_of(run_exec(client, R"({"argv":["sleep","30"],"timeout_seconds":1})"));
    CHECK(std::chrono::steady_clock::now() - started < 10s);
    CHECK(result["timed_out"].GetBool());
    CHECK(result["signal"].GetInt() == 9);
    CHECK(result["exit_code"].GetInt() == -1);
    // The output cap stops a program that would never end on its own.
    const auto& capped = result_of(run_exec(client, R"({"argv":["sh","-c","while :; do echo y; done"],"max_output_bytes":2000})"));
    CHECK(capped["truncated"].GetBool());
    CHECK(string_member(capped, "stdout").size() == 2000);
    // Past 1000 lines per program, lines reach the result but not the event
    // log, and exec.finished counts them.
    Finished chatty = run_exec(client, R"({"argv":["sh","-c","i=0; while [ $i -lt 1500 ]; do echo line$i; i=$((i+1)); done"]})");
    const auto& chatty_result = result_of(chatty);
    CHECK_THAT(string_member(chatty_result, "stdout"), Contains("line1499\n"));
    CHECK(count_events(chatty.events, "exec.output") == 1000);
    for (const auto& event : chatty.events)
        if (event.type == "exec.finished") CHECK_THAT(event.data_json, Contains("\"lines_not_emitted\":500"));
}

TEST_CASE("cancelling the run kills its program", "[exec]") {
    std::string isolation = GENERATE(std::string("in_process"), std::string("process"));
    INFO("isolation: " << isolation);
    HttpClient client(host_for(isolation).base_url());
    std::string id = submit(client, "exec_probe", R"({"request":{"argv":["sleep","20"],"timeout_seconds":20}})");
    REQUIRE(poll_until([&] { return count_events(fetch_events(client, id), "exec.started") == 1; }, 10000ms, 20ms));
    auto cancelled_at = std::chrono::steady_clock::now();
    REQUIRE(client.post("/runs/" + id + "/cancel", "").status == 202);
    Finished finished = wait_for(client, id);
    CHECK(finished.status == "cancelled");
    CHECK(std::chrono::steady_clock::now() - cancelled_at < 5s);
    bool killed = false;
    for (const auto& event : finished.events)
        if (event.type == "exec.finished") killed = event.data_json.find("\"cancelled\":true") != std::string::npos;
    CHECK(killed);
}

TEST_CASE("a manifest's timeout_seconds is the agent's default run timeout; the operator's wins", "[exec][timeout]") {
    std::string exec = R"({"allow":["sleep"])" + std::string(sandbox_works() ? "" : R"(,"allow_unsandboxed":true)") + "}";
    {
        // The manifest says 1 s: the run is cancelled then, its program killed.
        HostProcess host(host_config(R"({"timeout_probe":{"enabled":true,"exec":)" + exec + "}}"));
        HttpClient client(host.base_url());
        auto started = std::chrono::steady_clock::now();
        // Well short of the 60 s the program would take, however slow the build.
        Finished finished = run_exec(client, R"({"argv":["sleep","60"],"timeout_seconds":60})", "timeout_probe");
        CHECK(std::chrono::steady_clock::now() - started < 20s);
        CHECK(finished.status == "failed");
        CHECK(string_member(finished.run, "error_type") == "timeout");
        CHECK_THAT(finished.error, Contains("timeout of 1"));
    }
    // agents.timeout_probe.timeout_seconds: 0 (no limit) overrides it.
    HostProcess host(host_config(R"({"timeout_probe":{"enabled":true,"timeout_seconds":0,"exec":)" + exec + "}}"));
    HttpClient client(host.base_url());
    Finished finished = run_exec(client, R"({"argv":["sleep","1.5"]})", "timeout_probe");
    CHECK(finished.status == "succeeded");
}

TEST_CASE("where bubblewrap cannot sandbox, exec is refused naming why unless the operator accepts unconfined programs",
          "[exec][degraded]") {
    // A bubblewrap that fails the way it does in a container without user
    // namespaces.
    std::string dir = make_temp_dir();
    std::string fake = dir + "/bwrap";
    std::ofstream(fake) << "#!/bin/sh\necho 'bwrap: No permissions to creating new namespace' >&2\nexit 1\n";
    std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
    setenv("AGENTHOST_BWRAP", fake.c_str(), 1);
    std::string agents = R"({"exec_probe":{"enabled":true,"exec":{"allow":["sh"]}},)"
                         R"("exec_unpermitted":{"enabled":true},)"
                         R"("timeout_probe":{"enabled":true,"timeout_seconds":0,"exec":{"allow":["sh"],"allow_unsandboxed":true}}})";
    HostProcess host(host_config(agents));
    unsetenv("AGENTHOST_BWRAP");
    HttpClient client(host.base_url());
    Finished refused = run_exec(client, R"({"argv":["sh","-c","echo should not run"]})");
    CHECK(refused.status == "failed");
    CHECK_THAT(refused.error, Contains("sandbox cannot start here") && Contains("No permissions to creating new namespace") &&
                                  Contains("agents.exec_probe.exec.allow_unsandboxed"));
    CHECK(count_events(refused.events, "exec.started") == 0);
    CHECK_THAT(host.log(), Contains("exec sandbox unavailable"));
    // The operator accepted it for this agent: the program runs, unconfined,
    // in the workspace, and says so.
    const auto& ran = result_of(run_exec(client, R"({"argv":["sh","-c","pwd; echo ok"]})", "timeout_probe"));
    CHECK(string_member(ran, "stdout") == string_member(ran, "workspace") + "\nok\n");
    CHECK_THAT(string_member(ran, "sandbox"), Contains("none: ") && Contains("No permissions"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("a runner that dies while its command runs takes the command down with it", "[exec][crash]") {
    std::string exec = R"({"allow":["sleep"])" + std::string(sandbox_works() ? "" : R"(,"allow_unsandboxed":true)") + "}";
    HostProcess host(host_config(R"({"exec_probe":{"enabled":true,"isolation":"process","exec":)" + exec + "}}",
                                 R"("runs":{"max_attempts":1})"));
    HttpClient client(host.base_url());
    auto started = std::chrono::steady_clock::now();
    Finished finished = wait_for(
        client, submit(client, "exec_probe", R"({"request":{"argv":["sleep","20"],"timeout_seconds":20},"abort_after_ms":500})"));
    // Not the command's 20 s: the host stops waiting for it with the runner.
    CHECK(std::chrono::steady_clock::now() - started < 10s);
    CHECK(finished.status == "failed");
    CHECK(string_member(finished.run, "error_type") == "plugin_crashed");
    CHECK_THAT(finished.error, Contains("SIGABRT"));
    CHECK(count_events(finished.events, "exec.started") == 1);
    bool killed = false;
    for (const auto& event : finished.events)
        if (event.type == "exec.finished") killed = event.data_json.find("\"cancelled\":true") != std::string::npos;
    CHECK(killed);
    CHECK(client.get("/health").status == 200);
}
