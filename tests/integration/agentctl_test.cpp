// agentctl through the real binary against a real host: tables, following a
// run live, approvals, and the exit statuses scripts rely on (0 success,
// 1 error answer or failed run, 2 usage, 3 unreachable).
#include "test_host.hpp"

#include <filesystem>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(R"({"echo":{"enabled":true}})"));
    return instance;
}

struct Ctl {
    int status = -1;
    std::string output;
};

// Runs agentctl against the shared host; stderr joins stdout.
Ctl agentctl(const std::string& args, const std::string& url = "") {
    std::string binary = (std::filesystem::path(host_binary()).parent_path() / "agentctl").string();
    Ctl ctl;
    ctl.output = run_command("AGENTHOST_URL=" + (url.empty() ? host().base_url() : url) + " " + binary + " " + args +
                                 " 2>&1",
                             ctl.status);
    return ctl;
}

std::string submit(HttpClient& client, const std::string& body) {
    auto accepted = client.post("/runs", body);
    REQUIRE(accepted.status == 202);
    return json_of(accepted)["run_id"].GetString();
}

}  // namespace

TEST_CASE("agentctl invoke --follow prints events with a progress bar and exits with the run's outcome",
          "[agentctl]") {
    auto ok = agentctl(R"(invoke echo "step by step" --context '{"action":"chatter","count":4}' --follow -o table)");
    INFO(ok.output);
    CHECK(ok.status == 0);
    CHECK_THAT(ok.output, Contains("run.queued") && Contains("[#####...............]  25% step 1") &&
                              Contains("100% step 4") && Contains("run.succeeded") && Contains(" succeeded"));

    auto failed = agentctl(R"(invoke echo "boom" --context '{"action":"fail"}' --follow -o table)");
    INFO(failed.output);
    CHECK(failed.status == 1);
    CHECK_THAT(failed.output, Contains("run.failed") && Contains("asked to fail"));

    // JSON lines by default: each event, then the run.
    auto json = agentctl(R"(invoke echo "quiet" --follow)");
    CHECK(json.status == 0);
    CHECK_THAT(json.output, Contains(R"("type":"run.succeeded")") && Contains(R"("status":"succeeded")"));
}

TEST_CASE("agentctl runs list, get, events, cancel and follow", "[agentctl]") {
    HttpClient client(host().base_url());
    std::string id = submit(client, R"({"agent_name":"echo","task":"listed","thread_id":"ctl-list"})");
    REQUIRE(poll_until([&] { return run_status_of(client, id) == "succeeded"; }, std::chrono::milliseconds(10000)));

    auto listed = agentctl("runs list --thread ctl-list -o table");
    INFO(listed.output);
    CHECK(listed.status == 0);
    CHECK_THAT(listed.output, Contains("RUN_ID") && Contains("STATUS") && Contains(id) && Contains("succeeded"));
    auto got = agentctl("runs get " + id);
    CHECK(got.status == 0);
    CHECK_THAT(got.output, Contains(R"("run_id":")" + id + "\""));
    auto events = agentctl("-o table runs events " + id);
    CHECK(events.status == 0);
    CHECK_THAT(events.output, Contains("SEQ") && Contains("run.started") && Contains("run.succeeded"));

    // A cancelled run followed to its end: exit 1.
    std::string sleeper = submit(client, R"({"agent_name":"echo","task":"sleep","context":{"action":"sleep","ms":20000}})");
    REQUIRE(poll_until([&] { return run_status_of(client, sleeper) == "running"; }, std::chrono::milliseconds(10000)));
    CHECK(agentctl("runs cancel " + sleeper).status == 0);
    auto followed = agentctl("runs follow " + sleeper + " -o table");
    INFO(followed.output);
    CHECK(followed.status == 1);
    CHECK_THAT(followed.output, Contains("run.cancelled") && Contains("cancelled"));

    auto missing = agentctl("runs get no-such-run");
    CHECK(missing.status == 1);
    CHECK_THAT(missing.output, Contains("RunNotFound"));
}

TEST_CASE("agentctl approvals lists what waits for a person, and approve lets it finish", "[agentctl][approval]") {
    HttpClient client(host().base_url());
    std::string id = submit(client, R"({"agent_name":"echo","task":"deploy it","thread_id":"ctl-approve","require_approval":true})");
    REQUIRE(poll_until([&] { return run_status_of(client, id) == "pending_approval"; }, std::chrono::milliseconds(10000)));
    auto waiting = agentctl("approvals -o table");
    INFO(waiting.output);
    CHECK(waiting.status == 0);
    CHECK_THAT(waiting.output, Contains("OPERATION") && Contains(id) && Contains("ctl-approve"));
    CHECK(agentctl("approve ctl-approve --comment ok --approver dana").status == 0);
    auto followed = agentctl("runs follow " + id + " -o table");
    CHECK(followed.status == 0);
    CHECK_THAT(agentctl("approvals -o table").output, !Contains(id));
}

TEST_CASE("agentctl plugins and agents as tables", "[agentctl]") {
    auto plugins = agentctl("plugins list -o table");
    CHECK(plugins.status == 0);
    CHECK_THAT(plugins.output, Contains("NAME") && Contains("ISOLATION") && Contains("echo") && Contains("loaded"));
    auto agents = agentctl("-o table agents");
    CHECK(agents.status == 0);
    CHECK_THAT(agents.output, Contains("DESCRIPTION") && Contains("echo"));
    auto health = agentctl("health -o table");
    CHECK(health.status == 0);
    CHECK_THAT(health.output, Contains("FIELD") && Contains("status") && Contains("healthy"));
}

TEST_CASE("agentctl exit statuses: usage 2, unreachable 3, help 0", "[agentctl]") {
    CHECK(agentctl("runs").status == 2);
    CHECK(agentctl("runs list --bogus").status == 2);
    CHECK(agentctl("runs list -o yaml").status == 2);
    CHECK(agentctl("invoke echo x --context '[1]'").status == 2);
    CHECK(agentctl("frobnicate").status == 2);
    auto help = agentctl("runs --help");
    CHECK(help.status == 0);
    CHECK_THAT(help.output, Contains("runs follow RUN_ID"));
    // Nothing listens on port 1.
    auto unreachable = agentctl("health", "http://127.0.0.1:1");
    CHECK(unreachable.status == 3);
    CHECK_THAT(unreachable.output, Contains("127.0.0.1:1"));
}

TEST_CASE("agentctl completion bash is valid bash and completes commands and sub-commands", "[agentctl]") {
    std::string binary = (std::filesystem::path(host_binary()).parent_path() / "agentctl").string();
    std::string dir = make_temp_dir();
    int status = -1;
    run_command(binary + " completion bash > " + dir + "/agentctl.bash", status);
    REQUIRE(status == 0);
    run_command("bash -n " + dir + "/agentctl.bash", status);
    CHECK(status == 0);
    auto complete = [&](const std::string& words, int cword) {
        int code = -1;
        std::string out = run_command("bash -c 'source " + dir + "/agentctl.bash; COMP_WORDS=(" + words +
                                          "); COMP_CWORD=" + std::to_string(cword) +
                                          "; _agentctl; echo \"${COMPREPLY[*]}\"' 2>&1",
                                      code);
        return out;
    };
    CHECK_THAT(complete("agentctl ru", 1), Contains("runs"));
    CHECK_THAT(complete("agentctl runs f", 2), Contains("follow"));
    CHECK_THAT(complete("agentctl -o t", 2), Contains("table"));
    std::filesystem::remove_all(dir);
}
