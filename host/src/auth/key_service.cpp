#include "auth/key_service.hpp"

#include "auth/api_key.hpp"
#include "auth/scopes.hpp"

#include <stdexcept>

namespace agenthost::auth {

long long parse_duration_ms(const std::string& text) {
    size_t used = 0;
    long long amount = 0;
    try {
        amount = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used + 1 != text.size() || amount <= 0)
        throw std::invalid_argument("expiry '" + text + "' must be a positive number with d, h, m or s (e.g. 30d)");
    switch (text.back()) {
        case 'd': return amount * 24 * 3600 * 1000;
        case 'h': return amount * 3600 * 1000;
        case 'm': return amount * 60 * 1000;
        case 's': return amount * 1000;
        default: throw std::invalid_argument("expiry '" + text + "' must end in d, h, m or s (e.g. 30d)");
    }
}

CreatedKey KeyService::create(const KeyRequest& request, const std::string& actor) {
    if (request.name.empty() || request.name.size() > 100)
        throw std::invalid_argument("a key needs a name of 1 to 100 characters");
    if (request.tenant.size() > 100) throw std::invalid_argument("a tenant name has at most 100 characters");
    uint32_t scopes = parse_scopes(request.scopes);
    if (scopes == kNoScope)
        throw std::invalid_argument("a key needs at least one scope (read, invoke, cancel, approve, admin)");
    NewKey fresh = generate_api_key();
    CreatedKey created;
    created.key = fresh.text;
    store::ApiKeyRecord& record = created.record;
    record.id = fresh.id;
    record.name = request.name;
    record.secret_sha256 = hash_secret(fresh.secret);
    record.scopes = scopes_text(scopes);
    record.tenant = request.tenant;
    record.created_at_ms = store::now_ms();
    if (!request.expires_in.empty())
        record.expires_at_ms = record.created_at_ms + parse_duration_ms(request.expires_in);
    const store::ApiKeyRepository& keys = store_.api_keys();
    const store::RunRepository& runs = store_.runs();
    std::string detail = "key " + record.id + " '" + record.name + "' scopes " + record.scopes +
                         (record.tenant.empty() ? "" : " tenant " + record.tenant);
    store_.writes().run([&](soci::session& session) {
        keys.insert(session, record);
        runs.audit(session, "", "", "key.created", actor, detail);
    });
    return created;
}

std::vector<store::ApiKeyRecord> KeyService::list() {
    const store::ApiKeyRepository& keys = store_.api_keys();
    return store_.read([&](soci::session& session) { return keys.list(session); });
}

std::optional<store::ApiKeyRecord> KeyService::find(const std::string& id) {
    const store::ApiKeyRepository& keys = store_.api_keys();
    return store_.read([&](soci::session& session) { return keys.find(session, id); });
}

bool KeyService::revoke(const std::string& id, const std::string& actor) {
    const store::ApiKeyRepository& keys = store_.api_keys();
    const store::RunRepository& runs = store_.runs();
    bool revoked = false;
    store_.writes().run([&](soci::session& session) {
        revoked = keys.revoke(session, id, store::now_ms());
        if (revoked) runs.audit(session, "", "", "key.revoked", actor, "key " + id);
    });
    return revoked;
}

void KeyService::key_used(const std::string& id, long long at_ms) {
    // Lazily, through the group commit: a request never waits for it.
    const store::ApiKeyRepository& keys = store_.api_keys();
    store_.writes().submit([&keys, id, at_ms](soci::session& session) { keys.touch(session, id, at_ms); });
}

}  // namespace agenthost::auth
