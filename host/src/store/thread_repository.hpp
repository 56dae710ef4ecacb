// The SQL for threads as a resource: their rows (metadata, owner), their
// shared memory and its checkpoints. A thread's status is not stored: it is
// read from its runs, so the run engine's paths never have to keep it.
//
// Every write to a thread's memory, by a plugin (RunRepository::memory_put)
// or a client (POST /threads/{id}/state), is a checkpoint: the thread's
// counter is bumped (which locks its row on PostgreSQL, so hosts number
// checkpoints without gaps or ties), the memory row is upserted and one
// checkpoint row per key is inserted, all in the caller's transaction.
#pragma once

#include "store/database.hpp"
#include "store/thread_records.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace agenthost::store {

// A thread's memory: key -> value as JSON text, by key.
using ThreadValues = std::vector<std::pair<std::string, std::string>>;

// A thread's memory as of one checkpoint (0: before any write).
struct ThreadMemory {
    ThreadValues values;
    long long checkpoint = 0;
};

class ThreadRepository {
  public:
    explicit ThreadRepository(Dialect dialect);
    ~ThreadRepository();

    // Inserts the thread (id, tenant, metadata, created_at_ms); false when
    // a thread with that id exists (nothing is changed then).
    bool create(soci::session& session, const ThreadRecord& thread) const;
    std::optional<ThreadRecord> find(soci::session& session, const std::string& thread_id) const;
    // The tenant owning the thread, or nullopt when there is no such thread.
    std::optional<std::string> owner(soci::session& session, const std::string& thread_id) const;
    // Newest first; the cursor is the (created_at_ms, id) of the last row.
    ThreadPage list(soci::session& session, const ThreadFilter& filter) const;

    // The memory now, with the number of the checkpoint it is as of (read
    // in one statement, so the two agree).
    ThreadMemory values(soci::session& session, const std::string& thread_id) const;
    // The memory as it was right after checkpoint `checkpoint`.
    ThreadValues values_at(soci::session& session, const std::string& thread_id, long long checkpoint) const;
    // Writes `writes` into the thread's memory as one checkpoint by
    // `author` and returns its number. Creates the thread's row if it has
    // none (memory written for a thread id no run has used yet).
    long long record_writes(soci::session& session, const std::string& thread_id, const ThreadValues& writes,
                            const CheckpointAuthor& author) const;
    // Checkpoints newest first, those numbered below `before` (0: all), at
    // most `limit`, and no more than about `max_value_bytes` of values
    // (always at least one): next_before continues the listing.
    CheckpointPage history(soci::session& session, const std::string& thread_id, size_t limit, long long before,
                           size_t max_value_bytes) const;

    // A new thread `fork` (id, tenant, metadata, created_at_ms) whose memory
    // and history are `source_id`'s up to checkpoint `upto`; its next
    // checkpoint is upto + 1. False when `fork.id` is taken.
    bool copy(soci::session& session, const std::string& source_id, const ThreadRecord& fork, long long upto) const;

    // Deletes the thread with its runs, their events and dependency edges,
    // its memory and checkpoints; refused (busy) while any run of it has
    // not ended.
    ThreadDeleteOutcome remove(soci::session& session, const std::string& thread_id) const;

    // record_writes runs as statements prepared once per session (a plugin's
    // every memory_put comes here); they must be dropped before their
    // session closes (RunRepository::forget_session calls these).
    void forget_session(const soci::session* session) const;
    void forget_all_sessions() const;

  private:
    struct WriteStatements;
    WriteStatements& prepared(soci::session& session) const;

    Dialect dialect_;
    mutable std::mutex prepared_mutex_;
    mutable std::map<const soci::session*, std::unique_ptr<WriteStatements>> prepared_;
};

}  // namespace agenthost::store
