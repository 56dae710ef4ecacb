#include "api/openapi_api.hpp"

#include "api/openapi_document.hpp"
#include "api/web_assets.hpp"
#include "http/api_error.hpp"
#include "json/json_util.hpp"
#include "util/log.hpp"

#include <memory>
#include <mutex>

namespace agenthost::api {
namespace {

// Paths are relative, so the pages work behind a proxy that adds a prefix;
// Swagger UI's online validator is off (no request leaves the browser).
const char* const kSwaggerPage = R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>agenthost API</title>
<link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({url: "openapi.json", dom_id: "#swagger-ui", deepLinking: true, validatorUrl: null});
</script>
</body>
</html>
)";

const char* const kRedocPage = R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>agenthost API</title>
</head>
<body>
<redoc spec-url="openapi.json"></redoc>
<script src="docs/assets/redoc.standalone.js"></script>
</body>
</html>
)";

OpenApiSources sources_of(const http::Router& router, const ApiContext& context) {
    OpenApiSources sources;
    sources.routes = router.table();
    sources.version = context.version;
    if (const WebAsset* readme = find_web_asset("README.md")) sources.readme = std::string(readme->bytes);
    for (const auto& agent : context.registry.loaded_agents()) {
        const auto& manifest = agent->manifest();
        AgentInput input{agent->name(), manifest.description, nullptr};
        if (manifest.document) input.input_schema = json::get_member(*manifest.document, "input_schema");
        sources.agents.push_back(input);
    }
    return sources;
}

// The document changes only when a reload changes the loaded agents or
// their manifests: it is built once per such set, not per request.
class DocumentCache {
  public:
    std::shared_ptr<const std::string> get(const http::Router& router, const ApiContext& context) {
        std::string key;
        for (const auto& agent : context.registry.loaded_agents()) {
            const auto& manifest = agent->manifest();
            const rapidjson::Value* input =
                manifest.document ? json::get_member(*manifest.document, "input_schema") : nullptr;
            key += agent->name() + "\n" + manifest.description + "\n" + (input ? json::serialize(*input) : "") + "\n";
        }
        std::lock_guard<std::mutex> lock(mutex_);
        if (!document_ || key != key_) {
            document_ = std::make_shared<const std::string>(openapi_document(sources_of(router, context)));
            key_ = key;
        }
        return document_;
    }

  private:
    std::mutex mutex_;
    std::string key_;
    std::shared_ptr<const std::string> document_;
};

http::HttpResponse page(const char* html, const char* needs) {
    if (find_web_asset(needs) == nullptr)
        throw http::ApiError(503, "DocsUnavailable",
                             std::string("this build has no ") + needs +
                                 " (tools/npm's packages were not installed when it was built; run tools/install-deps)");
    http::HttpResponse response;
    response.body = html;
    response.content_type = "text/html; charset=utf-8";
    // Nothing but this host: ReDoc's sidebar links an image on Redocly's
    // CDN, which the browser then never asks for.
    response.headers.emplace_back("Content-Security-Policy",
                                  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
                                  "'unsafe-inline'; img-src 'self' data:; worker-src 'self' blob:; "
                                  "connect-src 'self'; base-uri 'self'");
    return response;
}

}  // namespace

void add_openapi_routes(http::Router& router, ApiContext& context) {
    auto cache = std::make_shared<DocumentCache>();
    router.get("/openapi.json", [&router, &context, cache](const http::HttpRequest&, http::Responder responder) {
        responder.send(http::json_response(200, *cache->get(router, context)));
    });
    router.get("/docs", [](const http::HttpRequest&, http::Responder responder) {
        responder.send(page(kSwaggerPage, "swagger-ui-bundle.js"));
    });
    router.get("/redoc", [](const http::HttpRequest&, http::Responder responder) {
        responder.send(page(kRedocPage, "redoc.standalone.js"));
    });
    router.get("/docs/assets/:file", [](const http::HttpRequest& request, http::Responder responder) {
        const std::string& name = request.param("file");
        const WebAsset* asset = find_web_asset(name);
        // Only the viewers' files: the README is the document's source.
        if (asset == nullptr || asset->content_type == "text/markdown")
            throw http::ApiError(404, "NotFound", "no asset named '" + name + "'");
        http::HttpResponse response;
        response.body = std::string(asset->bytes);
        response.content_type = std::string(asset->content_type) + "; charset=utf-8";
        response.headers.emplace_back("Cache-Control", "public, max-age=3600");
        responder.send(std::move(response));
    });
    std::vector<std::string> undocumented = undocumented_routes(router.table());
    if (!undocumented.empty()) {
        std::string list;
        for (const auto& route : undocumented) list += (list.empty() ? "" : ", ") + route;
        log::warn("routes missing from api/openapi_operations.cpp (GET /openapi.json marks them x-undocumented)",
                  {{"routes", list}});
    }
}

}  // namespace agenthost::api
