// Crons: runs on a schedule.
//   POST   /runs/crons                  a cron whose ticks each run on a new thread
//   POST   /threads/{id}/runs/crons     a cron whose ticks run on that thread
//   POST   /runs/crons/search           crons, newest first (agent_name, thread_id)
//   GET    /runs/crons/{id}             one cron, with its next tick
//   DELETE /runs/crons/{id}             stops and deletes it (its runs stay)
// Tenant-scoped like runs: another tenant's cron answers 404.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::crons {
class CronService;
}

namespace agenthost::api {

void add_cron_routes(http::Router& router, ApiContext& context, crons::CronService& crons);

}  // namespace agenthost::api
