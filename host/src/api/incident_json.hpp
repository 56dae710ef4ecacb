// Incidents, signals and integrations as the seed 002 endpoints show them.
#pragma once

#include "api/json_writer.hpp"
#include "signals/incident_service.hpp"
#include "store/sre_records.hpp"

namespace agenthost::api {

void write_incident(JsonWriter& out, const store::IncidentRecord& incident);
void write_signal(JsonWriter& out, const store::SignalRecord& signal);
void write_incident_detail(JsonWriter& out, const signals::IncidentDetail& detail);
// The fields it was created with (credentials shown as "[redacted]"), plus
// id and created_at; with `with_status`, a log source's pull status
// (`pull_status` null: never pulled).
void write_integration(JsonWriter& out, const store::SreIntegration& item, bool with_status = false,
                       const store::LogCursor* pull_status = nullptr);

}  // namespace agenthost::api
