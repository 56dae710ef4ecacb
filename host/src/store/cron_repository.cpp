#include "store/cron_repository.hpp"

#include "store/row_reader.hpp"

namespace agenthost::store {
namespace {

const char* kCronColumns =
    "id, tenant, key_id, thread_id, agent, task, context, schedule, timezone, on_missed, options, metadata, "
    "end_time_ms, next_fire_at_ms, last_fired_at_ms, last_run_id, fired_count, created_at_ms, updated_at_ms";

CronRecord cron_from_row(const soci::row& row) {
    CronRecord cron;
    cron.id = text_at(row, 0);
    cron.tenant = text_at(row, 1);
    cron.key_id = text_at(row, 2);
    cron.thread_id = text_at(row, 3);
    cron.agent = text_at(row, 4);
    cron.task = text_at(row, 5);
    cron.context_json = text_at(row, 6);
    cron.schedule = text_at(row, 7);
    cron.timezone = text_at(row, 8);
    cron.on_missed = text_at(row, 9);
    cron.options_json = text_at(row, 10);
    cron.metadata_json = text_at(row, 11);
    cron.end_time_ms = integer_at(row, 12);
    cron.next_fire_at_ms = integer_at(row, 13);
    cron.last_fired_at_ms = integer_at(row, 14);
    cron.last_run_id = text_at(row, 15);
    cron.fired_count = integer_at(row, 16);
    cron.created_at_ms = integer_at(row, 17);
    cron.updated_at_ms = integer_at(row, 18);
    return cron;
}

soci::indicator null_if(bool empty) { return empty ? soci::i_null : soci::i_ok; }

}  // namespace

void CronRepository::insert(soci::session& session, const CronRecord& cron) const {
    soci::indicator thread = null_if(cron.thread_id.empty()), options = null_if(cron.options_json.empty()),
                    metadata = null_if(cron.metadata_json.empty()), end = null_if(cron.end_time_ms == 0),
                    next = null_if(cron.next_fire_at_ms == 0);
    session << "INSERT INTO crons (id, tenant, key_id, thread_id, agent, task, context, schedule, timezone, "
               "on_missed, options, metadata, end_time_ms, next_fire_at_ms, fired_count, created_at_ms, updated_at_ms) "
               "VALUES (:id, :tenant, :key, :thread, :agent, :task, :context, :schedule, :tz, :missed, :options, "
               ":metadata, :end, :next, 0, :created, :updated)",
        soci::use(cron.id), soci::use(cron.tenant), soci::use(cron.key_id), soci::use(cron.thread_id, thread),
        soci::use(cron.agent), soci::use(cron.task), soci::use(cron.context_json), soci::use(cron.schedule),
        soci::use(cron.timezone), soci::use(cron.on_missed), soci::use(cron.options_json, options),
        soci::use(cron.metadata_json, metadata), soci::use(cron.end_time_ms, end),
        soci::use(cron.next_fire_at_ms, next), soci::use(cron.created_at_ms), soci::use(cron.updated_at_ms);
}

std::optional<CronRecord> CronRepository::find(soci::session& session, const std::string& id) const {
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kCronColumns + " FROM crons WHERE id = :id", soci::use(id));
    for (const soci::row& row : rows) return cron_from_row(row);
    return std::nullopt;
}

std::vector<CronRecord> CronRepository::list(soci::session& session, const CronFilter& filter) const {
    // Filters bind as "match anything" when unset, so one statement serves.
    std::string sql = std::string("SELECT ") + kCronColumns +
                      " FROM crons WHERE (:any_tenant = 1 OR tenant = :tenant) AND (:agent = '' OR agent = :agent2) "
                      "AND (:thread = '' OR thread_id = :thread2) ORDER BY created_at_ms DESC, id DESC "
                      "LIMIT :limit OFFSET :offset";
    int any_tenant = filter.by_tenant ? 0 : 1;
    long long limit = static_cast<long long>(filter.limit), offset = static_cast<long long>(filter.offset);
    soci::rowset<soci::row> rows =
        (session.prepare << sql, soci::use(any_tenant), soci::use(filter.tenant), soci::use(filter.agent),
         soci::use(filter.agent), soci::use(filter.thread_id), soci::use(filter.thread_id), soci::use(limit),
         soci::use(offset));
    std::vector<CronRecord> crons;
    for (const soci::row& row : rows) crons.push_back(cron_from_row(row));
    return crons;
}

bool CronRepository::remove(soci::session& session, const std::string& id) const {
    soci::statement statement = (session.prepare << "DELETE FROM crons WHERE id = :id", soci::use(id));
    statement.execute(true);
    return statement.get_affected_rows() == 1;
}

std::vector<CronRecord> CronRepository::due(soci::session& session, long long now, size_t limit) const {
    long long count = static_cast<long long>(limit);
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kCronColumns +
                                " FROM crons WHERE next_fire_at_ms <= :now ORDER BY next_fire_at_ms LIMIT :n",
         soci::use(now), soci::use(count));
    std::vector<CronRecord> crons;
    for (const soci::row& row : rows) crons.push_back(cron_from_row(row));
    return crons;
}

bool CronRepository::claim_tick(soci::session& session, const std::string& id, long long due_ms, long long next_ms,
                                long long now, const std::string& run_id) const {
    soci::indicator next = null_if(next_ms == 0);
    int fired = run_id.empty() ? 0 : 1;
    // A skipped tick keeps the last run's id and time.
    soci::statement statement =
        (session.prepare << "UPDATE crons SET next_fire_at_ms = :next, updated_at_ms = :now, "
                            "fired_count = fired_count + :fired, "
                            "last_fired_at_ms = CASE WHEN :fired2 = 1 THEN :now2 ELSE last_fired_at_ms END, "
                            "last_run_id = CASE WHEN :fired3 = 1 THEN :run ELSE last_run_id END "
                            "WHERE id = :id AND next_fire_at_ms = :due",
         soci::use(next_ms, next), soci::use(now), soci::use(fired), soci::use(fired), soci::use(now), soci::use(fired),
         soci::use(run_id), soci::use(id), soci::use(due_ms));
    statement.execute(true);
    return statement.get_affected_rows() == 1;
}

bool CronRepository::remove_if_thread_gone(soci::session& session, const CronRecord& cron, long long due_ms) const {
    if (cron.thread_id.empty()) return false;
    soci::statement statement =
        (session.prepare << "DELETE FROM crons WHERE id = :id AND next_fire_at_ms = :due "
                            "AND NOT EXISTS (SELECT 1 FROM threads WHERE id = :thread)",
         soci::use(cron.id), soci::use(due_ms), soci::use(cron.thread_id));
    statement.execute(true);
    return statement.get_affected_rows() == 1;
}

}  // namespace agenthost::store
