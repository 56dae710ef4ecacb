// Tenants as the handlers apply them: objects belong to the tenant of the
// principal that created them, and another tenant's objects answer 404
// exactly as missing ones (admin, and every caller while auth is off, sees
// all). The checks sit here so each handler makes one call.
#pragma once

#include "api/api_context.hpp"
#include "http/http_message.hpp"
#include "runs/invocation.hpp"
#include "store/records.hpp"
#include "store/thread_records.hpp"

#include <string>

namespace agenthost::api {

inline bool visible(const http::HttpRequest& request, const std::string& tenant) {
    return request.principal.may_see(tenant);
}

// Limits a run listing to the caller's tenant unless it sees all.
void restrict_to_caller(const http::HttpRequest& request, store::RunFilter& filter);
// The tenant a pipeline listing is limited to, or null for all.
const std::string* tenant_filter(const http::HttpRequest& request);

// The run, or 404 RunNotFound when it is missing or not the caller's.
store::RunRecord visible_run(ApiContext& context, const http::HttpRequest& request, const std::string& run_id);

// Makes a new run the caller's; a thread_id naming another tenant's thread
// answers 404 ThreadNotFound (joining it would read that thread's memory).
void claim_for_caller(ApiContext& context, const http::HttpRequest& request, runs::InvokeRequest& invoke);
void check_thread_owner(ApiContext& context, const http::HttpRequest& request, const std::string& thread_id);
// The thread, or 404 ThreadNotFound when it is missing or not the caller's.
store::ThreadRecord visible_thread(ApiContext& context, const http::HttpRequest& request, const std::string& thread_id);

// Who is recorded as having done it: the key's name or the token's
// subject; `fallback` while auth is off.
std::string actor_of(const http::HttpRequest& request, const std::string& fallback = "api");

}  // namespace agenthost::api
