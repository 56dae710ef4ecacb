#include "runs/invocation_service.hpp"

#include "json/json_util.hpp"
#include "util/ids.hpp"
#include "util/log.hpp"

#include <agenthost/abi.h>

#include <chrono>

namespace agenthost::runs {
namespace {

// The run's side effects while it executes. Events are logged for now; the
// durable event log takes them over.
class RunServicesImpl : public plugins::RunServices {
  public:
    RunServicesImpl(const RunOutcome& run, ThreadMemory& memory) : run_(run), memory_(memory) {}

    void emit_event(const std::string& type, const std::string& data_json) override {
        log::debug("run event", {{"run_id", run_.run_id}, {"agent", run_.agent}, {"type", type}, {"data", data_json}});
    }
    std::optional<std::string> memory_get(const std::string& key) override { return memory_.get(run_.thread_id, key); }
    void memory_put(const std::string& key, const std::string& value_json) override {
        memory_.put(run_.thread_id, key, value_json);
    }

  private:
    const RunOutcome& run_;
    ThreadMemory& memory_;
};

std::string build_input(const RunOutcome& run, const InvokeRequest& request) {
    rapidjson::Document input(rapidjson::kObjectType);
    auto& allocator = input.GetAllocator();
    input.AddMember("run_id", json::string_value(run.run_id, allocator), allocator);
    input.AddMember("thread_id", json::string_value(run.thread_id, allocator), allocator);
    input.AddMember("task", json::string_value(request.task, allocator), allocator);
    rapidjson::Document context;
    context.Parse(request.context_json.data(), request.context_json.size());
    input.AddMember("context", rapidjson::Value(context, allocator), allocator);
    return json::serialize(input);
}

RunStatus status_of(agenthost_status status) {
    switch (status) {
        case AGENTHOST_OK: return RunStatus::succeeded;
        case AGENTHOST_ERROR_INVALID_INPUT: return RunStatus::invalid_input;
        case AGENTHOST_ERROR_CANCELLED: return RunStatus::cancelled;
        default: return RunStatus::failed;
    }
}

}  // namespace

std::optional<Rejection> InvocationService::submit(InvokeRequest request, std::function<void(RunOutcome)> done) {
    const plugins::PluginRecord* record = registry_.find(request.agent_name);
    if (record == nullptr)
        return Rejection{Rejection::Kind::agent_not_found, "no agent named '" + request.agent_name + "'", {}};
    if (record->state != plugins::PluginState::loaded)
        return Rejection{Rejection::Kind::agent_unavailable,
                         "agent '" + request.agent_name + "' is " + plugins::to_string(record->state) + ": " +
                             record->reason,
                         {}};

    std::shared_ptr<plugins::LoadedAgent> agent = record->agent;
    if (agent->manifest().input_schema) {
        std::string error;
        auto context = json::parse(request.context_json, error);
        auto violations = agent->manifest().input_schema->validate(*context, "/context");
        if (!violations.empty())
            return Rejection{Rejection::Kind::invalid_context,
                             "context does not fit the input schema of agent '" + agent->name() + "'",
                             std::move(violations)};
    }

    auto run = std::make_shared<RunOutcome>();
    run->run_id = new_uuid();
    run->thread_id = request.thread_id.empty() ? new_uuid() : request.thread_id;
    run->agent = agent->name();
    std::string input = build_input(*run, request);

    auto job = [this, agent, run, input = std::move(input), done = std::move(done)]() mutable {
        auto started = std::chrono::steady_clock::now();
        RunServicesImpl services(*run, memory_);
        plugins::RunContext context(*agent, services);
        plugins::InvokeOutcome outcome = agent->invoke(context, input);
        run->execution_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        run->status = status_of(outcome.status);
        run->result_json = std::move(outcome.result_json);
        run->error = std::move(outcome.error);
        if (run->status != RunStatus::succeeded)
            log::warn("run did not succeed", {{"run_id", run->run_id}, {"agent", run->agent}, {"error", run->error}});
        done(std::move(*run));
    };
    if (!workers_.try_submit(std::move(job)))
        return Rejection{Rejection::Kind::overloaded, "all workers are busy and the run queue is full; retry shortly", {}};
    return std::nullopt;
}

}  // namespace agenthost::runs
