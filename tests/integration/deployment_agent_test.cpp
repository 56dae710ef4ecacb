// deployment_agent through the real host, with stand-in kubectl and helm on
// the host's PATH that report their arguments, keep what they "deployed" in
// the run's workspace, and fail on demand: a rollout of an image whose tag
// says "broken" never becomes ready, a Deployment named ghost does not
// exist. Every command the agent runs is also on record as an exec.started
// event with its argv.
#include "test_host.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

const char* kKubectl = R"sh(#!/bin/sh
echo "kubectl $*" >&2
ctx=default
while [ $# -gt 0 ]; do
  case "$1" in --context) ctx="$2"; shift 2 ;; --namespace|--kubeconfig) shift 2 ;; *) break ;; esac
done
verb="$1"; shift
case "$verb" in
  get)
    if [ "$1" = service ]; then
      if [ -f "slot-$ctx-$2" ]; then cat "slot-$ctx-$2"; else echo blue; fi
      exit 0
    fi
    case "$2" in ghost*) echo "Error from server (NotFound): deployments.apps \"$2\" not found" >&2; exit 1 ;; esac
    if [ -f "image-$ctx-$2" ]; then cat "image-$ctx-$2"; else printf 'registry.example.com/%s:1.0.0' "$2"; fi ;;
  set)
    name="${2#deployment/}"
    printf '%s' "${3#*=}" > "image-$ctx-$name"
    echo "deployment.apps/$name image updated" ;;
  rollout)
    name="${2#deployment/}"
    case "$(cat "image-$ctx-$name" 2>/dev/null)" in
      *broken*) echo "error: deployment \"$name\" exceeded its progress deadline" >&2; exit 1 ;;
    esac
    echo "deployment \"$name\" successfully rolled out" ;;
  patch)
    case "$*" in *green*) echo green > "slot-$ctx-$2" ;; *) echo blue > "slot-$ctx-$2" ;; esac
    echo "service/$2 patched" ;;
  *) echo "unexpected kubectl $verb" >&2; exit 2 ;;
esac
)sh";

const char* kHelm = R"sh(#!/bin/sh
echo "helm $*" >&2
while [ $# -gt 0 ]; do
  case "$1" in --kube-context|--namespace) shift 2 ;; *) break ;; esac
done
case "$1" in
  status) echo "{\"name\":\"$2\",\"version\":3,\"info\":{\"status\":\"deployed\"}}" ;;
  upgrade)
    case "$*" in *broken*) echo "Error: UPGRADE FAILED: context deadline exceeded" >&2; exit 1 ;; esac
    echo "Release \"$3\" has been upgraded. Happy Helming!" ;;
  rollback) echo "Rollback was a success! Happy Helming!" ;;
  *) echo "unexpected helm $1" >&2; exit 2 ;;
esac
)sh";

bool sandbox_works() {
    static const bool works = std::system("/usr/bin/bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev -- "
                                          "/bin/true >/dev/null 2>&1") == 0;
    return works;
}

void write_script(const std::string& path, const char* text) {
    std::ofstream(path) << text;
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
}

// One host for every test here, with the stand-ins first on its PATH.
HostProcess& host() {
    static std::string dir = make_temp_dir();
    static std::unique_ptr<HostProcess> instance;
    if (!instance) {
        write_script(dir + "/kubectl", kKubectl);
        write_script(dir + "/helm", kHelm);
        const char* old_path = std::getenv("PATH");
        std::string saved = old_path != nullptr ? old_path : "/usr/bin:/bin";
        setenv("PATH", (dir + ":" + saved).c_str(), 1);
        instance = std::make_unique<HostProcess>(host_config(
            R"({"template_manager":{"enabled":true},"deployment_agent":{"enabled":true,"exec":{"allow":["kubectl","helm"],"network":true)" +
            std::string(sandbox_works() ? "" : R"(,"allow_unsandboxed":true)") + "}}}"));
        setenv("PATH", saved.c_str(), 1);
    }
    return *instance;
}

std::string submit(HttpClient& client, const std::string& thread, const std::string& context_json) {
    auto accepted = client.post("/runs", R"({"agent_name":"deployment_agent","task":"deploy","thread_id":")" + thread +
                                             R"(","context":)" + context_json + "}");
    INFO(accepted.body);
    REQUIRE(accepted.status == 202);
    return json_of(accepted)["run_id"].GetString();
}

const std::set<std::string> kEnded = {"succeeded", "failed", "cancelled"};

// The commands the run executed, in order, as "arg arg ..." without the binary.
std::vector<std::string> commands_of(HttpClient& client, const std::string& id) {
    std::vector<std::string> commands;
    for (const auto& event : fetch_events(client, id)) {
        if (event.type != "exec.started") continue;
        rapidjson::Document data;
        data.Parse(event.data_json.c_str());
        std::string line;
        for (rapidjson::SizeType i = 1; i < data["argv"].Size(); ++i)
            line += (line.empty() ? "" : " ") + std::string(data["argv"][i].GetString());
        commands.push_back(line);
    }
    return commands;
}

