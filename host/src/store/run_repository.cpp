#include "store/run_repository.hpp"

#include "store/newest_first_page.hpp"

#include "store/row_reader.hpp"
#include "store/run_complete_batch.hpp"
#include "store/run_insert_batch.hpp"
#include "store/run_rows.hpp"
#include "store/secret_box.hpp"

#include <algorithm>
#include <array>

namespace agenthost::store {
// Statements bound by reference to the members below: a write fills the
// members and executes, and SQLite/PostgreSQL skip parsing and planning.
struct RunRepository::HotStatements {
    HotStatements(soci::session& session, Dialect dialect)
        : upsert_thread(session), insert_run(session), insert_event(session), insert_fenced_event(session),
          complete(session), dependants(session), returning(dialect == Dialect::postgresql) {
        upsert_thread = (session.prepare << "INSERT INTO threads (id, created_at_ms, updated_at_ms) VALUES (:id, :c, :u) "
                                            "ON CONFLICT (id) DO UPDATE SET updated_at_ms = excluded.updated_at_ms",
                         soci::use(run.thread_id), soci::use(run.created_at_ms), soci::use(run.updated_at_ms));
        insert_run = (session.prepare << "INSERT INTO runs (id, thread_id, agent, task, context, status, attempts, "
                                         "max_attempts, fencing_token, cancel_requested, pipeline_id, pipeline_step, "
                                         "webhook_url, webhook_secret, created_at_ms, updated_at_ms, routing, options, "
                                         "approval, approval_state, approval_expires_at_ms, step_key, pipeline_iteration, tenant, "
                                         "lease_owner, lease_expires_at_ms, started_at_ms, key_id, trace_parent) "
                                         "VALUES (:id, :thread, "
                                         ":agent, :task, :context, :status, :attempts, :max, :token, 0, :pipeline, :step, "
                                         ":webhook, :secret, :created, :updated, :routing, :options, :approval, :astate, "
                                         ":aexp, :stepkey, :iteration, :tenant, :owner, :lease, :started, :keyid, :trace)",
                      soci::use(run.id), soci::use(run.thread_id), soci::use(run.agent), soci::use(run.task),
                      soci::use(run.context_json), soci::use(run.status), soci::use(run.attempts),
                      soci::use(run.max_attempts), soci::use(run.fencing_token),
                      soci::use(run.pipeline_id, pipeline_indicator), soci::use(run.pipeline_step, step_indicator),
                      soci::use(run.webhook_url, webhook_indicator), soci::use(run.webhook_secret, secret_indicator),
                      soci::use(run.created_at_ms), soci::use(run.updated_at_ms),
                      soci::use(run.routing_json, routing_indicator), soci::use(run.options_json, options_indicator),
                      soci::use(run.approval_json, approval_indicator),
                      soci::use(run.approval_state, approval_state_indicator),
                      soci::use(run.approval_expires_at_ms, approval_expiry_indicator),
                      soci::use(run.step_key, step_key_indicator),
                      soci::use(run.pipeline_iteration, iteration_indicator), soci::use(run.tenant),
                      soci::use(run.lease_owner, lease_owner_indicator),
                      soci::use(run.lease_expires_at_ms, lease_indicator),
                      soci::use(run.started_at_ms, started_indicator), soci::use(run.key_id),
                      soci::use(run.trace_parent, trace_indicator));
        insert_event = (session.prepare << "INSERT INTO run_events (run_id, seq, type, ts_ms, data) VALUES (:r, :s, :t, :ts, :d)",
                        soci::use(event.run_id), soci::use(event.seq), soci::use(event.type), soci::use(event.ts_ms),
                        soci::use(event.data_json));
        insert_fenced_event =
            (session.prepare << "INSERT INTO run_events (run_id, seq, type, ts_ms, data) "
                                "SELECT :r, :s, :t, :ts, :d WHERE EXISTS "
                                "(SELECT 1 FROM runs WHERE id = :r2 AND fencing_token = :f AND status = 'running')",
             soci::use(event.run_id), soci::use(event.seq), soci::use(event.type), soci::use(event.ts_ms),
             soci::use(event.data_json), soci::use(event.run_id), soci::use(fencing_token));
        // Whether the run has dependants comes back with the update on
        // PostgreSQL: RETURNING gives the newest version of the row, so a
        // dependency committed while this waited for the row lock is seen,
        // in the same round trip. SQLite has one writer and a cheap local
        // read, and keeps an UPDATE ... RETURNING open until stepped to its
        // end, so it reads the flag with a second statement.
        std::string update = "UPDATE runs SET status = :status, result = :result, error = :error, "
                             "error_type = :type, llm_usage = :usage, finished_at_ms = :now, updated_at_ms = :now2, "
                             "attempts = :attempts, started_at_ms = :started, "
                             "lease_owner = NULL, lease_expires_at_ms = NULL "
                             "WHERE id = :id AND fencing_token = :token AND status = 'running'";
        if (returning) {
            complete = (session.prepare << update + " RETURNING has_dependants", soci::into(has_dependants),
                        soci::use(run.status), soci::use(run.result_json, result_indicator),
                        soci::use(run.error, error_indicator), soci::use(run.error_type, type_indicator),
                        soci::use(run.llm_usage_json, usage_indicator), soci::use(run.finished_at_ms),
                        soci::use(run.finished_at_ms), soci::use(run.attempts),
                        soci::use(run.started_at_ms, started_indicator), soci::use(run.id),
                        soci::use(run.fencing_token));
        } else {
            complete = (session.prepare << update, soci::use(run.status), soci::use(run.result_json, result_indicator),
                        soci::use(run.error, error_indicator), soci::use(run.error_type, type_indicator),
                        soci::use(run.llm_usage_json, usage_indicator), soci::use(run.finished_at_ms),
                        soci::use(run.finished_at_ms), soci::use(run.attempts),
                        soci::use(run.started_at_ms, started_indicator), soci::use(run.id),
                        soci::use(run.fencing_token));
            dependants = (session.prepare << "SELECT has_dependants FROM runs WHERE id = :id", soci::into(has_dependants),
                          soci::use(run.id));
        }
    }

