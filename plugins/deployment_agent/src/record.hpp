// Deployment records in thread memory: what was deployed where, when, by
// which run, and what it replaced. A later run on the same thread reads them
// (history mode, and a deploy's previous_deployment).
#pragma once

#include <agenthost/agent.hpp>

#include "deployment.hpp"
#include "execute.hpp"

namespace deploy {

// The thread's records, newest first ({"records": [...]}).
rapidjson::Document load_records(const agenthost::Run& run);

// Adds the record of this run's deployment (keeping config.max_records).
rapidjson::Document record_deployment(const agenthost::Run& run, const Request& request, const Outcome& outcome,
                                      const Config& config);

// Per service and environment, the newest deployment that stayed there:
// {"<service>": {"<environment>": {"image","run_id","deployed_at"}}}.
rapidjson::Document currently_deployed(const rapidjson::Value& records);

}  // namespace deploy
