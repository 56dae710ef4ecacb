// Approvals of deployment operations through the running host. Every
// operation of a project shares its thread, so approving by thread must not
// start more than the person looked at: force-unlock cancels the holder
// that has not finished (it no longer holds the lock), an approval of a
// thread where runs of separate requests wait needs their run_id, and the
// project no longer names a finished operation as its lock holder.
// (terraform_generator finds no terraform here: an approved apply or
// destroy then fails, which is fine; what matters is which runs started.
// Its exec settings allow terraform, or the host would refuse apply and
// destroy before asking anyone, as they could never run.)
#include "test_host.hpp"

#include <chrono>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;

namespace {

HostProcess& host() {
    static HostProcess instance(host_config(R"({"terraform_generator":{"enabled":true,"exec":{"allow":["terraform"],"allow_unsandboxed":true}},"echo":{"enabled":true}})"));
    return instance;
}

struct Operation {
    std::string id, thread_id, run_id;
};

// Starts an apply or destroy and waits until its one run waits for a person.
Operation start_waiting(HttpClient& client, const std::string& project, const std::string& operation) {
    auto answer = client.post("/deployment/projects/" + project + "/" + operation, R"({"path":"/srv/)" + project + R"("})");
    INFO(answer.body);
    REQUIRE(answer.status == 202);
    auto accepted = json_of(answer);
    Operation started{string_member(accepted["data"], "operation_id"), string_member(accepted["data"], "thread_id"), ""};
    rapidjson::Document status;
    bool waiting = poll_until(
        [&] {
            status = json_of(client.get("/deployment/operations/" + started.id + "/status"));
            return string_member(status["data"], "status") == "pending_approval";
        },
        10000ms, 20ms);
    INFO(json_text(status));
    REQUIRE(waiting);
    REQUIRE(status["data"]["steps"].Size() == 1);
    started.run_id = string_member(status["data"]["steps"][0], "run_id");
    return started;
}

std::string operation_status(HttpClient& client, const Operation& operation) {
    return string_member(json_of(client.get("/deployment/operations/" + operation.id + "/status"))["data"], "status");
}

bool ever_started(HttpClient& client, const std::string& run_id) {
    return count_events(fetch_events(client, run_id), "run.started") > 0;
}

// A one-step workflow on `thread_id` whose echo step waits for approval; its run id.
std::string waiting_workflow(HttpClient& client, const std::string& thread_id) {
    auto created = client.post("/agents/orchestrate", R"({"task":"say hi","thread_id":")" + thread_id +
                                                          R"(","steps":[{"id":"only","agent":"echo","require_approval":true}]})");
    INFO(created.body);
    REQUIRE(created.status == 202);
    std::string id = string_member(json_of(created), "id");
    std::string run_id;
    REQUIRE(poll_until(
        [&] {
            auto view = json_of(client.get("/agents/status/" + id));
            if (view["steps"].Size() != 1 || string_member(view["steps"][0], "status") != "pending_approval") return false;
            run_id = string_member(view["steps"][0], "run_id");
            return true;
        },
        10000ms, 20ms));
    return run_id;
}

}  // namespace

TEST_CASE("force-unlock cancels the waiting operation that held the lock: approving the thread starts only the next one") {
    HttpClient client(host().base_url());
    const Operation apply = start_waiting(client, "shop", "apply");
    CHECK(client.post("/deployment/projects/shop/destroy", "{}").status == 409);

    auto unlocked = json_of(client.post("/deployment/projects/shop/force-unlock", ""));
    INFO(json_text(unlocked));
    CHECK(unlocked["data"]["released"] == true);
    CHECK(string_member(unlocked["data"], "holder") == apply.id);
    REQUIRE(unlocked["data"]["cancelled_runs"].Size() == 1);
    CHECK(std::string(unlocked["data"]["cancelled_runs"][0].GetString()) == apply.run_id);
    CHECK(operation_status(client, apply) == "cancelled");

    const Operation destroy = start_waiting(client, "shop", "destroy");
    CHECK(destroy.thread_id == apply.thread_id);
    auto approved = client.post("/workflow/approve/" + destroy.thread_id, R"({"approved":true,"comment":"ok destroy"})");
    INFO(approved.body);
    REQUIRE(approved.status == 200);
    auto decided = json_of(approved);
    REQUIRE(decided["runs"].Size() == 1);
    CHECK(std::string(decided["runs"][0].GetString()) == destroy.run_id);
    CHECK_THAT(string_member(decided, "message"), !Contains("apply"));

    // The destroy goes ahead (and fails without terraform); the apply never ran.
    CHECK(wait_for_status(client, destroy.run_id, {"succeeded", "failed"}) != "");
    CHECK(ever_started(client, destroy.run_id));
    CHECK(run_status_of(client, apply.run_id) == "cancelled");
    CHECK_FALSE(ever_started(client, apply.run_id));
}