    void set_indicators() {
        pipeline_indicator = run.pipeline_id.empty() ? soci::i_null : soci::i_ok;
        step_indicator = run.pipeline_step < 0 ? soci::i_null : soci::i_ok;
        webhook_indicator = run.webhook_url.empty() ? soci::i_null : soci::i_ok;
        secret_indicator = run.webhook_secret.empty() ? soci::i_null : soci::i_ok;
        result_indicator = run.result_json.empty() ? soci::i_null : soci::i_ok;
        error_indicator = run.error.empty() ? soci::i_null : soci::i_ok;
        type_indicator = run.error_type.empty() ? soci::i_null : soci::i_ok;
        routing_indicator = run.routing_json.empty() ? soci::i_null : soci::i_ok;
        options_indicator = run.options_json.empty() ? soci::i_null : soci::i_ok;
        approval_indicator = run.approval_json.empty() ? soci::i_null : soci::i_ok;
        approval_state_indicator = run.approval_state.empty() ? soci::i_null : soci::i_ok;
        approval_expiry_indicator = run.approval_expires_at_ms == 0 ? soci::i_null : soci::i_ok;
        step_key_indicator = run.step_key.empty() ? soci::i_null : soci::i_ok;
        iteration_indicator = run.pipeline_iteration == 0 ? soci::i_null : soci::i_ok;
        usage_indicator = run.llm_usage_json.empty() ? soci::i_null : soci::i_ok;
        lease_owner_indicator = run.lease_owner.empty() ? soci::i_null : soci::i_ok;
        lease_indicator = run.lease_expires_at_ms == 0 ? soci::i_null : soci::i_ok;
        started_indicator = run.started_at_ms == 0 ? soci::i_null : soci::i_ok;
        trace_indicator = run.trace_parent.empty() ? soci::i_null : soci::i_ok;
    }

    // One multi-row INSERT of up to kEventRows events, prepared once per
    // row count on first use.
    static constexpr size_t kEventRows = 16;
    soci::statement& insert_events(soci::session& session, size_t rows) {
        std::unique_ptr<soci::statement>& slot = insert_events_by_rows[rows];
        if (slot) return *slot;
        std::string sql = "INSERT INTO run_events (run_id, seq, type, ts_ms, data) VALUES ";
        for (size_t i = 0; i < rows; ++i) {
            std::string n = std::to_string(i);
            sql += (i == 0 ? "(:r" : ", (:r") + n + ", :s" + n + ", :t" + n + ", :ts" + n + ", :d" + n + ")";
        }
        slot = std::make_unique<soci::statement>(session);
        for (size_t i = 0; i < rows; ++i) use_event(*slot, event_rows[i]);
        slot->alloc();
        slot->prepare(sql);
        slot->define_and_bind();
        return *slot;
    }

    // Binds an event's five columns, in run_events' order, to `statement`.
    static void use_event(soci::statement& statement, RunEvent& event) {
        statement.exchange(soci::use(event.run_id));
        statement.exchange(soci::use(event.seq));
        statement.exchange(soci::use(event.type));
        statement.exchange(soci::use(event.ts_ms));
        statement.exchange(soci::use(event.data_json));
    }

    // PostgreSQL: up to kEventRows progress events of running runs in one
    // statement, each row written only while its run is running under its
    // token (as insert_fenced_event does for one). Bound to
    // fenced_rows/fenced_tokens; prepared once per row count.
    soci::statement& insert_fenced_events(soci::session& session, size_t rows) {
        std::unique_ptr<soci::statement>& slot = insert_fenced_events_by_rows[rows];
        if (slot) return *slot;
        std::string sql = "WITH v(r, s, t, ts, d, f) AS (VALUES ";
        for (size_t i = 0; i < rows; ++i) {
            std::string n = std::to_string(i);
            sql += (i == 0 ? "(:r" : ", (:r") + n + ", CAST(:s" + n + " AS BIGINT), :t" + n + ", CAST(:ts" + n +
                   " AS BIGINT), :d" + n + ", CAST(:f" + n + " AS BIGINT))";
        }
        sql += ") INSERT INTO run_events (run_id, seq, type, ts_ms, data) SELECT v.r, v.s, v.t, v.ts, v.d FROM v "
               "JOIN runs ON runs.id = v.r AND runs.fencing_token = v.f AND runs.status = 'running'";
        slot = std::make_unique<soci::statement>(session);
        for (size_t i = 0; i < rows; ++i) {
            use_event(*slot, fenced_rows[i]);
            slot->exchange(soci::use(fenced_tokens[i]));
        }
        slot->alloc();
        slot->prepare(sql);
        slot->define_and_bind();
        return *slot;
    }

