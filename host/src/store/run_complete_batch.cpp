#include "store/run_complete_batch.hpp"

#include "store/row_reader.hpp"

#include <algorithm>

namespace agenthost::store {

void RunCompleteBatch::Slot::set(const RunRecord& run) {
    id = run.id;
    status = run.status;
    result = run.result_json;
    error = run.error;
    error_type = run.error_type;
    usage = run.llm_usage_json;
    token = run.fencing_token;
    finished = run.finished_at_ms;
    attempts = run.attempts;
    started = run.started_at_ms;
    result_set = result.empty() ? soci::i_null : soci::i_ok;
    error_set = error.empty() ? soci::i_null : soci::i_ok;
    type_set = error_type.empty() ? soci::i_null : soci::i_ok;
    usage_set = usage.empty() ? soci::i_null : soci::i_ok;
    started_set = started == 0 ? soci::i_null : soci::i_ok;
}

bool RunCompleteBatch::holds(const std::string& run_id) const {
    return std::any_of(pending_.begin(), pending_.end(), [&](const RunRecord& run) { return run.id == run_id; });
}

soci::statement& RunCompleteBatch::statement(size_t rows) {
    std::unique_ptr<soci::statement>& slot = statements_[rows].statement;
    if (slot) return *slot;
    // PostgreSQL types a VALUES list's parameters as text unless told; the
    // casts say which are numbers (SQLite takes them as they are bound).
    std::string values;
    for (size_t i = 0; i < rows; ++i) {
        std::string n = std::to_string(i);
        values += (i == 0 ? "(:i" : ", (:i") + n + ", CAST(:k" + n + " AS BIGINT), :s" + n + ", :r" + n + ", :e" + n +
                  ", :t" + n + ", :u" + n + ", CAST(:f" + n + " AS BIGINT), CAST(:a" + n + " AS BIGINT), CAST(:b" + n +
                  " AS BIGINT))";
    }
    // The same fence as complete(): the row changes only while the claim
    // holds and the run is running. RETURNING names the target's columns
    // only (SQLite allows no others), hence v's own column names.
    std::string sql =
        "WITH v(rid, tok, st, res, err, et, usg, fin, att, sta) AS (VALUES " + values +
        ") UPDATE runs SET status = v.st, result = v.res, error = v.err, error_type = v.et, llm_usage = v.usg, "
        "finished_at_ms = v.fin, updated_at_ms = v.fin, attempts = v.att, started_at_ms = v.sta, "
        "lease_owner = NULL, lease_expires_at_ms = NULL "
        "FROM v WHERE runs.id = v.rid AND runs.fencing_token = v.tok AND runs.status = 'running' "
        "RETURNING id, has_dependants";
    auto statement = std::make_unique<soci::statement>(session_);
    statement->exchange(soci::into(statements_[rows].returned));
    for (size_t i = 0; i < rows; ++i) {
        Slot& s = slots_[i];
        statement->exchange(soci::use(s.id));
        statement->exchange(soci::use(s.token));
        statement->exchange(soci::use(s.status));
        statement->exchange(soci::use(s.result, s.result_set));
        statement->exchange(soci::use(s.error, s.error_set));
        statement->exchange(soci::use(s.error_type, s.type_set));
        statement->exchange(soci::use(s.usage, s.usage_set));
        statement->exchange(soci::use(s.finished));
        statement->exchange(soci::use(s.attempts));
        statement->exchange(soci::use(s.started, s.started_set));
    }
    statement->alloc();
    statement->prepare(sql);
    statement->define_and_bind();
    slot = std::move(statement);
    return *slot;
}

std::vector<RunCompleteBatch::Taken> RunCompleteBatch::flush(std::vector<RunRecord>& flushed) {
    std::vector<Taken> taken;
    flushed.clear();
    if (pending_.empty()) return taken;
    std::vector<RunRecord>& pending = flushed;
    pending.swap(pending_);  // forgotten whatever the database says
    for (size_t begin = 0; begin < pending.size(); begin += kRows) {
        size_t rows = std::min(kRows, pending.size() - begin);
        for (size_t i = 0; i < rows; ++i) slots_[i].set(pending[begin + i]);
        soci::statement& update = statement(rows);
        const soci::row& returned = statements_[rows].returned;
        update.execute(false);
        // Stepped to its end: SQLite keeps a statement with rows left open,
        // and an open statement pins the WAL past the commit.
        while (update.fetch()) {
            std::string id = text_at(returned, 0);
            for (size_t i = 0; i < rows; ++i) {
                if (slots_[i].id != id) continue;
                taken.push_back({begin + i, integer_at(returned, 1) != 0});
                break;
            }
        }
    }
    return taken;
}

}  // namespace agenthost::store