rapidjson::Document history(HttpClient& client, const std::string& thread) {
    auto answer = client.post("/agent/invoke", R"({"agent_name":"deployment_agent","task":"what is deployed","thread_id":")" +
                                                   thread + R"(","context":{"mode":"history"}})");
    return invoke_result(answer);
}

}  // namespace

TEST_CASE("deployment_agent runs nothing in production before approval, and asks before each production change",
          "[deployment]") {
    HttpClient client(host().base_url());
    std::string id = submit(client, "deploy-approvals", R"({"mode":"deploy","service":"api","image":"ghcr.io/acme/api:2.0.0",
        "strategy":"canary","environments":[{"name":"staging","kube_context":"stage"},{"name":"prod","kube_context":"prod"}]})");
    REQUIRE(wait_for_status(client, id, {"pending_approval", "failed", "succeeded"}) == "pending_approval");
    auto run = fetch_run(client, id);
    CHECK(string_member(run["approval"], "operation") == "deploy api to prod");
    CHECK(string_member(run["approval"], "trigger") == "plugin");
    // Staging went ahead; nothing touched production.
    auto commands = commands_of(client, id);
    CHECK(commands.size() == 6);
    for (const auto& command : commands) CHECK_THAT(command, Contains("--context stage"));

    REQUIRE(client.post("/workflow/approve/deploy-approvals", R"({"approved":true,"approver":"oncall"})").status == 200);
    // The canary goes out; promoting it to every pod is a second production step.
    REQUIRE(poll_until(
        [&] {
            auto current = fetch_run(client, id);
            return string_member(current, "status") == "pending_approval" && current["approval"].IsObject() &&
                   string_member(current["approval"], "operation") == "promote the canary of api to every pod in prod";
        },
        std::chrono::milliseconds(20000), std::chrono::milliseconds(20)));
    commands = commands_of(client, id);
    CHECK_THAT(commands.back(), Contains("--context prod") && Contains("rollout status deployment/api-canary"));
    for (const auto& command : commands)
        if (command.find("--context prod") != std::string::npos) CHECK_THAT(command, !Contains("set image deployment/api api="));

    REQUIRE(client.post("/workflow/approve/deploy-approvals", R"({"approved":true,"approver":"oncall"})").status == 200);
    REQUIRE(wait_for_status(client, id, kEnded) == "succeeded");
    run = fetch_run(client, id);
    CHECK(string_member(run["result"], "outcome") == "succeeded");
    commands = commands_of(client, id);
    CHECK_THAT(commands.back(), Contains("--context prod --namespace default rollout status deployment/api --timeout=300s"));
    // Each step ran once, across the three executions of the run.
    CHECK(commands.size() == 12);
    // The plan comes back as an artifact that parses.
    const auto& artifact = run["result"]["artifacts"][0];
    CHECK(string_member(artifact, "path") == "deploy/api/plan.json");
    rapidjson::Document plan;
    plan.Parse(artifact["content"].GetString());
    CHECK(plan["environments"].Size() == 2);
}

TEST_CASE("the deployment record is readable by a later run on the same thread", "[deployment]") {
    HttpClient client(host().base_url());
    std::string id = submit(client, "deploy-records", R"({"mode":"deploy","service":"web","image":"ghcr.io/acme/web:3.1.0",
        "environments":[{"name":"dev","kube_context":"dev"},{"name":"staging","kube_context":"stage"}]})");
    REQUIRE(wait_for_status(client, id, kEnded) == "succeeded");
    auto later = history(client, "deploy-records");
    REQUIRE(later["records"].Size() == 1);
    const auto& record = later["records"][0];
    CHECK(string_member(record, "run_id") == id);
    CHECK(string_member(record, "image") == "ghcr.io/acme/web:3.1.0");
    CHECK(string_member(record, "outcome") == "succeeded");
    CHECK_THAT(string_member(record, "finished_at"), Contains("T") && Contains("Z"));
    CHECK(string_member(record["environments"][1], "status") == "deployed");
    CHECK(string_member(record["environments"][1]["before"], "previous_image") == "registry.example.com/web:1.0.0");
    CHECK(string_member(later["currently_deployed"]["web"]["staging"], "image") == "ghcr.io/acme/web:3.1.0");
    // Another thread has its own records.
    CHECK(history(client, "deploy-records-elsewhere")["records"].Size() == 0);
}

