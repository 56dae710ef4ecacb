// template_manager through the real host: the whole lifecycle of a
// template in a thread's library, a diff that patch(1) applies, rendered
// Harness templates that harness_expert's review and identifier rule
// accept, and hard-coded secrets flagged.
#include "test_host.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

using namespace agenthost::testing;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(R"({"template_manager":{"enabled":true},"harness_expert":{"enabled":true}})"));
    return instance;
}

// POST /agent/invoke on `thread` with `context_json`; the response.
HttpResult invoke(HttpClient& client, const std::string& agent, const std::string& thread, const std::string& context_json) {
    return client.post("/agent/invoke", R"({"agent_name":")" + agent + R"(","task":"templates","thread_id":")" + thread +
                                            R"(","context":)" + context_json + "}");
}

std::string json_string(const std::string& text) {
    rapidjson::Value value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
    return json_text(value);
}

const std::string kStepV1 = R"(template:
  name: Rolling deploy {{ service }}
  identifier: rolling_deploy
  versionLabel: "1"
  type: Step
  spec:
    type: K8sRollingDeploy
    timeout: <+input>.default(10m)
    spec:
      skipDryRun: false
)";

const std::string kStepV2 = R"(template:
  name: Rolling deploy {{ service }}
  identifier: rolling_deploy
  versionLabel: "2"
  type: Step
  spec:
    type: K8sRollingDeploy
    timeout: <+input>.default(15m)
    spec:
      skipDryRun: false
      pruningEnabled: true
)";

}  // namespace

