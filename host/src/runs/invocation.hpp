// What a caller asks of an agent and why it may be refused: the vocabulary
// shared by the API layer and the run machinery.
#pragma once

#include "json/schema_validator.hpp"
#include "store/idempotency_repository.hpp"

#include <optional>

#include <string>
#include <vector>

namespace agenthost::runs {

// What a request may ask of the run machinery beyond "run this agent".
struct RunOptions {
    bool require_approval = false;          // a person approves before it starts
    double approval_timeout_seconds = -1;   // < 0: the config's default; 0: none
    int loop_max_iterations = 0;            // > 0: observe, reason, act, evaluate until resolved
    // When the thread already has an active run: reject (409), enqueue (run
    // after it) or interrupt (cancel it first)
    // (or rollback: cancel it, delete it and undo its memory writes).
    std::string multitask_strategy = "enqueue";
    // A thread_id no thread has: create it (the default) or reject (404).
    std::string if_not_exists = "create";
    // > 0: a delayed run, queued now and not started before this many
    // seconds have passed (durably: a restart keeps it).
    double after_seconds = 0;
    // keep (the default) | delete: the run and its events go once it ends.
    std::string on_completion = "keep";
};

struct InvokeRequest {
    std::string agent_name;
    std::string task;
    std::string context_json = "{}";  // a JSON object
    std::string thread_id;            // generated when empty
    std::string webhook_url;          // stored for delivery
    std::string webhook_secret;
    RunOptions options;
    std::string routing_json;  // the supervisors' decision when the caller named no agent
    // The caller's Idempotency-Key, stored with the run (resource_id filled in).
    std::optional<store::IdempotencyRecord> idempotency;
    std::string tenant;        // of the principal asking; the run belongs to it
    std::string key_id;        // the principal's key id or JWT subject (usage)
    // What the caller should hear about an accepted request (context fields
    // that look misspelt): in the answer and the run's run.queued event.
    std::vector<std::string> warnings;
};

// Why a request was refused before any run was created.
struct Rejection {
    enum class Kind { agent_not_found, agent_unavailable, invalid_context, invalid_request, store_unavailable };
    Kind kind;
    std::string message;
    std::vector<json::Violation> violations;
};

}  // namespace agenthost::runs