TEST_CASE("approving a thread where runs of separate requests wait is refused with 409 naming them, unless run_id picks one") {
    HttpClient client(host().base_url());
    const std::string thread = "two-requests";
    const std::string first = waiting_workflow(client, thread);
    const std::string second = waiting_workflow(client, thread);

    auto refused = client.post("/workflow/approve/" + thread, R"({"approved":true,"comment":"ok"})");
    INFO(refused.body);
    CHECK(refused.status == 409);
    auto error = json_of(refused);
    CHECK(string_member(error, "error") == "AmbiguousApproval");
    CHECK_THAT(string_member(error, "message"), Contains(first) && Contains(second) && Contains("run_id"));
    CHECK(run_status_of(client, first) == "pending_approval");
    CHECK(run_status_of(client, second) == "pending_approval");

    // Named, one is approved and runs; the other still waits.
    auto one = client.post("/workflow/approve/" + thread, R"({"approved":true,"run_id":")" + first + R"("})");
    INFO(one.body);
    REQUIRE(one.status == 200);
    REQUIRE(json_of(one)["runs"].Size() == 1);
    CHECK(wait_for_status(client, first, {"succeeded"}) == "succeeded");
    CHECK(run_status_of(client, second) == "pending_approval");
    // Alone now, the other is approved by its thread as before.
    auto rest = client.post("/workflow/approve/" + thread, R"({"approved":true})");
    REQUIRE(rest.status == 200);
    CHECK(std::string(json_of(rest)["runs"][0].GetString()) == second);

    // Rejecting starts nothing: one request rejects every run that waits.
    const std::string third = waiting_workflow(client, "reject-both");
    const std::string fourth = waiting_workflow(client, "reject-both");
    auto rejected = client.post("/workflow/approve/reject-both", R"({"approved":false,"comment":"no"})");
    REQUIRE(rejected.status == 200);
    CHECK(json_of(rejected)["runs"].Size() == 2);
    CHECK(run_status_of(client, third) == "cancelled");
    CHECK(run_status_of(client, fourth) == "cancelled");
}

TEST_CASE("the steps of one workflow that wait together are still approved by their thread at once") {
    HttpClient client(host().base_url());
    auto created = client.post("/agents/orchestrate",
                               R"({"task":"say hi","thread_id":"one-request","require_approval":true,)"
                               R"("steps":[{"id":"a","agent":"echo"},{"id":"b","agent":"echo"}]})");
    INFO(created.body);
    REQUIRE(created.status == 202);
    const std::string id = string_member(json_of(created), "id");
    REQUIRE(poll_until(
        [&] {
            auto view = json_of(client.get("/agents/status/" + id));
            return view["steps"].Size() == 2 && string_member(view["steps"][0], "status") == "pending_approval" &&
                   string_member(view["steps"][1], "status") == "pending_approval";
        },
        10000ms, 20ms));
    auto approved = client.post("/workflow/approve/one-request", R"({"approved":true})");
    INFO(approved.body);
    REQUIRE(approved.status == 200);
    CHECK(json_of(approved)["runs"].Size() == 2);
}

TEST_CASE("a project names no finished operation as its lock holder") {
    HttpClient client(host().base_url());
    const Operation apply = start_waiting(client, "rejected-shop", "apply");
    CHECK(string_member(json_of(client.get("/deployment/projects/rejected-shop/logs"))["data"], "locked_by") == apply.id);
    REQUIRE(client.post("/workflow/approve/" + apply.thread_id, R"({"approved":false,"comment":"not today"})").status == 200);
    REQUIRE(poll_until([&] { return operation_status(client, apply) == "cancelled"; }, 10000ms, 20ms));

    auto project = json_of(client.get("/deployment/projects/rejected-shop/logs"));
    INFO(json_text(project));
    CHECK(project["data"]["locked_by"].IsNull());
    // Nothing holds it: force-unlock has nothing to release, and a destroy goes ahead.
    CHECK(json_of(client.post("/deployment/projects/rejected-shop/force-unlock", ""))["data"]["released"] == false);
    CHECK(client.post("/deployment/projects/rejected-shop/destroy", "{}").status == 202);
}
