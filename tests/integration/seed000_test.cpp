// Seed 000 through the running host: the repository-to-deployment workflow
// (context_analyzer -> dockerfile_generator -> terraform_generator sharing
// thread memory, git cloning a file:// repository through the exec
// service), deployment operations whose logs a client polls by since_index
// (every line exactly once), the project lock's 409 and force-unlock, and
// POST /github/analyze.
#include "fake_github_server.hpp"
#include "fake_llm_server.hpp"
#include "test_host.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <thread>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

namespace fs = std::filesystem;

// A git repository made from context_analyzer's Python fixture, under a
// folder the analyzer may read and the sandboxed git may see.
const fs::path& repositories() {
    static const fs::path root = [] {
        fs::path dir = fs::temp_directory_path() / ("seed000-repos-" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        fs::copy(std::string(AGENTHOST_SOURCE_DIR) + "/plugins/context_analyzer/tests/fixtures/python_fastapi", dir / "shop",
                 fs::copy_options::recursive);
        const std::string git = "cd '" + (dir / "shop").string() + "' && git init -q -b main && git add . && "
                                "git -c user.name=t -c user.email=t@t commit -q -m init";
        REQUIRE(std::system(git.c_str()) == 0);
        return dir;
    }();
    return root;
}

std::string repo_url() { return "file://" + (repositories() / "shop").string(); }

std::string seed000_agents() {
    return R"({"context_analyzer":{"enabled":true,"config":{"local_roots":[")" + repositories().string() +
           R"("]},"exec":{"allow":["git"],"read_only_paths":[")" + repositories().string() +
           R"("]}},"dockerfile_generator":{"enabled":true},"terraform_generator":{"enabled":true,"exec":{"allow":["terraform"],"allow_unsandboxed":true}}})";
}

HostProcess& host() {
    static HostProcess instance(host_config(seed000_agents()));
    return instance;
}

rapidjson::Document wait_workflow(HttpClient& client, const std::string& id) {
    rapidjson::Document view;
    bool done = poll_until(
        [&] {
            view = json_of(client.get("/agents/status/" + id));
            std::string status = string_member(view, "status");
            return status == "completed" || status == "failed";
        },
        60000ms, 50ms);
    INFO(json_text(view));
    REQUIRE(done);
    return view;
}

// Polls an operation's logs as seed 000's client (useDeploymentPolling.ts)
// does: GET {prefix}/deployment/operations/{id}/logs?since_index=<the
// previous next_index>, reading {"success", "data": {"logs", "next_index",
// "completed", "status", "error"}}, until completed; answers every line seen.
std::vector<std::string> poll_logs(HttpClient& client, const std::string& operation_id, std::string& status,
                                   const std::string& prefix = "") {
    std::vector<std::string> seen;
    size_t next = 0;
    for (int polls = 0; polls < 2000; ++polls) {
        auto body = json_of(client.get(prefix + "/deployment/operations/" + operation_id + "/logs?since_index=" + std::to_string(next)));
        REQUIRE(body["success"] == true);
        const auto& page = body["data"];
        REQUIRE(page["since_index"].GetUint64() == next);
        const auto& entries = page["entries"];
        for (rapidjson::SizeType i = 0; i < entries.Size(); ++i) {
            CHECK(entries[i]["index"].GetUint64() == next + i);  // contiguous, nothing skipped
            CHECK(std::string(page["logs"][i].GetString()) == entries[i]["message"].GetString());
            seen.emplace_back(entries[i]["message"].GetString());
        }
        next = page["next_index"].GetUint64();
        status = string_member(page, "status");
        if (page["completed"].GetBool()) return seen;
        std::this_thread::sleep_for(20ms);
    }
    FAIL("the operation did not complete");
    return seen;
}

