#include "store/usage_repository.hpp"

#include "store/row_reader.hpp"

#include <algorithm>

namespace agenthost::store {
namespace {

std::string day_of(Dialect dialect, const std::string& ms_column) {
    if (dialect == Dialect::sqlite) return "strftime('%Y-%m-%d', " + ms_column + " / 1000, 'unixepoch')";
    return "to_char(to_timestamp(" + ms_column + " / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
}

// A run that never started took no time; clocks of two hosts may disagree.
const char* kRunMs =
    "SUM(CASE WHEN r.started_at_ms IS NULL OR r.finished_at_ms < r.started_at_ms THEN 0 "
    "ELSE r.finished_at_ms - r.started_at_ms END)";

// Rows are upserted in key order, so two hosts' transactions touching the
// same rollup rows lock them in the same order (no deadlock on PostgreSQL).
const char* kRunConflict =
    " ON CONFLICT (day, tenant, key_id, agent, status) DO UPDATE SET runs = usage_rollups.runs + excluded.runs, "
    "run_ms = usage_rollups.run_ms + excluded.run_ms";
const char* kTokenConflict =
    " ON CONFLICT (day, tenant, key_id, agent, provider, model) DO UPDATE SET "
    "calls = usage_tokens.calls + excluded.calls, input_tokens = usage_tokens.input_tokens + excluded.input_tokens, "
    "output_tokens = usage_tokens.output_tokens + excluded.output_tokens";

}  // namespace

std::string UsageRepository::add_runs_sql(Dialect dialect, const std::string& where) {
    return "INSERT INTO usage_rollups (day, tenant, key_id, agent, status, runs, run_ms) SELECT " +
           day_of(dialect, "r.finished_at_ms") + ", r.tenant, r.key_id, r.agent, r.status, COUNT(*), " + kRunMs +
           " FROM runs r WHERE r.finished_at_ms IS NOT NULL AND r.status IN ('succeeded', 'failed', 'cancelled') AND (" +
           where + ") GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5" + kRunConflict;
}

std::string UsageRepository::add_tokens_sql(Dialect dialect, const std::string& where) {
    std::string select;
    if (dialect == Dialect::sqlite) {
        select = "SELECT " + day_of(dialect, "r.finished_at_ms") +
                 ", r.tenant, r.key_id, r.agent, COALESCE(json_extract(m.value, '$.provider'), ''), "
                 "COALESCE(json_extract(m.value, '$.model'), ''), SUM(json_extract(m.value, '$.calls')), "
                 "SUM(json_extract(m.value, '$.input_tokens')), SUM(json_extract(m.value, '$.output_tokens')) "
                 "FROM runs r, json_each(r.llm_usage, '$.by_model') m ";
    } else {
        select = "SELECT " + day_of(dialect, "r.finished_at_ms") +
                 ", r.tenant, r.key_id, r.agent, COALESCE(m ->> 'provider', ''), COALESCE(m ->> 'model', ''), "
                 "SUM(CAST(m ->> 'calls' AS BIGINT)), SUM(CAST(m ->> 'input_tokens' AS BIGINT)), "
                 "SUM(CAST(m ->> 'output_tokens' AS BIGINT)) "
                 "FROM runs r CROSS JOIN LATERAL jsonb_array_elements(CAST(r.llm_usage AS jsonb) -> 'by_model') m ";
    }
    return "INSERT INTO usage_tokens (day, tenant, key_id, agent, provider, model, calls, input_tokens, output_tokens) " +
           select +
           "WHERE r.llm_usage IS NOT NULL AND r.finished_at_ms IS NOT NULL AND r.status IN ('succeeded', 'failed', "
           "'cancelled') AND (" +
           where + ") GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6" + kTokenConflict;
}

std::string UsageRepository::add_legacy_tokens_sql(Dialect dialect, const std::string& where) {
    std::string field = dialect == Dialect::sqlite ? "json_extract(r.llm_usage, '$.%s')"
                                                   : "CAST(CAST(r.llm_usage AS jsonb) ->> '%s' AS BIGINT)";
    auto of = [&](const std::string& name) {
        std::string out = field;
        out.replace(out.find("%s"), 2, name);
        return out;
    };
    std::string missing = dialect == Dialect::sqlite ? "json_extract(r.llm_usage, '$.by_model') IS NULL"
                                                     : "NOT (CAST(r.llm_usage AS jsonb) ? 'by_model')";
    return "INSERT INTO usage_tokens (day, tenant, key_id, agent, provider, model, calls, input_tokens, output_tokens) "
           "SELECT " +
           day_of(dialect, "r.finished_at_ms") + ", r.tenant, r.key_id, r.agent, '', '', SUM(" + of("calls") + "), SUM(" +
           of("input_tokens") + "), SUM(" + of("output_tokens") +
           ") FROM runs r WHERE r.llm_usage IS NOT NULL AND r.finished_at_ms IS NOT NULL AND r.status IN "
           "('succeeded', 'failed', 'cancelled') AND " +
           missing + " AND (" + where + ") GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6" + kTokenConflict;
}

void UsageRepository::note_ended(soci::session& session, const std::string& run_id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    ended_[&session].push_back(run_id);
}

void UsageRepository::discard(const soci::session* session) const {
    std::lock_guard<std::mutex> lock(mutex_);
    ended_.erase(session);
}

void UsageRepository::flush(soci::session& session) const {
    std::vector<std::string> ids;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto found = ended_.find(&session);
        if (found == ended_.end()) return;
        ids = std::move(found->second);
        ended_.erase(found);
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    // Bound parameters, in chunks: SQLite allows 32766 per statement.
    const size_t chunk = 500;
    for (size_t begin = 0; begin < ids.size(); begin += chunk) {
        size_t end = std::min(ids.size(), begin + chunk);
        std::string in = "r.id IN (";
        for (size_t i = begin; i < end; ++i) in += (i == begin ? ":u" : ", :u") + std::to_string(i - begin);
        in += ")";
        for (const std::string& sql : {add_runs_sql(dialect_, in), add_tokens_sql(dialect_, in)}) {
            soci::statement statement = (session.prepare << sql);
            for (size_t i = begin; i < end; ++i) statement.exchange(soci::use(ids[i]));
            statement.define_and_bind();
            statement.execute(true);
        }
    }
}

namespace {

std::string where_of(const UsageQuery& query) {
    std::string where = " WHERE day >= :from AND day <= :to";
    if (query.by_tenant) where += " AND tenant = :tenant";
    return where;
}

template <typename Row, typename Read>
std::vector<Row> select_rows(soci::session& session, const std::string& sql, const UsageQuery& query, Read read) {
    std::vector<Row> out;
    soci::rowset<soci::row> rows = query.by_tenant
                                       ? (session.prepare << sql, soci::use(query.from_day), soci::use(query.to_day),
                                          soci::use(query.tenant))
                                       : (session.prepare << sql, soci::use(query.from_day), soci::use(query.to_day));
    for (const soci::row& row : rows) out.push_back(read(row));
    return out;
}

}  // namespace

std::map<std::string, long long> UsageRepository::runs_per_tenant(soci::session& session, const std::string& day,
                                                                  long long since_ms) const {
    std::map<std::string, long long> out;
    {
        soci::rowset<soci::row> rows =
            (session.prepare << "SELECT tenant, SUM(runs) FROM usage_rollups WHERE day = :d GROUP BY tenant",
             soci::use(day));
        for (const soci::row& row : rows) out[text_at(row, 0)] += integer_at(row, 1);
    }
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT tenant, COUNT(*) FROM runs WHERE finished_at_ms IS NULL AND created_at_ms >= :t "
                            "GROUP BY tenant",
         soci::use(since_ms));
    for (const soci::row& row : rows) out[text_at(row, 0)] += integer_at(row, 1);
    return out;
}

