// The routing supervisors against the real plugin manifests in plugins/,
// with fake LLM clients for the LLM path.
#include "plugins/manifest.hpp"
#include "routing/llm_route.hpp"
#include "routing/manifest_profile.hpp"
#include "routing/stemmer.hpp"
#include "routing/task_router.hpp"
#include "routing/tokenizer.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <stdexcept>

using namespace agenthost;
using namespace agenthost::routing;
using Catch::Matchers::Contains;

namespace {

// Every manifest under plugins/ read the way the host reads it (no library
// is needed for that).
std::vector<AgentProfile> real_profiles() {
    std::vector<AgentProfile> profiles;
    for (const auto& entry : std::filesystem::directory_iterator(std::string(AGENTHOST_SOURCE_DIR) + "/plugins")) {
        auto path = entry.path() / "manifest.json";
        if (!std::filesystem::exists(path)) continue;
        auto result = plugins::read_manifest(path.string());
        INFO(path.string() << ": " << result.error);
        REQUIRE(result.manifest);
        profiles.push_back(profile_of(*result.manifest));
    }
    return profiles;
}

AgentProfile fake_codegen() {
    return {"codegen_agent", "development",
            "Generates client code and SDKs from API descriptions: typed HTTP clients, models and tests.",
            {"codegen", "code generation", "openapi", "swagger", "client", "sdk", "typescript", "python", "api client"}};
}

// The real manifests plus a stand-in codegen agent until the real one lands.
std::vector<AgentProfile> all_profiles() {
    auto profiles = real_profiles();
    bool has_codegen = std::any_of(profiles.begin(), profiles.end(),
                                   [](const AgentProfile& p) { return p.name == "codegen_agent"; });
    if (!has_codegen) profiles.push_back(fake_codegen());
    return profiles;
}

std::vector<AgentProfile> only(const std::vector<AgentProfile>& profiles, std::initializer_list<std::string> names) {
    std::vector<AgentProfile> out;
    for (const auto& p : profiles)
        if (std::find(names.begin(), names.end(), p.name) != names.end()) out.push_back(p);
    return out;
}

std::string describe(const RouteDecision& d) {
    std::string out = (d.routed ? "routed to " + d.agent : "not routed") + " (" + d.reason + "); candidates:";
    for (const auto& c : d.candidates) {
        out += " " + c.agent + "=" + std::to_string(c.score) + "[";
        for (const auto& t : c.matched_terms) out += t + " ";
        out += "]";
    }
    return out;
}

struct FakeLlm : llm::LlmClient {
    bool is_configured = true;
    std::function<std::string()> answer;
    mutable int calls = 0;
    llm::CompletionRequest last_request;

    bool configured(const std::string&) const override { return is_configured; }
    llm::CompletionResponse complete(const llm::CompletionRequest& request, const std::string&,
                                     const llm::TokenSink&) override {
        ++calls;
        last_request = request;
        llm::CompletionResponse response;
        response.content = answer();
        response.provider = "fake";
        return response;
    }
};

}  // namespace

TEST_CASE("tokenizer lower-cases, drops stopwords and keeps compounds with their parts") {
    auto tokens = tokenize("Please build a Blue-Green CI/CD pipeline for THE payments_service!");
    std::vector<std::string> expected_sequence = {"build", "blu", "green", "ci", "cd", "pipelin", "payment", "servic"};
    CHECK(tokens.sequence == expected_sequence);
    CHECK(std::count(tokens.terms.begin(), tokens.terms.end(), "blu_green") == 1);
    CHECK(std::count(tokens.terms.begin(), tokens.terms.end(), "ci_cd") == 1);
    CHECK(std::count(tokens.terms.begin(), tokens.terms.end(), "payment_servic") == 1);
    CHECK(tokenize("the and of please 42 a").terms.empty());
    CHECK(tokenize("customer's feedback isn't").sequence == std::vector<std::string>{"custom", "feedback", "isn"});
}

