// What happens around a run's ends beyond its outcome: a delayed run's
// not-before time, and on_completion delete / rollback.
#include "store/run_repository.hpp"

#include "store/row_reader.hpp"

#include <climits>

namespace agenthost::store {

void RunRepository::store_schedule(soci::session& session, const RunRecord& run) const {
    if (run.run_after_ms <= 0 && run.on_completion.empty()) return;
    // The batched insert is written first: the row must exist to be updated.
    flush_queued(session);
    soci::indicator after = run.run_after_ms > 0 ? soci::i_ok : soci::i_null;
    soci::indicator completion = run.on_completion.empty() ? soci::i_null : soci::i_ok;
    long long run_after = run.run_after_ms;
    std::string on_completion = run.on_completion;
    session << "UPDATE runs SET run_after_ms = :a, on_completion = :o WHERE id = :id", soci::use(run_after, after),
        soci::use(on_completion, completion), soci::use(run.id);
}

void RunRepository::mark_rollback(soci::session& session, const std::string& run_id) const {
    session << "UPDATE runs SET on_completion = 'rollback' WHERE id = :id", soci::use(run_id);
}

bool RunRepository::settle_completion(soci::session& session, const std::string& run_id,
                                      const std::string& actor) const {
    std::string lock = dialect_ == Dialect::postgresql ? " FOR UPDATE" : "";
    std::string thread_id, on_completion, status;
    soci::indicator completion_indicator = soci::i_null;
    session << "SELECT thread_id, on_completion, status FROM runs WHERE id = :id" + lock, soci::into(thread_id),
        soci::into(on_completion, completion_indicator), soci::into(status), soci::use(run_id);
    if (!session.got_data() || completion_indicator != soci::i_ok || !run_status::is_terminal(status)) return false;
    if (on_completion != "delete" && on_completion != "rollback") return false;
    if (on_completion == "rollback") {
        // The run's own checkpoint rows go; the memory is what the rows
        // left replay to. With no other writer since the run's first write,
        // that is the memory as of the checkpoint before it; a person's or
        // another run's later write survives.
        soci::statement drop = (session.prepare << "DELETE FROM thread_checkpoints WHERE thread_id = :t AND run_id = :r",
                                soci::use(thread_id), soci::use(run_id));
        drop.execute(true);
        if (drop.get_affected_rows() > 0) {
            long long now = now_ms();
            ThreadValues restored = threads_.values_at(session, thread_id, LLONG_MAX);
            session << "DELETE FROM thread_memory WHERE thread_id = :t", soci::use(thread_id);
            for (const auto& [key, value] : restored)
                session << "INSERT INTO thread_memory (thread_id, key, value, updated_at_ms) VALUES (:t, :k, :v, :u)",
                    soci::use(thread_id), soci::use(key), soci::use(value), soci::use(now);
            // A new checkpoint number: a client holding the old one sees
            // that the memory changed. It has no rows of its own (a rollback
            // removes keys, which a checkpoint row cannot say).
            session << "UPDATE threads SET last_checkpoint = last_checkpoint + 1, updated_at_ms = :u WHERE id = :t",
                soci::use(now), soci::use(thread_id);
        }
    }
    return delete_finished(session, run_id, actor);
}

std::vector<std::string> RunRepository::ended_to_settle(soci::session& session, size_t limit) const {
    long long count = static_cast<long long>(limit);
    std::vector<std::string> ids;
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT id FROM runs WHERE on_completion IS NOT NULL "
                            "AND status IN ('succeeded', 'failed', 'cancelled') LIMIT :n",
         soci::use(count));
    for (const soci::row& row : rows) ids.push_back(text_at(row, 0));
    return ids;
}

}  // namespace agenthost::store
