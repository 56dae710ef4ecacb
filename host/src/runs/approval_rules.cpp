#include "runs/approval_rules.hpp"

#include "exec/exec_service.hpp"
#include "json/json_util.hpp"
#include "store/database.hpp"
#include "util/time_format.hpp"

#include <rapidjson/document.h>

namespace agenthost::runs {
namespace {

// The operation a request asks for: context.operation, else context.mode
// (the DevOps agents' generate/review/apply), else "run".
std::string requested_operation(const std::string& context_json) {
    std::string error;
    auto context = json::parse(context_json, error);
    if (context && context->IsObject()) {
        for (const char* field : {"operation", "mode"}) {
            std::string value = json::get_string(*context, field);
            if (!value.empty()) return value;
        }
    }
    return "run";
}

std::string approval_document(const std::string& agent, const std::string& operation, const std::string& reason,
                              const std::string& trigger, const std::string& task, double timeout_seconds,
                              const rapidjson::Value* details) {
    rapidjson::Document approval(rapidjson::kObjectType);
    auto& allocator = approval.GetAllocator();
    approval.AddMember("agent", json::string_value(agent, allocator), allocator);
    approval.AddMember("operation", json::string_value(operation, allocator), allocator);
    approval.AddMember("reason", json::string_value(reason, allocator), allocator);
    approval.AddMember("trigger", json::string_value(trigger, allocator), allocator);
    // The task is what the person reads to decide; long ones are cut.
    std::string shown = task.size() > 500 ? task.substr(0, 500) + "..." : task;
    approval.AddMember("task", json::string_value(shown, allocator), allocator);
    approval.AddMember("requested_at", json::string_value(iso8601_ms(store::now_ms()), allocator), allocator);
    if (timeout_seconds > 0) approval.AddMember("timeout_seconds", timeout_seconds, allocator);
    if (details != nullptr) approval.AddMember("details", rapidjson::Value(*details, allocator), allocator);
    return json::serialize(approval);
}

}  // namespace

std::optional<std::string> approval_needed(const InvokeRequest& request, const plugins::AgentRegistry& registry,
                                           const RunSettings& settings) {
    const std::string& agent = request.agent_name;
    auto record = registry.find(agent);
    bool manifest_rules = record != nullptr && record->agent && !record->agent->manifest().approval_required.empty();
    // The operator's agents.<name>.require_approval, as the catalogue in
    // force says (a SIGHUP reload may change it).
    bool configured = settings.approval_required_agents.count(agent) > 0 || (record != nullptr && record->require_approval);
    // Most runs need no approval: the context is parsed only when some
    // trigger could apply.
    if (!request.options.require_approval && !configured && !manifest_rules) return std::nullopt;
    double timeout = request.options.approval_timeout_seconds >= 0 ? request.options.approval_timeout_seconds
                                                                   : settings.approval_timeout_seconds;
    std::string operation = requested_operation(request.context_json);
    if (request.options.require_approval)
        return approval_document(agent, operation, "the request asked for a person's approval before it runs",
                                 "request", request.task, timeout, nullptr);
    if (configured)
        return approval_document(agent, operation,
                                 "the operator's config requires approval for every run of agent '" + agent + "'",
                                 "config", request.task, timeout, nullptr);
    for (const auto& rule : record->agent->manifest().approval_required)
        if (rule.operation == operation)
            return approval_document(agent, operation, rule.reason, "manifest", request.task, timeout, nullptr);
    return std::nullopt;
}

std::optional<std::string> unrunnable_operation(const InvokeRequest& request, const plugins::AgentRegistry& registry) {
    auto record = registry.find(request.agent_name);
    if (record == nullptr || !record->agent) return std::nullopt;
    const plugins::Manifest& manifest = record->agent->manifest();
    bool any = false;
    for (const auto& rule : manifest.approval_required) any = any || rule.needs_exec;
    if (!any || !manifest.has_permission("exec")) return std::nullopt;
    const std::string operation = requested_operation(request.context_json);
    for (const auto& rule : manifest.approval_required) {
        if (!rule.needs_exec || rule.operation != operation) continue;
        std::string why = exec::why_nothing_runs(request.agent_name, record->agent->exec_settings());
        if (why.empty()) return std::nullopt;
        return "agent '" + request.agent_name + "' cannot " + operation + " on this host: it runs programs, and " + why +
               "; nobody is asked to approve what cannot run";
    }
    return std::nullopt;
}

namespace {

// What a pause keeps of the earlier rounds of its run: the operations
// approved and the answers given, so the run, invoked again, finds them all.
std::string with_earlier_rounds(const std::string& document, const std::set<std::string>& approved_before,
                                const std::vector<std::string>& resume_before) {
    if (approved_before.empty() && resume_before.empty()) return document;
    std::string error;
    auto approval = json::parse(document, error);
    auto& allocator = approval->GetAllocator();
    if (!approved_before.empty()) {
        rapidjson::Value earlier(rapidjson::kArrayType);
        for (const auto& approved : approved_before) earlier.PushBack(json::string_value(approved, allocator), allocator);
        approval->AddMember("approved_operations", earlier, allocator);
    }
    if (!resume_before.empty()) {
        rapidjson::Value answers(rapidjson::kArrayType);
        for (const auto& answer : resume_before) {
            auto value = json::parse(answer, error);
            answers.PushBack(value ? rapidjson::Value(*value, allocator) : rapidjson::Value(), allocator);
        }
        approval->AddMember("resume_values", answers, allocator);
    }
    return json::serialize(*approval);
}

// The question as the one-line reason a person reads first.
std::string question_text(const rapidjson::Value* question) {
    if (question == nullptr) return "";
    std::string text = question->IsString() ? std::string(question->GetString(), question->GetStringLength())
                                            : json::serialize(*question);
    return text.size() > 500 ? text.substr(0, 500) + "..." : text;
}

}  // namespace

std::string runtime_approval(const std::string& agent, const std::string& task, const std::string& plugin_request_json,
                             const RunSettings& settings, const std::set<std::string>& approved_before,
                             const std::vector<std::string>& resume_before) {
    std::string error;
    auto request = json::parse(plugin_request_json, error);
    std::string operation = request ? json::get_string(*request, "operation") : "";
    std::string reason = request ? json::get_string(*request, "reason") : "";
    if (reason.empty()) reason = "agent '" + agent + "' asked for approval";
    const rapidjson::Value* details = request ? json::get_member(*request, "details") : nullptr;
    std::string document = approval_document(agent, operation.empty() ? "run" : operation, reason, "plugin", task,
                                             settings.approval_timeout_seconds, details);
    return with_earlier_rounds(document, approved_before, resume_before);
}

std::string interrupt_approval(const std::string& agent, const std::string& task, const std::string& plugin_request_json,
                               const RunSettings& settings, const std::set<std::string>& approved_before,
                               const std::vector<std::string>& resume_before) {
    std::string error;
    auto request = json::parse(plugin_request_json, error);
    std::string reason = request ? question_text(json::get_member(*request, "question")) : "";
    if (reason.empty()) reason = "agent '" + agent + "' asks a question";
    std::string document = approval_document(agent, "interrupt", reason, "interrupt", task,
                                             settings.approval_timeout_seconds, nullptr);
    auto approval = json::parse(document, error);
    auto& allocator = approval->GetAllocator();
    approval->AddMember("kind", "interrupt", allocator);
    rapidjson::Value asked(rapidjson::kObjectType);
    if (request && request->IsObject())
        for (const char* field : {"question", "schema", "details"})
            if (const rapidjson::Value* value = json::get_member(*request, field))
                asked.AddMember(rapidjson::StringRef(field), rapidjson::Value(*value, allocator), allocator);
    asked.AddMember("index", static_cast<int64_t>(resume_before.size() + 1), allocator);
    approval->AddMember("interrupt", asked, allocator);
    return with_earlier_rounds(json::serialize(*approval), approved_before, resume_before);
}

std::string step_interrupt(const std::string& agent, const std::string& task, const std::string& step,
                           const std::string& trigger, double timeout_seconds) {
    bool before = trigger == "interrupt_before";
    std::string reason = std::string("the workflow pauses ") + (before ? "before" : "after") + " step '" + step + "'";
    std::string document = approval_document(agent, trigger, reason, trigger, task, timeout_seconds, nullptr);
    std::string error;
    auto approval = json::parse(document, error);
    approval->AddMember("kind", "interrupt", approval->GetAllocator());
    approval->AddMember("step", json::string_value(step, approval->GetAllocator()), approval->GetAllocator());
    return json::serialize(*approval);
}

bool wants_pause_after(const std::string& approval_json) {
    if (approval_json.empty()) return false;
    std::string error;
    auto approval = json::parse(approval_json, error);
    if (!approval || !approval->IsObject()) return false;
    const rapidjson::Value* after = json::get_member(*approval, "interrupt_after");
    return after != nullptr && after->IsBool() && after->GetBool() &&
           json::get_string(*approval, "trigger") != "interrupt_after";
}

std::string pause_after(const store::RunRecord& run, const std::string& result_json, const RunSettings& settings) {
    std::string error;
    auto before = json::parse(run.approval_json, error);
    std::string step = before ? json::get_string(*before, "step") : run.step_key;
    if (step.empty()) step = run.step_key;
    const rapidjson::Value* timeout = before ? json::get_member(*before, "timeout_seconds") : nullptr;
    double seconds = timeout != nullptr && timeout->IsNumber() ? timeout->GetDouble() : settings.approval_timeout_seconds;
    std::string document = step_interrupt(run.agent, run.task, step, "interrupt_after", seconds);
    auto approval = json::parse(document, error);
    auto result = json::parse(result_json, error);
    auto& allocator = approval->GetAllocator();
    approval->AddMember("result", result ? rapidjson::Value(*result, allocator) : rapidjson::Value(rapidjson::kObjectType),
                        allocator);
    return json::serialize(*approval);
}

std::string keep_pause_after(const std::string& new_approval_json, const std::string& old_approval_json) {
    if (!wants_pause_after(old_approval_json)) return new_approval_json;
    std::string error;
    auto approval = json::parse(new_approval_json, error);
    auto before = json::parse(old_approval_json, error);
    if (!approval || !approval->IsObject()) return new_approval_json;
    auto& allocator = approval->GetAllocator();
    approval->RemoveMember("interrupt_after");
    approval->AddMember("interrupt_after", true, allocator);
    std::string step = before ? json::get_string(*before, "step") : "";
    if (!step.empty() && !approval->HasMember("step")) approval->AddMember("step", json::string_value(step, allocator), allocator);
    return json::serialize(*approval);
}

std::optional<std::string> result_kept_by_pause(const std::string& approval_state, const std::string& approval_json) {
    if (approval_state != "approved" || approval_json.empty()) return std::nullopt;
    std::string error;
    auto approval = json::parse(approval_json, error);
    if (!approval || !approval->IsObject() || json::get_string(*approval, "trigger") != "interrupt_after")
        return std::nullopt;
    const rapidjson::Value* result = json::get_member(*approval, "result");
    if (result == nullptr || !result->IsObject()) return std::nullopt;
    return json::serialize(*result);
}

bool is_interrupt(const std::string& approval_json) {
    std::string error;
    auto approval = json::parse(approval_json, error);
    return approval && approval->IsObject() && json::get_string(*approval, "kind") == "interrupt";
}

std::string approval_trigger(const std::string& approval_json) {
    std::string error;
    auto approval = json::parse(approval_json, error);
    return approval && approval->IsObject() ? json::get_string(*approval, "trigger") : "";
}

std::vector<json::Violation> check_resume(const std::string& approval_json, const rapidjson::Value& resume) {
    std::string error;
    auto approval = json::parse(approval_json, error);
    const rapidjson::Value* asked = approval ? json::get_member(*approval, "interrupt") : nullptr;
    const rapidjson::Value* schema = asked ? json::get_member(*asked, "schema") : nullptr;
    if (schema == nullptr || !schema->IsObject()) return {};
    try {
        return json::SchemaValidator(*schema).validate(resume, "/resume");
    } catch (const std::exception& e) {
        // Checked when the plugin asked; kept here so a bad one never crashes.
        return {{"/resume", std::string("the interrupt's schema cannot be used: ") + e.what()}};
    }
}

std::string resumed_approval(const std::string& approval_json, const std::string& approver, const std::string& comment,
                             const std::optional<std::string>& resume_json, long long at_ms) {
    std::string decided = decided_approval(approval_json, true, approver, comment, at_ms);
    if (!resume_json) return decided;
    std::string error;
    auto approval = json::parse(decided, error);
    auto value = json::parse(*resume_json, error);
    auto& allocator = approval->GetAllocator();
    if (!approval->HasMember("resume_values")) approval->AddMember("resume_values", rapidjson::Value(rapidjson::kArrayType), allocator);
    rapidjson::Value& answers = (*approval)["resume_values"];
    if (!answers.IsArray()) answers.SetArray();
    answers.PushBack(value ? rapidjson::Value(*value, allocator) : rapidjson::Value(), allocator);
    return json::serialize(*approval);
}

std::vector<std::string> resume_values(const std::string& approval_state, const std::string& approval_json) {
    if (approval_state != "approved") return {};
    std::string error;
    auto approval = json::parse(approval_json, error);
    const rapidjson::Value* answers = approval && approval->IsObject() ? json::get_member(*approval, "resume_values") : nullptr;
    std::vector<std::string> values;
    if (answers != nullptr && answers->IsArray())
        for (const auto& answer : answers->GetArray()) values.push_back(json::serialize(answer));
    return values;
}

std::string decided_approval(const std::string& approval_json, bool approved, const std::string& approver,
                             const std::string& comment, long long at_ms) {
    std::string error;
    auto parsed = json::parse(approval_json, error);
    rapidjson::Document approval(rapidjson::kObjectType);
    if (parsed && parsed->IsObject()) approval.CopyFrom(*parsed, approval.GetAllocator());
    auto& allocator = approval.GetAllocator();
    rapidjson::Value decision(rapidjson::kObjectType);
    decision.AddMember("approved", approved, allocator);
    decision.AddMember("approver", json::string_value(approver, allocator), allocator);
    decision.AddMember("comment", json::string_value(comment, allocator), allocator);
    decision.AddMember("decided_at", json::string_value(iso8601_ms(at_ms), allocator), allocator);
    approval.RemoveMember("decision");
    approval.AddMember("decision", decision, allocator);
    return json::serialize(approval);
}

std::set<std::string> approved_operations(const std::string& approval_state, const std::string& approval_json) {
    if (approval_state != "approved") return {};
    std::string error;
    auto approval = json::parse(approval_json, error);
    if (!approval || !approval->IsObject()) return {};
    std::set<std::string> approved;
    // An interrupt's answer approves no operation; only earlier ones stay.
    std::string operation = json::get_string(*approval, "operation");
    if (!operation.empty() && json::get_string(*approval, "kind") != "interrupt") approved.insert(operation);
    if (const rapidjson::Value* earlier = json::get_member(*approval, "approved_operations"); earlier && earlier->IsArray())
        for (const auto& entry : earlier->GetArray())
            if (entry.IsString()) approved.insert(entry.GetString());
    return approved;
}

std::string options_json(const RunOptions& options) {
    if (options.loop_max_iterations <= 0 && !options.require_approval) return "";
    rapidjson::Document document(rapidjson::kObjectType);
    auto& allocator = document.GetAllocator();
    if (options.require_approval) document.AddMember("require_approval", true, allocator);
    if (options.loop_max_iterations > 0) {
        rapidjson::Value loop(rapidjson::kObjectType);
        loop.AddMember("max_iterations", options.loop_max_iterations, allocator);
        document.AddMember("loop", loop, allocator);
    }
    return json::serialize(document);
}

int loop_max_iterations(const std::string& options_json) {
    if (options_json.empty()) return 0;
    std::string error;
    auto options = json::parse(options_json, error);
    const rapidjson::Value* loop = options ? json::get_member(*options, "loop") : nullptr;
    const rapidjson::Value* max = loop ? json::get_member(*loop, "max_iterations") : nullptr;
    return max != nullptr && max->IsInt() ? max->GetInt() : 0;
}

}  // namespace agenthost::runs