TEST_CASE("a failed rollout rolls back exactly what the run changed", "[deployment]") {
    HttpClient client(host().base_url());
    SECTION("rolling: the image is set back and watched") {
        std::string id = submit(client, "deploy-rollback", R"({"mode":"deploy","service":"api",
            "image":"ghcr.io/acme/api:2.1.0-broken","environments":["staging"],"rollout_timeout_seconds":60})");
        REQUIRE(wait_for_status(client, id, kEnded) == "failed");
        CHECK_THAT(string_member(fetch_run(client, id), "error"),
                   Contains("staging.3") && Contains("exceeded its progress deadline") && Contains("rolled back"));
        auto commands = commands_of(client, id);
        REQUIRE(commands.size() == 5);
        CHECK_THAT(commands[1], Contains("set image deployment/api api=ghcr.io/acme/api:2.1.0-broken"));
        CHECK_THAT(commands[3], Contains("set image deployment/api api=registry.example.com/api:1.0.0"));
        CHECK_THAT(commands[4], Contains("rollout status deployment/api"));
        auto records = history(client, "deploy-rollback");
        const auto& record = records["records"][0];
        CHECK(string_member(record, "outcome") == "rolled_back");
        CHECK(string_member(record["environments"][0], "status") == "rolled_back");
    }
    SECTION("canary: only the canary it changed is restored, the untouched primary is left alone") {
        std::string id = submit(client, "deploy-canary-rollback", R"({"mode":"deploy","service":"api",
            "image":"ghcr.io/acme/api:2.1.0-broken","strategy":"canary","environments":["qa"]})");
        REQUIRE(wait_for_status(client, id, kEnded) == "failed");
        auto commands = commands_of(client, id);
        REQUIRE(commands.size() == 6);
        CHECK_THAT(commands[4], Contains("set image deployment/api-canary api=registry.example.com/api-canary:1.0.0"));
        for (const auto& command : commands) CHECK_THAT(command, !Contains("deployment/api api="));
    }
    SECTION("a failure before any change rolls nothing back") {
        std::string id = submit(client, "deploy-ghost", R"({"mode":"deploy","service":"ghost","image":"ghost:1.0.0",
            "environments":["dev"]})");
        REQUIRE(wait_for_status(client, id, kEnded) == "failed");
        CHECK_THAT(string_member(fetch_run(client, id), "error"), Contains("NotFound") && Contains("nothing had been changed"));
        CHECK(commands_of(client, id).size() == 1);
    }
    SECTION("helm: a failed upgrade goes back to the revision that was live") {
        std::string id = submit(client, "deploy-helm", R"({"mode":"deploy","service":"api","tool":"helm",
            "chart":"oci://ghcr.io/acme/charts/api","image":"ghcr.io/acme/api:2.1.0-broken","environments":["staging"]})");
        REQUIRE(wait_for_status(client, id, kEnded) == "failed");
        auto commands = commands_of(client, id);
        REQUIRE(commands.size() == 3);
        CHECK_THAT(commands[1], Contains("upgrade --install api oci://ghcr.io/acme/charts/api") && Contains("--wait --timeout 300s"));
        CHECK(commands[2] == "--namespace default rollback api 3 --wait --timeout 300s");
    }
}

TEST_CASE("a dry run plans and shows the commands but changes nothing", "[deployment]") {
    HttpClient client(host().base_url());
    auto answer = client.post("/agent/invoke", R"({"agent_name":"deployment_agent","thread_id":"deploy-dry",
        "task":"Deploy checkout ghcr.io/acme/checkout:4.0.0 to staging then prod with blue-green",
        "context":{"mode":"deploy","dry_run":true}})");
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    auto body = json_of(answer);
    const auto& result = body["result"];
    CHECK(result["dry_run"].GetBool());
    CHECK(string_member(result["plan"], "strategy") == "blue-green");
    const auto& prod = result["plan"]["environments"][1];
    CHECK(string_member(prod, "name") == "prod");
    CHECK(prod["production"].GetBool());
    CHECK(string_member(prod["steps"][0], "approval") == "deploy checkout to prod");
    // Nothing ran, no approval was asked, nothing was recorded.
    CHECK(commands_of(client, body["run_id"].GetString()).empty());
    CHECK(history(client, "deploy-dry")["records"].Size() == 0);
}

TEST_CASE("deployment_agent answers bad input with 422 naming the field", "[deployment]") {
    HttpClient client(host().base_url());
    auto bad = client.post("/agent/invoke", R"({"agent_name":"deployment_agent","task":"ship it",
        "context":{"service":"api","image":"api:1","environments":[{"name":"prod","kube_context":"--token=x"}]}})");
    INFO(bad.body);
    CHECK(bad.status == 422);
    CHECK_THAT(string_member(json_of(bad), "message"), Contains("context.environments[0].kube_context"));
}

TEST_CASE("GET /agents lists deployment_agent and template_manager in the operations domain", "[deployment]") {
    HttpClient client(host().base_url());
    auto body = json_of(client.get("/agents"));
    std::set<std::string> names;
    for (const auto& name : body["agents"].GetArray()) names.insert(name.GetString());
    CHECK(names.count("deployment_agent") == 1);
    CHECK(names.count("template_manager") == 1);
    auto detail = json_of(client.get("/agents/deployment_agent"));
    CHECK_THAT(json_text(detail), Contains("operations") && Contains("kubectl"));
}
