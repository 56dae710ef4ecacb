#include "api/console_api.hpp"

#include "api/web_assets.hpp"
#include "http/api_error.hpp"

namespace agenthost::api {
namespace {

// Only this host, and no inline script or style: the console's one script
// and stylesheet are files, and its API calls go to the origin it came from.
const char* const kConsolePolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

// The files keep their names from build to build, so a browser asks again
// each time (no-cache) and gets 304 while the ETag, the file's SHA-256, holds.
http::HttpResponse asset_response(const http::HttpRequest& request, const WebAsset& asset) {
    std::string etag = "\"" + std::string(asset.sha256.substr(0, 32)) + "\"";
    http::HttpResponse response;
    response.headers.emplace_back("ETag", etag);
    response.headers.emplace_back("Cache-Control", "no-cache");
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    response.content_type = std::string(asset.content_type) + "; charset=utf-8";
    const std::string& wanted = request.header("if-none-match");
    if (!wanted.empty() && (wanted == etag || wanted == "W/" + etag || wanted == "*")) {
        response.status = 304;
        return response;
    }
    response.body = std::string(asset.bytes);
    return response;
}

const WebAsset& console_asset(const std::string& file) {
    // One path segment: no name can reach outside the console's files.
    const WebAsset* asset = find_web_asset("console/" + file);
    if (asset == nullptr) {
        if (find_web_asset("console/index.html") == nullptr)
            throw http::ApiError(503, "ConsoleUnavailable",
                                 "this build has no web console (node or tools/npm's packages were missing when it "
                                 "was built; run tools/install-deps and build again)");
        throw http::ApiError(404, "NotFound", "the console has no file named '" + file + "'");
    }
    return *asset;
}

}  // namespace

void add_console_routes(http::Router& router) {
    router.get("/console", [](const http::HttpRequest& request, http::Responder responder) {
        // The page names its files relative to itself: /console/ would ask
        // for /console/console/..., so it is sent to /console.
        if (!request.path.empty() && request.path.back() == '/') {
            http::HttpResponse moved;
            moved.status = 308;
            moved.content_type = "text/plain";
            moved.headers.emplace_back("Location", "../console");
            responder.send(std::move(moved));
            return;
        }
        http::HttpResponse response = asset_response(request, console_asset("index.html"));
        response.headers.emplace_back("Content-Security-Policy", kConsolePolicy);
        response.headers.emplace_back("Referrer-Policy", "no-referrer");
        responder.send(std::move(response));
    });
    router.get("/console/:file", [](const http::HttpRequest& request, http::Responder responder) {
        responder.send(asset_response(request, console_asset(request.param("file"))));
    });
}

}  // namespace agenthost::api
