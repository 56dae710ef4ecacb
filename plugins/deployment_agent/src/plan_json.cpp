// The plan as JSON: what the result and the plan artifact show a person.
#include "deployment.hpp"

namespace deploy {

rapidjson::Value plan_json(const Request& request, const Plan& plan, rapidjson::Document::AllocatorType& allocator) {
    using Value = rapidjson::Value;
    auto text = [&](const std::string& value) {
        return Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
    };
    auto texts = [&](const std::vector<std::string>& values) {
        Value list(rapidjson::kArrayType);
        for (const auto& value : values) list.PushBack(text(value), allocator);
        return list;
    };
    Value out(rapidjson::kObjectType);
    out.AddMember("service", text(request.service), allocator);
    out.AddMember("image", text(request.image), allocator);
    out.AddMember("strategy", text(request.strategy), allocator);
    out.AddMember("tool", text(request.tool), allocator);
    if (request.tool == "helm") {
        out.AddMember("chart", text(request.chart), allocator);
        out.AddMember("release", text(request.release), allocator);
    }
    out.AddMember("rollout_timeout_seconds", request.rollout_timeout_seconds, allocator);
    Value environments(rapidjson::kArrayType);
    for (const auto& environment : plan.environments) {
        Value entry(rapidjson::kObjectType);
        entry.AddMember("name", text(environment.environment.name), allocator);
        entry.AddMember("namespace", text(environment.environment.namespace_), allocator);
        if (!environment.environment.kube_context.empty())
            entry.AddMember("kube_context", text(environment.environment.kube_context), allocator);
        entry.AddMember("production", environment.environment.production, allocator);
        entry.AddMember("gates", texts(environment.gates), allocator);
        entry.AddMember("health_checks", texts(environment.health_checks), allocator);
        Value steps(rapidjson::kArrayType);
        for (const auto& step : environment.steps) {
            Value item(rapidjson::kObjectType);
            item.AddMember("id", text(step.id), allocator);
            item.AddMember("action", text(step.action), allocator);
            item.AddMember("description", text(step.description), allocator);
            item.AddMember("command", text(command_line(step.argv)), allocator);
            if (!step.approval.empty()) item.AddMember("approval", text(step.approval), allocator);
            Value undo(rapidjson::kArrayType);
            for (const auto& command : step.undo) undo.PushBack(text(command_line(command.argv)), allocator);
            if (!step.undo.empty()) item.AddMember("rollback", undo, allocator);
            steps.PushBack(item, allocator);
        }
        entry.AddMember("steps", steps, allocator);
        environments.PushBack(entry, allocator);
    }
    out.AddMember("environments", environments, allocator);
    return out;
}

}  // namespace deploy