TEST_CASE("addresses in a task are blanked out before it is scored") {
    std::string blanked = without_addresses("Dockerfile for https://github.com/tiangolo/fastapi please");
    CHECK(blanked.size() == std::string("Dockerfile for https://github.com/tiangolo/fastapi please").size());
    CHECK(blanked.rfind("Dockerfile for ", 0) == 0);
    CHECK(blanked.find("fastapi") == std::string::npos);
    CHECK(blanked.find("please") != std::string::npos);
    auto terms = tokenize(without_addresses("scan <https://x.io/a/b>, git@github.com:a/b.git and www.acme.com")).terms;
    CHECK(terms == std::vector<std::string>{"scan"});
    // Paths and compounds that are not addresses stay.
    CHECK(tokenize(without_addresses("deploy ci/cd for /srv/repos/orders on node.js")).terms.size() >= 4);
}

TEST_CASE("stemmer maps a word's forms to one key") {
    CHECK(stem("summarize") == stem("summarizing"));
    CHECK(stem("summarise") == stem("summarized"));
    CHECK(stem("summarization") == stem("summarize"));
    CHECK(stem("summarizer") == stem("summarize"));
    CHECK(stem("deployments") == stem("deploy"));
    CHECK(stem("deploying") == stem("deployed"));
    CHECK(stem("extraction") == stem("extract"));
    CHECK(stem("entities") == stem("entity"));
    CHECK(stem("organisations") == stem("organization"));
    CHECK(stem("autoscaling") == stem("autoscaler"));
    CHECK(stem("running") == "run");
    CHECK(stem("rolling") == "roll");
    CHECK(stem("k8s") == "k8s");
}

TEST_CASE("real manifests load with the domains routing expects") {
    auto profiles = real_profiles();
    std::map<std::string, std::string> domains;
    for (const auto& p : profiles) domains[p.name] = p.domain;
    CHECK(domains["summarizer"] == "text");
    CHECK(domains["sentiment"] == "text");
    CHECK(domains["entity_extractor"] == "text");
    CHECK(domains["kubernetes_agent"] == "infrastructure");
    CHECK(domains["harness_expert"] == "infrastructure");
}

TEST_CASE("realistic tasks route to the right agent through the right supervisors") {
    TaskRouter router(all_profiles());
    struct Case {
        const char* task;
        const char* agent;
        const char* domain;
    };
    const Case cases[] = {
        {"Summarize this quarterly report for the board", "summarizer", "text"},
        {"Give me a TL;DR of the following meeting notes", "summarizer", "text"},
        {"Can you recap the main points of this article?", "summarizer", "text"},
        {"Condense these release notes into the key points", "summarizer", "text"},
        {"Please shorten this long email thread into a brief digest", "summarizer", "text"},
        {"How do customers feel about our new checkout flow? Classify the tone of this feedback", "sentiment", "text"},
        {"Is this product review positive or negative?", "sentiment", "text"},
        {"Detect the mood and emotion in these support tickets", "sentiment", "text"},
        {"Our users are angry about the outage. How bad is the customer sentiment?", "sentiment", "text"},
        {"Extract all people, organizations and dates mentioned in this contract", "entity_extractor", "text"},
        {"Find every email address and phone number in this document", "entity_extractor", "text"},
        {"Pull out the company names, locations and amounts of money from the press release", "entity_extractor",
         "text"},
        {"Run named entity recognition on this paragraph", "entity_extractor", "text"},
        {"Create Kubernetes deployment manifests for the payments service with autoscaling", "kubernetes_agent",
         "infrastructure"},
        {"Write a k8s Deployment, Service and Ingress for my web app", "kubernetes_agent", "infrastructure"},
        {"Review these manifests for missing resource limits and probes", "kubernetes_agent", "infrastructure"},
        {"Generate a horizontal pod autoscaler and a pod disruption budget for the checkout container",
         "kubernetes_agent", "infrastructure"},
        {"Build a Harness CI/CD pipeline with canary deployment to prod", "harness_expert", "infrastructure"},
        {"Set up a blue-green rollout with rollback and a production approval step", "harness_expert",
         "infrastructure"},
        {"Create a GitHub Actions workflow that deploys to staging then production", "harness_expert",
         "infrastructure"},
        {"Review my Harness pipeline YAML for missing rollback steps", "harness_expert", "infrastructure"},
        {"Generate a TypeScript client from this OpenAPI spec", "codegen_agent", "development"},
        {"Write a Python SDK for our REST API", "codegen_agent", "development"},
        {"Create an API client library in typescript for the billing swagger document", "codegen_agent",
         "development"},
    };
    for (const auto& c : cases) {
        RouteDecision d = router.route(c.task, nullptr);
        INFO(c.task << " -> " << describe(d));
        CHECK(d.routed);
        CHECK(d.agent == c.agent);
        CHECK(d.domain == c.domain);
        CHECK(d.method == "bm25");
        CHECK(d.llm_error.empty());
        CHECK(d.supervisor_path ==
              std::vector<std::string>{"root_supervisor", std::string(c.domain) + "_supervisor", c.agent});
        REQUIRE(!d.candidates.empty());
        CHECK(d.candidates.front().agent == c.agent);
        CHECK(d.domain_scores.at(c.domain) == Approx(d.candidates.front().score));
    }
}

