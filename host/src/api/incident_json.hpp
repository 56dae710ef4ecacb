// Incidents, signals and integrations as the seed 002 endpoints show them.
#pragma once

#include "api/json_writer.hpp"
#include "signals/incident_service.hpp"
#include "store/sre_records.hpp"

namespace agenthost::api {

void write_incident(JsonWriter& out, const store::IncidentRecord& incident);
void write_signal(JsonWriter& out, const store::SignalRecord& signal);
void write_incident_detail(JsonWriter& out, const signals::IncidentDetail& detail);
// The fields it was created with, plus id and created_at.
void write_integration(JsonWriter& out, const store::SreIntegration& item);

}  // namespace agenthost::api
