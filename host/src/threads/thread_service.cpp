#include "threads/thread_service.hpp"

#include "json/json_util.hpp"
#include "util/ids.hpp"

#include <algorithm>
#include <memory>

namespace agenthost::threads {
namespace {

// Runs `work` in the writer's transaction and hands its result to `done`
// after the commit (or with the reason it failed). A batch that fails is
// retried write by write, so `work` may run twice: it only returns values.
template <typename Result>
void write(store::Store& store, std::function<Result(soci::session&)> work,
           std::function<void(const Result&, const std::string&)> done) {
    auto result = std::make_shared<Result>();
    store.writes().submit([result, work = std::move(work)](soci::session& session) { *result = work(session); },
                          [result, done = std::move(done)](const std::string& error) { done(*result, error); });
}

}  // namespace

bool metadata_matches(const std::string& metadata_json, const rapidjson::Value& filter) {
    if (!filter.IsObject() || filter.MemberCount() == 0) return true;
    rapidjson::Document metadata;
    metadata.Parse(metadata_json.data(), metadata_json.size());
    if (metadata.HasParseError() || !metadata.IsObject()) return false;
    for (const auto& wanted : filter.GetObject()) {
        auto found = metadata.FindMember(wanted.name);
        if (found == metadata.MemberEnd() || found->value != wanted.value) return false;
    }
    return true;
}

std::optional<store::ThreadRecord> ThreadService::find(const std::string& thread_id) {
    const store::ThreadRepository& threads = store_.threads();
    return store_.read([&](soci::session& session) { return threads.find(session, thread_id); });
}

std::optional<std::string> ThreadService::owner(const std::string& thread_id) {
    const store::ThreadRepository& threads = store_.threads();
    return store_.read([&](soci::session& session) { return threads.owner(session, thread_id); });
}

store::ThreadPage ThreadService::search(const store::ThreadFilter& filter, const rapidjson::Value* metadata) {
    const store::ThreadRepository& threads = store_.threads();
    if (metadata == nullptr || !metadata->IsObject() || metadata->MemberCount() == 0)
        return store_.read([&](soci::session& session) { return threads.list(session, filter); });
    store::ThreadPage answer;
    store::ThreadFilter batch = filter;
    batch.limit = std::max<size_t>(filter.limit + 1, 200);
    size_t scanned = 0;
    for (;;) {
        store::ThreadPage page = store_.read([&](soci::session& session) { return threads.list(session, batch); });
        for (auto& thread : page.threads) {
            ++scanned;
            if (!metadata_matches(thread.metadata_json, *metadata)) continue;
            if (answer.threads.size() == filter.limit) {
                // One more match exists: the page ends at the last one served.
                const auto& last = answer.threads.back();
                answer.next_cursor = std::to_string(last.created_at_ms) + "_" + last.id;
                return answer;
            }
            answer.threads.push_back(std::move(thread));
        }
        if (page.next_cursor.empty()) return answer;
        if (scanned >= kSearchScanBudget) {
            // Short page: the client goes on from the last thread read.
            answer.next_cursor = page.next_cursor;
            return answer;
        }
        batch.cursor = page.next_cursor;
    }
}

store::ThreadMemory ThreadService::state(const std::string& thread_id, long long checkpoint) {
    const store::ThreadRepository& threads = store_.threads();
    if (checkpoint <= 0) return store_.read([&](soci::session& session) { return threads.values(session, thread_id); });
    store::ThreadMemory memory;
    memory.checkpoint = checkpoint;
    memory.values = store_.read([&](soci::session& session) { return threads.values_at(session, thread_id, checkpoint); });
    return memory;
}

store::CheckpointPage ThreadService::history(const std::string& thread_id, size_t limit, long long before) {
    const store::ThreadRepository& threads = store_.threads();
    return store_.read(
        [&](soci::session& session) { return threads.history(session, thread_id, limit, before, kHistoryPageBytes); });
}

void ThreadService::create(const NewThread& thread,
                           std::function<void(const CreateOutcome&, const std::string& error)> done) {
    store::ThreadRecord record;
    record.id = thread.id.empty() ? new_uuid() : thread.id;
    record.tenant = thread.tenant;
    record.metadata_json = thread.metadata_json;
    record.created_at_ms = store::now_ms();
    const store::ThreadRepository& threads = store_.threads();
    write<CreateOutcome>(
        store_,
        [&threads, record](soci::session& session) {
            CreateOutcome outcome;
            outcome.created = threads.create(session, record);
            outcome.thread = threads.find(session, record.id);
            if (outcome.thread) outcome.values = threads.values(session, record.id).values;
            return outcome;
        },
        std::move(done));
}

void ThreadService::write_state(const std::string& thread_id, store::ThreadValues values,
                                store::CheckpointAuthor author,
                                std::function<void(const StateWrite&, const std::string& error)> done) {
    const store::ThreadRepository& threads = store_.threads();
    write<StateWrite>(
        store_,
        [&threads, thread_id, values = std::move(values), author = std::move(author)](soci::session& session) {
            StateWrite outcome;
            outcome.thread_found = threads.owner(session, thread_id).has_value();
            if (outcome.thread_found) outcome.checkpoint = threads.record_writes(session, thread_id, values, author);
            return outcome;
        },
        std::move(done));
}

void ThreadService::copy(const std::string& source_id, long long upto, const NewThread& fork,
                         std::function<void(const CreateOutcome&, const std::string& error)> done) {
    store::ThreadRecord record;
    record.id = fork.id.empty() ? new_uuid() : fork.id;
    record.tenant = fork.tenant;
    record.metadata_json = fork.metadata_json;
    record.created_at_ms = store::now_ms();
    const store::ThreadRepository& threads = store_.threads();
    write<CreateOutcome>(
        store_,
        [&threads, source_id, upto, record](soci::session& session) {
            CreateOutcome outcome;
            outcome.created = threads.copy(session, source_id, record, upto);
            outcome.thread = threads.find(session, record.id);
            if (outcome.thread) outcome.values = threads.values(session, record.id).values;
            return outcome;
        },
        std::move(done));
}

void ThreadService::remove(const std::string& thread_id, const std::string& actor,
                           std::function<void(store::ThreadDeleteOutcome, const std::string& error)> done) {
    const store::RunRepository& runs = store_.runs();
    write<store::ThreadDeleteOutcome>(
        store_,
        [&runs, thread_id, actor](soci::session& session) {
            store::ThreadDeleteOutcome outcome = runs.threads().remove(session, thread_id);
            // The audit log keeps what was done to the runs that went with it.
            if (outcome == store::ThreadDeleteOutcome::deleted)
                runs.audit(session, "", "", "thread.deleted", actor, thread_id);
            return outcome;
        },
        std::move(done));
}

}  // namespace agenthost::threads
