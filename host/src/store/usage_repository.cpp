#include "store/usage_repository.hpp"

#include "store/row_reader.hpp"
#include "util/utc_calendar.hpp"

#include <rapidjson/document.h>

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

// One prepared upsert per table and session, bound to the members: a flush
// fills them and executes, with no parsing or planning.
struct UsageRepository::Upserts {
    explicit Upserts(soci::session& session) : run(session), tokens(session) {
        run = (session.prepare << "INSERT INTO usage_rollups (day, tenant, key_id, agent, status, runs, run_ms) "
                                  "VALUES (:d, :t, :k, :a, :s, :n, :ms)" +
                                      std::string(kRunConflict),
               soci::use(day), soci::use(tenant), soci::use(key_id), soci::use(agent), soci::use(status),
               soci::use(runs), soci::use(run_ms));
        tokens = (session.prepare << "INSERT INTO usage_tokens (day, tenant, key_id, agent, provider, model, calls, "
                                     "input_tokens, output_tokens) VALUES (:d, :t, :k, :a, :p, :m, :c, :i, :o)" +
                                         std::string(kTokenConflict),
                  soci::use(day), soci::use(tenant), soci::use(key_id), soci::use(agent), soci::use(provider),
                  soci::use(model), soci::use(calls), soci::use(input_tokens), soci::use(output_tokens));
    }
    std::string day, tenant, key_id, agent, status, provider, model;
    long long runs = 0, run_ms = 0, calls = 0, input_tokens = 0, output_tokens = 0;
    soci::statement run, tokens;
};

UsageRepository::UsageRepository(Dialect dialect) : dialect_(dialect) {}

UsageRepository::~UsageRepository() = default;

UsageRepository::Upserts& UsageRepository::upserts(soci::session& session) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& slot = upserts_[&session];
    if (!slot) slot = std::make_unique<Upserts>(session);
    return *slot;
}

void UsageRepository::note_ended(soci::session& session, const RunRecord& run, const std::string& status) const {
    long long finished = run.finished_at_ms != 0 ? run.finished_at_ms : now_ms();
    std::string day = utc_day(finished);
    long long run_ms = run.started_at_ms != 0 && finished > run.started_at_ms ? finished - run.started_at_ms : 0;
    // Token usage is recorded by the run's completion ({"by_model": [...]};
    // older records only have the totals).
    std::vector<std::pair<std::pair<std::string, std::string>, TokenSums>> models;
    if (!run.llm_usage_json.empty()) {
        rapidjson::Document usage;
        usage.Parse(run.llm_usage_json.c_str());
        auto number = [](const rapidjson::Value& object, const char* name) -> long long {
            auto found = object.FindMember(name);
            return found != object.MemberEnd() && found->value.IsInt64() ? found->value.GetInt64() : 0;
        };
        auto text = [](const rapidjson::Value& object, const char* name) -> std::string {
            auto found = object.FindMember(name);
            return found != object.MemberEnd() && found->value.IsString() ? found->value.GetString() : "";
        };
        if (!usage.HasParseError() && usage.IsObject()) {
            auto by_model = usage.FindMember("by_model");
            if (by_model != usage.MemberEnd() && by_model->value.IsArray()) {
                for (const auto& model : by_model->value.GetArray())
                    if (model.IsObject())
                        models.push_back({{text(model, "provider"), text(model, "model")},
                                          {number(model, "calls"), number(model, "input_tokens"),
                                           number(model, "output_tokens")}});
            } else {
                models.push_back({{"", ""},
                                  {number(usage, "calls"), number(usage, "input_tokens"), number(usage, "output_tokens")}});
            }
        }
    }
    std::lock_guard<std::mutex> lock(mutex_);
    Pending& pending = pending_[&session];
    if (!pending.run_ids.insert(run.id).second) return;
    RunSums& sums = pending.runs[{day, run.tenant, run.key_id, run.agent, status}];
    ++sums.runs;
    sums.run_ms += run_ms;
    for (const auto& [which, counted] : models) {
        TokenSums& tokens = pending.tokens[{day, run.tenant, run.key_id, run.agent, which.first, which.second}];
        tokens.calls += counted.calls;
        tokens.input_tokens += counted.input_tokens;
        tokens.output_tokens += counted.output_tokens;
    }
}

void UsageRepository::discard(const soci::session* session) const {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.erase(session);
}

void UsageRepository::forget_session(const soci::session* session) const {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.erase(session);
    upserts_.erase(session);
}

void UsageRepository::forget_all_sessions() const {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.clear();
    upserts_.clear();
}

void UsageRepository::flush(soci::session& session) const {
    Pending pending;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto found = pending_.find(&session);
        if (found == pending_.end()) return;
        pending = std::move(found->second);
        pending_.erase(found);
    }
    Upserts& statements = upserts(session);
    for (const auto& [key, sums] : pending.runs) {
        std::tie(statements.day, statements.tenant, statements.key_id, statements.agent, statements.status) = key;
        statements.runs = sums.runs;
        statements.run_ms = sums.run_ms;
        statements.run.execute(true);
    }
    for (const auto& [key, sums] : pending.tokens) {
        std::tie(statements.day, statements.tenant, statements.key_id, statements.agent, statements.provider,
                 statements.model) = key;
        statements.calls = sums.calls;
        statements.input_tokens = sums.input_tokens;
        statements.output_tokens = sums.output_tokens;
        statements.tokens.execute(true);
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

long long UsageRepository::runs_created_since(soci::session& session, const std::string& tenant,
                                             long long since_ms) const {
    long long count = 0;
    session << "SELECT COUNT(*) FROM runs WHERE tenant = :t AND created_at_ms >= :s", soci::use(tenant),
        soci::use(since_ms), soci::into(count);
    return count;
}

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
