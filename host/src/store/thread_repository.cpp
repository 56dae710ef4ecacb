#include "store/thread_repository.hpp"

#include "store/newest_first_page.hpp"

#include "store/row_reader.hpp"

#include <climits>
#include <map>

namespace agenthost::store {

namespace thread_status {
bool is_known(const std::string& status) {
    return status == idle || status == busy || status == interrupted || status == error;
}
}  // namespace thread_status

namespace {

// A thread made by a run has no tenant of its own: it is its runs'.
const char* const kOwner =
    "COALESCE(t.tenant, (SELECT r.tenant FROM runs r WHERE r.thread_id = t.id "
    "ORDER BY r.created_at_ms DESC LIMIT 1), '')";

// Read from the runs (runs_by_thread answers each probe): a run that has
// not ended makes the thread busy, unless the only ones left wait for a
// person (interrupted; runs blocked behind such a run wait for it too).
// With nothing active, the newest run says whether it ended in error.
const char* const kStatus =
    "CASE WHEN EXISTS (SELECT 1 FROM runs r WHERE r.thread_id = t.id AND r.status IN ('queued', 'running')) "
    "THEN 'busy' "
    "WHEN EXISTS (SELECT 1 FROM runs r WHERE r.thread_id = t.id AND r.status = 'pending_approval') "
    "THEN 'interrupted' "
    "WHEN EXISTS (SELECT 1 FROM runs r WHERE r.thread_id = t.id AND r.status = 'blocked') THEN 'busy' "
    "WHEN (SELECT r.status FROM runs r WHERE r.thread_id = t.id ORDER BY r.created_at_ms DESC, r.id DESC LIMIT 1) "
    "= 'failed' THEN 'error' "
    "ELSE 'idle' END";

std::string thread_columns() {
    return std::string("t.id, ") + kOwner + " AS owner, t.metadata, " + kStatus +
           " AS status, t.created_at_ms, t.updated_at_ms, t.last_checkpoint";
}

ThreadRecord thread_from_row(const soci::row& row) {
    ThreadRecord thread;
    thread.id = text_at(row, 0);
    thread.tenant = text_at(row, 1);
    thread.metadata_json = text_at(row, 2);
    if (thread.metadata_json.empty()) thread.metadata_json = "{}";
    thread.status = text_at(row, 3);
    thread.created_at_ms = integer_at(row, 4);
    thread.updated_at_ms = integer_at(row, 5);
    thread.checkpoint = integer_at(row, 6);
    return thread;
}

}  // namespace

// Bound by reference to the members: a write fills them and executes, and
// the database skips parsing and planning. On PostgreSQL the bump answers
// the new number in the same round trip (RETURNING); SQLite reads it with a
// second statement, as an UPDATE ... RETURNING left prepared would hold its
// statement open (see RunRepository's hot statements).
struct ThreadRepository::WriteStatements {
    WriteStatements(soci::session& session, Dialect dialect)
        : bump(session), number(session), memory(session), checkpoint_row(session),
          returning(dialect == Dialect::postgresql) {
        std::string upsert = "INSERT INTO threads (id, created_at_ms, updated_at_ms, last_checkpoint) "
                             "VALUES (:id, :c, :u, 1) ON CONFLICT (id) DO UPDATE SET "
                             "updated_at_ms = excluded.updated_at_ms, last_checkpoint = threads.last_checkpoint + 1";
        if (returning) {
            bump = (session.prepare << upsert + " RETURNING last_checkpoint", soci::into(checkpoint),
                    soci::use(thread_id), soci::use(now), soci::use(now));
        } else {
            bump = (session.prepare << upsert, soci::use(thread_id), soci::use(now), soci::use(now));
            number = (session.prepare << "SELECT last_checkpoint FROM threads WHERE id = :id", soci::into(checkpoint),
                      soci::use(thread_id));
        }
        memory = (session.prepare << "INSERT INTO thread_memory (thread_id, key, value, updated_at_ms) "
                                     "VALUES (:t, :k, :v, :u) ON CONFLICT (thread_id, key) DO UPDATE SET "
                                     "value = excluded.value, updated_at_ms = excluded.updated_at_ms",
                  soci::use(thread_id), soci::use(key), soci::use(value), soci::use(now));
        checkpoint_row = (session.prepare << "INSERT INTO thread_checkpoints (thread_id, seq, key, value, run_id, "
                                             "actor, at_ms) VALUES (:t, :s, :k, :v, :r, :a, :at)",
                          soci::use(thread_id), soci::use(checkpoint), soci::use(key), soci::use(value),
                          soci::use(run_id, run_indicator), soci::use(actor, actor_indicator), soci::use(now));
    }

