// Seed 000's assistant: answers questions about a deployment from what the
// host knows of it, namely the analysis, the generated artifacts (thread memory) and
// the recent operations with their logs and last error. With an LLM
// provider configured the question goes to it with that context in the
// prompt; offline the answer is composed from the context itself,
// deterministically (which files, which port, which last error).
#pragma once

#include "deployments/deployment_service.hpp"
#include "llm/llm_client.hpp"
#include "threads/thread_service.hpp"

#include <rapidjson/document.h>

#include <optional>
#include <string>

namespace agenthost::assistant {

struct ContextRequest {
    std::string tenant;
    std::string project_id;  // either
    std::string thread_id;   // or
};

// The context as JSON: project, services (name, language, framework, port
// with file and line, health path, env vars), artifacts, recent
// operations (status, last log lines), last_error.
struct AssistantContext {
    std::string project_id, thread_id;
    rapidjson::Document json;
};

struct Answer {
    std::string text;
    std::string provider, model;
};

class AssistantService {
  public:
    AssistantService(deployments::DeploymentService& deployments, threads::ThreadService& threads, llm::LlmClient* llm)
        : deployments_(deployments), threads_(threads), llm_(llm) {}

    // nullopt: no such project (or thread) for this tenant.
    std::optional<AssistantContext> context(const ContextRequest& request);
    Answer answer(const std::string& message, const AssistantContext& context);
    // The offline answer (also what a failing provider falls back to).
    static std::string offline_answer(const std::string& message, const rapidjson::Value& context);

  private:
    deployments::DeploymentService& deployments_;
    threads::ThreadService& threads_;
    llm::LlmClient* llm_;
};

}  // namespace agenthost::assistant
