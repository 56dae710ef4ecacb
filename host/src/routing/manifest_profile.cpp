#include "routing/manifest_profile.hpp"

namespace agenthost::routing {

AgentProfile profile_of(const plugins::Manifest& manifest) {
    return {manifest.name, manifest.domain, manifest.description, manifest.keywords};
}

}  // namespace agenthost::routing
