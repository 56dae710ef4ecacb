// The one Catch2 main for every test executable.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>

int main(int argc, char* argv[]) {
    // A developer's own keys and seed variables must not reach the hosts
    // under test: a key alone would pick a real provider (and bill it), and
    // DATABASE_URL would point them at a real database. Tests that need one
    // set it themselves.
    for (const char* name : {"ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL",
                             "DATABASE_URL", "LOG_LEVEL", "DEBUG", "AGENTHOST_LLM_PROVIDER", "AGENTHOST_CONFIG"})
        unsetenv(name);
    return Catch::Session().run(argc, argv);
}
