#include "test_database.hpp"
#include "util/ids.hpp"

#include <cstdlib>

namespace agenthost::testing {
namespace {

std::string server_url() {
    const char* url = std::getenv("AGENTHOST_TEST_DATABASE_URL");
    return url == nullptr ? std::string() : std::string(url);
}

// The same server, another database: everything up to the last '/'.
std::string url_for(const std::string& database) {
    std::string url = server_url();
    std::string query;
    if (size_t q = url.find('?'); q != std::string::npos) {
        query = url.substr(q);
        url = url.substr(0, q);
    }
    return url.substr(0, url.rfind('/') + 1) + database + query;
}

void admin(const std::string& statement) {
    auto session = store::open_session(store::resolve_database(server_url(), ""));
    *session << statement;
}

}  // namespace

TestDatabase::TestDatabase() {
    quiet_store_logs();
    cleanup_ = "agenthost_store_" + new_uuid().substr(0, 8);
    admin("CREATE DATABASE " + cleanup_);
    settings_ = store::resolve_database(url_for(cleanup_), "");
}

TestDatabase::~TestDatabase() {
    try {
        admin("DROP DATABASE IF EXISTS " + cleanup_ + " WITH (FORCE)");
    } catch (...) {
    }
}

}  // namespace agenthost::testing
