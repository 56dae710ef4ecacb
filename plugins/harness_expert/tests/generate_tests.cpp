#include <catch2/catch.hpp>

#include <algorithm>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "identifiers.hpp"
#include "review.hpp"

using harness_expert::Strategy;

namespace {

struct Case {
    const char* name;
    std::string context;
    Strategy strategy;
};

YAML::Node load_pipeline(const harness_expert::Generated& generated) {
    REQUIRE(generated.artifacts.size() == 1);
    CHECK(generated.artifacts[0].media_type == "application/yaml");
    YAML::Node document = YAML::Load(generated.artifacts[0].content);
    REQUIRE(document["pipeline"].IsMap());
    return document["pipeline"];
}

std::vector<std::string> identifiers_of(const std::string& yaml) {
    std::vector<std::string> ids;
    helpers::collect_identifiers(YAML::Load(yaml), ids);
    return ids;
}

void check_identifiers_valid_and_unique(const std::string& yaml) {
    const auto ids = identifiers_of(yaml);
    REQUIRE_FALSE(ids.empty());
    std::set<std::string> seen;
    for (const auto& id : ids) {
        CAPTURE(id);
        CHECK(std::regex_match(id, helpers::harness_rule()));
        CHECK(seen.insert(id).second);
    }
}

}  // namespace

TEST_CASE("each strategy yields a Harness pipeline with a stage per environment", "[generate]") {
    const std::vector<Case> cases = {
        {"rolling",
         R"({"service":"checkout","environments":["dev","staging","prod"],"strategy":"rolling",
             "image":"ghcr.io/acme/checkout:1.4.2","org":"acme","project":"shop"})",
         Strategy::rolling},
        {"canary",
         R"({"service":"payments-api","environments":["dev","qa","production"],"strategy":"canary",
             "image":"123456789.dkr.ecr.eu-west-1.amazonaws.com/payments:2.0.0"})",
         Strategy::canary},
        {"blue_green",
         R"({"service":"search","environments":["staging","prod"],"strategy":"blue_green","artifact":"docker.io/acme/search:7"})",
         Strategy::blue_green},
    };
    for (const auto& c : cases) {
        SECTION(c.name) {
            const auto settings = helpers::settings("Create a deployment pipeline", c.context);
            const auto generated = harness_expert::generate(settings);
            const YAML::Node pipeline = load_pipeline(generated);
            CHECK(pipeline["name"].as<std::string>() == "Deploy " + settings.service);
            CHECK(pipeline["identifier"].as<std::string>() == "deploy_" + harness_expert::to_identifier(settings.service));
            CHECK(pipeline["projectIdentifier"].as<std::string>() == settings.project);
            CHECK(pipeline["orgIdentifier"].as<std::string>() == settings.org);
            CHECK(generated.artifacts[0].path == ".harness/" + pipeline["identifier"].as<std::string>() + ".yaml");

            const YAML::Node stages = pipeline["stages"];
            REQUIRE(stages.size() == settings.environments.size());
            for (std::size_t i = 0; i < stages.size(); ++i) {
                const std::string environment = settings.environments[i];
                CAPTURE(environment);
                const YAML::Node stage = stages[i]["stage"];
                CHECK(stage["name"].as<std::string>() == environment);
                CHECK(stage["type"].as<std::string>() == "Deployment");
                CHECK(stage["spec"]["deploymentType"].as<std::string>() == "Kubernetes");
                CHECK(stage["spec"]["service"]["serviceRef"].as<std::string>() ==
                      harness_expert::to_identifier(settings.service));
                CHECK(stage["spec"]["environment"]["environmentRef"].as<std::string>() ==
                      stage["identifier"].as<std::string>());

                auto types = helpers::step_types(stage["spec"]["execution"]["steps"]);
                const bool prod = environment == "prod" || environment == "production";
                if (prod) {
                    REQUIRE_FALSE(types.empty());
                    CHECK(types.front() == "HarnessApproval");
                    types.erase(types.begin());
                }
                CHECK(std::count(types.begin(), types.end(), "HarnessApproval") == 0);
                CHECK(types == harness_expert::harness_step_types(c.strategy));
                const YAML::Node rollback = stage["spec"]["execution"]["rollbackSteps"];
                REQUIRE(rollback.IsSequence());
                CHECK(helpers::step_types(rollback) == harness_expert::harness_rollback_step_types(c.strategy));
            }
            check_identifiers_valid_and_unique(generated.artifacts[0].content);
            // A generated pipeline passes its own review.
            CHECK(harness_expert::review_pipeline(generated.artifacts[0].content).findings.empty());
        }
    }
}