    // The claim, prepared once per list of agents (a reload may change it)
    // and bound to the members below. On PostgreSQL also once per limit,
    // written into the statement: PostgreSQL plans a prepared statement
    // generically after five executions, and with the limit a parameter it
    // chose a bitmap scan of every queued run and a sort (auto_explain
    // under load: 1,537 queued runs read and sorted to claim 82); with the
    // limit known it walks runs_by_status in order and stops.
    struct Claim {
        soci::row row;  // described by this statement only; outlives it
        std::unique_ptr<soci::statement> statement;
    };
    Claim& claim(soci::session& session, const std::string& agent_list, bool postgresql, size_t limit) {
        std::string key = postgresql ? agent_list + "/" + std::to_string(limit) : agent_list;
        Claim& prepared = claims[key];
        std::unique_ptr<soci::statement>& slot = prepared.statement;
        if (slot) return prepared;
        if (claims.size() > 64) {  // lists left behind by reloads, limits seen once
            claims.clear();
            return claim(session, agent_list, postgresql, limit);
        }
        // PostgreSQL hosts skip rows another host is claiming instead of
        // waiting on them; SQLite has one writer, so no row locks are needed.
        std::string lock = postgresql ? " FOR UPDATE SKIP LOCKED" : "";
        std::string sql =
            "UPDATE runs SET status = 'running', attempts = attempts + 1, "
            "started_at_ms = COALESCE(started_at_ms, :now), "
            "fencing_token = fencing_token + 1, lease_owner = :owner, lease_expires_at_ms = :lease, "
            "updated_at_ms = :now2 "
            "WHERE id IN (SELECT id FROM runs WHERE status = 'queued' AND agent IN (" + agent_list +
            ") AND (run_after_ms IS NULL OR run_after_ms <= :due) "
            "ORDER BY created_at_ms LIMIT " + (postgresql ? std::to_string(limit) : std::string(":n")) + lock +
            ") RETURNING " + kRunColumns +
            ", (SELECT MAX(seq) FROM run_events WHERE run_events.run_id = runs.id)";
        slot = std::make_unique<soci::statement>(session);
        slot->exchange(soci::into(prepared.row));
        slot->exchange(soci::use(claim_now));
        slot->exchange(soci::use(claim_owner));
        slot->exchange(soci::use(claim_lease));
        slot->exchange(soci::use(claim_now));
        slot->exchange(soci::use(claim_now));
        if (!postgresql) slot->exchange(soci::use(claim_count));
        slot->alloc();
        slot->prepare(sql);
        slot->define_and_bind();
        return prepared;
    }