std::string start(HttpClient& client, const std::string& project, const std::string& operation, const std::string& body) {
    auto answer = client.post("/deployment/projects/" + project + "/" + operation, body);
    INFO(answer.body);
    REQUIRE(answer.status == 202);
    auto accepted = json_of(answer);
    CHECK(accepted["success"] == true);
    return string_member(accepted["data"], "operation_id");
}

}  // namespace

TEST_CASE("POST /agents/orchestrate with a repository runs seed 000's three agents on one thread") {
    HttpClient client(host().base_url());
    auto answer = client.post("/agents/orchestrate", R"({"repository_url":")" + repo_url() + R"("})");  // seed 000's name
    INFO(answer.body);
    REQUIRE(answer.status == 202);
    auto accepted = json_of(answer);
    auto view = wait_workflow(client, string_member(accepted, "workflow_id"));
    REQUIRE(string_member(view, "status") == "completed");
    const auto& steps = view["steps"];
    REQUIRE(steps.Size() == 3);
    CHECK(string_member(steps[0], "agent") == "context_analyzer");
    CHECK(string_member(steps[1], "agent") == "dockerfile_generator");
    CHECK(string_member(steps[2], "agent") == "terraform_generator");
    // The clone went through the exec service: its commit is the analysis's.
    const auto& analysis = steps[0]["result"];
    CHECK(string_member(analysis["repository"], "commit").size() == 40);
    CHECK(string_member(analysis["services"][0]["framework"], "value") == "fastapi");
    CHECK(string_member(analysis["services"][0]["port"], "file") == "app/main.py");
    // Each agent built on the one before through the thread's memory.
    CHECK(string_member(steps[1]["result"]["artifacts"][0], "path") == "Dockerfile");
    CHECK_THAT(string_member(steps[1]["result"]["artifacts"][0], "content"), Contains("EXPOSE 8000"));
    const std::string main_tf = string_member(steps[2]["result"]["artifacts"][2], "content");
    CHECK_THAT(main_tf, Contains("containerPort = 8000"));
    CHECK_THAT(main_tf, Contains("path                = \"/health\""));
    CHECK(string_member(steps[2]["result"]["terraform"], "validate") == "not run");
    auto memory = json_of(client.get("/threads/" + string_member(view, "thread_id") + "/state"));
    CHECK(memory["values"].HasMember("repository_context"));
    CHECK(memory["values"].HasMember("dockerfiles"));
    CHECK(memory["values"].HasMember("terraform"));
}

