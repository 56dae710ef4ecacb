// Turns a request's credential into a principal: an API key (looked up by
// id, its secret's hash compared in constant time), AGENTHOST_ADMIN_KEY, or
// a JWT. Verified keys are cached so the hot path does no database read;
// a revocation through this host drops its entry at once.
#pragma once

#include "auth/auth_settings.hpp"
#include "auth/principal.hpp"
#include "store/api_key_repository.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace agenthost::auth {

// A credential refused; the message says why and never contains the secret.
struct AuthFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Where keys are read from and uses recorded (the key service).
class KeySource {
  public:
    virtual ~KeySource() = default;
    virtual std::optional<store::ApiKeyRecord> find_key(const std::string& id) = 0;
    // Called at most once a minute per key; may record it asynchronously.
    virtual void key_used(const std::string& id, long long at_ms) = 0;
};

// Verifies a JWT; throws AuthFailure naming what is wrong.
using JwtCheck = std::function<Principal(const std::string& token)>;

class Authenticator {
  public:
    Authenticator(AuthSettings settings, KeySource& keys, JwtCheck jwt = nullptr);

    bool required() const { return settings_.mode == AuthSettings::Mode::required; }

    // `authorization` and `api_key` are the raw header values ("" when
    // absent). With auth off every caller is anonymous with every scope.
    Principal authenticate(const std::string& authorization, const std::string& api_key) const;

    // Drops a cached key (after it was revoked here).
    void forget(const std::string& key_id) const;

  private:
    using Clock = std::chrono::steady_clock;
    // What a key id resolved to, immutable once made: requests share it
    // without copying the record.
    struct KeyEntry {
        std::optional<store::ApiKeyRecord> record;  // nullopt: no such key
        Principal principal;                        // its scopes parsed once
        Clock::time_point fetched;
    };
    struct Cached {
        std::shared_ptr<const KeyEntry> entry;
        long long last_recorded_use_ms = 0;
    };
    Principal from_key(const std::string& text) const;
    std::shared_ptr<const KeyEntry> lookup(const std::string& id) const;
    void record_use(const std::string& id) const;

    AuthSettings settings_;
    std::string admin_key_sha256_;  // hashed once: compared on every request that is not a stored key
    KeySource& keys_;
    JwtCheck jwt_;
    // Reads (every request) share the lock; only a miss or a use to record
    // takes it alone.
    mutable std::shared_mutex mutex_;
    mutable std::unordered_map<std::string, Cached> cache_;
};

}  // namespace agenthost::auth
