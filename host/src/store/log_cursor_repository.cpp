#include "store/log_cursor_repository.hpp"

#include "store/row_reader.hpp"

namespace agenthost::store {
namespace {

const char* kColumns =
    "source_id, tenant, cursor_json, lease_owner, lease_expires_at_ms, fencing_token, next_pull_at_ms, "
    "last_pull_at_ms, last_success_at_ms, last_error, failures, lines_read, signals_sent, updated_at_ms";

LogCursor cursor_from(const soci::row& row) {
    LogCursor cursor;
    cursor.source_id = text_at(row, 0);
    cursor.tenant = text_at(row, 1);
    cursor.cursor_json = text_at(row, 2);
    cursor.lease_owner = text_at(row, 3);
    cursor.lease_expires_at_ms = integer_at(row, 4);
    cursor.fencing_token = integer_at(row, 5);
    cursor.next_pull_at_ms = integer_at(row, 6);
    cursor.last_pull_at_ms = integer_at(row, 7);
    cursor.last_success_at_ms = integer_at(row, 8);
    cursor.last_error = text_at(row, 9);
    cursor.failures = integer_at(row, 10);
    cursor.lines_read = integer_at(row, 11);
    cursor.signals_sent = integer_at(row, 12);
    cursor.updated_at_ms = integer_at(row, 13);
    return cursor;
}

}  // namespace

std::optional<LogCursor> LogCursorRepository::claim(soci::session& session, const std::string& source_id,
                                                    const std::string& tenant, const std::string& owner,
                                                    long long now_ms, long long lease_until_ms) const {
    // Both SQLite (3.24+) and PostgreSQL read ON CONFLICT DO NOTHING.
    session << "INSERT INTO log_source_cursors (source_id, tenant, cursor_json, fencing_token, next_pull_at_ms, "
               "last_pull_at_ms, last_success_at_ms, last_error, failures, lines_read, signals_sent, updated_at_ms) "
               "VALUES (:id, :t, '', 0, 0, 0, 0, '', 0, 0, 0, :now) ON CONFLICT (source_id) DO NOTHING",
        soci::use(source_id), soci::use(tenant), soci::use(now_ms);
    soci::statement take =
        (session.prepare << "UPDATE log_source_cursors SET lease_owner = :o, lease_expires_at_ms = :l, "
                            "fencing_token = fencing_token + 1, updated_at_ms = :now WHERE source_id = :id AND "
                            "next_pull_at_ms <= :now2 AND (lease_owner IS NULL OR lease_expires_at_ms < :now3)",
         soci::use(owner), soci::use(lease_until_ms), soci::use(now_ms), soci::use(source_id), soci::use(now_ms),
         soci::use(now_ms));
    take.execute(true);
    if (take.get_affected_rows() != 1) return std::nullopt;
    return find(session, source_id);
}

bool LogCursorRepository::advance(soci::session& session, const std::string& source_id, const std::string& owner,
                                  long long fencing_token, const PullProgress& progress) const {
    soci::statement move =
        (session.prepare << "UPDATE log_source_cursors SET cursor_json = :c, lines_read = lines_read + :n, "
                            "signals_sent = signals_sent + :s, last_pull_at_ms = :now, last_success_at_ms = :now2, "
                            "last_error = '', failures = 0, next_pull_at_ms = :next, lease_owner = NULL, "
                            "lease_expires_at_ms = NULL, updated_at_ms = :now3 WHERE source_id = :id AND "
                            "lease_owner = :o AND fencing_token = :f",
         soci::use(progress.cursor_json), soci::use(progress.lines_read), soci::use(progress.signals_sent),
         soci::use(progress.now_ms), soci::use(progress.now_ms), soci::use(progress.next_pull_at_ms),
         soci::use(progress.now_ms), soci::use(source_id), soci::use(owner), soci::use(fencing_token));
    move.execute(true);
    return move.get_affected_rows() == 1;
}

bool LogCursorRepository::fail(soci::session& session, const std::string& source_id, const std::string& owner,
                               long long fencing_token, const std::string& error, long long now_ms,
                               long long next_pull_at_ms) const {
    std::string bounded = error.size() > 2000 ? error.substr(0, 2000) : error;
    soci::statement record =
        (session.prepare << "UPDATE log_source_cursors SET last_error = :e, failures = failures + 1, "
                            "last_pull_at_ms = :now, next_pull_at_ms = :next, lease_owner = NULL, "
                            "lease_expires_at_ms = NULL, updated_at_ms = :now2 WHERE source_id = :id AND "
                            "lease_owner = :o AND fencing_token = :f",
         soci::use(bounded), soci::use(now_ms), soci::use(next_pull_at_ms), soci::use(now_ms), soci::use(source_id),
         soci::use(owner), soci::use(fencing_token));
    record.execute(true);
    return record.get_affected_rows() == 1;
}

std::optional<LogCursor> LogCursorRepository::find(soci::session& session, const std::string& source_id) const {
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kColumns + " FROM log_source_cursors WHERE source_id = :id",
         soci::use(source_id));
    for (const soci::row& row : rows) return cursor_from(row);
    return std::nullopt;
}

void LogCursorRepository::remove(soci::session& session, const std::string& source_id) const {
    session << "DELETE FROM log_source_cursors WHERE source_id = :id", soci::use(source_id);
}

}  // namespace agenthost::store
