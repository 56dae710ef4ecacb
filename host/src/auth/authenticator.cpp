#include "auth/authenticator.hpp"

#include "auth/api_key.hpp"
#include "auth/scopes.hpp"
#include "util/time_format.hpp"

#include <algorithm>

namespace agenthost::auth {
namespace {

// An unknown id is remembered only briefly: a key made a moment ago with
// agentctl against the database must work almost at once.
constexpr std::chrono::seconds kUnknownKeyTtl(2);
constexpr size_t kMaxCachedKeys = 10000;
constexpr long long kUseRecordIntervalMs = 60 * 1000;

long long wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool starts_with_ci(const std::string& text, const std::string& prefix) {
    if (text.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

std::string trimmed(const std::string& text) {
    size_t start = text.find_first_not_of(" \t");
    if (start == std::string::npos) return "";
    size_t end = text.find_last_not_of(" \t");
    return text.substr(start, end - start + 1);
}

}  // namespace

Authenticator::Authenticator(AuthSettings settings, KeySource& keys, JwtCheck jwt)
    : settings_(std::move(settings)),
      admin_key_sha256_(settings_.admin_key.empty() ? "" : hash_secret(settings_.admin_key)),
      keys_(keys),
      jwt_(std::move(jwt)) {}

Principal Authenticator::authenticate(const std::string& authorization, const std::string& api_key) const {
    if (!required()) return Principal{};
    std::string token;
    if (!authorization.empty()) {
        if (!starts_with_ci(authorization, "bearer "))
            throw AuthFailure("malformed credential: the Authorization header must be 'Bearer <key or token>'");
        token = trimmed(authorization.substr(7));
    } else {
        token = trimmed(api_key);
    }
    if (token.empty())
        throw AuthFailure("missing credential: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'");

    // Hashes compared, so the comparison takes the same time whatever the
    // lengths of the two.
    if (!admin_key_sha256_.empty() && constant_time_equal(hash_secret(token), admin_key_sha256_)) {
        Principal admin;
        admin.kind = Principal::Kind::api_key;
        admin.id = "AGENTHOST_ADMIN_KEY";
        admin.name = "admin (AGENTHOST_ADMIN_KEY)";
        admin.scopes = kAllScopes;
        return admin;
    }
    if (token.compare(0, 3, "ah_") == 0) return from_key(token);
    if (std::count(token.begin(), token.end(), '.') == 2) {
        if (!jwt_) throw AuthFailure("unsupported credential: this host accepts no JWTs (auth.jwt is not configured)");
        return jwt_(token);
    }
    throw AuthFailure("malformed credential: neither an API key (ah_<id>_<secret>) nor a JWT");
}

Principal Authenticator::from_key(const std::string& text) const {
    auto parts = parse_api_key(text);
    if (!parts) throw AuthFailure("malformed API key: expected ah_<id>_<secret>");
    std::shared_ptr<const KeyEntry> entry = lookup(parts->id);
    // The same answer for a wrong secret as for a missing id: a caller
    // cannot learn which ids exist.
    if (!entry->record || !constant_time_equal(hash_secret(parts->secret), entry->record->secret_sha256))
        throw AuthFailure("unknown API key");
    const store::ApiKeyRecord& key = *entry->record;
    if (key.revoked_at_ms != 0) throw AuthFailure("API key " + key.id + " is revoked");
    if (key.expires_at_ms != 0 && wall_ms() >= key.expires_at_ms)
        throw AuthFailure("API key " + key.id + " expired at " + iso8601_ms(key.expires_at_ms));
    record_use(key.id);
    return entry->principal;
}

void Authenticator::record_use(const std::string& id) const {
    long long now = wall_ms();
    {
        std::shared_lock<std::shared_mutex> lock(mutex_);
        auto found = cache_.find(id);
        if (found == cache_.end() || now - found->second.last_recorded_use_ms < kUseRecordIntervalMs) return;
    }
    {
        std::unique_lock<std::shared_mutex> lock(mutex_);
        auto found = cache_.find(id);
        if (found == cache_.end() || now - found->second.last_recorded_use_ms < kUseRecordIntervalMs) return;
        found->second.last_recorded_use_ms = now;
    }
    keys_.key_used(id, now);
}

std::shared_ptr<const Authenticator::KeyEntry> Authenticator::lookup(const std::string& id) const {
    auto now = Clock::now();
    auto ttl = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(settings_.key_cache_seconds));
    {
        std::shared_lock<std::shared_mutex> lock(mutex_);
        auto found = cache_.find(id);
        if (found != cache_.end()) {
            const KeyEntry& entry = *found->second.entry;
            auto limit = entry.record ? ttl : std::chrono::duration_cast<Clock::duration>(kUnknownKeyTtl);
            if (now - entry.fetched < limit) return found->second.entry;
        }
    }
    // Read outside the lock: a slow database must not stall other callers'
    // cached keys.
    auto fresh = std::make_shared<KeyEntry>();
    fresh->record = keys_.find_key(id);
    fresh->fetched = now;
    if (fresh->record) {
        Principal& principal = fresh->principal;
        principal.kind = Principal::Kind::api_key;
        principal.id = fresh->record->id;
        principal.name = fresh->record->name;
        principal.tenant = fresh->record->tenant;
        try {
            principal.scopes = parse_scopes(fresh->record->scopes);
        } catch (const std::invalid_argument&) {
            principal.scopes = kNoScope;  // a hand-edited row: grant nothing
        }
    }
    std::unique_lock<std::shared_mutex> lock(mutex_);
    if (cache_.size() >= kMaxCachedKeys) cache_.clear();
    cache_[id].entry = fresh;
    return fresh;
}

void Authenticator::forget(const std::string& key_id) const {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    cache_.erase(key_id);
}

}  // namespace agenthost::auth
