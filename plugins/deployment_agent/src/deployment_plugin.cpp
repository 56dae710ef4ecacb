// The deployment agent: SDK glue around request_from(), plan_for(),
// execute() and the deployment records.
#include <agenthost/agent.hpp>
#include <rapidjson/prettywriter.h>

#include <string>

#include "deployment.hpp"
#include "execute.hpp"
#include "record.hpp"

namespace {

using Document = rapidjson::Document;
using Value = rapidjson::Value;

std::string pretty(const Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
    writer.SetIndent(' ', 2);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string environment_names(const deploy::Request& request) {
    std::string names;
    for (const auto& environment : request.environments)
        names += (names.empty() ? "" : " -> ") + environment.name + (environment.approval ? " (approval)" : "");
    return names;
}

class DeploymentAgent final : public agenthost::Agent {
  public:
    explicit DeploymentAgent(agenthost::Host& host)
        : agenthost::Agent(host), config_(deploy::config_from_json(host.config())) {}

    Document invoke(agenthost::Run& run) override {
        run.throw_if_cancelled();
        deploy::Request request;
        try {
            request = deploy::request_from(run.context(), run.task(), config_);
        } catch (const deploy::InputError& error) {
            throw agenthost::InvalidInput(error.what());
        }
        if (request.mode == "history") return history(run, request);
        const deploy::Plan plan = deploy::plan_for(request, config_);
        if (request.mode == "plan" || request.dry_run) return planned(run, request, plan);
        return deployed(run, request, plan);
    }

  private:
    // The result's common part: mode, the plan, its artifact, warnings.
    Document base(const std::string& mode, const deploy::Request& request, const deploy::Plan& plan) const {
        Document result(rapidjson::kObjectType);
        auto& allocator = result.GetAllocator();
        result.AddMember("mode", agenthost::json::string(mode, allocator), allocator);
        result.AddMember("dry_run", request.dry_run, allocator);
        Value plan_value = deploy::plan_json(request, plan, allocator);
        Value artifact(rapidjson::kObjectType);
        artifact.AddMember("path", agenthost::json::string("deploy/" + request.service + "/plan.json", allocator), allocator);
        artifact.AddMember("content", agenthost::json::string(pretty(plan_value), allocator), allocator);
        artifact.AddMember("media_type", "application/json", allocator);
        Value artifacts(rapidjson::kArrayType);
        artifacts.PushBack(artifact, allocator);
        result.AddMember("plan", plan_value, allocator);
        result.AddMember("artifacts", artifacts, allocator);
        Value warnings(rapidjson::kArrayType);
        for (const auto& warning : request.warnings) warnings.PushBack(agenthost::json::string(warning, allocator), allocator);
        result.AddMember("warnings", warnings, allocator);
        return result;
    }

    Document planned(const agenthost::Run& run, const deploy::Request& request, const deploy::Plan& plan) const {
        Document result = base("plan", request, plan);
        auto& allocator = result.GetAllocator();
        size_t steps = 0;
        for (const auto& environment : plan.environments) steps += environment.steps.size();
        std::string summary = std::string(request.dry_run ? "Dry run (nothing executed): " : "Plan: ") + "roll " +
                              request.image + " out with " + request.tool + " (" + request.strategy + ") through " +
                              environment_names(request) + " in " + std::to_string(steps) +
                              " steps. Run with context.mode deploy to execute it.";
        result.AddMember("summary", agenthost::json::string(summary, allocator), allocator);
        // What this thread last deployed of the service, if anything.
        Document records = deploy::load_records(run);
        Document current = deploy::currently_deployed(records["records"]);
        if (current.HasMember(request.service.c_str()))
            result.AddMember("currently_deployed", Value(current[request.service.c_str()], allocator), allocator);
        return result;
    }

    Document deployed(const agenthost::Run& run, const deploy::Request& request, const deploy::Plan& plan) const {
        deploy::Outcome outcome = deploy::execute(run, request, plan, config_);
        Document record = deploy::record_deployment(run, request, outcome, config_);
        if (outcome.status != "succeeded")
            throw agenthost::Error(AGENTHOST_ERROR_FAILED,
                                   outcome.error + " (the deployment record is in thread memory: context.mode history)");
        Document result = base("deploy", request, plan);
        auto& allocator = result.GetAllocator();
        result.AddMember("outcome", "succeeded", allocator);
        result.AddMember("summary",
                         agenthost::json::string("Deployed " + request.image + " through " + environment_names(request) +
                                                     " with " + request.tool + " (" + request.strategy + ")",
                                                 allocator),
                         allocator);
        result.AddMember("log", Value(outcome.progress["log"], allocator), allocator);
        result.AddMember("record", Value(record, allocator), allocator);
        return result;
    }

    Document history(const agenthost::Run& run, const deploy::Request& request) const {
        Document records = deploy::load_records(run);
        Document result(rapidjson::kObjectType);
        auto& allocator = result.GetAllocator();
        Value kept(rapidjson::kArrayType);
        for (const auto& record : records["records"].GetArray()) {
            if (!request.service.empty() &&
                (!record.HasMember("service") || !record["service"].IsString() || request.service != record["service"].GetString()))
                continue;
            kept.PushBack(Value(record, allocator), allocator);
        }
        Document current = deploy::currently_deployed(kept);
        std::string summary = std::to_string(kept.Size()) + " deployment record(s) on this thread" +
                              (request.service.empty() ? "" : " for " + request.service);
        result.AddMember("mode", "history", allocator);
        result.AddMember("summary", agenthost::json::string(summary, allocator), allocator);
        result.AddMember("records", kept, allocator);
        result.AddMember("currently_deployed", Value(current, allocator), allocator);
        return result;
    }

    const deploy::Config config_;
};

}  // namespace

AGENTHOST_AGENT(DeploymentAgent, "deployment_agent", "0.1.0")