TEST_CASE("deployment operations: logs polled by since_index see every line exactly once") {
    HttpClient client(host().base_url());
    const std::string analyze = start(client, "shop", "analyze", R"({"repo_url":")" + repo_url() + R"("})");
    std::string status;
    auto lines = poll_logs(client, analyze, status, "/api/v1");  // where seed 000's client calls it
    CHECK(status == "completed");
    // The same lines, once each and in order, as one read of the whole log.
    auto whole_body = json_of(client.get("/deployment/operations/" + analyze + "/logs?since_index=0"));
    const auto& whole = whole_body["data"];
    CHECK(whole["error"].IsNull());
    REQUIRE(whole["logs"].Size() == lines.size());
    for (rapidjson::SizeType i = 0; i < whole["logs"].Size(); ++i) CHECK(lines[i] == whole["logs"][i].GetString());
    CHECK(lines.front() == "[context_analyzer] queued");
    CHECK(lines[1] == "[context_analyzer] started");
    CHECK(lines.back() == "[context_analyzer] succeeded");
    bool cloned = false;
    for (const auto& line : lines) cloned = cloned || line.find("[context_analyzer] cloning file://") == 0;
    CHECK(cloned);
    // Past the end: nothing, and the same next_index.
    auto past_body = json_of(client.get("/deployment/operations/" + analyze + "/logs?since_index=" + std::to_string(lines.size())));
    const auto& past = past_body["data"];
    CHECK(past["logs"].Size() == 0);
    CHECK(past["next_index"].GetUint64() == lines.size());

    // generate builds on the analysis kept in the project's thread.
    const std::string generate = start(client, "shop", "generate", "{}");
    auto generated = poll_logs(client, generate, status);
    CHECK(status == "completed");
    std::set<std::string> distinct(generated.begin(), generated.end());
    // Each file written is logged once: the agent's own "wrote ..." line,
    // not that line and then the artifact's (the outsider saw every one twice).
    auto count_starting = [&](const std::string& start) {
        return std::count_if(generated.begin(), generated.end(),
                             [&](const std::string& line) { return line.rfind(start, 0) == 0; });
    };
    CHECK(count_starting("[terraform_generator] wrote terraform/versions.tf") == 1);
    CHECK(count_starting("[dockerfile_generator] wrote Dockerfile") == 1);
    CHECK_THAT(generated.front(), Contains("[dockerfile_generator] queued"));
    CHECK(generated.back() == "[terraform_generator] succeeded");
    auto state_body = json_of(client.get("/deployment/operations/" + generate + "/status"));
    const auto& state = state_body["data"];
    CHECK(string_member(state, "status") == "completed");
    REQUIRE(state["steps"].Size() == 2);
    CHECK(string_member(state["steps"][1]["result"]["artifacts"][0], "path") == "terraform/versions.tf");

    auto history_body = json_of(client.get("/deployment/projects/shop/logs"));
    const auto& history = history_body["data"];
    CHECK(history["count"] == 2);
    REQUIRE(history["operations"].Size() == 2);
    CHECK(string_member(history["operations"][0], "operation_id") == generate);  // newest first
    CHECK(history["operations"][1]["logs"].Size() == lines.size());
}

TEST_CASE("one state-changing operation at a time: 409 names the holder, force-unlock releases it") {
    HttpClient client(host().base_url());
    const std::string apply = start(client, "locked", "apply", R"({"repository_url":")" + repo_url() + R"("})");
    // apply waits for a person, holding the project's lock.
    bool waiting = poll_until(
        [&] {
            return string_member(json_of(client.get("/deployment/operations/" + apply + "/status"))["data"], "status") ==
                   "pending_approval";
        },
        10000ms, 20ms);
    REQUIRE(waiting);
    for (const char* second : {"plan", "destroy"}) {
        auto refused = client.post(std::string("/deployment/projects/locked/") + second, "{}");
        CHECK(refused.status == 409);
        auto error = json_of(refused);
        CHECK(string_member(error, "error") == "ProjectLocked");
        CHECK_THAT(string_member(error, "message"), Contains(apply));
        CHECK_THAT(string_member(error, "message"), Contains("(apply)"));
    }
    // analyze and generate change no state: they go ahead.
    CHECK(client.post("/deployment/projects/locked/analyze", "{}").status == 202);
    CHECK(json_of(client.get("/deployment/projects/locked/logs"))["data"]["locked_by"] == apply.c_str());

    auto unlocked = json_of(client.post("/api/v1/deployment/projects/locked/force-unlock", ""));
    CHECK(unlocked["data"]["released"] == true);
    CHECK(string_member(unlocked["data"], "holder") == apply);
    CHECK(json_of(client.post("/deployment/projects/locked/force-unlock", ""))["data"]["released"] == false);
    const std::string plan = start(client, "locked", "plan", "{}");
    CHECK(plan != apply);
}

