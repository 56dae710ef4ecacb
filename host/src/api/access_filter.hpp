// The checks every request passes before a handler sees it, in this order:
// CORS (preflights answered here; allowed origins get their headers on
// every answer, errors included), authentication (401), the route's scope
// (403), the caller's rate limit (429), then, for calls that create runs,
// its tenant's quota (429 QuotaExceeded). The principal it establishes
// is in request.principal for the handlers' tenant checks.
#pragma once

#include "auth/authenticator.hpp"
#include "auth/cors_policy.hpp"
#include "auth/rate_limiter.hpp"
#include "http/http_server.hpp"
#include "usage/tenant_quotas.hpp"

namespace agenthost::api {

struct AccessControl {
    const auth::Authenticator& authenticator;
    auth::RateLimiter& limiter;
    const auth::CorsPolicy& cors;
    usage::TenantQuotas* quotas = nullptr;  // null or disabled: no quotas
};

// Null when nothing would ever be checked (auth off, no limits, no CORS),
// so such a host pays nothing per request.
http::RequestFilter access_filter(AccessControl access);

}  // namespace agenthost::api