TEST_CASE("the strategies run their steps in the documented order", "[generate]") {
    using V = std::vector<std::string>;
    CHECK(harness_expert::harness_step_types(Strategy::rolling) == V{"K8sRollingDeploy"});
    CHECK(harness_expert::harness_step_types(Strategy::canary) ==
          V{"K8sCanaryDeploy", "Wait", "K8sCanaryDelete", "K8sRollingDeploy"});
    CHECK(harness_expert::harness_step_types(Strategy::blue_green) == V{"K8sBlueGreenDeploy", "Wait", "K8sBGSwapServices"});
    CHECK(harness_expert::harness_rollback_step_types(Strategy::rolling) == V{"K8sRollingRollback"});
    CHECK(harness_expert::harness_rollback_step_types(Strategy::canary) == V{"K8sCanaryDelete", "K8sRollingRollback"});
    CHECK(harness_expert::harness_rollback_step_types(Strategy::blue_green) == V{"K8sBGSwapServices"});
}

TEST_CASE("the summary's verb agrees with the environments that need approval", "[generate]") {
    // An outsider's: "prod start with a HarnessApproval step".
    const auto one = helpers::generate("", R"({"service":"checkout"})");
    CHECK_THAT(one.summary, Catch::Contains("prod starts with a HarnessApproval step."));
}

TEST_CASE("prod_approval false leaves every stage without approval", "[generate]") {
    const auto generated = helpers::generate("", R"({"service":"checkout","prod_approval":false})");
    const YAML::Node stages = load_pipeline(generated)["stages"];
    REQUIRE(stages.size() == 3);
    for (const auto& stage : stages) {
        const auto types = helpers::step_types(stage["stage"]["spec"]["execution"]["steps"]);
        CHECK(std::count(types.begin(), types.end(), "HarnessApproval") == 0);
    }
    CHECK_THAT(generated.summary, Catch::Contains("No environment needs approval"));
}

TEST_CASE("approval comes first in prod-like stages only", "[generate]") {
    const auto generated = helpers::generate(
        "", R"({"service":"checkout","environments":["dev","preprod","prod-eu","Production"]})");
    const YAML::Node stages = load_pipeline(generated)["stages"];
    REQUIRE(stages.size() == 4);
    const std::vector<bool> expected = {false, false, true, true};
    for (std::size_t i = 0; i < 4; ++i) {
        const auto types = helpers::step_types(stages[i]["stage"]["spec"]["execution"]["steps"]);
        CAPTURE(i);
        CHECK((types.front() == "HarnessApproval") == expected[i]);
    }
}

TEST_CASE("awkward names give valid, unique identifiers", "[generate]") {
    const auto generated = helpers::generate(
        "", R"({"service":"2nd payments-api","environments":["dev","dev!","3-east","prod west","prod-west"],
               "org":"acme corp","project":"web-shop","strategy":"canary"})");
    const std::string& yaml = generated.artifacts[0].content;
    check_identifiers_valid_and_unique(yaml);
    const YAML::Node pipeline = load_pipeline(generated);
    CHECK(pipeline["identifier"].as<std::string>() == "deploy_2nd_payments_api");
    CHECK(pipeline["orgIdentifier"].as<std::string>() == "acme_corp");
    CHECK(pipeline["projectIdentifier"].as<std::string>() == "web_shop");
    std::vector<std::string> stage_ids;
    for (const auto& stage : pipeline["stages"]) stage_ids.push_back(stage["stage"]["identifier"].as<std::string>());
    CHECK(stage_ids == std::vector<std::string>{"dev", "dev_", "_3_east", "prod_west", "prod_west_2"});
    CHECK(pipeline["stages"][0]["stage"]["spec"]["service"]["serviceRef"].as<std::string>() == "_2nd_payments_api");
    CHECK_FALSE(generated.warnings.empty());
    CHECK(harness_expert::review_pipeline(yaml).findings.empty());
}

TEST_CASE("the image becomes a pipeline variable, or a runtime input", "[generate]") {
    auto image_of = [](const harness_expert::Generated& generated) {
        return load_pipeline(generated)["variables"][0]["value"].as<std::string>();
    };
    CHECK(image_of(helpers::generate("", R"({"service":"a","image":"ghcr.io/acme/a:1"})")) == "ghcr.io/acme/a:1");
    const auto without = helpers::generate("", R"({"service":"a"})");
    CHECK(image_of(without) == "<+input>");
    CHECK(std::any_of(without.warnings.begin(), without.warnings.end(),
                      [](const std::string& w) { return w.find("no image") != std::string::npos; }));
}

