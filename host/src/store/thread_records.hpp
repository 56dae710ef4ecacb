// What the store keeps about threads and their checkpoints, as plain structs.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace agenthost::store {

namespace thread_status {
inline constexpr const char* idle = "idle";                // nothing active; the last run did not fail
inline constexpr const char* busy = "busy";                // a run is queued, running or waiting its turn
inline constexpr const char* interrupted = "interrupted";  // a run waits for a person's approval
inline constexpr const char* error = "error";              // nothing active; the last run failed
bool is_known(const std::string& status);
}  // namespace thread_status

struct ThreadRecord {
    std::string id;
    // The owner: the tenant that created it, else its runs' tenant.
    std::string tenant;
    std::string metadata_json = "{}";
    std::string status;  // derived from its runs (thread_status)
    long long created_at_ms = 0;
    long long updated_at_ms = 0;
    long long checkpoint = 0;  // the last checkpoint's number (0: none yet)
};

struct ThreadFilter {
    std::string status;  // "" for any
    bool by_tenant = false;
    std::string tenant;
    size_t limit = 50;
    // "<created_at_ms>_<id>" of the last thread already served.
    std::string cursor;
};

struct ThreadPage {
    std::vector<ThreadRecord> threads;
    std::string next_cursor;  // empty on the last page
};

// Who wrote a checkpoint: a run (run_id) or a person or client (actor).
struct CheckpointAuthor {
    std::string run_id;
    std::string actor;
};

// One checkpoint: the keys written at once, with their values as JSON text.
struct Checkpoint {
    long long id = 0;  // the thread's checkpoint number, from 1
    CheckpointAuthor author;
    long long at_ms = 0;
    std::vector<std::pair<std::string, std::string>> writes;
};

struct CheckpointPage {
    std::vector<Checkpoint> checkpoints;  // newest first
    long long next_before = 0;            // 0 on the last page
};

enum class ThreadDeleteOutcome { deleted, busy, not_found };

}  // namespace agenthost::store