TEST_CASE("realistic monitoring and incident tasks route through the operations supervisor") {
    TaskRouter router(all_profiles());
    const std::pair<const char*, const char*> cases[] = {
        {"Write Prometheus alerting rules with SLO burn rate alerts for the checkout service", "monitoring_agent"},
        {"Create a Grafana dashboard for our API's latency and error rate", "monitoring_agent"},
        {"Set up monitoring and alerts for the payments API with a 99.9% availability SLO", "monitoring_agent"},
        // Found by trying it: "set" and "node" sent this to scaffold_agent.
        {"Set up monitoring for my Node app", "monitoring_agent"},
        {"Create alerts for my Go service", "monitoring_agent"},
        {"Look at this Prometheus metrics scrape and tell me about anomalies", "monitoring_agent"},
        {"How much of our error budget is left and what burn rate should page?", "monitoring_agent"},
        {"Checkout has been throwing 500 errors since this morning, find the root cause in these logs",
         "incident_agent"},
        {"Write a postmortem for last night's outage", "incident_agent"},
        {"Troubleshoot the spike of errors in these application logs", "incident_agent"},
        {"We have an incident: what went wrong? Here are the logs", "incident_agent"},
        {"Do a root cause analysis of the payments outage and suggest remediation", "incident_agent"},
    };
    for (const auto& [task, agent] : cases) {
        RouteDecision d = router.route(task, nullptr);
        INFO(task << " -> " << describe(d));
        CHECK(d.routed);
        CHECK(d.agent == agent);
        CHECK(d.supervisor_path == std::vector<std::string>{"root_supervisor", "operations_supervisor", agent});
    }
}

TEST_CASE("realistic database tasks route to database_agent through the development supervisor") {
    TaskRouter router(all_profiles());
    const char* cases[] = {
        "Design a postgres schema for users and orders",
        "Write a migration adding a column phone to the users table",
        "Review this migration before we run it in production",
        "Users have many orders; orders have items. Give me the SQLite tables",
        "Add an index on orders (status) without locking the table",
        "Create tables with foreign keys and timestamps for a blog: posts, comments and tags",
        "Check my ALTER TABLE migrations for NOT NULL columns without defaults",
        "Generate up and down SQL migrations to evolve this DDL into the new data model",
    };
    for (const char* task : cases) {
        RouteDecision d = router.route(task, nullptr);
        INFO(task << " -> " << describe(d));
        CHECK(d.routed);
        CHECK(d.agent == "database_agent");
        CHECK(d.supervisor_path == std::vector<std::string>{"root_supervisor", "development_supervisor", "database_agent"});
    }
}

