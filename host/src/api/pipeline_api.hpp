// Seed 004's processing API: POST /api/v1/process, GET /api/v1/results,
// GET /api/v1/results/{request_id}, GET /api/v1/health.
#pragma once

#include "api/api_context.hpp"
#include "api/json_writer.hpp"
#include "http/router.hpp"

#include <rapidjson/document.h>

#include <vector>

namespace agenthost::api {

void add_pipeline_routes(http::Router& router, ApiContext& context);

// A processing request or result as seed 004 shows it; with `runs`, each
// agent's result too.
void write_pipeline(JsonWriter& out, const store::PipelineRecord& pipeline, const std::vector<store::RunRecord>* runs);

// Validates and queues a processing request body (already checked against
// requests/process) and answers 202 once it is stored; shared with the
// signed inbound webhook. It belongs to the caller's tenant.
void accept_processing_request(ApiContext& context, const rapidjson::Document& body, const http::HttpRequest& request,
                               const http::Responder& responder);

}  // namespace agenthost::api
