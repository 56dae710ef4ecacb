#include "plugins/loaded_agent.hpp"

#include "plugins/plugin_library.hpp"

namespace agenthost::plugins {

LoadedAgent::LoadedAgent(Manifest manifest, std::string config_json)
    : manifest_(std::move(manifest)), config_json_(std::move(config_json)) {}

std::shared_ptr<LoadedAgent> LoadedAgent::load(const Manifest& manifest, const std::string& config_json,
                                               std::string& error) {
    OpenedLibrary opened = open_library(manifest);
    if (!opened.library) {
        error = opened.error;
        return nullptr;
    }
    std::shared_ptr<LoadedAgent> agent(new LoadedAgent(manifest, config_json));
    agent->library_ = std::move(opened.library);
    agent->descriptor_ = opened.descriptor;
    agent->reported_version_ = std::string(opened.descriptor->version.ptr, opened.descriptor->version.len);

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
}

InvokeOutcome LoadedAgent::invoke(RunContext& run, const std::string& input_json) const {
    agenthost_status status =
        descriptor_->on_agent_invoke(instance_, to_handle(&run), {input_json.data(), input_json.size()});
    InvokeOutcome outcome;
    std::lock_guard<std::mutex> lock(run.mutex);
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
