#include "store/api_key_repository.hpp"

#include "store/row_reader.hpp"

namespace agenthost::store {
namespace {

const char* kColumns =
    "id, name, secret_sha256, scopes, tenant, created_at_ms, last_used_at_ms, expires_at_ms, revoked_at_ms";

ApiKeyRecord from_row(const soci::row& row) {
    ApiKeyRecord key;
    key.id = text_at(row, 0);
    key.name = text_at(row, 1);
    key.secret_sha256 = text_at(row, 2);
    key.scopes = text_at(row, 3);
    key.tenant = text_at(row, 4);
    key.created_at_ms = integer_at(row, 5);
    key.last_used_at_ms = integer_at(row, 6);
    key.expires_at_ms = integer_at(row, 7);
    key.revoked_at_ms = integer_at(row, 8);
    return key;
}

}  // namespace

void ApiKeyRepository::insert(soci::session& session, const ApiKeyRecord& key) const {
    soci::indicator expires = key.expires_at_ms == 0 ? soci::i_null : soci::i_ok;
    session << "INSERT INTO api_keys (id, name, secret_sha256, scopes, tenant, created_at_ms, expires_at_ms) "
               "VALUES (:id, :n, :h, :s, :t, :c, :e)",
        soci::use(key.id), soci::use(key.name), soci::use(key.secret_sha256), soci::use(key.scopes),
        soci::use(key.tenant), soci::use(key.created_at_ms), soci::use(key.expires_at_ms, expires);
}

std::optional<ApiKeyRecord> ApiKeyRepository::find(soci::session& session, const std::string& id) const {
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kColumns + " FROM api_keys WHERE id = :id", soci::use(id));
    for (const soci::row& row : rows) return from_row(row);
    return std::nullopt;
}

std::vector<ApiKeyRecord> ApiKeyRepository::list(soci::session& session) const {
    std::vector<ApiKeyRecord> keys;
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kColumns + " FROM api_keys ORDER BY created_at_ms DESC, id DESC");
    for (const soci::row& row : rows) keys.push_back(from_row(row));
    return keys;
}

bool ApiKeyRepository::revoke(soci::session& session, const std::string& id, long long now_ms) const {
    soci::statement update =
        (session.prepare << "UPDATE api_keys SET revoked_at_ms = :t WHERE id = :id AND revoked_at_ms IS NULL",
         soci::use(now_ms), soci::use(id));
    update.execute(true);
    return update.get_affected_rows() == 1;
}

void ApiKeyRepository::touch(soci::session& session, const std::string& id, long long used_at_ms) const {
    session << "UPDATE api_keys SET last_used_at_ms = :t WHERE id = :id AND "
               "(last_used_at_ms IS NULL OR last_used_at_ms < :t2)",
        soci::use(used_at_ms), soci::use(id), soci::use(used_at_ms);
}

}  // namespace agenthost::store
