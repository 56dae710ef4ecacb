#include "config/unused_seed_variables.hpp"

namespace agenthost {

std::vector<UnusedSeedVariable> unused_seed_variables(
    const std::function<std::optional<std::string>(const char*)>& lookup) {
    static const std::pair<const char*, const char*> known[] = {
        {"PINECONE_API_KEY", "retrieval uses the embedded full-text index (SQLite FTS5 or PostgreSQL), no vector service"},
        {"PINECONE_ENVIRONMENT", "retrieval uses the embedded full-text index, no Pinecone"},
        {"PINECONE_ENV", "retrieval uses the embedded full-text index, no Pinecone"},
        {"PINECONE_INDEX", "retrieval uses the embedded full-text index, no Pinecone"},
        {"PINECONE_INDEX_NAME", "retrieval uses the embedded full-text index, no Pinecone"},
        {"SUPABASE_URL", "runs and projects live in the configured database (DATABASE_URL), not Supabase"},
        {"SUPABASE_KEY", "runs and projects live in the configured database (DATABASE_URL), not Supabase"},
        {"CLERK_SECRET_KEY", "callers authenticate with API keys or JWTs from a JWKS (auth.jwt), not Clerk's SDK"},
        {"E2B_API_KEY", "commands run in the host's own sandbox (bubblewrap), not E2B"},
        {"BEDROCK_AGENT_ID", "agents are plugins run by this host, not Bedrock agents"},
        {"BEDROCK_AGENT_ALIAS_ID", "agents are plugins run by this host, not Bedrock agents"},
        {"BEDROCK_REGION", "agents are plugins run by this host, not Bedrock agents"},
        {"AWS_ACCOUNT_ID", "not needed: CloudWatch log sources sign with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or their own keys), never the account id"},
        {"GITHUB_APP_ID", "GitHub is reached with GITHUB_TOKEN and the OAuth client (GITHUB_CLIENT_ID), not App JWTs"},
        {"GITHUB_APP_PRIVATE_KEY", "GitHub is reached with GITHUB_TOKEN and the OAuth client (GITHUB_CLIENT_ID), not App JWTs"},
        {"API_URL", "the host listens where server.host and server.port (AGENTHOST_HOST, AGENTHOST_PORT) say"},
    };
    std::vector<UnusedSeedVariable> found;
    for (const auto& [name, why] : known) {
        std::optional<std::string> value = lookup(name);
        if (value && !value->empty()) found.push_back({name, why});
    }
    return found;
}

}  // namespace agenthost
