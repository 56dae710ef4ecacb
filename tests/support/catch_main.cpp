// The one Catch2 main for every test executable.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>

// Failures found on threads where Catch2 cannot report them (the OpenAPI
// contract check of tests/support); absent in executables without it.
extern "C" int agenthost_test_late_failures() __attribute__((weak));

int main(int argc, char* argv[]) {
    // A developer's own keys and seed variables must not reach the hosts
    // under test: a key alone would pick a real provider (and bill it), and
    // DATABASE_URL would point them at a real database. Tests that need one
    // set it themselves.
    for (const char* name : {"ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_BASE_URL",
                             "DATABASE_URL", "LOG_LEVEL", "DEBUG", "AGENTHOST_LLM_PROVIDER", "AGENTHOST_CONFIG"})
        unsetenv(name);
    int result = Catch::Session().run(argc, argv);
    if (result == 0 && agenthost_test_late_failures != nullptr && agenthost_test_late_failures() > 0) return 1;
    return result;
}
