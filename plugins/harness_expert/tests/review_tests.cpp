#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "helpers.hpp"
#include "review.hpp"

using harness_expert::Finding;
using harness_expert::review_pipeline;

namespace {

// A sound pipeline: dev rolling, an Approval stage, then prod with rollback.
const char* const sound = R"(pipeline:
  name: Deploy cart
  identifier: deploy_cart
  projectIdentifier: shop
  orgIdentifier: acme
  stages:
    - stage:
        name: dev
        identifier: dev
        type: Deployment
        spec:
          deploymentType: Kubernetes
          service: {serviceRef: cart}
          environment:
            environmentRef: dev
            infrastructureDefinitions: [{identifier: dev_k8s}]
          execution:
            steps:
              - step: {name: Rollout, identifier: rolloutDeployment, type: K8sRollingDeploy, timeout: 10m, spec: {}}
            rollbackSteps:
              - step: {name: Rollback, identifier: rollbackRolloutDeployment, type: K8sRollingRollback, timeout: 10m, spec: {}}
    - stage:
        name: Approve prod
        identifier: approve_prod
        type: Approval
        spec:
          execution:
            steps:
              - step: {name: Approve, identifier: approve, type: HarnessApproval, timeout: 1d, spec: {}}
    - stage:
        name: prod
        identifier: prod
        type: Deployment
        spec:
          deploymentType: Kubernetes
          service: {serviceRef: cart}
          environment: {environmentRef: prod, infrastructureDefinitions: [{identifier: prod_k8s}]}
          execution:
            steps:
              - step: {name: Rollout, identifier: prodRollout, type: K8sRollingDeploy, timeout: 10m, spec: {}}
            rollbackSteps:
              - step: {name: Rollback, identifier: prodRollback, type: K8sRollingRollback, timeout: 10m, spec: {}}
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

bool has(const std::vector<Finding>& findings, const std::string& severity, const std::string& stage,
         const std::string& field_part, const std::string& message_part) {
    return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) {
        return f.severity == severity && f.stage == stage && f.field.find(field_part) != std::string::npos &&
               f.message.find(message_part) != std::string::npos;
    });
}

std::string describe(const std::vector<Finding>& findings) {
    std::string out;
    for (const auto& f : findings) out += f.severity + " [" + f.stage + "] " + f.field + ": " + f.message + "\n";
    return out;
}

}  // namespace

TEST_CASE("a sound pipeline has no findings", "[review]") {
    const auto review = review_pipeline(sound);
    INFO(describe(review.findings));
    CHECK(review.findings.empty());
    CHECK(review.pipeline_identifier == "deploy_cart");
    CHECK(review.stage_count == 3);
}

TEST_CASE("a Deployment stage without rollbackSteps is found", "[review]") {
    std::string yaml = replace(sound, R"(            rollbackSteps:
              - step: {name: Rollback, identifier: rollbackRolloutDeployment, type: K8sRollingRollback, timeout: 10m, spec: {}}
)", "");
    const auto review = review_pipeline(yaml);
    INFO(describe(review.findings));
    REQUIRE(review.findings.size() == 1);
    CHECK(has(review.findings, "warning", "dev", "pipeline.stages[0].stage.spec.execution.rollbackSteps", "rollbackSteps"));
    // An empty list is no better.
    const auto empty = review_pipeline(replace(sound, "rollbackSteps:\n              - step: {name: Rollback, identifier: prodRollback",
                                               "rollbackSteps: []\n            x:\n              - step: {name: Rollback, identifier: prodRollback"));
    CHECK(has(empty.findings, "warning", "prod", "rollbackSteps", "rollbackSteps"));
}

