#include "store/run_insert_batch.hpp"

#include <algorithm>
#include <string>

namespace agenthost::store {

void RunInsertBatch::Slot::set(RunRecord&& from) {
    run = std::move(from);
    pipeline = run.pipeline_id.empty() ? soci::i_null : soci::i_ok;
    step = run.pipeline_step < 0 ? soci::i_null : soci::i_ok;
    webhook = run.webhook_url.empty() ? soci::i_null : soci::i_ok;
    secret = run.webhook_secret.empty() ? soci::i_null : soci::i_ok;
    routing = run.routing_json.empty() ? soci::i_null : soci::i_ok;
    options = run.options_json.empty() ? soci::i_null : soci::i_ok;
    approval = run.approval_json.empty() ? soci::i_null : soci::i_ok;
    approval_state = run.approval_state.empty() ? soci::i_null : soci::i_ok;
    approval_expiry = run.approval_expires_at_ms == 0 ? soci::i_null : soci::i_ok;
    step_key = run.step_key.empty() ? soci::i_null : soci::i_ok;
    iteration = run.pipeline_iteration == 0 ? soci::i_null : soci::i_ok;
    lease_owner = run.lease_owner.empty() ? soci::i_null : soci::i_ok;
    lease = run.lease_expires_at_ms == 0 ? soci::i_null : soci::i_ok;
    started = run.started_at_ms == 0 ? soci::i_null : soci::i_ok;
    trace = run.trace_parent.empty() ? soci::i_null : soci::i_ok;
}

// The runs columns bound per row (cancel_requested is a literal 0).
constexpr int kBoundColumns = 28;

soci::statement& RunInsertBatch::runs_statement(size_t rows) {
    std::unique_ptr<soci::statement>& slot = insert_runs_[rows];
    if (slot) return *slot;
    std::string sql =
        "INSERT INTO runs (id, thread_id, agent, task, context, status, attempts, max_attempts, fencing_token, "
        "cancel_requested, pipeline_id, pipeline_step, webhook_url, webhook_secret, created_at_ms, updated_at_ms, "
        "routing, options, approval, approval_state, approval_expires_at_ms, step_key, pipeline_iteration, tenant, "
        "lease_owner, lease_expires_at_ms, started_at_ms, key_id, trace_parent) VALUES ";
    auto statement = std::make_unique<soci::statement>(session_);
    for (size_t i = 0; i < rows; ++i) {
        std::string row = "(";
        for (int column = 0; column < kBoundColumns; ++column) {
            row += ":p" + std::to_string(i) + "_" + std::to_string(column) + (column < kBoundColumns - 1 ? ", " : ")");
            if (column == 8) row += "0, ";  // cancel_requested
        }
        sql += (i == 0 ? "" : ", ") + row;
        Slot& s = slots_[i];
        RunRecord& r = s.run;
        statement->exchange(soci::use(r.id));
        statement->exchange(soci::use(r.thread_id));
        statement->exchange(soci::use(r.agent));
        statement->exchange(soci::use(r.task));
        statement->exchange(soci::use(r.context_json));
        statement->exchange(soci::use(r.status));
        statement->exchange(soci::use(r.attempts));
        statement->exchange(soci::use(r.max_attempts));
        statement->exchange(soci::use(r.fencing_token));
        statement->exchange(soci::use(r.pipeline_id, s.pipeline));
        statement->exchange(soci::use(r.pipeline_step, s.step));
        statement->exchange(soci::use(r.webhook_url, s.webhook));
        statement->exchange(soci::use(r.webhook_secret, s.secret));
        statement->exchange(soci::use(r.created_at_ms));
        statement->exchange(soci::use(r.updated_at_ms));
        statement->exchange(soci::use(r.routing_json, s.routing));
        statement->exchange(soci::use(r.options_json, s.options));
        statement->exchange(soci::use(r.approval_json, s.approval));
        statement->exchange(soci::use(r.approval_state, s.approval_state));
        statement->exchange(soci::use(r.approval_expires_at_ms, s.approval_expiry));
        statement->exchange(soci::use(r.step_key, s.step_key));
        statement->exchange(soci::use(r.pipeline_iteration, s.iteration));
        statement->exchange(soci::use(r.tenant));
        statement->exchange(soci::use(r.lease_owner, s.lease_owner));
        statement->exchange(soci::use(r.lease_expires_at_ms, s.lease));
        statement->exchange(soci::use(r.started_at_ms, s.started));
        statement->exchange(soci::use(r.key_id));
        statement->exchange(soci::use(r.trace_parent, s.trace));
    }
    statement->alloc();
    statement->prepare(sql);
    statement->define_and_bind();
    slot = std::move(statement);
    return *slot;
}

soci::statement& RunInsertBatch::threads_statement(size_t rows) {
    std::unique_ptr<soci::statement>& slot = upsert_threads_[rows];
    if (slot) return *slot;
    std::string sql = "INSERT INTO threads (id, created_at_ms, updated_at_ms) VALUES ";
    auto statement = std::make_unique<soci::statement>(session_);
    for (size_t i = 0; i < rows; ++i) {
        std::string n = std::to_string(i);
        sql += (i == 0 ? "(:i" : ", (:i") + n + ", :c" + n + ", :u" + n + ")";
        statement->exchange(soci::use(threads_[i].id));
        statement->exchange(soci::use(threads_[i].created_at_ms));
        statement->exchange(soci::use(threads_[i].updated_at_ms));
    }
    sql += " ON CONFLICT (id) DO UPDATE SET updated_at_ms = excluded.updated_at_ms";
    statement->alloc();
    statement->prepare(sql);
    statement->define_and_bind();
    slot = std::move(statement);
    return *slot;
}

void RunInsertBatch::flush() {
    if (pending_.empty()) return;
    std::vector<RunRecord> pending;
    pending.swap(pending_);  // forgotten whatever the database says
    for (size_t begin = 0; begin < pending.size(); begin += kRows) {
        size_t rows = std::min(kRows, pending.size() - begin);
        // A thread's row first (runs reference it); one upsert may not
        // touch a row twice (PostgreSQL), so a thread named by two runs of
        // the chunk is listed once, with the later time.
        size_t threads = 0;
        for (size_t i = 0; i < rows; ++i) {
            const RunRecord& run = pending[begin + i];
            auto same = std::find_if(threads_.begin(), threads_.begin() + threads,
                                     [&](const ThreadSlot& t) { return t.id == run.thread_id; });
            if (same != threads_.begin() + threads) {
                same->updated_at_ms = std::max(same->updated_at_ms, run.updated_at_ms);
                continue;
            }
            threads_[threads++] = {run.thread_id, run.created_at_ms, run.updated_at_ms};
        }
        threads_statement(threads).execute(true);
        for (size_t i = 0; i < rows; ++i) slots_[i].set(std::move(pending[begin + i]));
        runs_statement(rows).execute(true);
    }
}

}  // namespace agenthost::store
