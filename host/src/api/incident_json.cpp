#include "api/incident_json.hpp"

#include "json/json_util.hpp"
#include "util/time_format.hpp"

namespace agenthost::api {
namespace {

void nullable(JsonWriter& out, const char* name, const std::string& value) {
    out.key(name);
    if (value.empty()) out->Null();
    else out.string(value);
}

// Stored JSON embedded as it is; anything unreadable as an empty object.
void embedded(JsonWriter& out, const std::string& text) {
    std::string error;
    auto parsed = json::parse(text, error);
    if (parsed && parsed->IsObject()) parsed->Accept(*out);
    else {
        out->StartObject();
        out->EndObject();
    }
}

}  // namespace

void write_incident(JsonWriter& out, const store::IncidentRecord& incident) {
    out->StartObject();
    out.field("id", incident.id);
    out.field("title", incident.title);
    out.field("status", incident.status);
    out.field("severity", incident.severity);
    out.field("service", incident.service);
    out.field("repository", incident.repository);
    out.field("source", incident.source);
    out.field("fingerprint", incident.fingerprint);
    out.key("signal_count");
    out->Int64(incident.signal_count);
    out.field("first_seen", iso8601_ms(incident.first_seen_ms));
    out.field("last_seen", iso8601_ms(incident.last_seen_ms));
    out.field("created_at", iso8601_ms(incident.created_at_ms));
    nullable(out, "resolved_at", incident.resolved_at_ms == 0 ? "" : iso8601_ms(incident.resolved_at_ms));
    nullable(out, "resolution", incident.resolution);
    nullable(out, "resolved_by", incident.resolved_by);
    out.key("reopened");
    out->Int64(incident.reopened);
    out->EndObject();
}

void write_signal(JsonWriter& out, const store::SignalRecord& signal) {
    out->StartObject();
    out.field("id", signal.id);
    out.field("kind", signal.kind);
    out.field("service", signal.service);
    out.field("repository", signal.repository);
    out.field("severity", signal.severity);
    out.field("message", signal.message);
    out.field("received_at", iso8601_ms(signal.received_at_ms));
    nullable(out, "incident_id", signal.incident_id);
    if (signal.score != 0) out.field("score", signal.score);
    out->EndObject();
}

void write_incident_detail(JsonWriter& out, const signals::IncidentDetail& detail) {
    out->StartObject();
    out.key("incident");
    write_incident(out, detail.incident);
    out.key("signals");
    out->StartArray();
    for (const auto& signal : detail.signals) write_signal(out, signal);
    out->EndArray();
    out.key("runs");
    out->StartArray();
    for (const auto& run : detail.runs) {
        out->StartObject();
        out.field("run_id", run.id);
        out.field("status", run.status);
        out.field("created_at", iso8601_ms(run.created_at_ms));
        out->EndObject();
    }
    out->EndArray();
    out.key("actions");
    out->StartArray();
    for (const auto& action : detail.actions) {
        out->StartObject();
        out.key("seq");
        out->Int64(action.seq);
        out.field("kind", action.kind);
        out.key("detail");
        embedded(out, action.detail_json);
        out.field("actor", action.actor);
        nullable(out, "approved_by", action.approved_by);
        nullable(out, "run_id", action.run_id);
        out.field("at", iso8601_ms(action.at_ms));
        out->EndObject();
    }
    out->EndArray();
    out->EndObject();
}

void write_integration(JsonWriter& out, const store::SreIntegration& item, bool with_status,
                       const store::LogCursor* pull_status) {
    out->StartObject();
    out.field("id", item.id);
    std::string error;
    auto body = json::parse(item.body_json, error);
    if (body && body->IsObject())
        for (const auto& member : body->GetObject()) {
            std::string name(member.name.GetString(), member.name.GetStringLength());
            if (name == "id" || name == "created_at" || name == "status") continue;
            // A log source's AWS secret is stored for pulling, never shown.
            if (name == "secret_access_key" || name == "session_token") {
                out.field(name, "[redacted]");
                continue;
            }
            out.key(name);
            member.value.Accept(*out);
        }
    out.field("created_at", iso8601_ms(item.created_at_ms));
    if (with_status && item.kind == "log_source") {
        // Where pulling it stands; all zero before its first pull.
        store::LogCursor none;
        const store::LogCursor& status = pull_status != nullptr ? *pull_status : none;
        out.key("status");
        out->StartObject();
        out.key("pulled");
        out->Bool(status.last_pull_at_ms > 0);
        if (status.last_pull_at_ms > 0) out.field("last_pull_at", iso8601_ms(status.last_pull_at_ms));
        if (status.last_success_at_ms > 0) out.field("last_success_at", iso8601_ms(status.last_success_at_ms));
        if (status.next_pull_at_ms > 0) out.field("next_pull_at", iso8601_ms(status.next_pull_at_ms));
        out.field("last_error", status.last_error);
        out.key("consecutive_failures");
        out->Int64(status.failures);
        out.key("lines_read");
        out->Int64(status.lines_read);
        out.key("signals");
        out->Int64(status.signals_sent);
        out.field("pulling", !status.lease_owner.empty());
        out->EndObject();
    }
    out->EndObject();
}

}  // namespace agenthost::api
