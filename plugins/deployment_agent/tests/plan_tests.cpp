// Requests read from the context (and the task), and the plans built from
// them: order, approvals on production steps, undo commands, no option
// injection through values.
#include <catch2/catch.hpp>

#include "deployment.hpp"

using Catch::Matchers::Contains;

namespace {

deploy::Request request(const std::string& context_json, const std::string& task = "",
                        const deploy::Config& config = {}) {
    rapidjson::Document context;
    context.Parse(context_json.c_str());
    REQUIRE_FALSE(context.HasParseError());
    return deploy::request_from(context, task, config);
}

std::string refusal(const std::string& context_json, const std::string& task = "") {
    try {
        request(context_json, task);
    } catch (const deploy::InputError& error) {
        return error.what();
    }
    return "";
}

std::vector<std::string> commands(const deploy::EnvironmentPlan& environment) {
    std::vector<std::string> out;
    for (const auto& step : environment.steps) out.push_back(step.action + ": " + deploy::command_line(step.argv));
    return out;
}

}  // namespace

TEST_CASE("a rolling plan reads, sets and watches, with approval first in production", "[plan]") {
    auto asked = request(R"({"service":"api","image":"ghcr.io/acme/api:1.4.2","environments":["staging","prod"],
                             "namespace":"web","rollout_timeout_seconds":120})");
    auto plan = deploy::plan_for(asked, {});
    REQUIRE(plan.environments.size() == 2);
    CHECK(commands(plan.environments[0]) ==
          std::vector<std::string>{
              "read: kubectl --namespace web get deployment api --output 'jsonpath={.spec.template.spec.containers[?(@.name==\"api\")].image}'",
              "change: kubectl --namespace web set image deployment/api api=ghcr.io/acme/api:1.4.2",
              "watch: kubectl --namespace web rollout status deployment/api --timeout=120s"});
    for (const auto& step : plan.environments[0].steps) CHECK(step.approval.empty());
    const auto& prod = plan.environments[1];
    CHECK(prod.environment.production);
    // Nothing runs in production before the approval.
    CHECK(prod.steps.front().approval == "deploy api to prod");
    REQUIRE(prod.steps[1].undo.size() == 2);
    CHECK(deploy::command_line(prod.steps[1].undo[0].argv) ==
          "kubectl --namespace web set image deployment/api 'api=${prod.previous_image}'");
    CHECK(prod.health_checks.front() == "kubectl rollout status deployment/api succeeds within 120s");
}

TEST_CASE("canary and blue-green ask again before each later production change", "[plan]") {
    auto canary = deploy::plan_for(request(R"({"service":"api","image":"api:2","environments":["prod"],"strategy":"canary"})"), {});
    std::vector<std::string> approvals;
    for (const auto& step : canary.environments[0].steps)
        if (!step.approval.empty()) approvals.push_back(step.id + " " + step.approval);
    CHECK(approvals == std::vector<std::string>{"prod.1 deploy api to prod",
                                                "prod.5 promote the canary of api to every pod in prod"});
    auto blue_green =
        deploy::plan_for(request(R"({"service":"api","image":"api:2","environments":["prod"],"strategy":"blue-green"})"), {});
    const auto& steps = blue_green.environments[0].steps;
    CHECK(deploy::command_line(steps.back().argv) ==
          "kubectl --namespace default patch service api --type merge --patch "
          "'{\"spec\":{\"selector\":{\"slot\":\"${prod.idle_slot}\"}}}'");
    CHECK(steps.back().approval == "switch traffic of api to the new slot in prod");
    CHECK(deploy::command_line(steps.back().undo[0].argv) ==
          "kubectl --namespace default patch service api --type merge --patch "
          "'{\"spec\":{\"selector\":{\"slot\":\"${prod.live_slot}\"}}}'");
}