TEST_CASE("a free-text task alone works and states its defaults", "[generate]") {
    SECTION("nothing but a vague task") {
        const auto settings = helpers::settings("Write me a Harness pipeline");
        CHECK(settings.service == "app");
        CHECK(settings.environments == std::vector<std::string>{"dev", "staging", "prod"});
        CHECK(settings.strategy == Strategy::rolling);
        const auto generated = harness_expert::generate(settings);
        for (const char* stated : {"service: app (default", "environments: dev, staging, prod (default)",
                                   "strategy: rolling (default)", "org: default", "project: default_project",
                                   "prod_approval: true (default)", "target: harness (default)"})
            CHECK_THAT(generated.summary, Catch::Contains(stated));
        CHECK(load_pipeline(generated)["stages"].size() == 3);
    }
    SECTION("words of the task that only describe the service never name it") {
        // Found by trying it: this task named the service `deploying`.
        const auto settings =
            helpers::settings("Generate a CI/CD pipeline for a Python service deploying to staging and prod");
        CHECK(settings.service == "app");
        CHECK(settings.environments == std::vector<std::string>{"staging", "prod"});
    }
    SECTION("the task names the service, the strategy and the environments") {
        const auto settings =
            helpers::settings("Set up a canary rollout for the checkout service to staging and production");
        CHECK(settings.service == "checkout");
        CHECK(settings.strategy == Strategy::canary);
        CHECK(settings.environments == std::vector<std::string>{"staging", "production"});
        const auto generated = harness_expert::generate(settings);
        CHECK_THAT(generated.summary, Catch::Contains("From the task"));
        const YAML::Node stages = load_pipeline(generated)["stages"];
        REQUIRE(stages.size() == 2);
        CHECK(helpers::step_types(stages[1]["stage"]["spec"]["execution"]["steps"]).front() == "HarnessApproval");
    }
    SECTION("blue-green and GitHub Actions in the text") {
        const auto settings = helpers::settings("blue-green deploy of payments-api with GitHub Actions");
        CHECK(settings.strategy == Strategy::blue_green);
        CHECK(settings.target == harness_expert::Target::github_actions);
        CHECK(settings.service == "payments-api");
    }
    SECTION("context wins over the task") {
        const auto settings = helpers::settings("canary please", R"({"strategy":"rolling"})");
        CHECK(settings.strategy == Strategy::rolling);
    }
    SECTION("seed 001's context.environment is the one environment deployed to") {
        // It was ignored: the pipeline went dev -> staging -> prod.
        const auto settings = helpers::settings("Deploy my-service", R"({"service":"my-service","environment":"staging"})");
        CHECK(settings.environments == std::vector<std::string>{"staging"});
        CHECK(load_pipeline(harness_expert::generate(settings))["stages"].size() == 1);
        CHECK_THROWS_AS(helpers::settings("Deploy my-service", R"({"environment":7})"), harness_expert::InputError);
    }
}

TEST_CASE("bad context values are refused as input errors", "[generate]") {
    for (const char* context : {R"({"environments":[]})", R"({"environments":"prod"})", R"({"environments":[""]})",
                                R"({"strategy":"big_bang"})", R"({"target":"jenkins"})", R"({"prod_approval":"yes"})",
                                R"({"service":42})", R"({"mode":"explain"})", R"({"mode":"review"})"}) {
        CAPTURE(context);
        CHECK_THROWS_AS(helpers::settings("deploy checkout", context), harness_expert::InputError);
    }
    CHECK_THROWS_AS(helpers::settings("  ", "{}"), harness_expert::InputError);
}

