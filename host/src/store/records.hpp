// What the store keeps, as plain structs: no SOCI, no HTTP.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace agenthost::store {

namespace run_status {
inline constexpr const char* queued = "queued";
inline constexpr const char* blocked = "blocked";  // a pipeline step waiting for the one before
inline constexpr const char* running = "running";
inline constexpr const char* pending_approval = "pending_approval";
inline constexpr const char* succeeded = "succeeded";
inline constexpr const char* failed = "failed";
inline constexpr const char* cancelled = "cancelled";
bool is_terminal(const std::string& status);
}  // namespace run_status

struct RunRecord {
    std::string id;
    std::string thread_id;
    std::string agent;
    std::string task;
    std::string context_json = "{}";
    std::string status;
    std::string result_json;  // empty when none
    std::string error;
    // Why it did not succeed: invalid_input, agent_error, cancelled,
    // abandoned (its hosts kept dying), dependency (an earlier pipeline step).
    std::string error_type;
    int attempts = 0;
    int max_attempts = 3;
    long long fencing_token = 0;
    std::string lease_owner;
    long long lease_expires_at_ms = 0;
    bool cancel_requested = false;
    std::string pipeline_id;
    int pipeline_step = -1;
    std::string webhook_url;
    std::string webhook_secret;
    long long created_at_ms = 0;
    long long started_at_ms = 0;  // 0 = not yet
    long long finished_at_ms = 0;
    long long updated_at_ms = 0;
    // The routing supervisors' decision when the caller named no agent.
    std::string routing_json;
    // Run options from the request: approval, loop, reflection.
    std::string options_json;
    // The approval asked for (and, once decided, the decision).
    std::string approval_json;
    std::string approval_state;  // "" | required | pending | approved | rejected
    long long approval_expires_at_ms = 0;
    std::string step_key;  // a DAG step's id within its pipeline
    int pipeline_iteration = 0;  // a looping workflow's step: its iteration (0: not looping)
    // The run's LLM token usage as a JSON object; empty when it made no call.
    std::string llm_usage_json;
    // The tenant of the principal that created it ("" is the default tenant).
    std::string tenant;
    // The key id (or JWT subject) of the principal that created it: what
    // usage is counted under ("" with auth off).
    std::string key_id;
    // W3C traceparent of the request that created it ("" : not traced): the
    // run's spans join that trace on whichever host executes it.
    std::string trace_parent;
    // A delayed run (after_seconds): not claimed before this (0: at once).
    long long run_after_ms = 0;
    // "" (keep) | delete | rollback: what happens to the run once it ends
    // (run_completion.cpp).
    std::string on_completion;
    // Only when inserting: runs this one waits for (kind success|completion).
    std::vector<std::pair<std::string, std::string>> depends_on;
    // Only when inserting: what the caller was warned of (the run.queued
    // event keeps it).
    std::vector<std::string> warnings;
};

namespace approval_state {
inline constexpr const char* required = "required";  // asked for before the run starts
inline constexpr const char* pending = "pending";    // waiting for a person
inline constexpr const char* approved = "approved";
inline constexpr const char* rejected = "rejected";
}  // namespace approval_state

struct AuditEntry {
    std::string run_id;
    std::string pipeline_id;
    std::string action;
    std::string actor;
    std::string detail;
    long long at_ms = 0;
};

struct Dependency {
    std::string run_id;
    std::string depends_on;
    std::string kind;
};

struct RunEvent {
    std::string run_id;
    long long seq = 0;
    std::string type;
    long long ts_ms = 0;
    std::string data_json;
};

// A run this host claimed: what it needs to execute it and to prove, on
// completion, that it still holds the lease.
struct ClaimedRun {
    RunRecord run;
    long long next_event_seq = 1;
    // Its run.started event is already written (a run handed to a worker
    // as it was accepted): the worker does not write it again.
    bool start_recorded = false;
};

struct RunFilter {
    std::string status;
    std::string agent;
    std::string thread_id;
    std::string pipeline_id;
    // Only this tenant's runs when set (a principal that does not see all).
    bool by_tenant = false;
    std::string tenant;
    size_t limit = 50;
    // Opaque cursor from a previous page: "<created_at_ms>_<id>".
    std::string cursor;
};

struct RunPage {
    std::vector<RunRecord> runs;
    std::string next_cursor;  // empty on the last page
};

struct PipelineRecord {
    std::string id;
    std::string thread_id;
    std::string mode;  // sequential | parallel | dag
    std::vector<std::string> agents;
    std::string text;
    std::string status;  // processing | completed | failed
    std::string webhook_url;
    std::string webhook_secret;
    long long created_at_ms = 0;
    long long finished_at_ms = 0;
    int loop_max_iterations = 0;  // > 1: the steps run again until resolved
    int iteration = 1;            // the current iteration of a looping workflow
    std::string tenant;           // of the principal that created it
};

}  // namespace agenthost::store
