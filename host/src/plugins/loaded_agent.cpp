#include "plugins/loaded_agent.hpp"

#include "json/json_util.hpp"
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

namespace {

// An agent with the llm permission learns which provider serves it, so a
// text agent knows whether to ask the LLM or use its offline algorithm:
// input.llm = {"provider", "model", "fallback"}. Spliced into the object's
// end rather than re-parsing it.
std::string with_llm_info(const Manifest& manifest, const std::string& input_json) {
    llm::LlmClient* client = llm_client();
    if (client == nullptr || !manifest.has_permission("llm")) return input_json;
    size_t end = input_json.find_last_of('}');
    if (end == std::string::npos) return input_json;
    llm::ProviderChoice choice = client->choice(manifest.name);
    rapidjson::Document info(rapidjson::kObjectType);
    auto& allocator = info.GetAllocator();
    info.AddMember("provider", json::string_value(choice.provider, allocator), allocator);
    info.AddMember("model", json::string_value(choice.model, allocator), allocator);
    info.AddMember("fallback", json::string_value(manifest.llm_fallback, allocator), allocator);
    bool empty_object = input_json.find_first_not_of(" \t\r\n", input_json.find('{') + 1) == end;
    return input_json.substr(0, end) + (empty_object ? "" : ",") + "\"llm\":" + json::serialize(info) +
           input_json.substr(end);
}

}  // namespace

InvokeOutcome LoadedAgent::invoke(RunContext& run, const std::string& raw_input_json) const {
    const std::string input_json = with_llm_info(manifest_, raw_input_json);
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
