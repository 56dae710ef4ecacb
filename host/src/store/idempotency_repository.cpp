#include "store/idempotency_repository.hpp"

namespace agenthost::store {

void IdempotencyRepository::insert(soci::session& session, const IdempotencyRecord& record,
                                   long long expired_before_ms) const {
    session << "DELETE FROM idempotency_keys WHERE scope = :s AND idempotency_key = :k AND created_at_ms < :t",
        soci::use(record.scope), soci::use(record.key), soci::use(expired_before_ms);
    session << "INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, endpoint, resource_id, status_code, "
               "created_at_ms) VALUES (:s, :k, :f, :e, :r, :c, :t)",
        soci::use(record.scope), soci::use(record.key), soci::use(record.fingerprint), soci::use(record.endpoint),
        soci::use(record.resource_id), soci::use(record.status_code), soci::use(record.created_at_ms);
}

std::optional<IdempotencyRecord> IdempotencyRepository::find(soci::session& session, const std::string& scope,
                                                             const std::string& key, long long not_before_ms) const {
    IdempotencyRecord record;
    soci::indicator found = soci::i_null;
    session << "SELECT fingerprint, endpoint, resource_id, status_code, created_at_ms FROM idempotency_keys "
               "WHERE scope = :s AND idempotency_key = :k AND created_at_ms >= :t",
        soci::into(record.fingerprint, found), soci::into(record.endpoint), soci::into(record.resource_id),
        soci::into(record.status_code), soci::into(record.created_at_ms), soci::use(scope), soci::use(key),
        soci::use(not_before_ms);
    if (!session.got_data() || found != soci::i_ok) return std::nullopt;
    record.scope = scope;
    record.key = key;
    return record;
}

size_t IdempotencyRepository::delete_before(soci::session& session, long long before_ms) const {
    soci::statement statement =
        (session.prepare << "DELETE FROM idempotency_keys WHERE created_at_ms < :t", soci::use(before_ms));
    statement.execute(true);
    return static_cast<size_t>(statement.get_affected_rows());
}

}  // namespace agenthost::store
