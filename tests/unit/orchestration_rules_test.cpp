// The pure parts of orchestration: loop evaluation, the LLM critic (with a
// fake client) and the approval records.
#include "runs/agent_execution.hpp"
#include "runs/approval_rules.hpp"
#include "store/run_repository.hpp"

#include <catch2/catch.hpp>

using namespace agenthost;
using Catch::Matchers::Contains;

namespace {

class ScriptedLlm : public llm::LlmClient {
  public:
    explicit ScriptedLlm(std::string answer, bool fail = false) : answer_(std::move(answer)), fail_(fail) {}
    bool configured(const std::string&) const override { return true; }
    llm::CompletionResponse complete(const llm::CompletionRequest& request, const std::string& agent,
                                     const llm::TokenSink&) override {
        last_request = request;
        last_agent = agent;
        if (fail_) throw llm::LlmError("openai: HTTP 500 after 3 attempts");
        llm::CompletionResponse response;
        response.content = answer_;
        return response;
    }
    llm::CompletionRequest last_request;
    std::string last_agent;

  private:
    std::string answer_;
    bool fail_;
};

}  // namespace

TEST_CASE("a loop iteration is resolved by resolved: true or status: resolved") {
    CHECK(runs::result_resolved(R"({"resolved":true})"));
    CHECK(runs::result_resolved(R"({"status":"resolved"})"));
    CHECK_FALSE(runs::result_resolved(R"({"resolved":false,"status":"resolved"})"));
    CHECK_FALSE(runs::result_resolved(R"({"status":"investigating"})"));
    CHECK_FALSE(runs::result_resolved("not json"));
    CHECK_FALSE(runs::result_resolved("[true]"));
}

TEST_CASE("the LLM critic's objections become reflection reasons") {
    ScriptedLlm critic(R"({"acceptable":false,"reasons":["the summary omits the revenue figure"]})");
    auto reasons = runs::llm_critique(critic, "summarizer", "Summarize the report", R"({"summary":"Things happened."})");
    REQUIRE(reasons.size() == 1);
    CHECK_THAT(reasons[0], Contains("critique: the summary omits the revenue figure"));
    CHECK(critic.last_agent == "summarizer");
    CHECK(critic.last_request.json_mode);
    CHECK_THAT(critic.last_request.messages.back().content,
               Contains("Summarize the report") && Contains("Things happened."));
}

TEST_CASE("an acceptable verdict, junk, or a failing provider raise no objection") {
    ScriptedLlm fine(R"({"acceptable":true,"reasons":[]})");
    CHECK(runs::llm_critique(fine, "a", "t", "{}").empty());
    ScriptedLlm junk("I think it is fine?");
    CHECK(runs::llm_critique(junk, "a", "t", "{}").empty());
    ScriptedLlm failing("", true);
    CHECK(runs::llm_critique(failing, "a", "t", "{}").empty());
    ScriptedLlm terse(R"({"acceptable":false})");
    auto reasons = runs::llm_critique(terse, "a", "t", "{}");
    REQUIRE(reasons.size() == 1);
    CHECK_THAT(reasons[0], Contains("unacceptable"));
}

TEST_CASE("approval records carry what, why, the trigger, the deadline and the decision") {
    runs::RunSettings settings;
    settings.approval_timeout_seconds = 30;
    std::string request = runs::runtime_approval("kubernetes_agent", "ship it",
                                                 R"({"operation":"apply","reason":"applies 3 objects","details":{"objects":["Deployment/api"]}})",
                                                 settings, {});
    CHECK_THAT(request, Contains(R"("operation":"apply")") && Contains(R"("trigger":"plugin")") &&
                            Contains(R"("timeout_seconds":30)") && Contains("Deployment/api"));
    CHECK(store::approval_deadline(request, 1000) == 31000);
    CHECK(store::approval_deadline(R"({"operation":"x"})", 1000) == 0);
    CHECK(runs::approved_operations("pending", request).empty());
    std::string decided = runs::decided_approval(request, true, "alice", "ok", 5000);
    CHECK_THAT(decided, Contains(R"("approver":"alice")") && Contains(R"("approved":true)"));
    CHECK(runs::approved_operations("approved", decided) == std::set<std::string>{"apply"});
    // A second run-time approval keeps the first: both are approved once it is.
    std::string second = runs::runtime_approval("kubernetes_agent", "ship it", R"({"operation":"migrate"})", settings,
                                                runs::approved_operations("approved", decided));
    CHECK(runs::approved_operations("pending", second).empty());
    CHECK(runs::approved_operations("approved", runs::decided_approval(second, true, "bob", "", 6000)) ==
          std::set<std::string>{"apply", "migrate"});
    CHECK(runs::approved_operations("rejected", second).empty());
}

TEST_CASE("run options are stored only when they differ from the defaults") {
    runs::RunOptions options;
    CHECK(runs::options_json(options).empty());
    options.loop_max_iterations = 4;
    std::string stored = runs::options_json(options);
    CHECK(runs::loop_max_iterations(stored) == 4);
    CHECK(runs::loop_max_iterations("") == 0);
}