TEST_CASE("realistic scaffolding tasks route to scaffold_agent through the development supervisor") {
    TaskRouter router(all_profiles());
    const char* cases[] = {
        "Create a FastAPI project called inventory with postgres and docker",
        "Scaffold a new Go service named billing with a Dockerfile and GitHub Actions",
        "Set up a new TypeScript Express project with tests and a Makefile",
        "Bootstrap a python microservice skeleton with a health endpoint",
        "I need a starter project for a REST API in golang",
        "Initialize a new node express app called shop",
        "Generate boilerplate for a fastapi service with sqlite",
        "Review my project setup: Dockerfile, gitignore and CI",
    };
    for (const char* task : cases) {
        RouteDecision d = router.route(task, nullptr);
        INFO(task << " -> " << describe(d));
        CHECK(d.routed);
        CHECK(d.agent == "scaffold_agent");
        CHECK(d.supervisor_path == std::vector<std::string>{"root_supervisor", "development_supervisor", "scaffold_agent"});
    }
}

TEST_CASE("realistic testing tasks route to testing_agent through the development supervisor") {
    TaskRouter router(all_profiles());
    const char* cases[] = {
        "Write contract tests for our OpenAPI spec",
        "Generate pytest unit tests with edge cases for this Python module",
        "Which API operations does our test suite not cover?",
        "Create a test suite with negative tests for the orders API",
        "Add unit tests for these functions",
        "Check the test coverage of the payments API tests against the spec",
        "QA: write regression tests for the users endpoint",
        "Generate API tests that validate every response against the schema",
    };
    for (const char* task : cases) {
        RouteDecision d = router.route(task, nullptr);
        INFO(task << " -> " << describe(d));
        CHECK(d.routed);
        CHECK(d.agent == "testing_agent");
        CHECK(d.supervisor_path == std::vector<std::string>{"root_supervisor", "development_supervisor", "testing_agent"});
    }
}

TEST_CASE("repository-to-deployment tasks route to context_analyzer, dockerfile_generator and terraform_generator") {
    TaskRouter router(all_profiles());
    const std::pair<const char*, const char*> cases[] = {
        {"Analyze the repository https://github.com/acme/shop and detect its tech stack", "context_analyzer"},
        {"What framework and language does this codebase use? Analyse the repo", "context_analyzer"},
        {"Analyze the repo at /srv/repos/orders before we deploy it", "context_analyzer"},
        {"Write a production Dockerfile for the service", "dockerfile_generator"},
        {"Containerize this app with a multi-stage Docker image and a .dockerignore", "dockerfile_generator"},
        {"Review my Dockerfile for hadolint problems", "dockerfile_generator"},
        {"Generate Terraform for ECS Fargate with a load balancer", "terraform_generator"},
        {"Write the terraform module to provision the app on AWS", "terraform_generator"},
        {"Infrastructure as code for this service: ECR, ALB and Fargate", "terraform_generator"},
        // The outsider's: the URL's words (github, fastapi) sent it to scaffold_agent.
        {"Generate a Dockerfile for https://github.com/tiangolo/fastapi", "dockerfile_generator"},
        {"Generate a Dockerfile for github.com/tiangolo/fastapi", "dockerfile_generator"},
        {"Write Terraform for git@github.com:acme/react-express-app.git", "terraform_generator"},
        // An outsider's: the language or "service" outvoted "Dockerfile",
        // which scaffold_agent lists too (codegen_agent, scaffold_agent).
        {"Generate a Dockerfile for my python app", "dockerfile_generator"},
        {"Write a Dockerfile for my Node.js service", "dockerfile_generator"},
        {"Create a Dockerfile for a Go API", "dockerfile_generator"},
        {"Generate Terraform for my python app on AWS", "terraform_generator"},
    };
    for (const auto& [task, agent] : cases) {
        RouteDecision d = router.route(task, nullptr);
        INFO(task << " -> " << describe(d));
        CHECK(d.routed);
        CHECK(d.agent == agent);
        CHECK(d.supervisor_path == std::vector<std::string>{"root_supervisor", "infrastructure_supervisor", agent});
    }
}

TEST_CASE("the root supervisor scores a domain as its best agent") {
    TaskRouter router(all_profiles());
    RouteDecision d = router.route("Classify the tone of this customer feedback", nullptr);
    REQUIRE(d.routed);
    CHECK(d.supervisor_path == std::vector<std::string>{"root_supervisor", "text_supervisor", "sentiment"});
    CHECK(d.domain_scores.count("text") == 1);
    CHECK(d.domain_scores.count("infrastructure") == 1);
    CHECK(d.domain_scores.count("development") == 1);
    CHECK(d.domain_scores.count("operations") == 1);
    for (const auto& [domain, score] : d.domain_scores) CHECK(score <= d.domain_scores.at("text"));
    // Candidates come best first.
    for (size_t i = 1; i < d.candidates.size(); ++i) CHECK(d.candidates[i - 1].score >= d.candidates[i].score);
    CHECK(d.candidates.size() == 3);
}

