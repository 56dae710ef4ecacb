#include "api/web_assets.hpp"

namespace agenthost::api {

const WebAsset* find_web_asset(std::string_view name) {
    for (const WebAsset& asset : web_assets())
        if (asset.name == name) return &asset;
    return nullptr;
}

}  // namespace agenthost::api
