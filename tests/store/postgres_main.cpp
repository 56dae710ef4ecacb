// The PostgreSQL suites need a server: without AGENTHOST_TEST_DATABASE_URL
// they report themselves skipped (exit 77, ctest's SKIP_RETURN_CODE), never
// passed.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>

int main(int argc, char* argv[]) {
    if (std::getenv("AGENTHOST_TEST_DATABASE_URL") == nullptr) {
        std::cout << "skipped: AGENTHOST_TEST_DATABASE_URL is not set (tools/pg-test-cluster starts a server)\n";
        return 77;
    }
    return Catch::Session().run(argc, argv);
}