TEST_CASE("a prod stage with no approval before it is found", "[review]") {
    SECTION("the Approval stage removed") {
        const std::string yaml = replace(sound, "type: Approval", "type: Custom");
        const auto review = review_pipeline(yaml);
        INFO(describe(review.findings));
        REQUIRE(review.findings.size() == 1);
        CHECK(has(review.findings, "error", "prod", "pipeline.stages[2].stage.spec.execution.steps", "approval"));
    }
    SECTION("an approval step first in the stage is enough") {
        std::string yaml = replace(sound, "type: Approval", "type: Custom");
        yaml = replace(yaml, "              - step: {name: Rollout, identifier: prodRollout",
                       "              - step: {name: Approve, identifier: prodApproval, type: HarnessApproval, timeout: 1d, spec: {}}\n"
                       "              - step: {name: Rollout, identifier: prodRollout");
        const auto review = review_pipeline(yaml);
        INFO(describe(review.findings));
        CHECK(review.findings.empty());
    }
    SECTION("an approval step after the deployment is too late") {
        std::string yaml = replace(sound, "type: Approval", "type: Custom");
        yaml = replace(yaml, "identifier: prodRollout, type: K8sRollingDeploy, timeout: 10m, spec: {}}\n",
                       "identifier: prodRollout, type: K8sRollingDeploy, timeout: 10m, spec: {}}\n"
                       "              - step: {name: Approve, identifier: prodApproval, type: HarnessApproval, timeout: 1d, spec: {}}\n");
        CHECK(has(review_pipeline(yaml).findings, "error", "prod", "execution.steps", "approval"));
    }
    SECTION("production named through environmentRef only") {
        std::string yaml = replace(sound, "type: Approval", "type: Custom");
        yaml = replace(yaml, "name: prod\n        identifier: prod", "name: live\n        identifier: live");
        yaml = replace(yaml, "environmentRef: prod,", "environmentRef: production,");
        CHECK(has(review_pipeline(yaml).findings, "error", "live", "execution.steps", "approval"));
    }
}

TEST_CASE("duplicate identifiers are found", "[review]") {
    SECTION("two stages") {
        const auto review = review_pipeline(replace(sound, "identifier: approve_prod", "identifier: dev"));
        INFO(describe(review.findings));
        REQUIRE(review.findings.size() == 1);
        CHECK(has(review.findings, "error", "dev", "pipeline.stages[1].stage.identifier", "duplicate stage identifier \"dev\""));
    }
    SECTION("two steps of one stage") {
        const auto review = review_pipeline(replace(sound, "identifier: prodRollback", "identifier: prodRollout"));
        INFO(describe(review.findings));
        REQUIRE(review.findings.size() == 1);
        CHECK(has(review.findings, "error", "prod", "rollbackSteps[0].step.identifier", "duplicate step identifier"));
    }
    SECTION("a step id reused in another stage is only noted") {
        const auto review = review_pipeline(replace(sound, "identifier: prodRollout", "identifier: rolloutDeployment"));
        INFO(describe(review.findings));
        REQUIRE(review.findings.size() == 1);
        CHECK(has(review.findings, "info", "prod", "steps[0].step.identifier", "also used in stage dev"));
    }
}

TEST_CASE("identifiers breaking the Harness rule are found", "[review]") {
    std::string yaml = replace(sound, "identifier: deploy_cart", "identifier: deploy-cart");
    yaml = replace(yaml, "identifier: dev\n", "identifier: 1dev\n");
    yaml = replace(yaml, "identifier: prodRollout", "identifier: prod rollout");
    yaml = replace(yaml, "projectIdentifier: shop", "projectIdentifier: web.shop");
    const auto review = review_pipeline(yaml);
    INFO(describe(review.findings));
    CHECK(review.findings.size() == 4);
    CHECK(has(review.findings, "error", "", "pipeline.identifier", "\"deploy-cart\" breaks"));
    CHECK(has(review.findings, "error", "", "pipeline.projectIdentifier", "use \"web_shop\""));
    CHECK(has(review.findings, "error", "1dev", "pipeline.stages[0].stage.identifier", "use \"_1dev\""));
    CHECK(has(review.findings, "error", "prod", "execution.steps[0].step.identifier", "\"prod rollout\""));
    // Runtime inputs are not identifiers yet.
    CHECK(review_pipeline(replace(sound, "projectIdentifier: shop", "projectIdentifier: <+input>")).findings.empty());
}

