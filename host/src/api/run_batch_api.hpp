// POST /runs/batch: many runs in one request and one transaction.
//
// The body is an array of POST /runs bodies (at most 1000). Each item is
// checked on its own, as POST /runs would check it (schema, agent, context,
// thread options); an item that fails is answered with its own error
// envelope and the others go ahead. Every accepted item is stored in one
// transaction: all of them or, when the database fails, none (then the
// whole request answers the store error). The answer lists one result per
// item, in order. Idempotency-Key is not supported here.
#pragma once

#include "api/api_context.hpp"
#include "http/router.hpp"

namespace agenthost::api {

void add_run_batch_routes(http::Router& router, ApiContext& context);

}  // namespace agenthost::api
