// Idempotency-Key on the creating POSTs (runs, invoke, process, orchestrate,
// workflows, pipelines). A client that never got its answer (the host died
// between commit and reply, or the network dropped it) retries with the same
// key and gets the resource its first request created, with the same status
// code, instead of a second one. The key is stored in the same transaction
// as what it created; a different request under the same key is refused.
#pragma once

#include "api/api_context.hpp"
#include "http/http_message.hpp"

#include <functional>
#include <optional>
#include <string>

namespace agenthost::api {

// What to store with the created resource, or nullopt when the request
// carries no Idempotency-Key. `endpoint` names the creating route; the
// fingerprint covers it and the exact body. Throws ApiError 422 for a key
// that is empty, longer than 255 characters or not printable ASCII.
std::optional<store::IdempotencyRecord> idempotency_claim(const http::HttpRequest& request, const std::string& endpoint,
                                                          int status_code);

// Answers the replay of an earlier request with the key: `earlier` names
// the resource it created.
using Replay = std::function<void(const store::IdempotencyRecord& earlier, const http::Responder& responder)>;

// True when the key was used before (within the window) and the request was
// answered: by `replay` for the same request, or 422 IdempotencyKeyReused
// for a different one. False when the key is new (or there is none).
bool answered_from_earlier(ApiContext& context, const std::optional<store::IdempotencyRecord>& claim,
                           const std::string& request_id, const http::Responder& responder, const Replay& replay);

}  // namespace agenthost::api
