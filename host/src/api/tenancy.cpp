#include "api/tenancy.hpp"

#include "api/run_json.hpp"
#include "http/api_error.hpp"
#include "util/ids.hpp"

namespace agenthost::api {

void restrict_to_caller(const http::HttpRequest& request, store::RunFilter& filter) {
    if (request.principal.sees_all_tenants()) return;
    filter.by_tenant = true;
    filter.tenant = request.principal.tenant;
}

const std::string* tenant_filter(const http::HttpRequest& request) {
    return request.principal.sees_all_tenants() ? nullptr : &request.principal.tenant;
}

store::RunRecord visible_run(ApiContext& context, const http::HttpRequest& request, const std::string& run_id) {
    auto run = with_store([&] { return context.runs.find(run_id); });
    if (!run || !visible(request, run->tenant))
        throw http::ApiError(404, "RunNotFound", "no run with id '" + run_id + "'");
    return *run;
}

void check_thread_owner(ApiContext& context, const http::HttpRequest& request, const std::string& thread_id) {
    if (thread_id.empty() || request.principal.sees_all_tenants()) return;
    // The thread's own owner (POST /threads made it), else its runs'.
    auto owner = with_store([&] { return context.threads->owner(thread_id); });
    if (owner && !visible(request, *owner))
        throw http::ApiError(404, "ThreadNotFound", "no thread with id '" + thread_id + "'");
}

store::ThreadRecord visible_thread(ApiContext& context, const http::HttpRequest& request, const std::string& thread_id) {
    // An id no client could have used is not looked up.
    std::optional<store::ThreadRecord> thread;
    if (is_valid_client_id(thread_id)) thread = with_store([&] { return context.threads->find(thread_id); });
    if (!thread || !visible(request, thread->tenant))
        throw http::ApiError(404, "ThreadNotFound", "no thread with id '" + thread_id + "'");
    return *thread;
}

void claim_for_caller(ApiContext& context, const http::HttpRequest& request, runs::InvokeRequest& invoke) {
    invoke.tenant = request.principal.tenant;
    invoke.key_id = request.principal.id;
    check_thread_owner(context, request, invoke.thread_id);
    // if_not_exists reject: the run may only join a thread that exists.
    if (invoke.options.if_not_exists == "reject" && !invoke.thread_id.empty())
        visible_thread(context, request, invoke.thread_id);
}

std::string actor_of(const http::HttpRequest& request, const std::string& fallback) {
    std::string actor = request.principal.actor();
    return actor.empty() ? fallback : actor;
}

}  // namespace agenthost::api
