// What seed 002's SRE surface stores: the integrations an operator
// configures (repositories, log sources, Slack channels), the signals that
// arrive, and the incidents they are grouped into. Every row belongs to a
// tenant, as runs do.
#pragma once

#include <string>
#include <vector>

namespace agenthost::store {

// A repository, a log source or a Slack channel: the validated request body
// is kept as JSON; `key` is what must be unique per tenant and kind (the
// repository's or log source's name, the channel).
struct SreIntegration {
    std::string id;
    std::string tenant;
    std::string kind;  // "repo", "log_source", "slack_channel"
    std::string key;
    std::string body_json;
    long long created_at_ms = 0;
};

struct SignalRecord {
    std::string id;
    std::string tenant;
    std::string incident_id;  // "" when the signal opened or joined none
    std::string kind;         // "log", "slack", "github", "manual"
    std::string service;
    std::string repository;
    std::string severity;  // "info", "warning", "error", "critical"
    std::string message;
    std::string fingerprint;  // "" for signals that never make incidents
    std::string payload_json;
    long long received_at_ms = 0;
    long long created_at_ms = 0;
    double score = 0;  // retrieval rank (higher is more relevant), 0 otherwise
};

struct IncidentRecord {
    std::string id;
    std::string tenant;
    std::string fingerprint;
    std::string title;
    std::string service;
    std::string repository;
    std::string severity;
    std::string status;  // "open", "resolved"
    std::string source;  // the kind of signal that opened it
    long long signal_count = 0;
    long long first_seen_ms = 0;
    long long last_seen_ms = 0;
    long long created_at_ms = 0;
    long long updated_at_ms = 0;
    long long resolved_at_ms = 0;  // 0: not resolved
    std::string resolution;
    std::string resolved_by;
    long long reopened = 0;
};

struct IncidentFilter {
    bool by_tenant = false;
    std::string tenant;
    std::string status;
    std::string repository;
    std::string severity;
    std::string cursor;
    size_t limit = 20;
};

struct IncidentPage {
    std::vector<IncidentRecord> incidents;
    std::string next_cursor;
};

// One action an incident records (a run's rollback, a manual resolve).
struct IncidentAction {
    std::string incident_id;
    long long seq = 0;
    std::string kind;
    std::string detail_json;
    std::string actor;
    std::string approved_by;
    std::string run_id;
    long long at_ms = 0;
};

}  // namespace agenthost::store
