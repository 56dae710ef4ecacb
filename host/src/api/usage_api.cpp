#include "api/usage_api.hpp"

#include "api/query_params.hpp"
#include "api/run_json.hpp"
#include "http/api_error.hpp"
#include "store/database.hpp"
#include "usage/usage_report.hpp"

namespace agenthost::api {
namespace {

http::HttpResponse usage(ApiContext& context, const http::HttpRequest& request) {
    usage::UsageRequest query;
    try {
        query = usage::parse_usage_request(query_value(request, "from"), query_value(request, "to"),
                                           query_value(request, "group_by"), store::now_ms());
    } catch (const usage::BadUsageParameter& e) {
        throw http::ApiError(422, "ValidationError", e.what(), {{e.parameter, e.what()}});
    }
    if (!request.principal.sees_all_tenants()) {
        query.by_tenant = true;
        query.tenant = request.principal.tenant;
    }
    std::string body = with_store([&] { return usage::usage_report_json(*context.store, query); });
    return http::json_response(200, body);
}

}  // namespace

void add_usage_routes(http::Router& router, ApiContext& context) {
    if (context.store == nullptr) return;
    router.get("/usage", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(usage(context, request));
    });
}

}  // namespace agenthost::api
