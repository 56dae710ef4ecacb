#include "routing/manifest_profile.hpp"

#include "json/json_util.hpp"

namespace agenthost::routing {

AgentProfile profile_of(const plugins::Manifest& manifest) {
    AgentProfile profile{manifest.name, manifest.domain, manifest.description, manifest.keywords, {}};
    if (manifest.document) {
        const rapidjson::Value* schema = json::get_member(*manifest.document, "input_schema");
        const rapidjson::Value* properties = schema != nullptr ? json::get_member(*schema, "properties") : nullptr;
        if (properties != nullptr && properties->IsObject())
            for (const auto& property : properties->GetObject())
                profile.context_fields.emplace_back(property.name.GetString(), property.name.GetStringLength());
    }
    return profile;
}

}  // namespace agenthost::routing
