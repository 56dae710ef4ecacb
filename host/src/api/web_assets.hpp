// Files linked into the binary at build time (host/cmake/embed_web_assets.cmake):
// Swagger UI and ReDoc from tools/npm for GET /docs and GET /redoc, so the
// docs work offline; the web console ("console/..." names, built from
// console/) for GET /console; and the README, whose examples GET
// /openapi.json shows.
#pragma once

#include <string_view>
#include <vector>

namespace agenthost::api {

struct WebAsset {
    std::string_view name;  // "swagger-ui-bundle.js", "README.md"
    std::string_view content_type;
    std::string_view bytes;
    std::string_view sha256;  // hex, of `bytes`
};

const std::vector<WebAsset>& web_assets();

// The asset called `name`, or null.
const WebAsset* find_web_asset(std::string_view name);

}  // namespace agenthost::api