TEST_CASE("a task no agent fits is not routed, and the best candidates are still named") {
    TaskRouter router(all_profiles());
    for (const char* task : {"asdf qwerty zxcv", "", "   ", "the of and please",
                             "What will the weather be like in Paris tomorrow?", "Write a poem about autumn leaves"}) {
        RouteDecision d = router.route(task, nullptr);
        INFO(task << " -> " << describe(d));
        CHECK_FALSE(d.routed);
        CHECK(d.agent.empty());
        CHECK(d.supervisor_path == std::vector<std::string>{"root_supervisor"});
        CHECK(d.candidates.size() == 3);
        CHECK_FALSE(d.reason.empty());
    }
}

TEST_CASE("only enabled agents are considered") {
    auto profiles = all_profiles();
    TaskRouter text_only(only(profiles, {"summarizer", "sentiment"}));
    RouteDecision d = text_only.route("Create Kubernetes deployment manifests for the payments service", nullptr);
    INFO(describe(d));
    CHECK_FALSE(d.routed);
    for (const auto& c : d.candidates) CHECK((c.agent == "summarizer" || c.agent == "sentiment"));
    CHECK(d.domain_scores.size() == 1);

    TaskRouter infra_only(only(profiles, {"harness_expert"}));
    d = infra_only.route("Create Kubernetes deployment manifests for the payments service", nullptr);
    INFO(describe(d));
    CHECK(d.routed);
    CHECK(d.agent == "harness_expert");  // the only infrastructure agent left
    CHECK(d.candidates.size() == 1);

    TaskRouter none({});
    d = none.route("Summarize this report", nullptr);
    CHECK_FALSE(d.routed);
    CHECK(d.candidates.empty());
    CHECK(d.reason == "no agent is enabled");
}

TEST_CASE("routing is deterministic and independent of the agents' order") {
    auto profiles = all_profiles();
    TaskRouter router(profiles);
    std::reverse(profiles.begin(), profiles.end());
    TaskRouter reversed(profiles);
    for (const char* task : {"Summarize this quarterly report", "Deploy it", "asdf", "review"}) {
        RouteDecision a = router.route(task, nullptr);
        RouteDecision b = router.route(task, nullptr);
        RouteDecision c = reversed.route(task, nullptr);
        for (const RouteDecision* other : {&b, &c}) {
            CHECK(a.routed == other->routed);
            CHECK(a.agent == other->agent);
            CHECK(a.supervisor_path == other->supervisor_path);
            CHECK(a.domain_scores == other->domain_scores);
            REQUIRE(a.candidates.size() == other->candidates.size());
            for (size_t i = 0; i < a.candidates.size(); ++i) {
                CHECK(a.candidates[i].agent == other->candidates[i].agent);
                CHECK(a.candidates[i].score == other->candidates[i].score);
            }
        }
    }
}

TEST_CASE("equal scores go to the agent with the smaller name") {
    AgentProfile a{"alpha_tool", "operations", "Does things.", {"widget"}};
    AgentProfile b{"beta_tool", "operations", "Does things.", {"widget"}};
    TaskRouter router({b, a});
    RouteDecision d = router.route("widget", nullptr);
    REQUIRE(d.routed);
    CHECK(d.agent == "alpha_tool");
    CHECK(d.candidates[0].score == d.candidates[1].score);
}

TEST_CASE("a keyword phrase found whole scores more than its words apart") {
    AgentProfile agent{"feedback_reader", "text", "Reads things.", {"customer feedback", "survey"}};
    AgentProfile other{"other", "text", "Other things about customers.", {"feedback form"}};
    TaskRouter router({agent, other});
    double together = router.route("analyze customer feedback", nullptr).candidates.front().score;
    RouteDecision apart = router.route("feedback from a customer", nullptr);
    REQUIRE(apart.candidates.front().agent == "feedback_reader");
    CHECK(together > apart.candidates.front().score);
}