TEST_CASE("helm upgrades with --wait and rolls back to the revision it read, or uninstalls a new release", "[plan]") {
    deploy::Config config;
    config.helm_args = {"--kubeconfig", "/etc/kube/config"};
    auto plan = deploy::plan_for(
        request(R"({"service":"api","image":"ghcr.io/acme/api:1.4.2","tool":"helm","chart":"oci://ghcr.io/acme/charts/api",
                    "environments":[{"name":"staging","kube_context":"stage-eu"}]})"),
        config);
    const auto& steps = plan.environments[0].steps;
    REQUIRE(steps.size() == 2);
    CHECK(deploy::command_line(steps[1].argv) ==
          "helm --kubeconfig /etc/kube/config --kube-context stage-eu --namespace default upgrade --install api "
          "oci://ghcr.io/acme/charts/api --set image.repository=ghcr.io/acme/api --set image.tag=1.4.2 --wait --timeout 300s");
    CHECK(steps[1].changes_on_failure);
    REQUIRE(steps[1].undo.size() == 2);
    CHECK(deploy::command_line(steps[1].undo[0].argv) ==
          "helm --kubeconfig /etc/kube/config --kube-context stage-eu --namespace default rollback api "
          "'${staging.revision}' --wait --timeout 300s");
    CHECK(steps[1].undo[1].when_fact_empty);
}

TEST_CASE("the task text fills service, image, strategy and environments", "[request]") {
    auto asked = request("{}", "Deploy checkout ghcr.io/acme/checkout:2.0.1 to staging then production with a canary");
    CHECK(asked.service == "checkout");
    CHECK(asked.image == "ghcr.io/acme/checkout:2.0.1");
    CHECK(asked.strategy == "canary");
    REQUIRE(asked.environments.size() == 2);
    CHECK(asked.environments[0].name == "staging");
    CHECK_FALSE(asked.environments[0].approval);
    CHECK(asked.environments[1].name == "production");
    CHECK(asked.environments[1].approval);
    CHECK(asked.mode == "plan");
}

TEST_CASE("seed 001's context.environment is the one environment deployed to", "[request]") {
    // It was ignored: the plan went dev -> staging -> prod.
    auto asked = request(R"({"service":"my-service","image":"my-service:1.0","environment":"staging"})");
    REQUIRE(asked.environments.size() == 1);
    CHECK(asked.environments[0].name == "staging");
    CHECK_FALSE(refusal(R"({"service":"my-service","image":"my-service:1.0","environment":7})").empty());
}

TEST_CASE("bad input is refused naming the field; no value can become an option", "[request]") {
    CHECK_THAT(refusal(R"({"image":"api:1"})"), Contains("context.service is required"));
    CHECK_THAT(refusal(R"({"service":"api"})"), Contains("context.image is required"));
    CHECK_THAT(refusal(R"({"service":"api","image":"api"})"), Contains("context.image 'api' needs a tag"));
    CHECK_THAT(refusal(R"({"service":"--all","image":"api:1"})"), Contains("context.service"));
    CHECK_THAT(refusal(R"({"service":"api","image":"--force:1"})"), Contains("context.image"));
    CHECK_THAT(refusal(R"({"service":"api","image":"api:1","environments":[{"name":"prod","kube_context":"--token=x"}]})"),
               Contains("context.environments[0].kube_context"));
    CHECK_THAT(refusal(R"({"service":"api","image":"api:1","environments":["prod","prod"]})"), Contains("twice"));
    CHECK_THAT(refusal(R"({"service":"api","image":"api:1","tool":"helm"})"), Contains("context.chart is required"));
    CHECK_THAT(refusal(R"({"service":"api","image":"api:1","tool":"helm","chart":"c","strategy":"canary"})"),
               Contains("context.strategy canary needs tool kubectl"));
    CHECK_THAT(refusal(R"({"service":"api","image":"api:1","gates":[{"environment":"qa"}]})"),
               Contains("context.gates[0].environment 'qa' is not in context.environments"));
    CHECK_THAT(refusal(R"({"service":"api","image":"api:1","rollout_timeout_seconds":5})"),
               Contains("context.rollout_timeout_seconds"));
    CHECK_THAT(refusal(R"({"mode":"undo"})"), Contains("context.mode"));
}

