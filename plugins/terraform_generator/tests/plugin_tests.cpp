// Through the built libterraform_generator.so and the C ABI: the context and
// the dockerfiles memory, the "not run" answer without terraform, and the
// exec requests when the operator configured it.
#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>
#include <fake_host.hpp>
#include <json_schema.hpp>
#include <plugin_checks.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "support.hpp"

using textkit::testing::parse_json;
using textkit::testing::read_json_file;
using textkit::testing::run_input;
using textkit::testing::schema_violation;

namespace {

std::string serialized(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return buffer.GetString();
}

}  // namespace

TEST_CASE("the manifest is valid and matches the library", "[manifest]") {
    textkit::testing::checked_manifest(TERRAFORM_MANIFEST_PATH, MANIFEST_SCHEMA_PATH, TERRAFORM_PLUGIN_PATH,
                                       TERRAFORM_PLUGIN_FILE_NAME, "infrastructure");
}

TEST_CASE("generate from thread memory; the Dockerfile generator's port wins; terraform not run", "[plugin]") {
    textkit::testing::CreatedAgent agent(TERRAFORM_PLUGIN_PATH);
    agent.host.set_permissions({"events", "memory", "exec"});
    agent.host.memory()["repository_context"] = serialized(devkit::to_json(terraform_test::fixture_context("monorepo")));
    agent.host.memory()["dockerfiles"] = R"({"services":[{"name":"web","port":4100,"health_path":"/health"}]})";
    auto run = agent.host.invoke(run_input("write terraform"));
    REQUIRE(run.status == AGENTHOST_OK);
    auto result = parse_json(run.result_json);
    CHECK(schema_violation(read_json_file(TERRAFORM_MANIFEST_PATH)["output_schema"], result) == "");
    CHECK(result["target"] == "ecs");
    CHECK(result["project"] == "monorepo");
    CHECK(result["terraform"]["validate"] == "not run");
    CHECK_THAT(result["terraform"]["reason"].GetString(), Catch::Contains("no terraform binary configured"));
    REQUIRE(result["artifacts"].Size() == 4);
    const std::string main_tf = result["artifacts"][2]["content"].GetString();
    CHECK(main_tf.find("containerPort = 4100") != std::string::npos);
    CHECK(run.exec_requests.empty());
    CHECK(parse_json(agent.host.memory()["terraform"])["files"].Size() == 4);
}

TEST_CASE("with a configured terraform, init and validate go through the exec service", "[plugin]") {
    textkit::testing::CreatedAgent agent(TERRAFORM_PLUGIN_PATH, R"({"terraform":"terraform"})");
    agent.host.set_permissions({"events", "memory", "exec"});
    const auto workspace = std::filesystem::temp_directory_path() / ("tf-ws-" + std::to_string(::getpid()));
    std::filesystem::create_directories(workspace);
    agent.host.set_exec_handler([&workspace](const std::string& request, std::string& response) {
        auto parsed = parse_json(request);
        const std::string step = parsed["argv"][1].GetString();
        // The files are in the workspace before terraform runs.
        bool present = std::filesystem::exists(workspace / "terraform" / "main.tf");
        response = std::string(R"({"exit_code":)") + (present ? "0" : "1") + R"(,"signal":0,"timed_out":false,"stdout":")" +
                   (step == "validate" ? "Success! The configuration is valid." : "ok") + R"(","stderr":"","duration_ms":5})";
        return AGENTHOST_OK;
    });
    auto run = agent.host.invoke(run_input("terraform for kubernetes",
                                           serialized(parse_json(R"({"target":"k8s","project":"shop","repository_context":)" +
                                                                 serialized(devkit::to_json(terraform_test::fixture_context("go_nethttp"))) + "}")),
                                           "\"workspace\":\"" + workspace.string() + "\""));
    REQUIRE(run.status == AGENTHOST_OK);
    REQUIRE(run.exec_requests.size() == 2);
    auto init = parse_json(run.exec_requests[0]);
    CHECK(init["argv"][0] == "terraform");
    CHECK(init["argv"][1] == "init");
    CHECK(init["cwd"] == "terraform");
    CHECK(init["network"] == true);
    auto validate = parse_json(run.exec_requests[1]);
    CHECK(validate["argv"][1] == "validate");
    CHECK(validate["network"] == false);
    auto result = parse_json(run.result_json);
    CHECK(result["target"] == "kubernetes");
    CHECK(result["terraform"]["validate"] == "passed");
    CHECK(result["terraform"]["plan"] == "not run");
    std::filesystem::remove_all(workspace);
}

TEST_CASE("refusals name the field", "[plugin]") {
    textkit::testing::CreatedAgent agent(TERRAFORM_PLUGIN_PATH);
    agent.host.set_permissions({"events", "memory", "exec"});
    auto none = agent.host.invoke(run_input("terraform"));
    CHECK(none.status == AGENTHOST_ERROR_INVALID_INPUT);
    CHECK_THAT(none.error, Catch::Contains("run context_analyzer"));
    agent.host.memory()["repository_context"] = serialized(devkit::to_json(terraform_test::fixture_context("go_nethttp")));
    auto target = agent.host.invoke(run_input("x", R"({"target":"azure"})"));
    CHECK_THAT(target.error, Catch::Contains("context.target"));
    auto project = agent.host.invoke(run_input("x", R"({"project":"Bad Name"})"));
    CHECK_THAT(project.error, Catch::Contains("context.project"));
    auto project_type = agent.host.invoke(run_input("x", R"({"project":5})"));
    CHECK_THAT(project_type.error, Catch::Contains("context.project must be a string"));
}