TEST_CASE("a template's whole lifecycle through the host", "[templates]") {
    HttpClient client(host().base_url());
    const std::string thread = "template-lifecycle";
    const std::string inputs = R"(,"inputs":[{"name":"service","description":"the service"}])";
    auto created = invoke_result(invoke(client, "template_manager", thread,
                                    R"({"mode":"create","name":"rolling-deploy","kind":"harness_step","version":"1.0.0","content":)" +
                                        json_string(kStepV1) + inputs + "}"));
    CHECK(string_member(created["template"], "version") == "1.0.0");
    CHECK(created["findings"].Size() == 0);
    invoke_result(invoke(client, "template_manager", thread,
                     R"({"mode":"create","name":"rolling-deploy","kind":"harness_step","version":"1.1.0","content":)" +
                         json_string(kStepV2) + inputs + "}"));

    // A version is immutable; a broken template is never saved.
    auto again = invoke(client, "template_manager", thread,
                        R"({"mode":"create","name":"rolling-deploy","kind":"harness_step","version":"1.0.0","content":)" +
                            json_string(kStepV1) + "}");
    CHECK(again.status == 422);
    CHECK_THAT(again.body, Contains("context.version") && Contains("already has version '1.0.0'"));
    std::string broken = kStepV1;
    broken.replace(broken.find("rolling_deploy"), 14, "rolling-deploy");
    auto refused = invoke(client, "template_manager", thread,
                          R"({"mode":"create","name":"rolling-deploy","kind":"harness_step","version":"2.0.0","content":)" +
                              json_string(broken) + "}");
    CHECK(refused.status == 422);
    CHECK_THAT(refused.body, Contains("line 3, column 15") && Contains("breaks Harness's identifier rule"));

    // list and get, from later runs on the same thread.
    auto listed = invoke_result(invoke(client, "template_manager", thread, R"({"mode":"list"})"));
    const rapidjson::Value* rolling = nullptr;
    for (const auto& entry : listed["templates"].GetArray())
        if (string_member(entry, "name") == "rolling-deploy") rolling = &entry;
    REQUIRE(rolling != nullptr);
    CHECK((*rolling)["versions"].Size() == 2);
    CHECK(string_member(*rolling, "latest") == "1.1.0");
    auto got = invoke_result(invoke(client, "template_manager", thread, R"({"mode":"get","name":"rolling-deploy","version":"1.0.0"})"));
    CHECK(string_member(got["template"], "content") == kStepV1);
    CHECK(string_member(got["artifacts"][0], "path") == "templates/rolling-deploy-1.0.0.yaml");
    // The library is the tenant's, not the thread's: another thread (or a
    // run on no thread at all) finds the same template.
    CHECK_THAT(json_text(invoke_result(invoke(client, "template_manager", "template-elsewhere", R"({"mode":"list"})"))),
               Contains("rolling-deploy"));
    auto anywhere = client.post("/agent/invoke", R"({"agent_name":"template_manager","task":"templates",)"
                                                 R"("context":{"mode":"get","name":"rolling-deploy","version":"1.0.0"}})");
    CHECK(string_member(invoke_result(anywhere)["template"], "content") == kStepV1);

    // The diff between the versions is a patch that patch(1) applies.
    auto diff = invoke_result(invoke(client, "template_manager", thread, R"({"mode":"diff","name":"rolling-deploy"})"));
    CHECK(string_member(diff, "from") == "1.0.0");
    CHECK(diff["added"].GetUint() == 3);
    CHECK(diff["removed"].GetUint() == 2);
    std::string dir = make_temp_dir();
    std::ofstream(dir + "/step.yaml") << kStepV1;
    std::ofstream(dir + "/change.diff") << string_member(diff["artifacts"][0], "content");
    int status = 0;
    run_command("patch --quiet " + dir + "/step.yaml " + dir + "/change.diff 2>&1", status);
    CHECK(status == 0);
    std::ifstream patched(dir + "/step.yaml");
    std::stringstream patched_text;
    patched_text << patched.rdbuf();
    CHECK(patched_text.str() == kStepV2);
    std::filesystem::remove_all(dir);

    // Render: a missing variable is named; given, the result is valid.
    auto missing = invoke(client, "template_manager", thread, R"({"mode":"render","name":"rolling-deploy"})");
    CHECK(missing.status == 422);
    CHECK_THAT(missing.body, Contains("missing variable(s) in context.variables: service (line 2)"));
    auto rendered = invoke_result(invoke(client, "template_manager", thread,
                                     R"({"mode":"render","name":"rolling-deploy","variables":{"service":"checkout","timeout":"20m"}})"));
    YAML::Node step = YAML::Load(string_member(rendered, "content"));
    CHECK(step["template"]["name"].as<std::string>() == "Rolling deploy checkout");
    CHECK(step["template"]["spec"]["timeout"].as<std::string>() == "20m");
    CHECK(string_member(rendered["artifacts"][0], "path") == "templates/rolling-deploy-1.1.0.yaml");
    auto valid = invoke_result(invoke(client, "template_manager", thread, R"({"mode":"validate","name":"rolling-deploy"})"));
    CHECK(valid["valid"].GetBool());
    auto linted = invoke_result(invoke(client, "template_manager", thread, R"({"mode":"lint","name":"rolling-deploy"})"));
    CHECK(linted["findings"].Size() == 0);
}