    std::string thread_id, key, value, run_id, actor;
    long long now = 0;
    long long checkpoint = 0;
    soci::indicator run_indicator = soci::i_null, actor_indicator = soci::i_null;
    soci::statement bump, number, memory, checkpoint_row;
    bool returning;
};

ThreadRepository::ThreadRepository(Dialect dialect) : dialect_(dialect) {}

ThreadRepository::~ThreadRepository() = default;

ThreadRepository::WriteStatements& ThreadRepository::prepared(soci::session& session) const {
    std::lock_guard<std::mutex> lock(prepared_mutex_);
    auto& slot = prepared_[&session];
    if (!slot) slot = std::make_unique<WriteStatements>(session, dialect_);
    return *slot;
}

void ThreadRepository::forget_session(const soci::session* session) const {
    std::lock_guard<std::mutex> lock(prepared_mutex_);
    prepared_.erase(session);
}

void ThreadRepository::forget_all_sessions() const {
    std::lock_guard<std::mutex> lock(prepared_mutex_);
    prepared_.clear();
}

bool ThreadRepository::create(soci::session& session, const ThreadRecord& thread) const {
    soci::statement insert =
        (session.prepare << "INSERT INTO threads (id, created_at_ms, updated_at_ms, metadata, tenant, last_checkpoint) "
                            "VALUES (:id, :c, :u, :m, :t, 0) ON CONFLICT (id) DO NOTHING",
         soci::use(thread.id), soci::use(thread.created_at_ms), soci::use(thread.created_at_ms),
         soci::use(thread.metadata_json), soci::use(thread.tenant));
    insert.execute(true);
    return insert.get_affected_rows() == 1;
}

std::optional<ThreadRecord> ThreadRepository::find(soci::session& session, const std::string& thread_id) const {
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT " + thread_columns() + " FROM threads t WHERE t.id = :id", soci::use(thread_id));
    for (const soci::row& row : rows) return thread_from_row(row);
    return std::nullopt;
}

std::optional<std::string> ThreadRepository::owner(soci::session& session, const std::string& thread_id) const {
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kOwner + " FROM threads t WHERE t.id = :id", soci::use(thread_id));
    for (const soci::row& row : rows) return text_at(row, 0);
    return std::nullopt;
}

ThreadPage ThreadRepository::list(soci::session& session, const ThreadFilter& filter) const {
    NewestFirstPage paging(filter.cursor, filter.limit, "v.");
    // The derived columns are filtered on outside; both databases merge the
    // subquery and walk threads_by_created newest first.
    std::string sql = "SELECT * FROM (SELECT " + thread_columns() + " FROM threads t) v WHERE 1 = 1";
    if (!filter.status.empty()) sql += " AND v.status = :status";
    if (filter.by_tenant) sql += " AND v.owner = :tenant";
    sql += paging.sql_tail();

    soci::statement statement = session.prepare << sql;
    if (!filter.status.empty()) statement.exchange(soci::use(filter.status));
    if (filter.by_tenant) statement.exchange(soci::use(filter.tenant));
    ThreadPage page;
    page.threads = paging.fetch<ThreadRecord>(statement, thread_from_row, page.next_cursor);
    return page;
}