TEST_CASE("a configured LLM's valid choice is followed, with offline scores still reported") {
    TaskRouter router(all_profiles());
    FakeLlm llm;
    llm.answer = [] { return R"({"domain": "text", "agent": "sentiment", "reason": "asks about tone"})"; };
    RouteDecision d = router.route("Summarize this quarterly report for the board", &llm);
    CHECK(llm.calls == 1);
    CHECK(d.routed);
    CHECK(d.method == "llm");
    CHECK(d.agent == "sentiment");
    CHECK(d.domain == "text");
    CHECK(d.supervisor_path == std::vector<std::string>{"root_supervisor", "text_supervisor", "sentiment"});
    CHECK(d.llm_error.empty());
    CHECK_THAT(d.reason, Contains("asks about tone"));
    REQUIRE(!d.candidates.empty());
    CHECK(d.candidates.front().agent == "summarizer");  // what BM25 thought
    CHECK(llm.last_request.json_mode);
    REQUIRE(llm.last_request.messages.size() == 2);
    CHECK_THAT(llm.last_request.messages[1].content, Contains("\"kubernetes_agent\""));
    CHECK_THAT(llm.last_request.messages[1].content, Contains("quarterly report"));

    // A fenced answer is read too.
    llm.answer = [] { return "```json\n{\"domain\": \"infrastructure\", \"agent\": \"harness_expert\"}\n```"; };
    d = router.route("Summarize this quarterly report for the board", &llm);
    CHECK(d.method == "llm");
    CHECK(d.agent == "harness_expert");
}

TEST_CASE("an LLM that fails or answers badly falls back to the offline choice") {
    TaskRouter router(all_profiles());
    FakeLlm llm;
    struct Case {
        std::function<std::string()> answer;
        const char* error;
    };
    const Case cases[] = {
        {[]() -> std::string { throw llm::LlmError("anthropic: HTTP 529 after 3 attempts"); }, "HTTP 529"},
        {[]() -> std::string { throw std::runtime_error("boom"); }, "boom"},
        {[]() -> std::string { throw 42; }, "unknown"},
        {[] { return std::string("I am not sure which one fits."); }, "naming no enabled agent"},
        {[] { return std::string("{\"agent\": \"poet\""); }, "naming no enabled agent"},
        {[] { return std::string("Either sentiment or harness_expert."); }, "naming several agents"},
        {[] { return std::string("{\"domain\": \"text\", \"agent\": \"poet\"}"); }, "not an enabled agent"},
        {[] { return std::string("{\"domain\": \"text\", \"agent\": \"kubernetes_agent\"}"); }, "under domain"},
        {[] { return std::string("{\"domain\": null, \"agent\": null, \"reason\": \"nothing fits\"}"); },
         "no fitting agent"},
        {[] { return std::string("{\"agent\": 7}"); }, "not a string"},
    };
    for (const auto& c : cases) {
        llm.answer = c.answer;
        RouteDecision d = router.route("Summarize this quarterly report for the board", &llm);
        INFO(d.llm_error);
        CHECK(d.routed);
        CHECK(d.method == "bm25");
        CHECK(d.agent == "summarizer");
        CHECK(d.supervisor_path == std::vector<std::string>{"root_supervisor", "text_supervisor", "summarizer"});
        CHECK_THAT(d.llm_error, Contains(c.error));
    }
}

