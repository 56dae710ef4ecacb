// The SQL for API keys. A key's secret is never stored: only its SHA-256
// (hex), which the authenticator compares in constant time.
#pragma once

#include "store/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace agenthost::store {

struct ApiKeyRecord {
    std::string id;  // the public part of ah_<id>_<secret>
    std::string name;
    std::string secret_sha256;  // hex
    std::string scopes;         // comma-separated: read,invoke,cancel,approve,admin
    std::string tenant;         // "" is the default tenant
    long long created_at_ms = 0;
    long long last_used_at_ms = 0;  // 0: never used
    long long expires_at_ms = 0;    // 0: never expires
    long long revoked_at_ms = 0;    // 0: not revoked
};

class ApiKeyRepository {
  public:
    void insert(soci::session& session, const ApiKeyRecord& key) const;
    std::optional<ApiKeyRecord> find(soci::session& session, const std::string& id) const;
    // Newest first.
    std::vector<ApiKeyRecord> list(soci::session& session) const;
    // Marks the key revoked at `now_ms`; false when there is no such key or
    // it was revoked already.
    bool revoke(soci::session& session, const std::string& id, long long now_ms) const;
    // Records a use; never moves last_used backwards.
    void touch(soci::session& session, const std::string& id, long long used_at_ms) const;
};

}  // namespace agenthost::store