ThreadMemory ThreadRepository::values(soci::session& session, const std::string& thread_id) const {
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT t.last_checkpoint, m.key, m.value FROM threads t "
                            "LEFT JOIN thread_memory m ON m.thread_id = t.id WHERE t.id = :t ORDER BY m.key",
         soci::use(thread_id));
    ThreadMemory memory;
    for (const soci::row& row : rows) {
        memory.checkpoint = integer_at(row, 0);
        if (row.get_indicator(1) != soci::i_null) memory.values.emplace_back(text_at(row, 1), text_at(row, 2));
    }
    return memory;
}

ThreadValues ThreadRepository::values_at(soci::session& session, const std::string& thread_id,
                                         long long checkpoint) const {
    // Replayed oldest first: the last write of each key wins. Reads of old
    // checkpoints are rare (state at a checkpoint, copies), so no index is
    // paid for on every write to make them cheaper.
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT key, value FROM thread_checkpoints WHERE thread_id = :t AND seq <= :s ORDER BY seq",
         soci::use(thread_id), soci::use(checkpoint));
    std::map<std::string, std::string> latest;
    for (const soci::row& row : rows) latest[text_at(row, 0)] = text_at(row, 1);
    return ThreadValues(latest.begin(), latest.end());
}

long long ThreadRepository::record_writes(soci::session& session, const std::string& thread_id,
                                          const ThreadValues& writes, const CheckpointAuthor& author) const {
    WriteStatements& statements = prepared(session);
    statements.thread_id = thread_id;
    statements.now = now_ms();
    statements.run_id = author.run_id;
    statements.actor = author.actor;
    statements.run_indicator = author.run_id.empty() ? soci::i_null : soci::i_ok;
    statements.actor_indicator = author.actor.empty() ? soci::i_null : soci::i_ok;
    statements.bump.execute(true);
    if (!statements.returning) {
        statements.number.execute(true);
        // Stepped to its end: an active SQLite statement keeps its read
        // transaction past COMMIT and pins the WAL (see RunRepository::complete).
        statements.number.fetch();
    }
    for (const auto& [key, value] : writes) {
        statements.key = key;
        statements.value = value;
        statements.memory.execute(true);
        statements.checkpoint_row.execute(true);
    }
    return statements.checkpoint;
}

CheckpointPage ThreadRepository::history(soci::session& session, const std::string& thread_id, size_t limit,
                                         long long before, size_t max_value_bytes) const {
    long long below = before > 0 ? before : LLONG_MAX;
    long long wanted = static_cast<long long>(limit) + 1;
    std::vector<long long> numbers;
    {
        soci::rowset<soci::row> rows =
            (session.prepare << "SELECT DISTINCT seq FROM thread_checkpoints WHERE thread_id = :t AND seq < :b "
                                "ORDER BY seq DESC LIMIT :n",
             soci::use(thread_id), soci::use(below), soci::use(wanted));
        for (const soci::row& row : rows) numbers.push_back(integer_at(row, 0));
    }
    CheckpointPage page;
    if (numbers.empty()) return page;
    bool more = numbers.size() > limit;
    if (more) numbers.pop_back();
    long long newest = numbers.front();
    long long oldest = numbers.back();
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT seq, key, value, run_id, actor, at_ms FROM thread_checkpoints "
                            "WHERE thread_id = :t AND seq <= :hi AND seq >= :lo ORDER BY seq DESC, key",
         soci::use(thread_id), soci::use(newest), soci::use(oldest));
    size_t bytes = 0;
    for (const soci::row& row : rows) {
        long long seq = integer_at(row, 0);
        if (page.checkpoints.empty() || page.checkpoints.back().id != seq) {
            // A page holds whole checkpoints; once over the byte budget the
            // rest is left for the next page.
            if (!page.checkpoints.empty() && bytes >= max_value_bytes) {
                more = true;
                break;
            }
            Checkpoint checkpoint;
            checkpoint.id = seq;
            checkpoint.author = {text_at(row, 3), text_at(row, 4)};
            checkpoint.at_ms = integer_at(row, 5);
            page.checkpoints.push_back(std::move(checkpoint));
        }
        std::string value = text_at(row, 2);
        bytes += value.size();
        page.checkpoints.back().writes.emplace_back(text_at(row, 1), std::move(value));
    }
    if (more) page.next_before = page.checkpoints.back().id;
    return page;
}