TEST_CASE("deployment errors use the envelope: unknown project, operation, bad input") {
    HttpClient client(host().base_url());
    auto unknown = client.post("/deployment/projects/nobody/analyze", "{}");
    CHECK(unknown.status == 404);
    CHECK(string_member(json_of(unknown), "error") == "ProjectNotFound");
    auto operation = client.post("/deployment/projects/shop2/deploy-everything", R"({"repo_url":")" + repo_url() + R"("})");
    CHECK(operation.status == 404);
    CHECK(string_member(json_of(operation), "error") == "OperationNotFound");
    auto both = client.post("/deployment/projects/x/analyze", R"({"repo_url":"https://a.example/b","path":"/tmp"})");
    CHECK(both.status == 422);
    CHECK(client.post("/deployment/projects/x/analyze", R"({"repo_url":"https://a.example/b","repository_url":"https://a.example/c"})").status == 422);
    CHECK(client.post("/deployment/projects/x/analyze", R"({"repo_url":7})").status == 422);
    CHECK(client.post("/deployment/projects/x/analyze", R"({"surprise":true})").status == 422);
    auto malformed = client.post("/deployment/projects/x/analyze", "{not json");
    CHECK(malformed.status == 400);
    auto bad_id = client.post("/deployment/projects/..%2Fetc/analyze", "{}");
    CHECK(bad_id.status == 422);
    auto index = client.get("/deployment/operations/op-none/logs?since_index=-1");
    CHECK(index.status == 422);
    auto missing = client.get("/deployment/operations/op-none/logs?since_index=0");
    CHECK(missing.status == 404);
    CHECK(string_member(json_of(missing), "error") == "OperationNotFound");
    CHECK(client.get("/deployment/operations/op-none/status").status == 404);
    CHECK(client.get("/deployment/projects/nobody/logs").status == 404);
    CHECK(client.post("/deployment/projects/nobody/force-unlock", "").status == 404);
    // Another repository for an existing project is a conflict, not a silent switch.
    start(client, "owned", "analyze", R"({"repo_url":")" + repo_url() + R"("})");
    auto other = client.post("/deployment/projects/owned/analyze", R"({"repo_url":"https://github.com/acme/other"})");
    CHECK(other.status == 409);
    CHECK(string_member(json_of(other), "error") == "ProjectConflict");
}

TEST_CASE("POST /github/analyze runs context_analyzer on a local folder") {
    HttpClient client(host().base_url());
    auto answer = client.post("/github/analyze", R"({"path":")" + (repositories() / "shop").string() + R"("})");
    INFO(answer.body);
    REQUIRE(answer.status == 202);
    const std::string run_id = string_member(json_of(answer), "run_id");
    REQUIRE(poll_until([&] { return run_status_of(client, run_id) == "succeeded"; }, 20000ms, 20ms));
    auto run = fetch_run(client, run_id);
    CHECK(string_member(run["result"]["services"][0]["entrypoint"], "value") == "app/main.py");
    auto outside = client.post("/github/analyze", R"({"path":"/etc"})");
    REQUIRE(outside.status == 202);  // refused by the agent, naming the field
    const std::string refused = string_member(json_of(outside), "run_id");
    REQUIRE(poll_until([&] { return run_status_of(client, refused) == "failed"; }, 20000ms, 20ms));
    CHECK_THAT(string_member(fetch_run(client, refused), "error"), Contains("context.path"));
    CHECK(client.post("/github/analyze", R"({"repo_url":"https://a.example/b","path":"/tmp"})").status == 422);
    CHECK(client.post("/github/analyze", "{}").status == 422);
    // No OAuth client configured on this host: nothing to start.
    auto install = client.get("/github/app/install");
    CHECK(install.status == 409);
    CHECK(string_member(json_of(install), "error") == "GitHubNotConfigured");
}

TEST_CASE("the assistant answers offline from the project's analysis, artifacts and last error") {
    HttpClient client(host().base_url());
    std::string status;
    poll_logs(client, start(client, "helper", "analyze", R"({"repo_url":")" + repo_url() + R"("})"), status);
    REQUIRE(status == "completed");
    poll_logs(client, start(client, "helper", "generate", "{}"), status);
    REQUIRE(status == "completed");

    auto context = json_of(client.get("/assistant/context/helper"));
    CHECK(string_member(context, "project_id") == "helper");
    CHECK(string_member(context["context"]["services"][0], "port") == "8000 (app/main.py:23)");
    CHECK(context["context"]["operations"].Size() == 2);

    auto port = json_of(client.post("/assistant/chat", R"({"message":"Which port does it listen on?","project_id":"helper"})"));
    CHECK(string_member(port, "provider") == "offline");
    CHECK(string_member(port, "answer") == "shop listens on port 8000 (app/main.py:23).");
    auto files = json_of(client.post("/assistant/chat", R"({"message":"Which files were generated?","project_id":"helper"})"));
    CHECK_THAT(string_member(files, "answer"), Contains("Dockerfile, .dockerignore, terraform/versions.tf"));
    CHECK_THAT(string_member(files, "answer"), Contains("terraform/main.tf"));
    auto clean = json_of(client.post("/assistant/chat", R"({"message":"what went wrong?","project_id":"helper"})"));
    CHECK(string_member(clean, "answer") == "No recent operation failed.");

    // An operation that fails becomes the last error the assistant names.
    const std::string broken_operation = start(client, "broken", "analyze", R"({"repo_url":"file:///etc"})");
    poll_logs(client, broken_operation, status);
    CHECK(status == "failed");
    auto failed = json_of(client.get("/deployment/operations/" + broken_operation + "/logs?since_index=0"));
    CHECK_THAT(string_member(failed["data"], "error"), Contains("context_analyzer: context.repo_url"));
    auto broken = json_of(client.post("/assistant/chat", R"({"message":"Why did it fail?","project_id":"broken"})"));
    CHECK_THAT(string_member(broken, "answer"), Contains("The last error: analyze ("));
    CHECK_THAT(string_member(broken, "answer"), Contains("outside the folders the operator allows"));

    CHECK(client.get("/assistant/context/nobody").status == 404);
    CHECK(client.post("/assistant/chat", R"({"message":"hi","project_id":"nobody"})").status == 404);
    CHECK(client.post("/assistant/chat", R"({"project_id":"helper"})").status == 422);
    CHECK(client.post("/assistant/chat", "[]").status == 422);
}

TEST_CASE("GitHub: repositories, the OAuth callback and a pull request of the generated files, against a fake GitHub") {
    FakeGitHubServer github("account-token", "client-1", "secret-1", "code-1", "user-token");
    const std::string shop = (repositories() / "shop").string();
    HostProcess gh(host_config(seed000_agents(), R"("github":{"api_base_url":")" + github.url() + R"(","oauth_base_url":")" +
                                                     github.url() + R"(","token":"account-token","client_id":"client-1",)"
                                                     R"("client_secret":"secret-1","local_repositories":[")" + shop + R"("]})"));
    HttpClient client(gh.base_url());

    auto repos = json_of(client.get("/github/repos"));
    CHECK(repos["github_connected"] == true);
    REQUIRE(repos["repositories"].Size() == 2);
    CHECK(string_member(repos["repositories"][0], "source") == "local");
    CHECK(string_member(repos["repositories"][0], "path") == shop);
    CHECK(repos["repositories"][0]["exists"] == true);
    CHECK(string_member(repos["repositories"][1], "full_name") == "acme/shop");
    CHECK(github.requests().front().header("authorization") == "Bearer account-token");

    // The flow starts at /github/app/install: a browser is redirected to
    // GitHub's authorize page with a one-time state.
    auto redirect = client.get("/github/app/install");
    REQUIRE(redirect.status == 302);
    const std::string location = redirect.header("location");
    CHECK_THAT(location, StartsWith(github.url() + "/login/oauth/authorize?client_id=client-1&state=v1."));
    auto install = client.get("/github/app/install", {"Accept: application/json"});
    REQUIRE(install.status == 200);
    const std::string state = string_member(json_of(install), "state");
    CHECK(string_member(json_of(install), "authorize_url") == github.url() + "/login/oauth/authorize?client_id=client-1&state=" + state);

    // A callback without the state this host issued is refused before GitHub is asked.
    const size_t github_calls = github.requests().size();
    for (const char* forged : {"/github/app/callback?code=code-1", "/github/app/callback?code=code-1&state=xyz"}) {
        auto refused = client.get(forged);
        CHECK(refused.status == 403);
        CHECK(string_member(json_of(refused), "error") == "OAuthStateInvalid");
    }
    CHECK(github.requests().size() == github_calls);

    auto connected = client.get("/github/app/callback?code=code-1&state=" + state);
    INFO(connected.body);
    REQUIRE(connected.status == 200);
    CHECK(string_member(json_of(connected), "login") == "octocat");
    CHECK(string_member(json_of(connected), "access_token") == "user-token");
    auto replayed = client.get("/github/app/callback?code=code-1&state=" + state);
    CHECK(replayed.status == 403);
    CHECK_THAT(string_member(json_of(replayed), "message"), Contains("already used"));
    const std::string second_state = location.substr(location.find("state=") + 6);
    auto refused = client.get("/github/app/callback?code=stolen&state=" + second_state);
    CHECK(refused.status == 502);
    CHECK_THAT(string_member(json_of(refused), "message"), Contains("The code passed is incorrect or expired."));
    CHECK(client.get("/github/app/callback").status == 422);

    // Nothing generated yet: nothing to propose.
    std::string status;
    poll_logs(client, start(client, "pr", "analyze", R"({"repo_url":")" + repo_url() + R"("})"), status);
    auto early = client.post("/github/pull-requests", R"({"project_id":"pr","repository":"acme/shop"})");
    CHECK(early.status == 409);
    CHECK(string_member(json_of(early), "error") == "NothingGenerated");
    poll_logs(client, start(client, "pr", "generate", "{}"), status);
    REQUIRE(status == "completed");
    // A file:// project names no GitHub repository by itself.
    CHECK(client.post("/github/pull-requests", R"({"project_id":"pr"})").status == 422);
    auto opened = client.post("/github/pull-requests", R"({"project_id":"pr","repository":"acme/shop"})");
    INFO(opened.body);
    REQUIRE(opened.status == 201);
    auto pull = json_of(opened);
    CHECK(string_member(pull, "pull_request_url") == "https://github.com/acme/shop/pull/1");
    CHECK(string_member(pull, "base") == "main");
    const std::string branch = string_member(pull, "branch");
    CHECK(branch.rfind("agenthost/deploy-pr-", 0) == 0);
    CHECK(github.branches().count(branch) == 1);
    const auto files = github.files();
    REQUIRE(files.size() == 6);  // Dockerfile, .dockerignore and the four Terraform files
    CHECK(files[0].path == "Dockerfile");
    CHECK(files[0].branch == branch);
    CHECK_THAT(files[0].content, Contains("EXPOSE 8000"));
    CHECK(files[5].path == "terraform/outputs.tf");
    REQUIRE(github.pull_requests().size() == 1);
    CHECK_THAT(github.pull_requests()[0], Contains(branch + " -> main"));
    CHECK(client.post("/github/pull-requests", R"({"project_id":"nobody"})").status == 404);
    CHECK(client.post("/github/pull-requests", R"({"project_id":"pr","repository":"not a repo"})").status == 422);
}

TEST_CASE("GitHub: an OAuth callback GitHub never got can be retried with the same state") {
    // GitHub unreachable (nothing listens on the port): the code was not
    // spent, so the state is not either; the retry answered 403 "already used".
    const int closed = free_port();
    const std::string github = "http://127.0.0.1:" + std::to_string(closed);
    HostProcess gh(host_config(seed000_agents(), R"("github":{"api_base_url":")" + github + R"(","oauth_base_url":")" +
                                                     github + R"(","client_id":"client-1","client_secret":"secret-1"})"));
    HttpClient client(gh.base_url());
    auto install = client.get("/github/app/install", {"Accept: application/json"});
    REQUIRE(install.status == 200);
    const std::string state = string_member(json_of(install), "state");
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto answer = client.get("/github/app/callback?code=code-1&state=" + state);
        INFO(answer.body);
        CHECK(answer.status == 503);
        CHECK_THAT(string_member(json_of(answer), "message"), Contains("could not be reached"));
    }
}

TEST_CASE("with an LLM provider the assistant asks it, the project's context in the prompt") {
    FakeLlmServer llm;
    llm.set_responder([](const FakeLlmRequest&) { return openai_reply("It listens on 8000, read at app/main.py:23.", 120, 12); });
    HostProcess with_llm(host_config(seed000_agents(), R"("llm":{"provider":"openai","max_retries":0,"timeout_seconds":5,)"
                                                       R"("openai":{"api_key":"sk-test","base_url":")" + llm.url("/v1") + R"("}})"));
    HttpClient client(with_llm.base_url());
    std::string status;
    poll_logs(client, start(client, "asked", "analyze", R"({"repo_url":")" + repo_url() + R"("})"), status);
    REQUIRE(status == "completed");
    auto answer = json_of(client.post("/assistant/chat", R"({"message":"Which port?","project_id":"asked"})"));
    CHECK(string_member(answer, "provider") == "openai");
    CHECK(string_member(answer, "answer") == "It listens on 8000, read at app/main.py:23.");
    // The analysis reached the prompt, with its files and lines, and the question after it.
    REQUIRE(llm.count() >= 1);
    const std::string sent = llm.requests().back().body;
    CHECK_THAT(sent, Contains("8000 (app/main.py:23)"));
    CHECK_THAT(sent, Contains("Which port?"));
    // A provider that fails leaves the offline answer.
    llm.set_responder([](const FakeLlmRequest&) { return FakeLlmReply{500, {}, "application/json", R"({"error":"down"})"}; });
    auto fallback = json_of(client.post("/assistant/chat", R"({"message":"Which port?","project_id":"asked"})"));
    CHECK(string_member(fallback, "provider") == "offline");
    CHECK(string_member(fallback, "answer") == "shop listens on port 8000 (app/main.py:23).");
}

TEST_CASE("assistant chats waiting on a slow LLM never hold the HTTP threads") {
    // The provider takes 5 s to answer each chat.
    FakeLlmServer llm;
    llm.set_responder([](const FakeLlmRequest&) {
        FakeLlmReply reply = openai_reply("It listens on 8000.", 10, 5);
        reply.delay = 5s;
        return reply;
    });
    // One reactor thread: a chat on it would stall every other request.
    HostProcess host(host_config(seed000_agents(), R"("server":{"threads":1},"llm":{"provider":"openai","max_retries":0,)"
                                                   R"("timeout_seconds":30,"openai":{"api_key":"sk-test","base_url":")" +
                                                       llm.url("/v1") + R"("}})"));
    HttpClient client(host.base_url());
    std::string status;
    poll_logs(client, start(client, "slow", "analyze", R"({"repo_url":")" + repo_url() + R"("})"), status);
    REQUIRE(status == "completed");

    std::vector<std::thread> chats;
    std::vector<long> statuses(3, 0);
    for (size_t i = 0; i < statuses.size(); ++i)
        chats.emplace_back([&, i] {
            HttpClient own(host.base_url());
            statuses[i] = own.post("/assistant/chat", R"({"message":"Which port?","project_id":"slow"})").status;
        });
    // All three reach the provider together (on the reactor thread the second
    // would start only when the first had its answer, 5 s later), and the
    // host answers other requests meanwhile.
    bool all_waiting = llm.wait_for(3, 4s);
    auto health = client.get("/health");
    for (auto& chat : chats) chat.join();
    CHECK(all_waiting);
    CHECK(health.status == 200);
    CHECK(statuses == std::vector<long>{200, 200, 200});
}
