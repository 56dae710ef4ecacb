// What a caller asks of an agent and why it may be refused: the vocabulary
// shared by the API layer and the run machinery.
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
    std::string webhook_url;          // stored for delivery
    std::string webhook_secret;
};

// Why a request was refused before any run was created.
struct Rejection {
    enum class Kind { agent_not_found, agent_unavailable, invalid_context, store_unavailable };
    Kind kind;
    std::string message;
    std::vector<json::Violation> violations;
};

}  // namespace agenthost::runs