TEST_CASE("an LLM answering in prose is corrected once, then read for the agent it names") {
    TaskRouter router(all_profiles());
    FakeLlm llm;
    int answered = 0;
    // JSON after leading prose is read at once, without a second call.
    llm.answer = [] { return std::string("Sure. {\"domain\": \"text\", \"agent\": \"sentiment\"} is my pick."); };
    RouteDecision d = router.route("Summarize this quarterly report for the board", &llm);
    CHECK(llm.calls == 1);
    CHECK(d.method == "llm");
    CHECK(d.agent == "sentiment");

    // Prose twice: the second request carries the answer and a correction,
    // and the second answer's prose names the agent.
    llm.calls = 0;
    llm.answer = [&] {
        ++answered;
        return std::string(answered == 1 ? "Hmm, let me think about the domain first."
                                         : "I would route this to the Harness_Expert agent.");
    };
    d = router.route("Summarize this quarterly report for the board", &llm);
    CHECK(llm.calls == 2);
    REQUIRE(llm.last_request.messages.size() == 4);
    CHECK(llm.last_request.messages[2].role == "assistant");
    CHECK(llm.last_request.messages[2].content == "Hmm, let me think about the domain first.");
    CHECK(llm.last_request.messages[3].role == "user");
    CHECK_THAT(llm.last_request.messages[3].content, Contains("holds no JSON object"));
    CHECK_THAT(llm.last_request.messages[3].content, Contains("\"agent\""));
    CHECK(d.method == "llm");
    CHECK(d.agent == "harness_expert");
    CHECK(d.domain == "infrastructure");
    CHECK_THAT(d.reason, Contains("prose"));

    // Broken JSON that names an agent is read the same way.
    llm.calls = 0;
    llm.answer = [] { return std::string("{\"domain\": \"infrastructure\", \"agent\": \"kubernetes_agent\","); };
    d = router.route("Summarize this quarterly report for the board", &llm);
    CHECK(llm.calls == 2);
    CHECK(d.agent == "kubernetes_agent");

    // A bad choice corrected on the second answer is taken.
    llm.calls = 0;
    answered = 0;
    llm.answer = [&] {
        return std::string(++answered == 1 ? R"({"domain": "text", "agent": "poet"})"
                                           : R"({"domain": "text", "agent": "sentiment"})");
    };
    d = router.route("Summarize this quarterly report for the board", &llm);
    CHECK(llm.calls == 2);
    CHECK_THAT(llm.last_request.messages[3].content, Contains("not an enabled agent"));
    CHECK(d.agent == "sentiment");
}

TEST_CASE("a disabled agent named by the LLM is refused") {
    TaskRouter router(only(all_profiles(), {"summarizer", "sentiment"}));
    FakeLlm llm;
    llm.answer = [] { return R"({"domain": "infrastructure", "agent": "kubernetes_agent"})"; };
    RouteDecision d = router.route("Create Kubernetes manifests", &llm);
    CHECK(d.method == "bm25");
    CHECK_FALSE(d.routed);
    CHECK_THAT(d.llm_error, Contains("not an enabled agent"));
    CHECK_THAT(llm.last_request.messages[1].content, !Contains("kubernetes_agent"));
}

TEST_CASE("the LLM is asked only when configured and the task has words") {
    TaskRouter router(all_profiles());
    FakeLlm llm;
    llm.is_configured = false;
    llm.answer = [] { return R"({"domain": "text", "agent": "sentiment"})"; };
    RouteDecision d = router.route("Summarize this report", &llm);
    CHECK(llm.calls == 0);
    CHECK(d.method == "bm25");
    CHECK(d.agent == "summarizer");
    CHECK(d.llm_error.empty());

    llm.is_configured = true;
    d = router.route("   ", &llm);
    CHECK(llm.calls == 0);
    CHECK_FALSE(d.routed);
}

TEST_CASE("an LLM choice outside the top candidates is added to them with its offline score") {
    TaskRouter router(all_profiles());
    FakeLlm llm;
    llm.answer = [] { return R"({"agent": "entity_extractor"})"; };  // no domain: taken from the agent
    RouteDecision d = router.route("Build a Harness CI/CD pipeline with canary deployment to prod", &llm);
    CHECK(d.method == "llm");
    CHECK(d.agent == "entity_extractor");
    CHECK(d.domain == "text");
    REQUIRE(d.candidates.size() == 4);
    CHECK(d.candidates.front().agent == "harness_expert");
    CHECK(d.candidates.back().agent == "entity_extractor");
    CHECK(d.candidates.back().score == 0);
}