TEST_CASE("missing required pipeline fields are found", "[review]") {
    const char* minimal = "pipeline:\n  name: x\n";
    const auto review = review_pipeline(minimal);
    INFO(describe(review.findings));
    for (const char* field : {"identifier", "projectIdentifier", "orgIdentifier", "stages"})
        CHECK(has(review.findings, "error", "", std::string("pipeline.") + field, field));
    CHECK(review.findings.size() == 4);
    CHECK(has(review_pipeline("pipelines: {}\n").findings, "error", "", "pipeline", "not a Harness pipeline"));
}

TEST_CASE("YAML that does not parse is refused with its line and column", "[review]") {
    try {
        review_pipeline("pipeline:\n  name: x\n  stages: [a, b\n  identifier: y\n");
        FAIL("no exception");
    } catch (const harness_expert::InputError& error) {
        CHECK_THAT(error.what(), Catch::Contains("line ") && Catch::Contains("column "));
    }
    CHECK_THROWS_AS(review_pipeline("just text"), harness_expert::InputError);
    CHECK_THROWS_AS(review_pipeline("key: [unterminated"), harness_expert::InputError);
    // yaml-cpp 0.7 loops forever on a top-level ',' (found by fuzzing).
    CHECK_THROWS_AS(review_pipeline(","), harness_expert::InputError);
    CHECK_THROWS_AS(review_pipeline("{a: 1},"), harness_expert::InputError);
}

TEST_CASE("generated pipelines of every strategy review clean", "[review]") {
    for (const char* strategy : {"rolling", "canary", "blue_green"})
        for (const char* approval : {"true", "false"}) {
            CAPTURE(strategy, approval);
            const auto generated = helpers::generate(
                "", std::string(R"({"service":"cart","environments":["dev","staging","production"],"strategy":")") +
                        strategy + R"(","prod_approval":)" + approval + "}");
            const auto review = review_pipeline(generated.artifacts[0].content);
            INFO(describe(review.findings));
            if (std::string(approval) == "true") {
                CHECK(review.findings.empty());
            } else {
                // Without approval the reviewer rightly flags production, and only that.
                REQUIRE(review.findings.size() == 1);
                CHECK(has(review.findings, "error", "production", "execution.steps", "approval"));
            }
        }
}

TEST_CASE("a Deployment stage without service, environment or deployment type is found", "[review]") {
    // Found by review: such a stage passed with no finding, and Harness
    // cannot run it.
    const std::string no_type = replace(sound, "          deploymentType: Kubernetes\n          service: {serviceRef: cart}\n          environment:\n", "          service: {serviceRef: cart}\n          environment:\n");
    auto review = review_pipeline(no_type);
    INFO(describe(review.findings));
    CHECK(has(review.findings, "error", "dev", "pipeline.stages[0].stage.spec.deploymentType", "deploymentType"));
    CHECK(review.findings.size() == 1);

    const std::string no_service = replace(sound, "          service: {serviceRef: cart}\n          environment: {environmentRef: prod", "          environment: {environmentRef: prod");
    review = review_pipeline(no_service);
    INFO(describe(review.findings));
    CHECK(has(review.findings, "error", "prod", "pipeline.stages[2].stage.spec.service", "no service"));
    CHECK(review.findings.size() == 1);

    const std::string no_environment = replace(sound, "          environment: {environmentRef: prod, infrastructureDefinitions: [{identifier: prod_k8s}]}\n", "");
    review = review_pipeline(no_environment);
    INFO(describe(review.findings));
    CHECK(has(review.findings, "error", "prod", "pipeline.stages[2].stage.spec.environment", "no environment"));
    CHECK(review.findings.size() == 1);

    // Runtime inputs and the older serviceConfig/infrastructure form count.
    const std::string inputs = replace(
        replace(sound, "service: {serviceRef: cart}\n          environment: {environmentRef: prod, infrastructureDefinitions: [{identifier: prod_k8s}]}",
                "serviceConfig: {serviceRef: <+input>}\n          infrastructure: {environmentRef: <+input>}"),
        "deploymentType: Kubernetes\n          service: {serviceRef: cart}\n          environment:\n            environmentRef: dev",
        "deploymentType: <+input>\n          service: {serviceRef: <+input>}\n          environment:\n            environmentRef: <+input>");
    review = review_pipeline(inputs);
    INFO(describe(review.findings));
    CHECK(review.findings.empty());
}
