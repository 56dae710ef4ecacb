// How runs, events and run-level errors look in responses.
#pragma once

#include "api/json_writer.hpp"
#include "http/api_error.hpp"
#include "runs/invocation.hpp"
#include "runs/run_dispatcher.hpp"
#include "store/commit_queue.hpp"
#include "store/database.hpp"
#include "store/records.hpp"

#include <functional>

namespace agenthost::api {

void write_run(JsonWriter& out, const store::RunRecord& run);
// "supervisor_path": the routing supervisors' path, or null.
void write_supervisor_path(JsonWriter& out, const store::RunRecord& run);
// A run's approval request with its run_id, state and deadline.
void write_approval(JsonWriter& out, const store::RunRecord& run);
// supervisor_path, routing, options, approval, step: written inside a run object.
void write_orchestration_fields(JsonWriter& out, const store::RunRecord& run);
// A run executing past its timeout, as /health and /plugins show it.
void write_stuck_run(JsonWriter& out, const runs::StuckRun& run);
void write_event(JsonWriter& out, const store::RunEvent& event, const std::string& thread_id);

// Adds "warnings" (the request's, runs::RunService::warnings) to a JSON
// object answer; nothing when there are none.
void add_warnings(http::HttpResponse& response, const std::vector<std::string>& warnings);

// The HTTP error for a refused request.
http::ApiError rejection_error(const runs::Rejection& rejection);

// 503 with Retry-After. The database's own words (which can quote the
// statement or the data) go to the log, never into the response.
http::ApiError store_error(const std::string& reason);

// Runs `body`, turning an unreachable store into 503 in the envelope.
template <typename Body>
auto with_store(Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const store::StoreUnavailable& e) {
        throw store_error(e.what());
    }
}

// Why a submit was not stored: a busy thread (409) or the store (503).
http::ApiError submit_error(const std::string& reason);

}  // namespace agenthost::api
