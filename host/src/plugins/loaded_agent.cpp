#include "plugins/loaded_agent.hpp"

#include "json/json_util.hpp"
#include "plugins/plugin_library.hpp"

namespace agenthost::plugins {

LoadedAgent::LoadedAgent(Manifest manifest, std::string config_json)
    : manifest_(std::move(manifest)), config_json_(std::move(config_json)) {}

const char* to_string(Isolation isolation) { return isolation == Isolation::process ? "process" : "in_process"; }

std::shared_ptr<LoadedAgent> LoadedAgent::load(const Manifest& manifest, const std::string& config_json,
                                               std::string& error, Isolation isolation,
                                               const RunnerSandbox& sandbox) {
    if (isolation == Isolation::process) {
        // The same checks as a library opened here, on what the runner's
        // copy of the plugin reported.
        if (std::string reason = check_abi(manifest.abi_version, AGENTHOST_ABI_VERSION, manifest.path); !reason.empty()) {
            error = reason;
            return nullptr;
        }
        std::shared_ptr<LoadedAgent> agent(new LoadedAgent(manifest, config_json));
        agent->library_identity_ = identify_library(manifest.library_path);
        RunnerClient::Identity identity;
        agent->runner_ = RunnerClient::start(manifest, agent->config_json_, sandbox, identity, error);
        if (!agent->runner_) return nullptr;
        const std::string& file = manifest.library_path;
        if (std::string reason = check_abi(identity.abi_version, AGENTHOST_ABI_VERSION, file); !reason.empty()) error = reason;
        else if (identity.name != manifest.name)
            error = "name mismatch: " + file + " reports agent name '" + identity.name + "' but " + manifest.path +
                    " declares '" + manifest.name + "'";
        else if (identity.version != manifest.version)
            error = "version mismatch: " + file + " reports version '" + identity.version + "' but " + manifest.path +
                    " declares '" + manifest.version + "' (a stale library or manifest)";
        if (!error.empty()) return nullptr;
        agent->reported_version_ = identity.version;
        agent->reported_abi_version_ = identity.abi_version;
        return agent;
    }
    LibraryIdentity library_identity = identify_library(manifest.library_path);
    OpenedLibrary opened = open_library(manifest);
    if (!opened.library) {
        error = opened.error;
        return nullptr;
    }
    std::shared_ptr<LoadedAgent> agent(new LoadedAgent(manifest, config_json));
    agent->library_ = std::move(opened.library);
    agent->library_identity_ = library_identity;
    agent->descriptor_ = opened.descriptor;
    agent->reported_version_ = std::string(opened.descriptor->version.ptr, opened.descriptor->version.len);
    agent->reported_abi_version_ = opened.descriptor->abi_version;

    agenthost_module_agent_ptr instance = nullptr;
    agenthost_status status = agent->descriptor_->on_agent_create(
        &host_api(), to_handle(agent.get()), {agent->config_json_.data(), agent->config_json_.size()}, &instance);
    if (status != AGENTHOST_OK || instance == nullptr) {
        error = "agent '" + manifest.name + "' in " + manifest.library_path + " failed to initialise: " +
                (agent->create_error_.empty() ? "status " + std::to_string(status) : agent->create_error_);
        agent->descriptor_ = nullptr;  // nothing to destroy
        return nullptr;
    }
    agent->instance_ = instance;
    return agent;
}

LoadedAgent::~LoadedAgent() {
    // Destroy the instance while its code is still mapped; the library goes
    // after (member order would unload it first otherwise).
    if (descriptor_ != nullptr && instance_ != nullptr) descriptor_->on_agent_destroy(instance_);
    instance_ = nullptr;
    library_.reset();
    runner_.reset();
}

namespace {

// Adds `"name": value_json` at the end of the input object, rather than
// re-parsing it.
std::string with_member(const std::string& input_json, const char* name, const std::string& value_json) {
    size_t end = input_json.find_last_of('}');
    if (end == std::string::npos) return input_json;
    bool empty_object = input_json.find_first_not_of(" \t\r\n", input_json.find('{') + 1) == end;
    return input_json.substr(0, end) + (empty_object ? "" : ",") + "\"" + name + "\":" + value_json +
           input_json.substr(end);
}

// An agent with the llm permission learns which provider serves it, so a
// text agent knows whether to ask the LLM or use its offline algorithm:
// input.llm = {"provider", "model", "fallback"}.
std::string with_llm_info(const Manifest& manifest, const std::string& input_json) {
    llm::LlmClient* client = llm_client();
    if (client == nullptr || !manifest.has_permission("llm")) return input_json;
    llm::ProviderChoice choice = client->choice(manifest.name);
    rapidjson::Document info(rapidjson::kObjectType);
    auto& allocator = info.GetAllocator();
    info.AddMember("provider", json::string_value(choice.provider, allocator), allocator);
    info.AddMember("model", json::string_value(choice.model, allocator), allocator);
    info.AddMember("fallback", json::string_value(manifest.llm_fallback, allocator), allocator);
    return with_member(input_json, "llm", json::serialize(info));
}

// An agent with the exec permission learns where its run's workspace is.
std::string with_workspace(const std::string& workspace, const std::string& input_json) {
    if (workspace.empty()) return input_json;
    rapidjson::Document path;
    path.SetString(workspace.data(), static_cast<rapidjson::SizeType>(workspace.size()), path.GetAllocator());
    return with_member(input_json, "workspace", json::serialize(path));
}

}  // namespace

InvokeOutcome LoadedAgent::invoke(RunContext& run, const std::string& raw_input_json) const {
    const std::string input_json = with_workspace(run.workspace, with_llm_info(manifest_, raw_input_json));
    // agents.<name>.max_concurrency: a slot is held for the plugin call.
    struct Slot {
        const LoadedAgent& agent;
        explicit Slot(const LoadedAgent& owner) : agent(owner) {
            if (agent.max_concurrency_ <= 0) return;
            std::unique_lock<std::mutex> lock(agent.slots_mutex_);
            agent.slot_free_.wait(lock, [this] { return agent.invoking_ < agent.max_concurrency_; });
            ++agent.invoking_;
        }
        ~Slot() {
            if (agent.max_concurrency_ <= 0) return;
            {
                std::lock_guard<std::mutex> lock(agent.slots_mutex_);
                --agent.invoking_;
            }
            agent.slot_free_.notify_one();
        }
    } slot(*this);
    // The ABI says on_agent_invoke never throws, but a plugin written
    // against the raw C header (or compiled without noexcept) can still let
    // an exception escape. Called through a type without noexcept, the
    // exception reaches this frame and fails the run instead of ending the
    // host in std::terminate. (A plugin whose own noexcept function throws
    // terminates inside the plugin; the fatal-signal handler reports that.)
    using ThrowingInvoke = agenthost_status (*)(agenthost_module_agent_ptr, agenthost_host_run_ptr, agenthost_str);
    agenthost_status status = AGENTHOST_ERROR_FAILED;
    std::string escaped, crash;
    try {
        if (runner_) status = runner_->invoke(run, input_json, crash);
        else status = reinterpret_cast<ThrowingInvoke>(descriptor_->on_agent_invoke)(
                 instance_, to_handle(&run), {input_json.data(), input_json.size()});
    } catch (const std::exception& e) {
        escaped = std::string("agent '") + name() + "' let an exception escape on_agent_invoke: " + e.what();
    } catch (...) {
        escaped = "agent '" + name() + "' let an exception of unknown type escape on_agent_invoke";
    }
    InvokeOutcome outcome;
    std::lock_guard<std::mutex> lock(run.mutex);
    if (!crash.empty()) {
        // Only this agent's runner died; the host and other agents go on.
        outcome.status = AGENTHOST_ERROR_FAILED;
        outcome.error = "agent '" + name() + "' crashed: " + crash;
        outcome.error_type = "plugin_crashed";
        return outcome;
    }
    if (!escaped.empty()) {
        outcome.status = AGENTHOST_ERROR_FAILED;
        outcome.error = escaped;
        return outcome;
    }
    if (status == AGENTHOST_OK && run.result_json) {
        outcome.status = AGENTHOST_OK;
        outcome.result_json = std::move(*run.result_json);
        return outcome;
    }
    outcome.status = status == AGENTHOST_OK ? AGENTHOST_ERROR_FAILED : status;
    if (status == AGENTHOST_OK) outcome.error = "agent '" + name() + "' returned success without a result";
    else if (!run.error_message.empty()) outcome.error = run.error_message;
    else outcome.error = "agent '" + name() + "' failed with status " + std::to_string(status) + " and no message";
    return outcome;
}

}  // namespace agenthost::plugins
