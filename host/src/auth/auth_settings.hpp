// Settings for identity and access: auth mode, keys, JWT, rate limits and
// CORS, as read from config (auth, rate_limits, server.cors) and the
// environment (AGENTHOST_ADMIN_KEY, CORS_ORIGINS).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace agenthost::auth {

struct JwtSettings {
    // HS256 with this secret, and/or RS256/ES256 with the keys of a JWKS file.
    std::string hs256_secret;
    std::string jwks_file;
    // And/or a JWKS fetched from this URL (cached, refreshed every
    // jwks_refresh_seconds, refetched when a token names an unknown kid).
    std::string jwks_url;
    double jwks_refresh_seconds = 300;
    // At most one refetch per this long for tokens naming an unknown kid.
    double jwks_refetch_seconds = 10;
    std::string issuer;    // required when set
    std::string audience;  // required when set
    double leeway_seconds = 30;
    std::string tenant_claim;             // e.g. "org_id"; empty: tokens carry no tenant
    std::string scopes_claim = "scope";   // space-separated string or array of names
    // A claim value (from scopes_claim, and a "role" claim) to the scopes it
    // grants, e.g. {"authenticated": "read,invoke"}; names of scopes map to
    // themselves.
    std::map<std::string, std::string> scope_map;
    bool enabled() const { return !hs256_secret.empty() || !jwks_file.empty() || !jwks_url.empty(); }
};

// Per tenant; 0: no limit.
struct QuotaLimits {
    long long runs_per_day = 0;      // runs created per UTC day
    long long tokens_per_month = 0;  // LLM tokens (input + output) per UTC month
};

// auth.quotas: counted in memory per host, seeded from the usage rollups and
// refreshed from them every refresh_seconds (hosts sharing a database see
// each other's usage within that).
struct QuotaSettings {
    QuotaLimits defaults;
    std::map<std::string, QuotaLimits> tenants;  // overrides `defaults` whole
    double refresh_seconds = 30;
    const QuotaLimits& for_tenant(const std::string& tenant) const {
        auto found = tenants.find(tenant);
        return found == tenants.end() ? defaults : found->second;
    }
    bool enabled() const {
        auto set = [](const QuotaLimits& l) { return l.runs_per_day > 0 || l.tokens_per_month > 0; };
        if (set(defaults)) return true;
        for (const auto& entry : tenants)
            if (set(entry.second)) return true;
        return false;
    }
};

struct AuthSettings {
    enum class Mode { none, required };
    Mode mode = Mode::none;
    // Lets the host listen beyond loopback without auth (logged at start).
    bool insecure_no_auth = false;
    // AGENTHOST_ADMIN_KEY: presented as a key, it is an admin principal.
    std::string admin_key;
    // How long a verified key's record is trusted before it is read again
    // (a revocation made through another host takes effect within this).
    double key_cache_seconds = 30;
    JwtSettings jwt;
    QuotaSettings quotas;
};

struct BucketSettings {
    double rate_per_second = 0;  // 0: no limit
    double burst = 0;            // 0: the rate, at least 1
};

struct RateLimitSettings {
    BucketSettings all;
    // Per route class (read, invoke, cancel, approve, admin, open).
    std::map<std::string, BucketSettings> classes;
    bool enabled() const {
        if (all.rate_per_second > 0) return true;
        for (const auto& entry : classes)
            if (entry.second.rate_per_second > 0) return true;
        return false;
    }
};

struct CorsSettings {
    std::vector<std::string> origins;  // exact origins, or "*"
    bool enabled() const { return !origins.empty(); }
};

}  // namespace agenthost::auth
