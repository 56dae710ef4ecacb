#include "runs/agent_execution.hpp"

#include "json/json_util.hpp"
#include "runs/approval_rules.hpp"
#include "util/log.hpp"

#include <agenthost/abi.h>
#include <textkit/json_answer.hpp>

#include <algorithm>
#include <optional>

namespace agenthost::runs {
namespace {

rapidjson::Value string_array(const std::vector<std::string>& items, rapidjson::Document::AllocatorType& allocator) {
    rapidjson::Value array(rapidjson::kArrayType);
    for (const auto& item : items) array.PushBack(json::string_value(item, allocator), allocator);
    return array;
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
    return out;
}

}  // namespace

bool result_resolved(const std::string& result_json) {
    std::string error;
    auto result = json::parse(result_json, error);
    if (!result || !result->IsObject()) return false;
    const rapidjson::Value* resolved = json::get_member(*result, "resolved");
    if (resolved != nullptr && resolved->IsBool()) return resolved->GetBool();
    return json::get_string(*result, "status") == "resolved";
}

bool result_handed_over(const std::string& result_json) {
    std::string error;
    auto result = json::parse(result_json, error);
    if (!result || !result->IsObject()) return false;
    const rapidjson::Value* handed = json::get_member(*result, "handed_over");
    return handed != nullptr && handed->IsBool() && handed->GetBool();
}

namespace {

constexpr const char* kCritiqueShape = "{\"acceptable\": true|false, \"reasons\": [\"...\"]}";

// The critique's reasons (empty when acceptable), or std::nullopt with
// `problem` set when the answer holds no verdict.
std::optional<std::vector<std::string>> read_verdict(const std::string& content, std::string& problem) {
    auto object = textkit::find_json_object(content);
    std::string error;
    auto verdict = object ? json::parse(*object, error) : std::nullopt;
    const rapidjson::Value* acceptable = verdict ? json::get_member(*verdict, "acceptable") : nullptr;
    if (acceptable == nullptr || !acceptable->IsBool()) {
        problem = object ? "the object has no boolean \"acceptable\"" : "the answer holds no JSON object";
        return std::nullopt;
    }
    std::vector<std::string> reasons;
    if (acceptable->GetBool()) return reasons;
    if (const rapidjson::Value* list = json::get_member(*verdict, "reasons"); list != nullptr && list->IsArray())
        for (const auto& reason : list->GetArray())
            if (reason.IsString()) reasons.emplace_back("critique: " + std::string(reason.GetString()));
    if (reasons.empty()) reasons.emplace_back("critique: the reviewer found the output unacceptable");
    return reasons;
}

}  // namespace

std::vector<std::string> llm_critique(llm::LlmClient& llm, const std::string& agent, const std::string& task,
                                      const std::string& result_json) {
    llm::CompletionRequest request;
    request.json_mode = true;
    request.max_tokens = 300;
    request.messages.push_back(
        {"system",
         std::string("You review the output of an automated agent. Answer with one JSON object: ") + kCritiqueShape +
             ". Mark it unacceptable only when the output clearly fails to answer the task or contradicts it; name "
             "each concrete problem in reasons."});
    std::string shown = result_json.size() > 12000 ? result_json.substr(0, 12000) + "..." : result_json;
    request.messages.push_back({"user", "Agent: " + agent + "\nTask: " + task + "\nOutput (JSON): " + shown});
    try {
        llm::CompletionResponse response = llm.complete(request, agent);
        std::string problem;
        if (auto reasons = read_verdict(response.content, problem)) return *reasons;
        // One correction: the reviewer sees its answer and what was wrong.
        request.messages.push_back({"assistant", response.content});
        request.messages.push_back({"user", textkit::corrective_message(problem, kCritiqueShape)});
        response = llm.complete(request, agent);
        if (auto reasons = read_verdict(response.content, problem)) return *reasons;
        // A verdict that cannot be read is no verdict: the critique is
        // advice, and the schema check already passed.
        log::warn("LLM critique unreadable, skipped", {{"agent", agent}, {"error", problem}});
        return {};
    } catch (const std::exception& e) {
        // The critique is advice: a provider failure does not fail the run.
        log::warn("LLM critique skipped", {{"agent", agent}, {"error", e.what()}});
        return {};
    }
}

void AgentExecution::emit(const std::string& type, const rapidjson::Value& data) {
    services_.emit_event(type, json::serialize(data));
}

plugins::InvokeOutcome AgentExecution::invoke_once(const rapidjson::Value& extra) {
    {
        std::lock_guard<std::mutex> lock(context_.mutex);
        context_.result_json.reset();
        context_.error_message.clear();
    }
    return agent_.invoke(context_, agent_input(run_, &extra));
}

std::vector<std::string> AgentExecution::review(const std::string& result_json) {
    std::vector<std::string> reasons;
    const auto& schema = agent_.manifest().output_schema;
    if (schema) {
        std::string error;
        auto result = json::parse(result_json, error);
        if (!result) {
            reasons.push_back("the result is not JSON: " + error);
            return reasons;
        }
        for (const json::Violation& violation : schema->validate(*result, "/result"))
            reasons.push_back(violation.field + " " + violation.message);
    }
    if (reasons.empty() && settings_.llm_critique && llm_ != nullptr && llm_->configured(agent_.name()))
        reasons = llm_critique(*llm_, agent_.name(), run_.task, result_json);
    return reasons;
}

plugins::InvokeOutcome AgentExecution::invoke_reflecting(rapidjson::Document& extra) {
    auto& allocator = extra.GetAllocator();
    std::vector<std::string> history;
    for (int attempt = 0;; ++attempt) {
        plugins::InvokeOutcome outcome = invoke_once(extra);
        if (outcome.status != AGENTHOST_OK) return outcome;
        std::vector<std::string> reasons = review(outcome.result_json);
        if (reasons.empty()) return outcome;
        for (const auto& reason : reasons) history.push_back("try " + std::to_string(attempt + 1) + ": " + reason);

        rapidjson::Document data(rapidjson::kObjectType);
        data.AddMember("try", attempt + 1, data.GetAllocator());
        data.AddMember("reasons", string_array(reasons, data.GetAllocator()), data.GetAllocator());
        data.AddMember("will_retry", attempt < settings_.reflection_retries, data.GetAllocator());
        emit("reflection.failed", data);
        if (attempt >= settings_.reflection_retries || context_.cancelled.load()) {
            plugins::InvokeOutcome failed;
            failed.status = AGENTHOST_ERROR_FAILED;
            failed.error = "the result of agent '" + agent_.name() + "' failed its checks " +
                           std::to_string(attempt + 1) + " time(s): " + join(history, "; ");
            return failed;
        }
        // The agent sees why its last result was refused.
        rapidjson::Value remediation(rapidjson::kObjectType);
        remediation.AddMember("try", attempt + 2, allocator);
        remediation.AddMember("reasons", string_array(reasons, allocator), allocator);
        std::string error;
        if (auto previous = json::parse(outcome.result_json, error))
            remediation.AddMember("previous_result", rapidjson::Value(*previous, allocator), allocator);
        extra.RemoveMember("remediation");
        extra.AddMember("remediation", remediation, allocator);
    }
}

void AgentExecution::observe(rapidjson::Document& extra) {
    extra.RemoveMember("observed");
    if (!settings_.iteration_observation) return;
    std::string text;
    try {
        text = settings_.iteration_observation(run_.agent, run_.thread_id);
    } catch (const std::exception& e) {
        // The iteration goes on with what it had: observing is best effort.
        log::warn("loop observation failed", {{"run", run_.id}, {"error", e.what()}});
        return;
    }
    if (text.empty()) return;
    std::string error;
    auto observed = json::parse(text, error);
    if (!observed || !observed->IsObject()) return;
    extra.AddMember("observed", rapidjson::Value(*observed, extra.GetAllocator()), extra.GetAllocator());
}

plugins::InvokeOutcome AgentExecution::execute() {
    int iterations = std::min(loop_max_iterations(run_.options_json), settings_.max_loop_iterations);
    rapidjson::Document extra(rapidjson::kObjectType);
    // A step of a looping workflow learns which iteration it is in.
    if (run_.pipeline_iteration > 0)
        extra.AddMember("workflow_iteration", run_.pipeline_iteration, extra.GetAllocator());
    if (iterations <= 0) return invoke_reflecting(extra);

    auto& allocator = extra.GetAllocator();
    plugins::InvokeOutcome outcome;
    bool resolved = false, handed_over = false;
    int iteration = 1;
    for (;; ++iteration) {
        extra.RemoveMember("iteration");
        extra.AddMember("iteration", iteration, allocator);
        extra.RemoveMember("max_iterations");
        extra.AddMember("max_iterations", iterations, allocator);
        extra.RemoveMember("remediation");
        observe(extra);
        outcome = invoke_reflecting(extra);
        if (outcome.status != AGENTHOST_OK) return outcome;
        resolved = result_resolved(outcome.result_json);
        handed_over = !resolved && result_handed_over(outcome.result_json);

        rapidjson::Document data(rapidjson::kObjectType);
        data.AddMember("iteration", iteration, data.GetAllocator());
        data.AddMember("max_iterations", iterations, data.GetAllocator());
        data.AddMember("resolved", resolved, data.GetAllocator());
        if (handed_over) data.AddMember("handed_over", true, data.GetAllocator());
        emit("loop.iteration", data);
        if (resolved || handed_over || iteration >= iterations) break;
        if (context_.cancelled.load()) {
            outcome.status = AGENTHOST_ERROR_CANCELLED;
            outcome.error = "cancelled after iteration " + std::to_string(iteration);
            return outcome;
        }
        // The next iteration observes what this one did.
        std::string error;
        extra.RemoveMember("previous_result");
        if (auto previous = json::parse(outcome.result_json, error))
            extra.AddMember("previous_result", rapidjson::Value(*previous, allocator), allocator);
    }
    rapidjson::Document data(rapidjson::kObjectType);
    data.AddMember("iterations", iteration, data.GetAllocator());
    data.AddMember("resolved", resolved, data.GetAllocator());
    data.AddMember("handed_over", handed_over, data.GetAllocator());
    const char* reason = resolved      ? "the evaluation says resolved"
                         : handed_over ? "the agent handed the problem to a person"
                                       : "max_iterations reached";
    data.AddMember("reason", json::string_value(reason, data.GetAllocator()), data.GetAllocator());
    emit("loop.finished", data);
    return outcome;
}

}  // namespace agenthost::runs