TEST_CASE("apply and destroy need terraform and a state backend, then a person's approval", "[plugin]") {
    const std::string context = R"({"mode":"apply","project":"shop","repository_context":)" +
                                serialized(devkit::to_json(terraform_test::fixture_context("go_nethttp"))) + "}";
    {
        textkit::testing::CreatedAgent agent(TERRAFORM_PLUGIN_PATH);
        agent.host.set_permissions({"events", "memory", "exec"});
        auto run = agent.host.invoke(run_input("apply", context));
        CHECK(run.status == AGENTHOST_ERROR_UNAVAILABLE);
        CHECK_THAT(run.error, Catch::Contains("config.terraform"));
        CHECK(run.approval_requests.empty());
    }
    textkit::testing::CreatedAgent agent(TERRAFORM_PLUGIN_PATH,
                                         R"({"terraform":"terraform","backend":"s3","backend_config":"/etc/agenthost/backend.hcl"})");
    agent.host.set_permissions({"events", "memory", "exec"});
    const auto workspace = std::filesystem::temp_directory_path() / ("tf-apply-" + std::to_string(::getpid()));
    std::filesystem::create_directories(workspace);
    agent.host.set_exec_handler([](const std::string&, std::string& response) {
        response = R"({"exit_code":0,"signal":0,"timed_out":false,"stdout":"Apply complete!","stderr":"","duration_ms":5})";
        return AGENTHOST_OK;
    });
    const std::string more = "\"workspace\":\"" + workspace.string() + "\"";
    auto waiting = agent.host.invoke(run_input("apply", context, more));
    CHECK(waiting.approval_requests.size() == 1);
    CHECK(waiting.exec_requests.empty());  // nothing runs before the approval
    CHECK(waiting.exec_check_requests.size() == 1);  // but the host said it would run it
    agent.host.approve("apply");
    auto applied = agent.host.invoke(run_input("apply", context, more));
    REQUIRE(applied.status == AGENTHOST_OK);
    REQUIRE(applied.exec_requests.size() == 2);
    auto init = parse_json(applied.exec_requests[0]);
    CHECK(init["argv"][1] == "init");
    CHECK(init["argv"][4] == "-backend-config=/etc/agenthost/backend.hcl");
    auto apply = parse_json(applied.exec_requests[1]);
    CHECK(apply["argv"][1] == "apply");
    CHECK(apply["argv"][2] == "-auto-approve");
    auto result = parse_json(applied.result_json);
    CHECK(result["mode"] == "apply");
    CHECK(std::string(result["artifacts"][0]["content"].GetString()).find("backend \"s3\" {}") != std::string::npos);
    std::filesystem::remove_all(workspace);
}

TEST_CASE("apply and destroy the host would never run fail before anyone is asked to approve them", "[plugin]") {
    // terraform_network false is for init and validate; a change always
    // needs the network (the cloud's API and the state backend).
    textkit::testing::CreatedAgent agent(TERRAFORM_PLUGIN_PATH,
                                         R"({"terraform":"terraform","terraform_network":false,"backend":"s3"})");
    agent.host.set_permissions({"events", "memory", "exec"});
    agent.host.set_exec_check_handler([](const std::string& request, std::string& response) {
        if (!parse_json(request)["network"].GetBool()) {
            response = R"({"allowed":true,"binary":"/usr/bin/terraform","sandbox":"fake"})";
            return AGENTHOST_OK;
        }
        response = "network is not allowed for terraform_generator (agents.terraform_generator.exec.network)";
        return AGENTHOST_ERROR_PERMISSION_DENIED;
    });
    for (const std::string mode : {"apply", "destroy"}) {
        CAPTURE(mode);
        const std::string context = R"({"mode":")" + mode + R"(","project":"shop","repository_context":)" +
                                    serialized(devkit::to_json(terraform_test::fixture_context("go_nethttp"))) + "}";
        auto refused = agent.host.invoke(run_input(mode, context));
        CHECK(refused.status == AGENTHOST_ERROR_PERMISSION_DENIED);
        CHECK(refused.approval_requests.empty());
        CHECK(refused.exec_requests.empty());
        CHECK_THAT(refused.error, Catch::Contains("agents.terraform_generator.exec.network") &&
                                      Catch::Contains("\"allow\": [\"terraform\"]") &&
                                      Catch::Contains("\"network\": true"));
        REQUIRE(refused.exec_check_requests.size() == 1);
        auto checked = parse_json(refused.exec_check_requests[0]);
        CHECK(checked["argv"][0] == "terraform");
        CHECK(checked["argv"][1] == mode.c_str());
        CHECK(checked["network"].GetBool());
    }
}
