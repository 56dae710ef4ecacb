#include "store/migrations.hpp"

#include "store/usage_repository.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace agenthost::store {
namespace {

struct Migration {
    int version;
    const char* name;
    // Statements run in order; a dialect-specific list replaces the common
    // one where the two SQL dialects differ.
    std::vector<std::string> common;
    std::vector<std::string> sqlite_only;
    std::vector<std::string> postgresql_only;
};

// Timestamps are integer milliseconds since the epoch and JSON is TEXT, so
// one schema reads the same on both databases.
const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
        {1,
         "runs, threads, events, memory, pipelines, audit",
         {
             "CREATE TABLE threads ("
             " id TEXT PRIMARY KEY,"
             " created_at_ms BIGINT NOT NULL,"
             " updated_at_ms BIGINT NOT NULL)",

             "CREATE TABLE runs ("
             " id TEXT PRIMARY KEY,"
             " thread_id TEXT NOT NULL REFERENCES threads(id),"
             " agent TEXT NOT NULL,"
             " task TEXT NOT NULL,"
             " context TEXT NOT NULL,"
             " status TEXT NOT NULL,"
             " result TEXT,"
             " error TEXT,"
             " error_type TEXT,"
             " attempts INTEGER NOT NULL DEFAULT 0,"
             " max_attempts INTEGER NOT NULL,"
             " fencing_token BIGINT NOT NULL DEFAULT 0,"
             " lease_owner TEXT,"
             " lease_expires_at_ms BIGINT,"
             " cancel_requested INTEGER NOT NULL DEFAULT 0,"
             " pipeline_id TEXT,"
             " pipeline_step INTEGER,"
             " webhook_url TEXT,"
             " webhook_secret TEXT,"
             " created_at_ms BIGINT NOT NULL,"
             " started_at_ms BIGINT,"
             " finished_at_ms BIGINT,"
             " updated_at_ms BIGINT NOT NULL)",
             "CREATE INDEX runs_by_status ON runs(status, created_at_ms)",
             "CREATE INDEX runs_by_created ON runs(created_at_ms, id)",
             "CREATE INDEX runs_by_thread ON runs(thread_id, created_at_ms)",
             "CREATE INDEX runs_by_pipeline ON runs(pipeline_id, pipeline_step)",
             "CREATE INDEX runs_by_finished ON runs(finished_at_ms)",

             "CREATE TABLE run_events ("
             " run_id TEXT NOT NULL,"
             " seq BIGINT NOT NULL,"
             " type TEXT NOT NULL,"
             " ts_ms BIGINT NOT NULL,"
             " data TEXT NOT NULL,"
             " PRIMARY KEY (run_id, seq))",

             "CREATE TABLE thread_memory ("
             " thread_id TEXT NOT NULL,"
             " key TEXT NOT NULL,"
             " value TEXT NOT NULL,"
             " updated_at_ms BIGINT NOT NULL,"
             " PRIMARY KEY (thread_id, key))",

             "CREATE TABLE pipelines ("
             " id TEXT PRIMARY KEY,"
             " thread_id TEXT NOT NULL,"
             " mode TEXT NOT NULL,"
             " agents TEXT NOT NULL,"
             " text TEXT NOT NULL,"
             " status TEXT NOT NULL,"
             " webhook_url TEXT,"
             " webhook_secret TEXT,"
             " created_at_ms BIGINT NOT NULL,"
             " finished_at_ms BIGINT)",
             "CREATE INDEX pipelines_by_created ON pipelines(created_at_ms, id)",
         },
         {
             "CREATE TABLE audit_log ("
             " id INTEGER PRIMARY KEY AUTOINCREMENT,"
             " run_id TEXT,"
             " pipeline_id TEXT,"
             " action TEXT NOT NULL,"
             " actor TEXT NOT NULL,"
             " detail TEXT,"
             " at_ms BIGINT NOT NULL)",
         },
         {
             "CREATE TABLE audit_log ("
             " id BIGSERIAL PRIMARY KEY,"
             " run_id TEXT,"
             " pipeline_id TEXT,"
             " action TEXT NOT NULL,"
             " actor TEXT NOT NULL,"
             " detail TEXT,"
             " at_ms BIGINT NOT NULL)",
         }},
        {2,
         "webhook deliveries and their attempts",
         {
             // One row per result to deliver; payload is fixed at the first
             // attempt so every retry sends (and signs) the same bytes.
             "CREATE TABLE webhook_deliveries ("
             " id TEXT PRIMARY KEY,"
             " webhook_id TEXT NOT NULL,"
             " source_type TEXT NOT NULL,"
             " source_id TEXT NOT NULL,"
             " event_type TEXT NOT NULL,"
             " url TEXT NOT NULL,"
             " secret TEXT,"
             " payload TEXT,"
             " status TEXT NOT NULL,"
             " attempts INTEGER NOT NULL DEFAULT 0,"
             " next_attempt_at_ms BIGINT NOT NULL,"
             " lease_owner TEXT,"
             " lease_expires_at_ms BIGINT,"
             " created_at_ms BIGINT NOT NULL,"
             " updated_at_ms BIGINT NOT NULL)",
             "CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at_ms)",
             "CREATE INDEX webhook_deliveries_by_source ON webhook_deliveries(source_id, created_at_ms)",
             "CREATE TABLE webhook_attempts ("
             " delivery_id TEXT NOT NULL,"
             " attempt INTEGER NOT NULL,"
             " at_ms BIGINT NOT NULL,"
             " status_code INTEGER,"
             " error TEXT,"
             " duration_ms DOUBLE PRECISION NOT NULL,"
             " PRIMARY KEY (delivery_id, attempt))",
         },
         {},
         {}},
        {3,
         "orchestration: routing, approvals, run options, step dependencies",
         {
             // JSON the host reads back whole: the supervisors' decision, the
             // request's run options (approval, loop, multitask) and the
             // approval asked for or decided.
             "ALTER TABLE runs ADD COLUMN routing TEXT",
             "ALTER TABLE runs ADD COLUMN options TEXT",
             "ALTER TABLE runs ADD COLUMN approval TEXT",
             // NULL | required (before it starts) | pending | approved | rejected
             "ALTER TABLE runs ADD COLUMN approval_state TEXT",
             "ALTER TABLE runs ADD COLUMN approval_expires_at_ms BIGINT",
             "ALTER TABLE runs ADD COLUMN step_key TEXT",
             // The iteration of a looping workflow a step belongs to (NULL: 1).
             "ALTER TABLE runs ADD COLUMN pipeline_iteration INTEGER",
             // Set when a dependency on the run is recorded; its completion
             // reads it back (RETURNING) and looks for dependants only then.
             "ALTER TABLE runs ADD COLUMN has_dependants INTEGER NOT NULL DEFAULT 0",
             "CREATE INDEX runs_by_approval_expiry ON runs(approval_expires_at_ms)",
             // A blocked run starts when every run it depends on has finished:
             // kind 'success' needs it to have succeeded (pipeline and DAG
             // steps), 'completion' only that it ended (enqueued on a busy
             // thread).
             "CREATE TABLE run_dependencies ("
             " run_id TEXT NOT NULL,"
             " depends_on TEXT NOT NULL,"
             " kind TEXT NOT NULL,"
             " PRIMARY KEY (run_id, depends_on))",
             "CREATE INDEX run_dependencies_by_target ON run_dependencies(depends_on)",
             "CREATE INDEX audit_log_by_run ON audit_log(run_id, at_ms)",
             // A looping workflow runs its steps again, as a new iteration,
             // until a final step's result says resolved.
             "ALTER TABLE pipelines ADD COLUMN loop_max_iterations INTEGER NOT NULL DEFAULT 0",
             "ALTER TABLE pipelines ADD COLUMN iteration INTEGER NOT NULL DEFAULT 1",
         },
         {},
         {}},
        {4,
         "LLM token usage per run",
         {
             // {"calls","input_tokens","output_tokens","total_tokens"}; NULL
             // for runs that made no LLM call.
             "ALTER TABLE runs ADD COLUMN llm_usage TEXT",
         },
         {},
         {}},
        {5,
         "API keys; the tenant owning each run and pipeline",
         {
             // Only the SHA-256 of a key's secret is kept (hex); scopes are a
             // comma-separated list. NULL expires_at_ms: never expires.
             "CREATE TABLE api_keys ("
             " id TEXT PRIMARY KEY,"
             " name TEXT NOT NULL,"
             " secret_sha256 TEXT NOT NULL,"
             " scopes TEXT NOT NULL,"
             " tenant TEXT NOT NULL DEFAULT '',"
             " created_at_ms BIGINT NOT NULL,"
             " last_used_at_ms BIGINT,"
             " expires_at_ms BIGINT,"
             " revoked_at_ms BIGINT)",
             // '' is the default tenant: rows from before auth belong to it.
             // Threads, webhook logs and approvals belong to their runs' tenant.
             "ALTER TABLE runs ADD COLUMN tenant TEXT NOT NULL DEFAULT ''",
             "ALTER TABLE pipelines ADD COLUMN tenant TEXT NOT NULL DEFAULT ''",
             "CREATE INDEX runs_by_tenant ON runs(tenant, created_at_ms)",
             "CREATE INDEX pipelines_by_tenant ON pipelines(tenant, created_at_ms)",
         },
         {},
         {}},
        {6,
         "idempotency keys",
         {
             // A creating POST's Idempotency-Key, stored in the transaction
             // that stores what the request created: a retry with the same
             // key and body answers that, never a second copy. `scope` keeps
             // one caller's keys apart from another's.
             "CREATE TABLE idempotency_keys ("
             " scope TEXT NOT NULL,"
             " idempotency_key TEXT NOT NULL,"
             " fingerprint TEXT NOT NULL,"
             " endpoint TEXT NOT NULL,"
             " resource_id TEXT NOT NULL,"
             " status_code INTEGER NOT NULL,"
             " created_at_ms BIGINT NOT NULL,"
             " PRIMARY KEY (scope, idempotency_key))",
             "CREATE INDEX idempotency_keys_by_age ON idempotency_keys(created_at_ms)",
         },
         {},
         {}},
        {7,
         "usage per principal: the key that created each run, daily rollups",
         {
             // The API key id (or JWT subject) of the principal that created
             // the run; '' for runs from before auth or with auth off.
             "ALTER TABLE runs ADD COLUMN key_id TEXT NOT NULL DEFAULT ''",
             // Day: UTC date (YYYY-MM-DD) of the run's end. run_ms: the sum
             // of finished - started over the runs counted.
             "CREATE TABLE usage_rollups ("
             " day TEXT NOT NULL,"
             " tenant TEXT NOT NULL,"
             " key_id TEXT NOT NULL,"
             " agent TEXT NOT NULL,"
             " status TEXT NOT NULL,"
             " runs BIGINT NOT NULL,"
             " run_ms BIGINT NOT NULL,"
             " PRIMARY KEY (day, tenant, key_id, agent, status))",
             "CREATE INDEX usage_rollups_by_tenant ON usage_rollups(tenant, day)",
             "CREATE TABLE usage_tokens ("
             " day TEXT NOT NULL,"
             " tenant TEXT NOT NULL,"
             " key_id TEXT NOT NULL,"
             " agent TEXT NOT NULL,"
             " provider TEXT NOT NULL,"
             " model TEXT NOT NULL,"
             " calls BIGINT NOT NULL,"
             " input_tokens BIGINT NOT NULL,"
             " output_tokens BIGINT NOT NULL,"
             " PRIMARY KEY (day, tenant, key_id, agent, provider, model))",
             "CREATE INDEX usage_tokens_by_tenant ON usage_tokens(tenant, day)",
         },
         // Backfill: every run that ended before this migration.
         {
             UsageRepository::add_runs_sql(Dialect::sqlite, "1 = 1"),
             UsageRepository::add_tokens_sql(Dialect::sqlite, "1 = 1"),
             UsageRepository::add_legacy_tokens_sql(Dialect::sqlite, "1 = 1"),
         },
         {
             UsageRepository::add_runs_sql(Dialect::postgresql, "1 = 1"),
             UsageRepository::add_tokens_sql(Dialect::postgresql, "1 = 1"),
             UsageRepository::add_legacy_tokens_sql(Dialect::postgresql, "1 = 1"),
         }},
        {8,
         "threads as a resource (metadata, owner), and a checkpoint per thread memory write",
         {
             // NULL metadata reads as {}. NULL tenant: the thread was made by
             // a run (whose insert does not know these columns) and belongs to
             // its runs' tenant. last_checkpoint numbers the thread's
             // checkpoints; bumping it locks the row, so writers on several
             // hosts number them without gaps or ties.
             "ALTER TABLE threads ADD COLUMN metadata TEXT",
             "ALTER TABLE threads ADD COLUMN tenant TEXT",
             "ALTER TABLE threads ADD COLUMN last_checkpoint BIGINT NOT NULL DEFAULT 0",
             "CREATE INDEX threads_by_created ON threads(created_at_ms, id)",
             // One row per key written: a plugin's memory_put is one row, a
             // client's POST /threads/{id}/state one row per key, all with
             // the checkpoint's number. Who wrote it: run_id for a run,
             // actor for a person or client.
             "CREATE TABLE thread_checkpoints ("
             " thread_id TEXT NOT NULL,"
             " seq BIGINT NOT NULL,"
             " key TEXT NOT NULL,"
             " value TEXT NOT NULL,"
             " run_id TEXT,"
             " actor TEXT,"
             " at_ms BIGINT NOT NULL,"
             " PRIMARY KEY (thread_id, seq, key))",
             // Threads that only have memory get their row; memory written
             // before this migration becomes each thread's first checkpoint.
             "INSERT INTO threads (id, created_at_ms, updated_at_ms) "
             "SELECT thread_id, MIN(updated_at_ms), MAX(updated_at_ms) FROM thread_memory "
             "WHERE thread_id NOT IN (SELECT id FROM threads) GROUP BY thread_id",
             "INSERT INTO thread_checkpoints (thread_id, seq, key, value, run_id, actor, at_ms) "
             "SELECT thread_id, 1, key, value, NULL, 'migration', updated_at_ms FROM thread_memory",
             "UPDATE threads SET last_checkpoint = 1 WHERE id IN (SELECT thread_id FROM thread_memory)",
         },
         {},
         {}},
        {10,
         "trace context of each run",
         {
             // W3C traceparent of the request that created the run: its
             // spans join that trace on whichever host executes it.
             "ALTER TABLE runs ADD COLUMN trace_parent TEXT",
         },
         {},
         {}},
        {11,
         "long-term store: items by tenant, namespace and key, with full-text search",
         {},
         // The namespace is its labels joined with '.' (labels may not hold
         // one), so a prefix is a range of the text. search_text is every
         // string in the value, which the full-text index reads: FTS5 (BM25)
         // on SQLite, kept in step by triggers, so every write and the TTL
         // sweep's DELETE update it in their own statement.
         {
             "CREATE TABLE store_items ("
             " id INTEGER PRIMARY KEY,"
             " tenant TEXT NOT NULL,"
             " namespace TEXT NOT NULL,"
             " key TEXT NOT NULL,"
             " value TEXT NOT NULL,"
             " search_text TEXT NOT NULL,"
             " created_at_ms BIGINT NOT NULL,"
             " updated_at_ms BIGINT NOT NULL,"
             " ttl_ms BIGINT,"
             " expires_at_ms BIGINT,"
             " UNIQUE (tenant, namespace, key))",
             "CREATE INDEX store_items_by_expiry ON store_items(expires_at_ms)",
             "CREATE INDEX store_items_by_updated ON store_items(tenant, updated_at_ms)",
             "CREATE VIRTUAL TABLE store_items_fts USING fts5("
             "search_text, content='store_items', content_rowid='id', tokenize='porter unicode61')",
             "CREATE TRIGGER store_items_fts_insert AFTER INSERT ON store_items BEGIN"
             " INSERT INTO store_items_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
             "CREATE TRIGGER store_items_fts_delete AFTER DELETE ON store_items BEGIN"
             " INSERT INTO store_items_fts(store_items_fts, rowid, search_text)"
             " VALUES ('delete', old.id, old.search_text); END",
             "CREATE TRIGGER store_items_fts_update AFTER UPDATE OF search_text ON store_items BEGIN"
             " INSERT INTO store_items_fts(store_items_fts, rowid, search_text)"
             " VALUES ('delete', old.id, old.search_text);"
             " INSERT INTO store_items_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
         },
         // PostgreSQL: a generated tsvector with a GIN index (ranked by
         // ts_rank_cd). COLLATE "C" makes the namespace's prefix range
         // byte order, as on SQLite, whatever the database's locale.
         {
             "CREATE TABLE store_items ("
             " id BIGSERIAL PRIMARY KEY,"
             " tenant TEXT NOT NULL,"
             " namespace TEXT COLLATE \"C\" NOT NULL,"
             " key TEXT NOT NULL,"
             " value TEXT NOT NULL,"
             " search_text TEXT NOT NULL,"
             " search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', search_text)) STORED,"
             " created_at_ms BIGINT NOT NULL,"
             " updated_at_ms BIGINT NOT NULL,"
             " ttl_ms BIGINT,"
             " expires_at_ms BIGINT,"
             " UNIQUE (tenant, namespace, key))",
             "CREATE INDEX store_items_by_expiry ON store_items(expires_at_ms)",
             "CREATE INDEX store_items_by_updated ON store_items(tenant, updated_at_ms)",
             "CREATE INDEX store_items_search ON store_items USING GIN (search_vector)",
         }},
        {12,
         "delayed runs, what happens to a run once it ends, and crons",
         {
             // A delayed run (after_seconds) is queued but not claimed before
             // run_after_ms. NULL: at once.
             "ALTER TABLE runs ADD COLUMN run_after_ms BIGINT",
             // NULL (keep) | delete (the run and its events go once it ends)
             // | rollback (the same, and its thread memory writes are undone).
             "ALTER TABLE runs ADD COLUMN on_completion TEXT",
             // Only runs with something to do once ended are indexed, so the
             // sweep that finds them costs nothing on ordinary runs.
             "CREATE INDEX runs_on_completion ON runs(status) WHERE on_completion IS NOT NULL",
             // A cron: a schedule that creates a run per tick. next_fire_at_ms
             // is the tick a host claims by moving it on with a conditional
             // UPDATE (old value in the WHERE) in the transaction that
             // inserts the tick's run, so one tick is one run however many
             // hosts look. NULL next_fire_at_ms: the cron is over (end_time).
             "CREATE TABLE crons ("
             " id TEXT PRIMARY KEY,"
             " tenant TEXT NOT NULL DEFAULT '',"
             " key_id TEXT NOT NULL DEFAULT '',"
             " thread_id TEXT,"
             " agent TEXT NOT NULL,"
             " task TEXT NOT NULL,"
             " context TEXT NOT NULL,"
             " schedule TEXT NOT NULL,"
             " timezone TEXT NOT NULL,"
             " on_missed TEXT NOT NULL,"
             " options TEXT,"
             " metadata TEXT,"
             " end_time_ms BIGINT,"
             " next_fire_at_ms BIGINT,"
             " last_fired_at_ms BIGINT,"
             " last_run_id TEXT,"
             " fired_count BIGINT NOT NULL DEFAULT 0,"
             " created_at_ms BIGINT NOT NULL,"
             " updated_at_ms BIGINT NOT NULL)",
             "CREATE INDEX crons_due ON crons(next_fire_at_ms)",
             "CREATE INDEX crons_by_created ON crons(tenant, created_at_ms, id)",
         },
         {},
         {}},
        {13,
         "log source cursors: where each pulled log source was read up to, and who pulls it",
         {
             // One row per pulled log source (seed 002). The cursor moves in
             // the transaction that stores the signals it produced, so a
             // restart neither loses nor repeats lines; a lease with a
             // fencing token lets one host of several pull a source at a
             // time, and the status fields are what GET /api/log-sources/{id}
             // shows.
             "CREATE TABLE log_source_cursors ("
             " source_id TEXT PRIMARY KEY,"
             " tenant TEXT NOT NULL,"
             " cursor_json TEXT NOT NULL,"
             " lease_owner TEXT,"
             " lease_expires_at_ms BIGINT,"
             " fencing_token BIGINT NOT NULL,"
             " next_pull_at_ms BIGINT NOT NULL,"
             " last_pull_at_ms BIGINT NOT NULL,"
             " last_success_at_ms BIGINT NOT NULL,"
             " last_error TEXT NOT NULL,"
             " failures BIGINT NOT NULL,"
             " lines_read BIGINT NOT NULL,"
             " signals_sent BIGINT NOT NULL,"
             " updated_at_ms BIGINT NOT NULL)",
             "CREATE INDEX log_source_cursors_due ON log_source_cursors(next_pull_at_ms)",
         },
         {},
         {}},
        {14,
         "seed 002's SRE surface: integrations, signals with a full-text index, incidents and their actions",
         {
             // A repository, log source or Slack channel: its validated
             // request body; key is unique per tenant and kind.
             "CREATE TABLE sre_integrations ("
             " id TEXT PRIMARY KEY,"
             " tenant TEXT NOT NULL,"
             " kind TEXT NOT NULL,"
             " key TEXT NOT NULL,"
             " body TEXT NOT NULL,"
             " created_at_ms BIGINT NOT NULL)",
             "CREATE UNIQUE INDEX sre_integrations_by_key ON sre_integrations(tenant, kind, key)",
             "CREATE TABLE incidents ("
             " id TEXT PRIMARY KEY,"
             " tenant TEXT NOT NULL,"
             " fingerprint TEXT NOT NULL,"
             " title TEXT NOT NULL,"
             " service TEXT NOT NULL,"
             " repository TEXT NOT NULL,"
             " severity TEXT NOT NULL,"
             " status TEXT NOT NULL,"
             " source TEXT NOT NULL,"
             " signal_count BIGINT NOT NULL,"
             " first_seen_ms BIGINT NOT NULL,"
             " last_seen_ms BIGINT NOT NULL,"
             " created_at_ms BIGINT NOT NULL,"
             " updated_at_ms BIGINT NOT NULL,"
             " resolved_at_ms BIGINT,"
             " resolution TEXT,"
             " resolved_by TEXT,"
             " reopened BIGINT NOT NULL DEFAULT 0)",
             "CREATE INDEX incidents_by_fingerprint ON incidents(tenant, fingerprint, status, last_seen_ms)",
             "CREATE INDEX incidents_by_created ON incidents(created_at_ms, id)",
             // Every signal kept (duplicates past an incident's sample are
             // only counted). incident_id NULL: evidence only (recovery
             // logs, GitHub payloads).
             "CREATE TABLE signals ("
             " id TEXT PRIMARY KEY,"
             " tenant TEXT NOT NULL,"
             " incident_id TEXT,"
             " kind TEXT NOT NULL,"
             " service TEXT NOT NULL,"
             " repository TEXT NOT NULL,"
             " severity TEXT NOT NULL,"
             " message TEXT NOT NULL,"
             " fingerprint TEXT NOT NULL,"
             " payload TEXT NOT NULL,"
             " received_at_ms BIGINT NOT NULL,"
             " created_at_ms BIGINT NOT NULL)",
             "CREATE INDEX signals_by_incident ON signals(incident_id, received_at_ms)",
             "CREATE INDEX signals_by_tenant ON signals(tenant, received_at_ms)",
             "CREATE TABLE incident_actions ("
             " incident_id TEXT NOT NULL,"
             " seq BIGINT NOT NULL,"
             " kind TEXT NOT NULL,"
             " detail TEXT NOT NULL,"
             " actor TEXT NOT NULL,"
             " approved_by TEXT,"
             " run_id TEXT,"
             " at_ms BIGINT NOT NULL,"
             " PRIMARY KEY (incident_id, seq))",
         },
         // Retrieval: FTS5 ranked with BM25 on SQLite, a tsvector with a GIN
         // index on PostgreSQL; no external search service either way.
         {
             "CREATE VIRTUAL TABLE signals_fts USING fts5(body, signal_id UNINDEXED, tenant UNINDEXED, "
             "tokenize = 'porter unicode61')",
         },
         {
             "ALTER TABLE signals ADD COLUMN search tsvector",
             "CREATE INDEX signals_search ON signals USING GIN (search)",
         }},
        {15,
         "deployment projects, operations and state locks (seed 000)",
         {
             // A project: a repository and the thread whose memory its
             // agents share (analysis, Dockerfiles, Terraform).
             "CREATE TABLE deployment_projects ("
             " tenant TEXT NOT NULL,"
             " id TEXT NOT NULL,"
             " repository TEXT NOT NULL,"
             " repository_kind TEXT NOT NULL,"
             " thread_id TEXT NOT NULL,"
             " created_at_ms BIGINT NOT NULL,"
             " PRIMARY KEY (tenant, id))",
             // An operation is a workflow of the run engine; its logs are
             // the events of that workflow's runs.
             "CREATE TABLE deployment_operations ("
             " id TEXT PRIMARY KEY,"
             " tenant TEXT NOT NULL,"
             " project_id TEXT NOT NULL,"
             " operation TEXT NOT NULL,"
             " workflow_id TEXT NOT NULL,"
             " created_at_ms BIGINT NOT NULL)",
             "CREATE INDEX deployment_operations_by_project ON deployment_operations(tenant, project_id, created_at_ms)",
             // At most one state-changing operation per project holds it.
             "CREATE TABLE deployment_locks ("
             " tenant TEXT NOT NULL,"
             " project_id TEXT NOT NULL,"
             " operation_id TEXT NOT NULL,"
             " acquired_at_ms BIGINT NOT NULL,"
             " PRIMARY KEY (tenant, project_id))",
         },
         {},
         {}},
        {16,
         "partial indexes on run columns most runs leave NULL",
         {
             // Most runs have no workflow or approval deadline, and none
             // has finished while queued or running: left out of these
             // indexes, the insert and the claim write three index entries
             // fewer per run. On PostgreSQL an update that changes an
             // indexed column (status) writes a new entry into every index
             // of the row, so the claim and the outcome gain as well. Every
             // query using them constrains the column (=, <), which implies
             // IS NOT NULL on both databases.
             "DROP INDEX runs_by_finished",
             "CREATE INDEX runs_by_finished ON runs(finished_at_ms) WHERE finished_at_ms IS NOT NULL",
             "DROP INDEX runs_by_pipeline",
             "CREATE INDEX runs_by_pipeline ON runs(pipeline_id, pipeline_step) WHERE pipeline_id IS NOT NULL",
             "DROP INDEX runs_by_approval_expiry",
             "CREATE INDEX runs_by_approval_expiry ON runs(approval_expires_at_ms) WHERE approval_expires_at_ms IS NOT NULL",
         },
         {},
         {}},
    };
    return all;
}