TEST_CASE("the GitHub Actions workflow chains one job per environment", "[generate][github]") {
    for (const char* strategy : {"rolling", "canary", "blue_green"}) {
        SECTION(strategy) {
            const auto generated = helpers::generate(
                "", std::string(R"({"service":"checkout","target":"github_actions","strategy":")") + strategy +
                        R"(","environments":["dev","staging","prod"],"image":"ghcr.io/acme/checkout:1.0"})");
            REQUIRE(generated.artifacts.size() == 1);
            CHECK(generated.artifacts[0].path == ".github/workflows/deploy-checkout.yml");
            const YAML::Node workflow = YAML::Load(generated.artifacts[0].content);
            CHECK(workflow["on"]["push"]["branches"][0].as<std::string>() == "main");
            CHECK(workflow["on"]["workflow_dispatch"].IsDefined());
            CHECK(workflow["env"]["IMAGE"].as<std::string>() == "ghcr.io/acme/checkout");

            const YAML::Node jobs = workflow["jobs"];
            std::vector<std::string> ids;
            for (const auto& job : jobs) ids.push_back(job.first.as<std::string>());
            CHECK(ids == std::vector<std::string>{"build", "deploy-dev", "deploy-staging", "deploy-prod"});
            const auto build_steps = jobs["build"]["steps"];
            CHECK(build_steps[build_steps.size() - 1]["uses"].as<std::string>().rfind("docker/build-push-action", 0) == 0);
            const std::vector<std::string> environments = {"dev", "staging", "prod"};
            std::string previous = "build";
            for (const auto& environment : environments) {
                const YAML::Node job = jobs["deploy-" + environment];
                CHECK(job["needs"].as<std::string>() == previous);
                CHECK(job["environment"]["name"].as<std::string>() == environment);
                previous = "deploy-" + environment;
                std::vector<std::string> names;
                for (const auto& step : job["steps"]) names.push_back(step["name"].as<std::string>());
                CHECK(names.back().rfind("Roll back", 0) == 0);
                CHECK(job["steps"][job["steps"].size() - 1]["if"].as<std::string>() == "failure()");
                const std::string want = std::string(strategy) == "canary"     ? "Canary deploy"
                                         : std::string(strategy) == "rolling" ? "Rolling deploy"
                                                                                : "Swap services";
                CHECK(std::find(names.begin(), names.end(), want) != names.end());
            }
            CHECK(std::any_of(generated.warnings.begin(), generated.warnings.end(), [](const std::string& w) {
                return w.find("required reviewers") != std::string::npos;
            }));
        }
    }
}

TEST_CASE("GitHub job ids stay valid and distinct for awkward environment names", "[generate][github]") {
    const auto generated = helpers::generate(
        "", R"({"service":"my api","target":"github_actions","environments":["EU prod","EU-prod","1st"]})");
    CHECK(generated.artifacts[0].path == ".github/workflows/deploy-my_api.yml");
    const YAML::Node jobs = YAML::Load(generated.artifacts[0].content)["jobs"];
    std::vector<std::string> ids;
    for (const auto& job : jobs) ids.push_back(job.first.as<std::string>());
    CHECK(ids == std::vector<std::string>{"build", "deploy-EU_prod", "deploy-EU-prod", "deploy-1st"});
    const std::regex job_rule("^[A-Za-z_][A-Za-z0-9_-]*$");
    for (const auto& id : ids) CHECK(std::regex_match(id, job_rule));
    CHECK(jobs["deploy-1st"]["needs"].as<std::string>() == "deploy-EU-prod");
}

TEST_CASE("GitHub Actions deploys to DNS-1123 namespaces derived from the environment names", "[generate][github]") {
    // Found by review: QA_env and Pre_Prod went to kubectl -n verbatim.
    const auto generated = helpers::generate(
        "", R"({"service":"Search API","target":"github_actions","environments":["QA_env","Pre_Prod","prod"]})");
    const YAML::Node workflow = YAML::Load(generated.artifacts[0].content);
    CHECK(workflow["jobs"]["deploy-QA_env"]["env"]["NAMESPACE"].as<std::string>() == "qa-env");
    CHECK(workflow["jobs"]["deploy-Pre_Prod"]["env"]["NAMESPACE"].as<std::string>() == "pre-prod");
    CHECK(workflow["jobs"]["deploy-prod"]["env"]["NAMESPACE"].as<std::string>() == "prod");
    CHECK(workflow["env"]["APP"].as<std::string>() == "search-api");
    CHECK(generated.namespaces == std::vector<std::pair<std::string, std::string>>{
                                     {"QA_env", "qa-env"}, {"Pre_Prod", "pre-prod"}, {"prod", "prod"}});
    CHECK_THAT(generated.summary, Catch::Contains("QA_env -> qa-env") && Catch::Contains("Pre_Prod -> pre-prod"));
    CHECK(std::any_of(generated.warnings.begin(), generated.warnings.end(),
                      [](const std::string& w) { return w.find("search-api") != std::string::npos; }));
    // Two environments on one namespace are warned about; a name with no
    // letters or digits is refused.
    const auto shared = helpers::generate("", R"({"service":"a","target":"github_actions","environments":["QA","qa"]})");
    CHECK(std::any_of(shared.warnings.begin(), shared.warnings.end(),
                      [](const std::string& w) { return w.find("both deploy") != std::string::npos; }));
    CHECK_THROWS_AS(helpers::generate("", R"({"service":"a","target":"github_actions","environments":["__"]})"),
                    harness_expert::InputError);
}
