// Seed 002's DATABASE_URL as its users write it for SQLAlchemy:
// "sqlite:///name.db" is a file in the directory the service starts in, not
// at the filesystem root.
#include "test_host.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

using namespace agenthost::testing;

namespace {

// The host inherits the test's environment and working directory when
// HostProcess forks it; both are put back once it is running.
class StartedIn {
  public:
    StartedIn(const std::string& dir, const std::string& database_url) : before_(std::filesystem::current_path()) {
        std::filesystem::current_path(dir);
        setenv("DATABASE_URL", database_url.c_str(), 1);
    }
    ~StartedIn() {
        unsetenv("DATABASE_URL");
        std::filesystem::current_path(before_);
    }

  private:
    std::filesystem::path before_;
};

}  // namespace

TEST_CASE("DATABASE_URL=sqlite:///NAME.db puts the database in the working directory, as SQLAlchemy does") {
    std::string dir = make_temp_dir();
    std::string name = "relative-" + std::to_string(getpid()) + ".db";
    std::unique_ptr<HostProcess> host;
    {
        StartedIn started(dir, "sqlite:///" + name);
        host = std::make_unique<HostProcess>(host_config(R"({"echo":{"enabled":true}})"));
    }
    HttpClient client(host->base_url());
    auto accepted = client.post("/runs", R"({"agent_name":"echo","task":"kept in the working directory"})");
    INFO("body: " << accepted.body);
    CHECK(accepted.status == 202);

    CHECK(std::filesystem::exists(dir + "/" + name));
    CHECK_FALSE(std::filesystem::exists("/" + name));
    // The log (written in the background) names the file by its absolute path.
    std::string opened = R"("msg":"store open","database":"sqlite:)" + std::filesystem::canonical(dir).string() + "/" +
                         name + "\"";
    CHECK(poll_until([&] { return host->log().find(opened) != std::string::npos; }, std::chrono::seconds(5)));
    host.reset();
    std::error_code ignored;
    std::filesystem::remove("/" + name, ignored);
    std::filesystem::remove_all(dir, ignored);
}