bool ThreadRepository::copy(soci::session& session, const std::string& source_id, const ThreadRecord& fork,
                            long long upto) const {
    soci::statement insert =
        (session.prepare << "INSERT INTO threads (id, created_at_ms, updated_at_ms, metadata, tenant, last_checkpoint) "
                            "VALUES (:id, :c, :u, :m, :t, :k) ON CONFLICT (id) DO NOTHING",
         soci::use(fork.id), soci::use(fork.created_at_ms), soci::use(fork.created_at_ms),
         soci::use(fork.metadata_json), soci::use(fork.tenant), soci::use(upto));
    insert.execute(true);
    if (insert.get_affected_rows() != 1) return false;
    // The fork keeps the history that led to it, with the same numbers, so
    // its checkpoints up to `upto` read as the original's did.
    session << "INSERT INTO thread_checkpoints (thread_id, seq, key, value, run_id, actor, at_ms) "
               "SELECT :fork, seq, key, value, run_id, actor, at_ms FROM thread_checkpoints "
               "WHERE thread_id = :source AND seq <= :s",
        soci::use(fork.id), soci::use(source_id), soci::use(upto);
    for (const auto& [key, value] : values_at(session, source_id, upto))
        session << "INSERT INTO thread_memory (thread_id, key, value, updated_at_ms) VALUES (:t, :k, :v, :u)",
            soci::use(fork.id), soci::use(key), soci::use(value), soci::use(fork.created_at_ms);
    return true;
}

ThreadDeleteOutcome ThreadRepository::remove(soci::session& session, const std::string& thread_id) const {
    // On PostgreSQL the row lock orders this against a run being added on
    // another host (its insert upserts this row): it either committed
    // first and is seen below, or lands on a new thread after the delete.
    std::string lock = dialect_ == Dialect::postgresql ? " FOR UPDATE" : "";
    std::string found;
    soci::indicator found_indicator = soci::i_null;
    session << "SELECT id FROM threads WHERE id = :t" + lock, soci::into(found, found_indicator), soci::use(thread_id);
    if (!session.got_data()) return ThreadDeleteOutcome::not_found;
    long long active = 0;
    session << "SELECT COUNT(*) FROM runs WHERE thread_id = :t AND status NOT IN ('succeeded', 'failed', 'cancelled')",
        soci::into(active), soci::use(thread_id);
    if (active > 0) return ThreadDeleteOutcome::busy;
    session << "DELETE FROM run_events WHERE run_id IN (SELECT id FROM runs WHERE thread_id = :t)", soci::use(thread_id);
    session << "DELETE FROM run_dependencies WHERE run_id IN (SELECT id FROM runs WHERE thread_id = :t) "
               "OR depends_on IN (SELECT id FROM runs WHERE thread_id = :t2)",
        soci::use(thread_id), soci::use(thread_id);
    session << "DELETE FROM runs WHERE thread_id = :t", soci::use(thread_id);
    session << "DELETE FROM thread_checkpoints WHERE thread_id = :t", soci::use(thread_id);
    session << "DELETE FROM thread_memory WHERE thread_id = :t", soci::use(thread_id);
    session << "DELETE FROM threads WHERE id = :t", soci::use(thread_id);
    return ThreadDeleteOutcome::deleted;
}

}  // namespace agenthost::store
