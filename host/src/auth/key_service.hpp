// Creating, listing and revoking API keys, for the REST API and for
// agentctl working offline on the database; also the authenticator's
// source of keys. Every change is in the audit log with its principal.
#pragma once

#include "auth/authenticator.hpp"
#include "store/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace agenthost::auth {

struct KeyRequest {
    std::string name;
    std::string scopes;  // "invoke,read"
    std::string tenant;
    std::string expires_in;  // "30d", "12h", "90m", "3600s"; empty: never
};

struct CreatedKey {
    store::ApiKeyRecord record;
    std::string key;  // ah_<id>_<secret>: shown once, never stored
};

// "30d" and the like to milliseconds; throws std::invalid_argument.
long long parse_duration_ms(const std::string& text);

class KeyService : public KeySource {
  public:
    explicit KeyService(store::Store& store) : store_(store) {}

    // Throws std::invalid_argument for a bad name, scope list or duration.
    CreatedKey create(const KeyRequest& request, const std::string& actor);
    std::vector<store::ApiKeyRecord> list();
    std::optional<store::ApiKeyRecord> find(const std::string& id);
    // False when there is no such key or it was revoked already.
    bool revoke(const std::string& id, const std::string& actor);

    std::optional<store::ApiKeyRecord> find_key(const std::string& id) override { return find(id); }
    void key_used(const std::string& id, long long at_ms) override;

  private:
    store::Store& store_;
};

}  // namespace agenthost::auth
