#include "api/access_filter.hpp"

#include "api/run_json.hpp"
#include "auth/route_access.hpp"
#include "auth/scopes.hpp"
#include "http/api_error.hpp"
#include "http/router.hpp"
#include "store/database.hpp"
#include "util/time_format.hpp"

#include <cmath>

namespace agenthost::api {
namespace {

std::string whole_seconds(double seconds) { return std::to_string(static_cast<long long>(std::ceil(seconds))); }

std::optional<http::HttpResponse> preflight(const AccessControl& access, const http::HttpRequest& request) {
    http::HttpResponse response;
    response.status = 204;
    response.headers = access.cors.preflight_headers(request.header("origin"),
                                                     request.header("access-control-request-method"));
    // A disallowed origin gets no CORS headers: the browser refuses the call.
    return response;
}

void authorize(const AccessControl& access, http::HttpRequest& request, const auth::RouteAccess& route) {
    try {
        const std::string& authorization = request.header("authorization");
        const std::string& api_key = request.header("x-api-key");
        request.principal = with_store([&] { return access.authenticator.authenticate(authorization, api_key); });
    } catch (const auth::AuthFailure& failure) {
        http::ApiError error(401, "Unauthenticated", failure.what());
        error.headers.emplace_back("WWW-Authenticate", "Bearer");
        throw error;
    }
    if (!request.principal.has(route.scope))
        throw http::ApiError(403, "Forbidden",
                             std::string("this call needs the '") + auth::scope_name(route.scope) + "' scope; '" +
                                 request.principal.name + "' has: " +
                                 (request.principal.scopes ? auth::scopes_text(request.principal.scopes) : "none"));
}

void limit_rate(const AccessControl& access, const http::HttpRequest& request, const auth::RouteAccess& route,
                http::HeaderList& headers) {
    const auth::Principal& principal = request.principal;
    std::string who = principal.authenticated() ? "principal:" + principal.id : "address:" + request.client_address;
    auth::BucketDecision decision = access.limiter.take(who, route.rate_class);
    if (decision.limit == 0) return;  // this class is not limited
    headers.emplace_back("RateLimit-Limit", std::to_string(decision.limit));
    headers.emplace_back("RateLimit-Remaining", std::to_string(decision.remaining));
    headers.emplace_back("RateLimit-Reset", whole_seconds(decision.reset_seconds));
    if (decision.allowed) return;
    http::ApiError error(429, "RateLimited",
                         std::string("rate limit for ") + route.rate_class + " calls exceeded; retry in " +
                             whole_seconds(decision.retry_after_seconds) + " s");
    error.headers.emplace_back("Retry-After", whole_seconds(decision.retry_after_seconds));
    throw error;
}

// Only calls that create runs count against and are refused by a quota;
// reading what exists, cancelling and approving stay possible.
void check_quota(const AccessControl& access, const http::HttpRequest& request) {
    long long now = store::now_ms();
    usage::QuotaDecision decision = access.quotas->admit(request.principal.tenant, now);
    if (decision.allowed) return;
    std::string tenant = request.principal.tenant.empty() ? "the default tenant" : "tenant '" + request.principal.tenant + "'";
    std::string resets = iso8601_ms(decision.resets_at_ms);
    double wait = static_cast<double>(decision.resets_at_ms - now) / 1000.0;
    http::ApiError error(429, "QuotaExceeded",
                         tenant + " has used its " + decision.quota + " quota (" + std::to_string(decision.used) +
                             " of " + std::to_string(decision.limit) + "); it resets at " + resets,
                         {{decision.quota, "limit " + std::to_string(decision.limit) + ", resets at " + resets}});
    error.headers.emplace_back("Retry-After", whole_seconds(wait));
    throw error;
}

}  // namespace

http::RequestFilter access_filter(AccessControl access) {
    bool quotas = access.quotas != nullptr && access.quotas->enabled();
    if (!access.authenticator.required() && !access.limiter.enabled() && !access.cors.enabled() && !quotas)
        return nullptr;
    return [access, quotas](http::HttpRequest& request, http::HeaderList& headers) -> std::optional<http::HttpResponse> {
        if (access.cors.enabled()) {
            if (request.method == "OPTIONS" && !request.header("access-control-request-method").empty())
                return preflight(access, request);
            headers = access.cors.response_headers(request.header("origin"));
        }
        auth::RouteAccess route = auth::route_access(request.method, http::split_path(request.path));
        if (!route.open) authorize(access, request, route);
        if (access.limiter.enabled()) limit_rate(access, request, route, headers);
        if (quotas && route.creates_runs) check_quota(access, request);
        return std::nullopt;
    };
}

}  // namespace agenthost::api