std::map<std::string, long long> UsageRepository::tokens_per_tenant(soci::session& session,
                                                                    const std::string& from_day) const {
    std::map<std::string, long long> out;
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT tenant, SUM(input_tokens + output_tokens) FROM usage_tokens WHERE day >= :d "
                            "GROUP BY tenant",
         soci::use(from_day));
    for (const soci::row& row : rows) out[text_at(row, 0)] += integer_at(row, 1);
    return out;
}

std::vector<UsageRunRow> UsageRepository::runs(soci::session& session, const UsageQuery& query) const {
    return select_rows<UsageRunRow>(
        session, "SELECT day, tenant, key_id, agent, status, runs, run_ms FROM usage_rollups" + where_of(query) +
                     " ORDER BY day, tenant, key_id, agent, status",
        query, [](const soci::row& row) {
            return UsageRunRow{text_at(row, 0), text_at(row, 1), text_at(row, 2),   text_at(row, 3),
                               text_at(row, 4), integer_at(row, 5), integer_at(row, 6)};
        });
}

std::vector<UsageTokenRow> UsageRepository::tokens(soci::session& session, const UsageQuery& query) const {
    return select_rows<UsageTokenRow>(
        session,
        "SELECT day, tenant, key_id, agent, provider, model, calls, input_tokens, output_tokens FROM usage_tokens" +
            where_of(query) + " ORDER BY day, tenant, key_id, agent, provider, model",
        query, [](const soci::row& row) {
            return UsageTokenRow{text_at(row, 0),    text_at(row, 1),    text_at(row, 2),
                                 text_at(row, 3),    text_at(row, 4),    text_at(row, 5),
                                 integer_at(row, 6), integer_at(row, 7), integer_at(row, 8)};
        });
}

}  // namespace agenthost::store