TEST_CASE("rendered Harness pipeline templates pass harness_expert's checks", "[templates]") {
    HttpClient client(host().base_url());
    const std::string thread = "template-harness";
    const std::string pipeline = R"(pipeline:
  name: Deploy {{ service }}
  identifier: deploy_{{ service_id }}
  projectIdentifier: {{ project }}
  orgIdentifier: default
  variables:
    - name: image
      type: String
      value: <+input>
  stages:
    - stage:
        name: staging
        identifier: staging
        type: Deployment
        spec:
          deploymentType: Kubernetes
          service:
            serviceRef: {{ service_id }}
          environment:
            environmentRef: staging
          execution:
            steps:
              - step:
                  name: Rollout
                  identifier: rollout
                  type: K8sRollingDeploy
                  timeout: 10m
                  spec:
                    skipDryRun: false
            rollbackSteps:
              - step:
                  name: Rollback
                  identifier: rollback
                  type: K8sRollingRollback
                  timeout: 10m
                  spec: {}
    - stage:
        name: prod
        identifier: prod
        type: Deployment
        spec:
          deploymentType: Kubernetes
          service:
            serviceRef: {{ service_id }}
          environment:
            environmentRef: prod
          execution:
            steps:
              - step:
                  name: Approve
                  identifier: approve
                  type: HarnessApproval
                  timeout: 1d
                  spec:
                    approvalMessage: Deploy <+pipeline.variables.image> to prod?
                    approvers:
                      userGroups:
                        - account._account_all_users
                      minimumCount: 1
              - step:
                  name: Rollout
                  identifier: rollout
                  type: K8sRollingDeploy
                  timeout: 10m
                  spec:
                    skipDryRun: false
            rollbackSteps:
              - step:
                  name: Rollback
                  identifier: rollback
                  type: K8sRollingRollback
                  timeout: 10m
                  spec: {}
)";
    invoke_result(invoke(client, "template_manager", thread,
                     R"({"mode":"create","name":"k8s-pipeline","kind":"harness_pipeline","version":"1","content":)" +
                         json_string(pipeline) +
                         R"(,"inputs":[{"name":"service"},{"name":"service_id"},{"name":"project","default":"platform"}]})"));
    auto rendered = invoke_result(invoke(client, "template_manager", thread,
                                     R"({"mode":"render","name":"k8s-pipeline","variables":{"service":"checkout api","service_id":"checkout_api","image":"ghcr.io/acme/checkout:1.2.0"}})"));
    const std::string yaml = string_member(rendered, "content");
    CHECK_THAT(yaml, Contains("value: ghcr.io/acme/checkout:1.2.0") && Contains("projectIdentifier: platform"));

    // harness_expert's identifier rule holds for every identifier...
    static const std::regex harness_rule("^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$");
    std::function<void(const YAML::Node&)> check_identifiers = [&](const YAML::Node& node) {
        if (node.IsMap()) {
            for (const auto& entry : node) {
                std::string key = entry.first.as<std::string>();
                if ((key == "identifier" || key == "projectIdentifier" || key == "orgIdentifier") && entry.second.IsScalar())
                    CHECK(std::regex_match(entry.second.as<std::string>(), harness_rule));
                else
                    check_identifiers(entry.second);
            }
        } else if (node.IsSequence()) {
            for (const auto& item : node) check_identifiers(item);
        }
    };
    check_identifiers(YAML::Load(yaml));
    // ... and harness_expert's review finds no error in it.
    auto review = invoke_result(invoke(client, "harness_expert", thread, R"({"mode":"review","pipeline":)" + json_string(yaml) + "}"));
    for (const auto& finding : review["findings"].GetArray()) {
        INFO(json_text(finding));
        CHECK(string_member(finding, "severity") != "error");
    }
}

TEST_CASE("a template with a hard-coded secret is flagged", "[templates]") {
    HttpClient client(host().base_url());
    const std::string thread = "template-secrets";
    const std::string manifest = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n"
                                 "  DB_PASSWORD: s3cr3t-Passw0rd\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                                 "  name: db-client\nspec:\n  selector:\n    matchLabels: {app: db-client}\n  template:\n"
                                 "    spec:\n      containers:\n      - name: app\n        image: acme/app:latest\n";
    auto created = invoke_result(invoke(client, "template_manager", thread,
                                    R"({"mode":"create","name":"db","kind":"kubernetes","version":"1","content":)" + json_string(manifest) + "}"));
    bool secret = false, latest = false;
    for (const auto& finding : created["findings"].GetArray()) {
        std::string rule = string_member(finding, "rule");
        if (rule == "hard-coded-secret") {
            secret = true;
            CHECK(finding["line"].GetInt() == 6);
            CHECK(string_member(finding, "severity") == "error");
            CHECK_THAT(string_member(finding, "message"), Contains("DB_PASSWORD") && !Contains("s3cr3t-Passw0rd"));
        }
        latest = latest || rule == "latest-tag";
    }
    CHECK(secret);
    CHECK(latest);
    // Lint works on text that is not in the library too.
    auto linted = invoke_result(invoke(client, "template_manager", thread,
                                   R"({"mode":"lint","kind":"dockerfile","content":"FROM python:3.12-slim\nENV API_KEY=sk_live_abcdef123456\n"})"));
    REQUIRE(linted["findings"].Size() == 1);
    CHECK(string_member(linted["findings"][0], "rule") == "hard-coded-secret");
}
