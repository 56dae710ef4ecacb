// What a caller asks of an agent and what comes back: the business-level
// vocabulary shared by the API layer and the run machinery.
#pragma once

#include "json/schema_validator.hpp"

#include <string>
#include <vector>

namespace agenthost::runs {

struct InvokeRequest {
    std::string agent_name;
    std::string task;
    std::string context_json = "{}";  // a JSON object
    std::string thread_id;            // generated when empty
};

// Why a request was refused before any run started.
struct Rejection {
    enum class Kind { agent_not_found, agent_unavailable, invalid_context, overloaded };
    Kind kind;
    std::string message;
    std::vector<json::Violation> violations;
};

enum class RunStatus { succeeded, invalid_input, failed, cancelled };

struct RunOutcome {
    std::string run_id;
    std::string thread_id;
    std::string agent;
    RunStatus status = RunStatus::failed;
    std::string result_json;  // when succeeded
    std::string error;        // otherwise
    double execution_seconds = 0;
};

}  // namespace agenthost::runs