int current_version(soci::session& session) {
    int version = 0;
    soci::indicator present = soci::i_null;
    session << "SELECT MAX(version) FROM schema_migrations", soci::into(version, present);
    return present == soci::i_ok ? version : 0;
}

}  // namespace

// The highest number, not the last listed: numbers are handed out ahead of
// merging, so the list is not always in order.
int latest_schema_version() {
    int latest = 0;
    for (const Migration& migration : migrations()) latest = std::max(latest, migration.version);
    return latest;
}

void migrate(soci::session& session, Dialect dialect) {
    try {
        soci::transaction transaction(session);
        // Hosts starting together on one PostgreSQL database take turns.
        if (dialect == Dialect::postgresql) {
            std::string ignored;
            session << "SELECT CAST(pg_advisory_xact_lock(7212026) AS TEXT)", soci::into(ignored);
        }
        session << "CREATE TABLE IF NOT EXISTS schema_migrations ("
                   " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)";
        int version = current_version(session);
        if (version > latest_schema_version())
            throw StoreUnavailable("the database schema is at version " + std::to_string(version) +
                                   ", newer than this host knows (" + std::to_string(latest_schema_version()) +
                                   "): upgrade the host");
        // Each migration not yet recorded, not only those above the newest:
        // numbers are handed out ahead of merging (8 and 9 may land after
        // 10), and a database that has 10 must still get them.
        std::set<int> applied;
        {
            soci::rowset<int> rows = (session.prepare << "SELECT version FROM schema_migrations");
            for (int number : rows) applied.insert(number);
        }
        for (const Migration& migration : migrations()) {
            if (applied.count(migration.version) != 0) continue;
            const auto& specific = dialect == Dialect::sqlite ? migration.sqlite_only : migration.postgresql_only;
            for (const std::string& statement : migration.common) session << statement;
            for (const std::string& statement : specific) session << statement;
            long long now = now_ms();
            std::string name = migration.name;
            session << "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (:v, :n, :t)",
                soci::use(migration.version), soci::use(name), soci::use(now);
            log::info("schema migration applied", {{"version", migration.version}, {"name", migration.name}});
        }
        transaction.commit();
    } catch (const StoreUnavailable&) {
        throw;
    } catch (const std::exception& e) {
        throw StoreUnavailable("schema migration failed: " + describe_error(e));
    }
}

}  // namespace agenthost::store
