// Who made a request: an API key, a verified JWT, or nobody in particular
// when auth is off. Plain data, so every layer can carry it without knowing
// how it was established (see auth/authenticator.hpp).
#pragma once

#include <cstdint>
#include <string>

namespace agenthost::auth {

// What a principal may do; one bit each.
enum Scope : uint32_t {
    kNoScope = 0,
    kRead = 1u << 0,     // agents, runs, threads, events, streams, results, workflow status
    kInvoke = 1u << 1,   // invoke, runs, stream, process, orchestrate, pipelines
    kCancel = 1u << 2,   // cancel a run
    kApprove = 1u << 3,  // approve or reject a waiting run
    kAdmin = 1u << 4,    // keys, plugins; sees every tenant
};
constexpr uint32_t kAllScopes = kRead | kInvoke | kCancel | kApprove | kAdmin;

struct Principal {
    enum class Kind { anonymous, api_key, jwt };
    Kind kind = Kind::anonymous;
    // Key id or JWT subject; with `name`, what the audit trail records.
    std::string id;
    std::string name;    // key name, or the JWT subject
    std::string tenant;  // "" is the default tenant
    uint32_t scopes = kAllScopes;

    bool authenticated() const { return kind != Kind::anonymous; }
    bool has(Scope scope) const { return (scopes & scope) == static_cast<uint32_t>(scope); }
    // Anonymous callers exist only while auth is off, and then see everything.
    bool sees_all_tenants() const { return !authenticated() || has(kAdmin); }
    bool may_see(const std::string& owner_tenant) const { return sees_all_tenants() || owner_tenant == tenant; }
    // The name recorded as actor: the key's name or the token's subject.
    std::string actor() const { return authenticated() ? name : ""; }
};

}  // namespace agenthost::auth