TEST_CASE("a single enabled agent is routed to when its keywords match") {
    TaskRouter router(only(all_profiles(), {"summarizer"}));
    RouteDecision d = router.route("Summarize this quarterly report for the board", nullptr);
    INFO(describe(d));
    CHECK(d.routed);
    CHECK(d.agent == "summarizer");
    CHECK_FALSE(router.route("Classify the tone of this feedback", nullptr).routed);
}

TEST_CASE("the LLM can route a task the offline score cannot") {
    TaskRouter router(all_profiles());
    FakeLlm llm;
    llm.answer = [] { return R"({"domain": "text", "agent": "summarizer", "reason": "a shorter version"})"; };
    RouteDecision d = router.route("Make this shorter for busy executives", &llm);
    CHECK(d.routed);
    CHECK(d.method == "llm");
    CHECK(d.agent == "summarizer");
}

TEST_CASE("the LLM prompt truncates long descriptions and tasks on character boundaries") {
    RouterSettings settings;
    settings.llm_description_chars = 10;
    settings.llm_task_chars = 5;
    AgentProfile agent{"x", "text", "ééééééééééééé", {"k"}};
    auto request = build_route_request("ééééééé", {agent}, settings);
    const std::string& user = request.messages[1].content;
    CHECK_THAT(user, Contains("\"ééééé...\""));
    CHECK_THAT(user, Contains("Task:\néé..."));
}

TEST_CASE("realistic delivery tasks route to deployment_agent and template_manager through the operations supervisor") {
    TaskRouter router(all_profiles());
    const std::pair<const char*, const char*> cases[] = {
        {"Deploy payments ghcr.io/acme/payments:2.3.1 to staging and then production", "deployment_agent"},
        {"Roll out version 1.4.0 of the checkout service to prod and roll back if the rollout fails", "deployment_agent"},
        {"Release api 3.2.0 with helm upgrade to the staging cluster", "deployment_agent"},
        {"Promote the canary of checkout to all pods in production", "deployment_agent"},
        {"What is currently deployed in production? Show the deployment history", "deployment_agent"},
        {"Do a dry run of the release of billing 5.0.1 to qa", "deployment_agent"},
        {"Create a new version of our Harness step template for rolling deploys", "template_manager"},
        {"Render the pipeline template with service checkout and its runtime inputs", "template_manager"},
        {"Lint this Dockerfile template for hard-coded secrets and latest tags", "template_manager"},
        {"Show the diff between version 1.0 and 1.1 of the stage template", "template_manager"},
        {"Validate my Terraform module template before saving it to the library", "template_manager"},
    };
    for (const auto& [task, agent] : cases) {
        RouteDecision d = router.route(task, nullptr);
        INFO(task << " -> " << describe(d));
        CHECK(d.routed);
        CHECK(d.agent == agent);
        CHECK(d.domain == "operations");
        CHECK(d.supervisor_path == std::vector<std::string>{"root_supervisor", "operations_supervisor", agent});
    }
}

TEST_CASE("context members count toward the agents that read them") {
    TaskRouter router(all_profiles());
    // An outsider's: the README's own paragraph with max_sentences, sent
    // without agent_name, went to deployment_agent (its words are about a
    // failed service); only the summarizer reads max_sentences.
    const std::string paragraph =
        "The checkout service failed for forty minutes on Monday. Engineers traced the failures to a database "
        "connection pool that a configuration change had shrunk from fifty to five connections. The office coffee "
        "machine was replaced the same day. Rolling back the change restored service, and the team will now alert "
        "on pool saturation.";
    RouteDecision with_field = router.route(paragraph, nullptr, {"max_sentences"});
    INFO(describe(with_field));
    CHECK(with_field.agent == "summarizer");
    CHECK(router.route("Alpha went up. Beta went down. Gamma stayed. Delta left.", nullptr, {"max_sentences"}).agent ==
          "summarizer");
    // Members no agent reads change nothing.
    RouteDecision plain = router.route(paragraph, nullptr);
    RouteDecision unknown = router.route(paragraph, nullptr, {"previous_result", "request_id"});
    CHECK(unknown.agent == plain.agent);
    CHECK(unknown.candidates.front().score == Approx(plain.candidates.front().score));
}
