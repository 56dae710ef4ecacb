#include "runs/run_execution.hpp"

#include "json/json_util.hpp"
#include "memory_store/plugin_store_call.hpp"
#include "util/log.hpp"

#include <chrono>
#include <thread>

namespace agenthost::runs {

void StoredRunServices::emit_event(const std::string& type, const std::string& data_json) {
    std::vector<store::RunEvent> due;
    {
        // Numbered under the lock, so held events stay in their order.
        std::lock_guard<std::mutex> lock(held_mutex_);
        store::RunEvent event{run_.id, next_seq_.fetch_add(1), type, store::now_ms(), data_json};
        held_.push_back(std::move(event));
        if (taken_ || hold_over()) due.swap(held_);
    }
    if (!due.empty()) write(std::move(due));
}

void StoredRunServices::emit_now(const std::string& type, const std::string& data_json) {
    std::vector<store::RunEvent> due;
    {
        std::lock_guard<std::mutex> lock(held_mutex_);
        held_.push_back({run_.id, next_seq_.fetch_add(1), type, store::now_ms(), data_json});
        due.swap(held_);
    }
    write(std::move(due));
}

bool StoredRunServices::hold_over() const {
    return std::chrono::steady_clock::now() - started_ >= std::chrono::milliseconds(hold_ms_);
}

void StoredRunServices::flush_held() {
    std::vector<store::RunEvent> due;
    {
        std::lock_guard<std::mutex> lock(held_mutex_);
        if (held_.empty() || !hold_over()) return;
        due.swap(held_);
    }
    write(std::move(due));
}

std::vector<store::RunEvent> StoredRunServices::take_held() {
    std::lock_guard<std::mutex> lock(held_mutex_);
    taken_ = true;
    return std::move(held_);
}

void StoredRunServices::write(std::vector<store::RunEvent> events) {
    long long token = run_.fencing_token;
    const store::RunRepository& runs = store_.runs();
    // Progress events are not waited for: the run goes on while they commit,
    // and followers hear of them once they have.
    EventFeed& feed = feed_;
    // Queued for the batch's flush, like outcomes, so a claimed run's
    // run.started does not split the batch's outcomes into one statement
    // each (on PostgreSQL, a round trip each).
    store_.writes().submit(
        [events = std::move(events), token, &runs](soci::session& session) {
            runs.queue_fenced_events(session, events, token);
        },
        [&feed, id = run_.id](const std::string& error) {
            if (error.empty()) feed.notify(id);
        },
        store::CommitQueue::Kind::appends_only);
}

std::optional<std::string> StoredRunServices::memory_get(const std::string& key) {
    const store::RunRepository& runs = store_.runs();
    const std::string& thread = run_.thread_id;
    // Puts go through the writer and are waited for, so a read after a put
    // always sees it.
    return store_.read([&](soci::session& session) { return runs.memory_get(session, thread, key); });
}

void StoredRunServices::memory_put(const std::string& key, const std::string& value_json) {
    if (key.size() + value_json.size() > 1024 * 1024)
        throw std::length_error("a run memory entry may hold at most 1 MiB");
    const store::RunRepository& runs = store_.runs();
    std::string thread = run_.thread_id;
    // The checkpoint this write becomes names the run that wrote it.
    store::CheckpointAuthor author{run_.id, ""};
    // A full disk or a lost connection is the host's trouble, not the
    // agent's: the put waits for the store (up to ten seconds) rather than
    // failing the run at once.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    const store::ThreadRepository& threads = store_.threads();
    for (;;) {
        try {
            long long checkpoint = 0;
            store::ThreadValues snapshot;
            store_.writes().run([&](soci::session& session) {
                checkpoint = runs.memory_put(session, thread, key, value_json, author);
                // The memory right after this write, for stream_mode values:
                // read in the same transaction, so it is exactly that state.
                snapshot = threads.values_at(session, thread, checkpoint);
            });
            emit_event("memory.updated", memory_event(key, value_json, checkpoint, snapshot));
            return;
        } catch (const store::StoreUnavailable&) {
            bool outage = !store_.healthy() || !store_.write_problem().empty();
            if (!outage || std::chrono::steady_clock::now() >= deadline) throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
    }
}

std::string memory_event(const std::string& key, const std::string& value_json, long long checkpoint,
                         const store::ThreadValues& snapshot) {
    rapidjson::Document data(rapidjson::kObjectType);
    auto& allocator = data.GetAllocator();
    std::string error;
    data.AddMember("key", json::string_value(key, allocator), allocator);
    auto value = json::parse(value_json, error);
    data.AddMember("value", value ? rapidjson::Value(*value, allocator) : rapidjson::Value(), allocator);
    data.AddMember("checkpoint_id", static_cast<int64_t>(checkpoint), allocator);
    // A small memory travels with the event; a large one would make every
    // write's event as large as the whole memory (quadratic growth), so the
    // event names its checkpoint and streams read the memory there.
    size_t bytes = 0;
    for (const auto& [name, text] : snapshot) bytes += name.size() + text.size() + 4;
    if (bytes > kInlineSnapshotBytes) {
        data.AddMember("values_omitted", true, allocator);
        return json::serialize(data);
    }
    rapidjson::Value values(rapidjson::kObjectType);
    for (const auto& [name, text] : snapshot) {
        auto parsed = json::parse(text, error);
        values.AddMember(json::string_value(name, allocator),
                         parsed ? rapidjson::Value(*parsed, allocator) : rapidjson::Value(), allocator);
    }
    data.AddMember("values", values, allocator);
    return json::serialize(data);
}

plugins::StoreAnswer StoredRunServices::store_call(const std::string& request_json) {
    memory_store::MemoryStore items(store_);
    return memory_store::run_store_call(items, run_.tenant, request_json);
}

std::string agent_input(const store::RunRecord& run, const rapidjson::Value* extra) {
    rapidjson::Document input(rapidjson::kObjectType);
    auto& allocator = input.GetAllocator();
    input.AddMember("run_id", json::string_value(run.id, allocator), allocator);
    input.AddMember("thread_id", json::string_value(run.thread_id, allocator), allocator);
    input.AddMember("task", json::string_value(run.task, allocator), allocator);
    rapidjson::Document context;
    context.Parse(run.context_json.data(), run.context_json.size());
    if (!context.IsObject()) context.SetObject();
    input.AddMember("context", rapidjson::Value(context, allocator), allocator);
    input.AddMember("attempt", run.attempts, allocator);
    if (extra != nullptr && extra->IsObject())
        for (const auto& member : extra->GetObject())
            input.AddMember(rapidjson::Value(member.name, allocator), rapidjson::Value(member.value, allocator), allocator);
    return json::serialize(input);
}

std::vector<store::RunEvent> final_events(const store::RunRecord& run, long long first_seq) {
    std::vector<store::RunEvent> events;
    long long seq = first_seq;
    long long now = run.finished_at_ms;
    if (run.status == store::run_status::succeeded) {
        // Most results have no artifacts: a look at the text spares parsing
        // the whole result again. A key spelled with \u escapes still parses.
        const std::string& text = run.result_json;
        bool may_have_artifacts =
            text.find("artifacts") != std::string::npos || text.find("\\u") != std::string::npos;
        std::string error;
        auto result = may_have_artifacts ? json::parse(text, error) : std::nullopt;
        const rapidjson::Value* artifacts = result ? json::get_member(*result, "artifacts") : nullptr;
        if (artifacts != nullptr && artifacts->IsArray()) {
            for (const auto& artifact : artifacts->GetArray())
                if (artifact.IsObject()) events.push_back({run.id, seq++, "artifact", now, json::serialize(artifact)});
        }
        events.push_back({run.id, seq++, "run.succeeded", now, "{\"status\":\"succeeded\"}"});
        return events;
    }
    rapidjson::Document data(rapidjson::kObjectType);
    auto& allocator = data.GetAllocator();
    data.AddMember("status", json::string_value(run.status, allocator), allocator);
    data.AddMember("error", json::string_value(run.error, allocator), allocator);
    data.AddMember("error_type", json::string_value(run.error_type, allocator), allocator);
    std::string type = run.status == store::run_status::cancelled ? "run.cancelled" : "run.failed";
    events.push_back({run.id, seq, type, now, json::serialize(data)});
    return events;
}

}  // namespace agenthost::runs