TEST_CASE("a gate asks for approval outside production; facts fill references", "[request]") {
    auto asked = request(R"({"service":"api","image":"api:1","environments":["qa","staging"],
                             "gates":[{"environment":"staging","type":"approval"}]})");
    CHECK_FALSE(asked.environments[0].approval);
    CHECK(asked.environments[1].approval);
    CHECK_FALSE(asked.environments[1].production);
    rapidjson::Document facts;
    facts.Parse(R"({"prod.previous_image":"api:0.9"})");
    CHECK(deploy::with_facts("api=${prod.previous_image}", facts) == "api=api:0.9");
    CHECK(deploy::with_facts("${unknown} stays", facts) == "${unknown} stays");
}

TEST_CASE("a Harness plan reads the recorded image, runs the pipeline and watches it, with undo by re-running",
          "[plan][harness]") {
    rapidjson::Document json;
    json.Parse(R"({"tool":"harness","harness":{"account_id":"acct","org_id":"default","project_id":"shop",
                   "pipeline_id":"deploy_api","api_key":"pat.x.y"}})");
    deploy::Config config = deploy::config_from_json(json);
    CHECK(config.harness.base_url == "https://app.harness.io");
    auto asked = request(R"({"service":"api","image":"ghcr.io/acme/api:1.4.2","environments":["staging","prod"]})", "",
                         config);
    CHECK(asked.tool == "harness");
    auto plan = deploy::plan_for(asked, config);
    REQUIRE(plan.environments.size() == 2);
    CHECK(commands(plan.environments[1]) ==
          std::vector<std::string>{"read: harness previous-image api prod",
                                   "change: harness execute api ghcr.io/acme/api:1.4.2 rolling prod default",
                                   "watch: harness watch ${prod.execution}"});
    const auto& prod = plan.environments[1].steps;
    CHECK(prod[0].approval == "deploy api to prod");  // nothing, not even a read, before the approval
    CHECK(prod[1].fact == "prod.execution");
    REQUIRE(prod[1].undo.size() == 2);
    CHECK(deploy::command_line(prod[1].undo[0].argv) == "harness abort ${prod.execution}");
    CHECK(deploy::command_line(prod[1].undo[1].argv) ==
          "harness execute-and-watch api ${prod.previous_image} rolling prod default");
    CHECK(prod[1].undo[1].fact == "prod.previous_image");
    CHECK(plan.environments[0].steps[0].approval.empty());
}

TEST_CASE("Harness settings are checked, and tool harness without them is refused naming what is missing",
          "[plan][harness]") {
    auto config_error = [](const std::string& text) {
        rapidjson::Document json;
        json.Parse(text.c_str());
        try {
            deploy::config_from_json(json);
        } catch (const deploy::InputError& error) {
            return std::string(error.what());
        }
        return std::string();
    };
    CHECK_THAT(config_error(R"({"harness":{"org_id":"o","project_id":"p","pipeline_id":"x","api_key":"k"}})"),
               Contains("config.harness.account_id is required"));
    CHECK_THAT(config_error(R"({"harness":{"account_id":"a&b=c","org_id":"o","project_id":"p","pipeline_id":"x","api_key":"k"}})"),
               Contains("config.harness.account_id"));
    CHECK_THAT(config_error(R"({"harness":{"base_url":"ftp://x","account_id":"a","org_id":"o","project_id":"p","pipeline_id":"x","api_key":"k"}})"),
               Contains("config.harness.base_url"));
    CHECK_THAT(config_error(R"({"tool":"harness"})"), Contains("config.harness"));
    CHECK_THAT(refusal(R"({"service":"api","image":"api:1.0","tool":"harness"})"),
               Contains("context.tool harness needs") && Contains("config.harness"));
}
