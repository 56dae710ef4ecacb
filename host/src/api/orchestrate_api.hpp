// Seed 000's workflow trigger: POST /agents/orchestrate takes a task and
// either steps with dependencies (a DAG) or none (one step, routed by the
// supervisors when no agent is named); GET /agents/status/{id} shows every
// step's state. /workflows, /pipelines and their /{id} are the same
// resources (GET /pipelines/{id} shows seed 004's pipelines too).
#pragma once

#include "api/api_context.hpp"
#include "api/json_writer.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_orchestrate_routes(http::Router& router, ApiContext& context);

// A workflow as GET /agents/status/{id} shows it (also its webhook's data).
void write_workflow(JsonWriter& out, const runs::DagView& view);

}  // namespace agenthost::api
