#include "host_process.hpp"
#include "test_database.hpp"

#include <filesystem>

namespace agenthost::testing {

TestDatabase::TestDatabase() {
    quiet_store_logs();
    cleanup_ = make_temp_dir();
    settings_ = store::resolve_database("", cleanup_);
}

TestDatabase::~TestDatabase() {
    std::error_code ignored;
    std::filesystem::remove_all(cleanup_, ignored);
}

}  // namespace agenthost::testing
