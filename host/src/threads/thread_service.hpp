// Threads as a resource: creating, finding, searching and deleting them,
// and their shared memory as checkpoints (the state now or at a
// checkpoint, writes by people and clients, history, forks). The business
// side of api/threads_api.cpp and api/thread_state_api.cpp; tenancy is
// applied by the handlers, storage by store::ThreadRepository.
//
// Writes go through the commit queue and answer from its writer thread, so
// no HTTP thread waits for a commit.
#pragma once

#include "store/store.hpp"
#include "store/thread_records.hpp"
#include "store/thread_repository.hpp"

#include <rapidjson/document.h>

#include <functional>
#include <optional>
#include <string>

namespace agenthost::threads {

struct NewThread {
    std::string id;  // "" for a new UUID
    std::string tenant;
    std::string metadata_json = "{}";
};

// What a create, copy or delete came to; `error` is the store's reason
// when it could not be committed (then nothing changed).
struct CreateOutcome {
    bool created = false;  // false: the id was taken (`thread` is then that one, if found)
    std::optional<store::ThreadRecord> thread;
    store::ThreadValues values;  // its memory
};
struct StateWrite {
    long long checkpoint = 0;
    bool thread_found = true;
};


class ThreadService {
  public:
    // Most rows one search reads to fill a page with a metadata filter
    // (the filter is applied here, not in SQL, so both databases agree on
    // what equal JSON values are); past it the page is answered short with
    // a cursor to go on from.
    static constexpr size_t kSearchScanBudget = 5000;
    // About this many bytes of values per history page.
    static constexpr size_t kHistoryPageBytes = 8u << 20;

    explicit ThreadService(store::Store& store) : store_(store) {}

    std::optional<store::ThreadRecord> find(const std::string& thread_id);
    std::optional<std::string> owner(const std::string& thread_id);
    // `metadata` (an object, or null for none): only threads whose metadata
    // has each of its members with an equal value.
    store::ThreadPage search(const store::ThreadFilter& filter, const rapidjson::Value* metadata);

    // The memory now, or right after `checkpoint` (> 0).
    store::ThreadMemory state(const std::string& thread_id, long long checkpoint = 0);
    store::CheckpointPage history(const std::string& thread_id, size_t limit, long long before);

    void create(const NewThread& thread, std::function<void(const CreateOutcome&, const std::string& error)> done);
    // Writes `values` as one checkpoint by `author`; a thread deleted
    // meanwhile is not brought back (thread_found false).
    void write_state(const std::string& thread_id, store::ThreadValues values, store::CheckpointAuthor author,
                     std::function<void(const StateWrite&, const std::string& error)> done);
    // A new thread from `source_id`'s memory at checkpoint `upto`.
    void copy(const std::string& source_id, long long upto, const NewThread& fork,
              std::function<void(const CreateOutcome&, const std::string& error)> done);
    // Deletes the thread with its runs (refused while any is active);
    // recorded in the audit log with `actor`.
    void remove(const std::string& thread_id, const std::string& actor,
                std::function<void(store::ThreadDeleteOutcome, const std::string& error)> done);

  private:
    store::Store& store_;
};

// True when `metadata_json` has every member of `filter` with an equal value.
bool metadata_matches(const std::string& metadata_json, const rapidjson::Value& filter);

}  // namespace agenthost::threads