    RunRecord run;
    RunEvent event;
    std::array<RunEvent, kEventRows> event_rows;
    // Inserts queued for the batch's multi-row statements (queue_insert).
    std::unique_ptr<RunInsertBatch> queued_runs;
    std::vector<RunEvent> queued_events;
    // Progress events of running runs, each fenced by its run's token
    // (queue_fenced_events), in the order queued.
    std::vector<std::pair<RunEvent, long long>> queued_fenced_events;
    // Outcomes queued for the batch's multi-row update (queue_complete),
    // with what follows each one that takes, in the order queued.
    struct QueuedOutcome {
        std::vector<RunEvent> events;
        std::shared_ptr<bool> taken;
    };
    std::unique_ptr<RunCompleteBatch> queued_outcomes;
    std::vector<QueuedOutcome> outcome_followups;
    std::map<std::string, Claim> claims;
    long long claim_now = 0, claim_lease = 0, claim_count = 0;
    std::string claim_owner;
    std::array<std::unique_ptr<soci::statement>, kEventRows + 1> insert_events_by_rows;
    std::array<RunEvent, kEventRows> fenced_rows;
    std::array<long long, kEventRows> fenced_tokens{};
    std::array<std::unique_ptr<soci::statement>, kEventRows + 1> insert_fenced_events_by_rows;
    long long fencing_token = 0;
    int has_dependants = 0;
    soci::indicator pipeline_indicator = soci::i_null, step_indicator = soci::i_null, webhook_indicator = soci::i_null,
                    secret_indicator = soci::i_null, result_indicator = soci::i_null, error_indicator = soci::i_null,
                    type_indicator = soci::i_null, routing_indicator = soci::i_null,
                    options_indicator = soci::i_null, approval_indicator = soci::i_null,
                    approval_state_indicator = soci::i_null, approval_expiry_indicator = soci::i_null,
                    step_key_indicator = soci::i_null, usage_indicator = soci::i_null,
                    iteration_indicator = soci::i_null, lease_owner_indicator = soci::i_null,
                    lease_indicator = soci::i_null, started_indicator = soci::i_null, trace_indicator = soci::i_null;
    soci::statement upsert_thread, insert_run, insert_event, insert_fenced_event, complete, dependants;
    bool returning;
};

RunRepository::RunRepository(Dialect dialect) : dialect_(dialect), usage_(dialect), threads_(dialect) {}

RunRepository::~RunRepository() = default;

RunRepository::HotStatements& RunRepository::hot(soci::session& session) const {
    std::lock_guard<std::mutex> lock(hot_mutex_);
    auto& slot = hot_[&session];
    if (!slot) {
        slot = std::make_unique<HotStatements>(session, dialect_);
        slot->queued_runs = std::make_unique<RunInsertBatch>(session);
        slot->queued_outcomes = std::make_unique<RunCompleteBatch>(session, dialect_);
    }
    return *slot;
}

void RunRepository::forget_session(const soci::session* session) const {
    usage_.forget_session(session);
    threads_.forget_session(session);
    std::lock_guard<std::mutex> lock(hot_mutex_);
    hot_.erase(session);
}

void RunRepository::forget_all_sessions() const {
    usage_.forget_all_sessions();
    threads_.forget_all_sessions();
    std::lock_guard<std::mutex> lock(hot_mutex_);
    hot_.clear();
}

namespace run_status {
bool is_terminal(const std::string& status) { return status == succeeded || status == failed || status == cancelled; }
}  // namespace run_status

// The first events of a run as it is stored.
std::vector<RunEvent> RunRepository::first_events(const RunRecord& run, bool start_recorded) const {
    long long now = run.created_at_ms;
    std::string data = "{\"agent\":" + quoted(run.agent) + ",\"thread_id\":" + quoted(run.thread_id);
    if (!run.warnings.empty()) {
        data += ",\"warnings\":[";
        for (size_t i = 0; i < run.warnings.size(); ++i) data += (i ? "," : "") + quoted(run.warnings[i]);
        data += "]";
    }
    data += "}";
    if (run.status == run_status::blocked) return {{run.id, 1, "run.blocked", now, data}};
    if (run.status == run_status::pending_approval)
        return {{run.id, 1, "run.queued", now, data},
                {run.id, 2, "approval.requested", now, run.approval_json.empty() ? "{}" : run.approval_json}};
    if (run.status == run_status::running && start_recorded) {
        // Handed to a worker of this host as it was accepted: its start
        // rides on the accepting commit instead of a write of its own.
        std::string started = "{\"attempt\":" + std::to_string(run.attempts) + ",\"host\":" + quoted(run.lease_owner) + "}";
        return {{run.id, 1, "run.queued", now, data}, {run.id, 2, "run.started", run.started_at_ms, started}};
    }
    return {{run.id, 1, "run.queued", now, data}};
}

void RunRepository::queue_insert(soci::session& session, const RunRecord& run, bool start_recorded) const {
    if (!run.depends_on.empty()) {
        insert(session, run);
        return;
    }
    HotStatements& statements = hot(session);
    RunRecord stored = run;
    stored.webhook_secret = secret_box().seal(run.webhook_secret);
    stored.updated_at_ms = run.created_at_ms;
    for (RunEvent& event : first_events(run, start_recorded)) statements.queued_events.push_back(std::move(event));
    statements.queued_runs->add(std::move(stored));
}

void RunRepository::queue_complete(soci::session& session, const RunRecord& run, std::vector<RunEvent> events,
                                   std::shared_ptr<bool> taken) const {
    HotStatements& statements = hot(session);
    *taken = false;
    // One row per run in an UPDATE ... FROM: a second outcome for the same
    // run (never expected) goes after the first has been written.
    if (statements.queued_outcomes->holds(run.id)) flush_queued(session);
    statements.queued_outcomes->add(run);
    statements.outcome_followups.push_back({std::move(events), std::move(taken)});
}

void RunRepository::queue_fenced_events(soci::session& session, const std::vector<RunEvent>& events,
                                        long long fencing_token) const {
    HotStatements& statements = hot(session);
    for (const RunEvent& event : events) statements.queued_fenced_events.emplace_back(event, fencing_token);
}

void RunRepository::flush_queued(soci::session& session) const {
    HotStatements& statements = hot(session);
    if (statements.queued_runs->empty() && statements.queued_outcomes->empty() &&
        statements.queued_fenced_events.empty())
        return;
    std::vector<RunEvent> events;
    events.swap(statements.queued_events);
    statements.queued_runs->flush();
    // Before the outcomes: a run's progress comes before its end, and the
    // fence reads the run's token while its claim still holds.
    std::vector<std::pair<RunEvent, long long>> fenced;
    fenced.swap(statements.queued_fenced_events);
    if (dialect_ == Dialect::postgresql) {
        // One round trip per kEventRows events instead of one each.
        for (size_t begin = 0; begin < fenced.size(); begin += HotStatements::kEventRows) {
            size_t rows = std::min(HotStatements::kEventRows, fenced.size() - begin);
            for (size_t i = 0; i < rows; ++i) {
                statements.fenced_rows[i] = fenced[begin + i].first;
                statements.fenced_tokens[i] = fenced[begin + i].second;
            }
            statements.insert_fenced_events(session, rows).execute(true);
        }
    } else {
        // In process: the prepared single-row statement costs no round trip.
        for (const auto& [event, token] : fenced) append_event(session, event, token);
    }
    // The outcomes that took: as complete() then append_events for each,
    // their events and those of the runs inserted in one statement.
    std::vector<std::pair<std::string, std::string>> released;
    if (!statements.queued_outcomes->empty()) {
        std::vector<HotStatements::QueuedOutcome> followups;
        followups.swap(statements.outcome_followups);
        std::vector<RunRecord> ended;
        std::vector<RunCompleteBatch::Taken> taken;
        if (dialect_ == Dialect::postgresql) {
            // One round trip for up to 32 outcomes.
            taken = statements.queued_outcomes->flush(ended);
            for (const RunCompleteBatch::Taken& took : taken) queue_webhook(session, ended[took.index], ended[took.index].status);
        } else {
            // SQLite runs in process, so a statement per outcome costs no
            // round trip, while its UPDATE ... FROM and RETURNING build
            // temporary b-trees at every execution (measured: more than
            // the single-row updates they replace). Each goes through
            // complete(), prepared once; the events are still batched.
            statements.queued_outcomes->take(ended);
            for (size_t i = 0; i < ended.size(); ++i) {
                bool has_dependants = false;
                if (complete(session, ended[i], &has_dependants)) taken.push_back({i, has_dependants});
            }
        }
        for (const RunCompleteBatch::Taken& took : taken) {
            HotStatements::QueuedOutcome& followup = followups[took.index];
            const RunRecord& run = ended[took.index];
            *followup.taken = true;
            for (RunEvent& event : followup.events) events.push_back(std::move(event));
            if (took.has_dependants) released.emplace_back(run.id, run.status);
        }
    }
    append_events(session, events);
    for (const auto& [id, status] : released) release_dependants(session, id, status);
}

void RunRepository::discard_queued(soci::session& session) const {
    HotStatements& statements = hot(session);
    statements.queued_runs->discard();
    statements.queued_events.clear();
    statements.queued_fenced_events.clear();
    statements.queued_outcomes->discard();
    statements.outcome_followups.clear();
}

void RunRepository::insert(soci::session& session, const RunRecord& run) const {
    long long now = run.created_at_ms;
    HotStatements& statements = hot(session);
    statements.run = run;
    statements.run.webhook_secret = secret_box().seal(run.webhook_secret);
    statements.run.updated_at_ms = now;
    statements.set_indicators();
    statements.upsert_thread.execute(true);
    statements.insert_run.execute(true);
    // Routine transitions are in the run's own event log; the audit trail
    // records what people and recovery did (cancel, approval, takeover).
    append_events(session, first_events(run));
    for (const auto& [target, kind] : run.depends_on) {
        session << "INSERT INTO run_dependencies (run_id, depends_on, kind) VALUES (:r, :d, :k)", soci::use(run.id),
            soci::use(target), soci::use(kind);
        session << "UPDATE runs SET has_dependants = 1 WHERE id = :d", soci::use(target);
    }
}

void RunRepository::append_event(soci::session& session, const RunEvent& event, long long fencing_token) const {
    HotStatements& statements = hot(session);
    statements.event = event;
    statements.fencing_token = fencing_token;
    (fencing_token < 0 ? statements.insert_event : statements.insert_fenced_event).execute(true);
}

void RunRepository::append_events(soci::session& session, const std::vector<RunEvent>& first,
                                  const std::vector<RunEvent>& then) const {
    HotStatements& statements = hot(session);
    size_t rows = 0;
    auto flush = [&] {
        if (rows > 0) statements.insert_events(session, rows).execute(true);
        rows = 0;
    };
    for (const std::vector<RunEvent>* events : {&first, &then}) {
        for (const RunEvent& event : *events) {
            statements.event_rows[rows++] = event;
            if (rows == HotStatements::kEventRows) flush();
        }
    }
    flush();
}

void RunRepository::append_next_event(soci::session& session, const std::string& run_id, const std::string& type,
                                      const std::string& data_json) const {
    long long now = now_ms();
    session << "INSERT INTO run_events (run_id, seq, type, ts_ms, data) "
               "SELECT :r, COALESCE(MAX(seq), 0) + 1, :t, :ts, :d FROM run_events WHERE run_id = :r2",
        soci::use(run_id), soci::use(type), soci::use(now), soci::use(data_json), soci::use(run_id);
}

std::vector<ClaimedRun> RunRepository::claim(soci::session& session, const std::string& owner,
                                             long long lease_until_ms, size_t limit,
                                             const std::vector<std::string>& agents) const {
    if (agents.empty() || limit == 0) return {};
    // Agent names match ^[a-z][a-z0-9_]*$ (manifest schema), so they are
    // safe to inline; SOCI cannot bind a list.
    std::string agent_list;
    for (const auto& agent : agents) agent_list += (agent_list.empty() ? "'" : ",'") + agent + "'";
    HotStatements& statements = hot(session);
    HotStatements::Claim& prepared = statements.claim(session, agent_list, dialect_ == Dialect::postgresql, limit);
    soci::statement& claim = *prepared.statement;
    statements.claim_now = now_ms();
    statements.claim_owner = owner;
    statements.claim_lease = lease_until_ms;
    statements.claim_count = static_cast<long long>(limit);
    std::vector<ClaimedRun> claimed;
    // The claim counts the attempt in the same commit, so a run whose plugin
    // kills the host has that attempt on record (poison) and no worker waits
    // for a second commit before calling its plugin. A run claimed ahead
    // that never starts gets it back at recovery (runs/start_log.hpp); its
    // run.started event is written by the worker that really starts it.
    // Stepped to its end (SQLite: an open statement pins the WAL).
    claim.execute(false);
    const soci::row& row = prepared.row;
    // The last event's number comes back with the claim: the worker numbers
    // the run's further events from there without another query.
    while (claim.fetch()) claimed.push_back({run_from_row(row), integer_at(row, kColumnAfterRun) + 1});
    // RETURNING follows no ORDER BY (PostgreSQL returns rows as it updated
    // them): the oldest goes to a worker first.
    std::stable_sort(claimed.begin(), claimed.end(), [](const ClaimedRun& a, const ClaimedRun& b) {
        return a.run.created_at_ms < b.run.created_at_ms;
    });
    return claimed;
}

std::vector<std::string> RunRepository::renew_leases(soci::session& session, const std::string& owner,
                                                     const std::vector<std::string>& held,
                                                     long long lease_until_ms) const {
    // Only runs the host still works on keep their lease: one it lost track
    // of expires and is taken over. Run ids are UUIDs the host made, so they
    // are safe to inline (SOCI cannot bind a list).
    std::string ids;
    for (const auto& id : held) {
        bool uuid = id.size() == 36 && std::all_of(id.begin(), id.end(), [](char c) {
                        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
                    });
        if (uuid) ids += (ids.empty() ? "'" : ",'") + id + "'";
    }
    if (ids.empty()) return {};
    std::string condition = "lease_owner = :owner AND status = 'running' AND id IN (" + ids + ")";
    session << "UPDATE runs SET lease_expires_at_ms = :lease WHERE " + condition, soci::use(lease_until_ms),
        soci::use(owner);
    std::vector<std::string> cancelled;
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT id FROM runs WHERE " + condition + " AND cancel_requested = 1", soci::use(owner));
    for (const soci::row& row : rows) cancelled.push_back(text_at(row, 0));
    return cancelled;
}

bool RunRepository::requeue(soci::session& session, const RunRecord& run, const std::string& reason) const {
    long long now = now_ms();
    soci::statement update =
        (session.prepare << "UPDATE runs SET status = 'queued', updated_at_ms = :now, fencing_token = fencing_token + 1, "
                            "lease_owner = NULL, lease_expires_at_ms = NULL "
                            "WHERE id = :id AND fencing_token = :token AND status = 'running'",
         soci::use(now), soci::use(run.id), soci::use(run.fencing_token));
    update.execute(true);
    if (update.get_affected_rows() != 1) return false;
    append_next_event(session, run.id, "run.requeued",
                      "{\"reason\":" + quoted(reason) + ",\"attempts\":" + std::to_string(run.attempts) + "}");
    return true;
}

bool RunRepository::complete(soci::session& session, const RunRecord& run, bool* has_dependants) const {
    HotStatements& statements = hot(session);
    statements.run = run;
    statements.set_indicators();
    statements.has_dependants = 0;
    if (statements.returning) {
        // A row comes back only when the claim still held.
        if (!statements.complete.execute(true)) return false;
    } else {
        statements.complete.execute(true);
        if (statements.complete.get_affected_rows() != 1) return false;
        if (has_dependants != nullptr) {
            statements.dependants.execute(true);
            // SQLite leaves a statement that returned a row active until it
            // is stepped to its end; an active statement holds its read
            // transaction past COMMIT, which pins the WAL snapshot so no
            // checkpoint can ever pass it and the WAL grows without bound.
            statements.dependants.fetch();
        }
    }
    if (has_dependants != nullptr) *has_dependants = statements.has_dependants != 0;
    queue_webhook(session, run, run.status);
    return true;
}

void RunRepository::queue_webhook(soci::session& session, const RunRecord& run, const std::string& status) const {
    usage_.note_ended(session, run, status);
    if (run.webhook_url.empty()) return;
    webhooks_.enqueue(session, "run", run.id, "run." + status, run.webhook_url, run.webhook_secret);
}

CancelOutcome RunRepository::cancel(soci::session& session, const std::string& run_id, const std::string& actor) const {
    auto run = find(session, run_id);
    if (!run) return CancelOutcome::not_found;
    if (run_status::is_terminal(run->status)) return CancelOutcome::already_finished;
    long long now = now_ms();
    if (run->status == run_status::running) {
        session << "UPDATE runs SET cancel_requested = 1, updated_at_ms = :now WHERE id = :id",
            soci::use(now), soci::use(run_id);
        audit(session, run_id, run->pipeline_id, "run.cancel_requested", actor, "");
        return CancelOutcome::requested;
    }
    std::string status = run->status;
    soci::statement update =
        (session.prepare << "UPDATE runs SET status = 'cancelled', cancel_requested = 1, finished_at_ms = :now, "
                            "updated_at_ms = :now2, error = 'cancelled before it started', error_type = 'cancelled' "
                            "WHERE id = :id AND status = :old",
         soci::use(now), soci::use(now), soci::use(run_id), soci::use(status));
    update.execute(true);
    if (update.get_affected_rows() != 1) return cancel(session, run_id, actor);  // it moved on meanwhile
    append_next_event(session, run_id, "run.cancelled", "{\"reason\":\"cancelled before it started\"}");
    audit(session, run_id, run->pipeline_id, "run.cancelled", actor, "");
    queue_webhook(session, *run, run_status::cancelled);
    release_dependants(session, run->id, run_status::cancelled);
    return CancelOutcome::cancelled;
}

std::vector<std::pair<std::string, std::string>> RunRepository::recover_expired(
    soci::session& session, long long now, bool all_running, const std::map<std::string, HostCrash>& crashes,
    const std::set<std::string>* reached_plugin) const {
    std::string lock = dialect_ == Dialect::postgresql ? " FOR UPDATE SKIP LOCKED" : "";
    std::vector<RunRecord> expired;
    std::string condition = all_running ? "status = 'running'" : "status = 'running' AND lease_expires_at_ms < :now";
    std::string query = std::string("SELECT ") + kRunColumns + " FROM runs WHERE " + condition + lock;
    if (all_running) {
        soci::rowset<soci::row> rows = session.prepare << query;
        for (const soci::row& row : rows) expired.push_back(run_from_row(row));
    } else {
        soci::rowset<soci::row> rows = (session.prepare << query, soci::use(now));
        for (const soci::row& row : rows) expired.push_back(run_from_row(row));
    }
    std::vector<std::pair<std::string, std::string>> outcomes;
    for (const RunRecord& run : expired) {
        auto crash = crashes.find(run.id);
        const HostCrash* cause = crash == crashes.end() ? nullptr : &crash->second;
        bool reached = reached_plugin != nullptr && reached_plugin->count(run.id) != 0;
        if (reached && run.attempts > 0 && !start_on_record(session, run)) {
            // The start log proves this attempt reached its plugin, but its
            // worker queued run.started without waiting for the commit and
            // the host died first: the attempt stays counted (poison
            // detection needs it), so its start is written now, in the order
            // it happened, and every counted attempt has its run.started.
            append_next_event(session, run.id, "run.started",
                              "{\"attempt\":" + std::to_string(run.attempts) + ",\"host\":" + quoted(run.lease_owner) +
                                  ",\"recorded_by\":\"recovery\"}");
        }
        // The fencing token moves on so the old holder, if it still lives,
        // can neither complete the run nor add events to it.
        if (run.cancel_requested) {
            // Whoever cancelled it meant it: running it again would undo that.
            std::string error = "cancelled: its host stopped after the cancel was requested";
            session << "UPDATE runs SET status = 'cancelled', error = :e, error_type = 'cancelled', "
                       "finished_at_ms = :now, updated_at_ms = :now2, fencing_token = fencing_token + 1, "
                       "lease_owner = NULL, lease_expires_at_ms = NULL WHERE id = :id",
                soci::use(error), soci::use(now), soci::use(now), soci::use(run.id);
            append_next_event(session, run.id, "run.cancelled",
                              "{\"status\":\"cancelled\",\"error\":" + quoted(error) + ",\"error_type\":\"cancelled\"}");
            audit(session, run.id, run.pipeline_id, "run.cancelled", "recovery", error);
            queue_webhook(session, run, run_status::cancelled);
            release_dependants(session, run.id, run_status::cancelled);
            outcomes.emplace_back(run.id, run_status::cancelled);
        } else if (reached_plugin != nullptr && !reached && run.attempts > 0 && !start_on_record(session, run)) {
            // Claimed ahead of a free worker, never started: the attempt
            // charged at the claim did not happen.
            session << "UPDATE runs SET status = 'queued', attempts = attempts - 1, updated_at_ms = :now, "
                       "fencing_token = fencing_token + 1, lease_owner = NULL, lease_expires_at_ms = NULL WHERE id = :id",
                soci::use(now), soci::use(run.id);
            append_next_event(session, run.id, "run.requeued",
                              "{\"reason\":\"its host stopped before it started\",\"attempts\":" +
                                  std::to_string(run.attempts - 1) + "}");
            audit(session, run.id, run.pipeline_id, "run.requeued", "recovery", run.lease_owner + ": never started");
            outcomes.emplace_back(run.id, run_status::queued);
        } else if (run.attempts >= run.max_attempts) {
            // A run whose own plugin code killed the host is poison: it is
            // never run again, so it cannot keep the service down.
            bool poison = cause != nullptr && cause->faulting;
            std::string used = std::to_string(run.attempts) + " of " + std::to_string(run.max_attempts) + " attempts used";
            std::string error = poison ? "poison: " + cause->description + "; " + used
                                       : "abandoned: its host stopped while running it, " + used +
                                             (cause != nullptr ? " (" + cause->description + ")" : "");
            std::string type = poison ? "poison" : "abandoned";
            session << "UPDATE runs SET status = 'failed', error = :e, error_type = :t, finished_at_ms = :now, "
                       "updated_at_ms = :now2, fencing_token = fencing_token + 1, lease_owner = NULL WHERE id = :id",
                soci::use(error), soci::use(type), soci::use(now), soci::use(now), soci::use(run.id);
            append_next_event(session, run.id, "run.failed",
                              "{\"status\":\"failed\",\"error\":" + quoted(error) + ",\"error_type\":" + quoted(type) + "}");
            audit(session, run.id, run.pipeline_id, "run.failed", "recovery", error);
            queue_webhook(session, run, run_status::failed);
            release_dependants(session, run.id, run_status::failed);
            outcomes.emplace_back(run.id, run_status::failed);
        } else {
            session << "UPDATE runs SET status = 'queued', updated_at_ms = :now, fencing_token = fencing_token + 1, "
                       "lease_owner = NULL, lease_expires_at_ms = NULL WHERE id = :id",
                soci::use(now), soci::use(run.id);
            std::string reason = cause != nullptr ? cause->description : "its host stopped while running it";
            append_next_event(session, run.id, "run.requeued",
                              "{\"reason\":" + quoted(reason) + ",\"attempts\":" + std::to_string(run.attempts) + "}");
            audit(session, run.id, run.pipeline_id, "run.requeued", "recovery",
                  cause != nullptr ? run.lease_owner + ": " + cause->description : run.lease_owner);
            outcomes.emplace_back(run.id, run_status::queued);
        }
    }
    return outcomes;
}

bool RunRepository::start_on_record(soci::session& session, const RunRecord& run) const {
    // A run handed to a worker as it was accepted has its run.started in
    // the accepting commit: that attempt stays counted even if the host
    // died before the plugin was called, so the attempts always equal the
    // starts on record.
    long long starts = 0;
    session << "SELECT COUNT(*) FROM run_events WHERE run_id = :id AND type = 'run.started'", soci::into(starts),
        soci::use(run.id);
    return starts >= run.attempts;
}

size_t RunRepository::delete_finished_before(soci::session& session, long long before_ms) const {
    session << "DELETE FROM run_events WHERE run_id IN (SELECT id FROM runs WHERE finished_at_ms IS NOT NULL "
               "AND finished_at_ms < :t)",
        soci::use(before_ms);
    // A finished run waits for nothing any more.
    session << "DELETE FROM run_dependencies WHERE run_id IN (SELECT id FROM runs WHERE finished_at_ms IS NOT NULL "
               "AND finished_at_ms < :t)",
        soci::use(before_ms);
    soci::statement runs = (session.prepare << "DELETE FROM runs WHERE finished_at_ms IS NOT NULL AND finished_at_ms < :t",
                            soci::use(before_ms));
    runs.execute(true);
    session << "DELETE FROM pipelines WHERE finished_at_ms IS NOT NULL AND finished_at_ms < :t", soci::use(before_ms);
    return static_cast<size_t>(runs.get_affected_rows());
}

bool RunRepository::delete_finished(soci::session& session, const std::string& run_id, const std::string& actor) const {
    soci::statement runs = (session.prepare << "DELETE FROM runs WHERE id = :id AND finished_at_ms IS NOT NULL",
                            soci::use(run_id));
    // The run row goes first (only if finished); its events and edges only
    // if it went.
    runs.execute(true);
    if (runs.get_affected_rows() != 1) return false;
    session << "DELETE FROM run_events WHERE run_id = :id", soci::use(run_id);
    session << "DELETE FROM run_dependencies WHERE run_id = :id", soci::use(run_id);
    audit(session, run_id, "", "run.deleted", actor, "");
    return true;
}

void RunRepository::audit(soci::session& session, const std::string& run_id, const std::string& pipeline_id,
                          const std::string& action, const std::string& actor, const std::string& detail) const {
    long long now = now_ms();
    soci::indicator run_indicator = run_id.empty() ? soci::i_null : soci::i_ok;
    soci::indicator pipeline_indicator = pipeline_id.empty() ? soci::i_null : soci::i_ok;
    session << "INSERT INTO audit_log (run_id, pipeline_id, action, actor, detail, at_ms) "
               "VALUES (:r, :p, :a, :who, :d, :t)",
        soci::use(run_id, run_indicator), soci::use(pipeline_id, pipeline_indicator), soci::use(action),
        soci::use(actor), soci::use(detail), soci::use(now);
}

std::optional<RunRecord> RunRepository::find(soci::session& session, const std::string& run_id) const {
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = :id", soci::use(run_id));
    for (const soci::row& row : rows) return run_from_row(row);
    return std::nullopt;
}

RunPage RunRepository::list(soci::session& session, const RunFilter& filter) const {
    NewestFirstPage paging(filter.cursor, filter.limit);
    std::string sql = std::string("SELECT ") + kRunColumns + " FROM runs WHERE 1 = 1";
    if (!filter.status.empty()) sql += " AND status = :status";
    if (!filter.agent.empty()) sql += " AND agent = :agent";
    if (!filter.thread_id.empty()) sql += " AND thread_id = :thread";
    if (!filter.pipeline_id.empty()) sql += " AND pipeline_id = :pipeline";
    if (filter.by_tenant) sql += " AND tenant = :tenant";
    sql += paging.sql_tail();

    soci::statement statement = session.prepare << sql;
    if (!filter.status.empty()) statement.exchange(soci::use(filter.status));
    if (!filter.agent.empty()) statement.exchange(soci::use(filter.agent));
    if (!filter.thread_id.empty()) statement.exchange(soci::use(filter.thread_id));
    if (!filter.pipeline_id.empty()) statement.exchange(soci::use(filter.pipeline_id));
    if (filter.by_tenant) statement.exchange(soci::use(filter.tenant));
    RunPage page;
    page.runs = paging.fetch<RunRecord>(statement, run_from_row, page.next_cursor);
    return page;
}

long long RunRepository::last_event_seq(soci::session& session, const std::string& run_id) const {
    long long last = 0;
    soci::indicator none = soci::i_ok;
    session << "SELECT MAX(seq) FROM run_events WHERE run_id = :id", soci::into(last, none), soci::use(run_id);
    return none == soci::i_null ? 0 : last;
}

std::vector<RunEvent> RunRepository::events(soci::session& session, const std::string& run_id, long long after_seq,
                                            size_t limit) const {
    long long count = static_cast<long long>(limit);
    std::vector<RunEvent> out;
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT run_id, seq, type, ts_ms, data FROM run_events WHERE run_id = :r AND seq > :s "
                            "ORDER BY seq LIMIT :n",
         soci::use(run_id), soci::use(after_seq), soci::use(count));
    for (const soci::row& row : rows)
        out.push_back({text_at(row, 0), integer_at(row, 1), text_at(row, 2), integer_at(row, 3), text_at(row, 4)});
    return out;
}

std::optional<std::string> RunRepository::memory_get(soci::session& session, const std::string& thread_id,
                                                     const std::string& key) const {
    std::string value;
    soci::indicator present = soci::i_null;
    session << "SELECT value FROM thread_memory WHERE thread_id = :t AND key = :k", soci::into(value, present),
        soci::use(thread_id), soci::use(key);
    if (!session.got_data() || present != soci::i_ok) return std::nullopt;
    return value;
}

long long RunRepository::memory_put(soci::session& session, const std::string& thread_id, const std::string& key,
                                    const std::string& value_json, const CheckpointAuthor& author) const {
    return threads_.record_writes(session, thread_id, {{key, value_json}}, author);
}

}  // namespace agenthost::store
