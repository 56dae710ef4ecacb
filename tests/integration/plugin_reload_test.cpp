// A new build of a plugin replaces the old one without a restart, in both
// isolation modes: POST /plugins/{name}/reload, or plugins.watch noticing
// the file. Runs in flight finish on the build they started on; a build that
// does not load leaves the old one serving.
#include "test_host.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

using namespace agenthost::testing;
using namespace std::chrono_literals;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// build/test-plugin-variants/<build>/reload_probe_<build>/
fs::path variant_library(const std::string& build) {
    return fs::path(fixture_plugin_dir()).parent_path() / "test-plugin-variants" / build / ("reload_probe_" + build) /
           "libreload_probe.so";
}

// A plugin folder of the test's own, holding reload_probe.
struct PluginFolder {
    std::string root = make_temp_dir();
    fs::path agent_dir = fs::path(root) / "reload_probe";
    fs::path library = agent_dir / "libreload_probe.so";

    explicit PluginFolder(const std::string& build) {
        fs::create_directories(agent_dir);
        fs::copy_file(variant_library(build).parent_path() / "manifest.json", agent_dir / "manifest.json");
        install(build);
    }
    ~PluginFolder() { fs::remove_all(root); }

    // As a linker or `install` does: a new file renamed over the old one.
    void install(const std::string& build) const { replace_with_file(variant_library(build)); }
    void install_garbage() const {
        fs::path scratch = agent_dir / ".garbage";
        std::ofstream(scratch) << "this is not an ELF file";
        fs::rename(scratch, library);
    }
    void replace_with_file(const fs::path& source) const {
        fs::path scratch = agent_dir / ".next.so";
        fs::copy_file(source, scratch, fs::copy_options::overwrite_existing);
        fs::rename(scratch, library);
    }

    std::string config(const std::string& isolation, const std::string& plugins_extra = "") const {
        return R"({"plugins":{"directories":[")" + root + R"("])" + plugins_extra +
               R"(},"logging":{"level":"info"},"agents":{"reload_probe":{"enabled":true,"isolation":")" + isolation + R"("}}})";
    }
};

std::string build_answering(HttpClient& client) {
    auto answer = client.post("/agent/invoke", R"({"agent_name":"reload_probe","task":"which build"})");
    if (answer.status != 200) return "status " + std::to_string(answer.status) + ": " + answer.body;
    auto body = json_of(answer);
    return string_member(body["result"], "build");
}

}  // namespace

TEST_CASE("POST /plugins/{name}/reload loads a new build; runs in flight finish on the old one", "[reload]") {
    for (const std::string mode : {"in_process", "process"}) {
        INFO("isolation " << mode);
        PluginFolder folder("first");
        HostProcess host(folder.config(mode));
        HttpClient client(host.base_url());
        REQUIRE(build_answering(client) == "first");

        // Long enough that a test process the machine stalls for a moment
        // (a sanitizer build under parallel suites) still sees it running.
        std::string in_flight = submit_run(client, "reload_probe", R"({"sleep_ms":3000})");
        REQUIRE(poll_until([&] { return run_status_of(client, in_flight) == "running"; }, 5000ms, 10ms));
        folder.install("second");
        auto reload = client.post("/plugins/reload_probe/reload", "");
        INFO("reload: " << reload.body);
        REQUIRE(reload.status == 200);
        auto body = json_of(reload);
        CHECK(string_member(body, "status") == "reloaded");
        CHECK(string_member(body, "isolation") == mode);
        CHECK(string_member(body, "version") == "1.0.0");

        CHECK(build_answering(client) == "second");
        REQUIRE(poll_until([&] { return run_status_of(client, in_flight) == "succeeded"; }, 10000ms));
        CHECK(string_member(fetch_run(client, in_flight)["result"], "build") == "first");

        // Back to the first build, through agentctl: every reload really
        // opens the file again.
        folder.install("first");
        int status = -1;
        std::string agentctl = fs::path(host_binary()).parent_path().string() + "/agentctl";
        std::string output =
            run_command(agentctl + " --url " + host.base_url() + " plugins reload reload_probe 2>&1", status);
        INFO("agentctl: " << output);
        CHECK(status == 0);
        CHECK_THAT(output, Contains("\"status\":\"reloaded\""));
        CHECK(build_answering(client) == "first");
    }
}

TEST_CASE("a build that does not load leaves the old one serving", "[reload]") {
    for (const std::string mode : {"in_process", "process"}) {
        INFO("isolation " << mode);
        PluginFolder folder("first");
        HostProcess host(folder.config(mode));
        HttpClient client(host.base_url());
        folder.install_garbage();
        auto body = error_envelope(client.post("/plugins/reload_probe/reload", ""), 409, "ReloadFailed");
        CHECK_THAT(string_member(body, "message"),
                   Contains(folder.library.string()) && Contains("the build loaded before keeps serving"));
        CHECK(build_answering(client) == "first");
        CHECK(string_member(plugin_entry(client, "reload_probe"), "state") == "loaded");
        CHECK(string_member(json_of(client.get("/health")), "status") == "healthy");
    }
}

TEST_CASE("reload answers 404 for an unknown agent and 409 for a disabled one", "[reload]") {
    PluginFolder folder("first");
    std::string config = folder.config("in_process");
    config.replace(config.find(R"("enabled":true)"), 14, R"("enabled":false)");
    HostProcess host(config);
    HttpClient client(host.base_url());
    error_envelope(client.post("/plugins/nobody/reload", ""), 404, "AgentNotFound");
    auto body = error_envelope(client.post("/plugins/reload_probe/reload", ""), 409, "AgentUnavailable");
    CHECK_THAT(string_member(body, "message"), Contains("not enabled"));
}

TEST_CASE("--watch loads a rebuilt library without a request, and skips a broken one", "[reload]") {
    for (const std::string mode : {"in_process", "process"}) {
        INFO("isolation " << mode);
        PluginFolder folder("first");
        HostProcess host(folder.config(mode, R"(,"watch_interval_ms":100)"), {"--watch"});
        HttpClient client(host.base_url());
        REQUIRE(build_answering(client) == "first");
        folder.install("second");
        CHECK(poll_until([&] { return build_answering(client) == "second"; }, 10000ms, 50ms));
        // The log is written asynchronously.
        CHECK(poll_until([&] { return host.log().find("plugin library changed on disk") != std::string::npos; }, 5000ms));

        // A broken build is reported once and the working one stays.
        folder.install_garbage();
        REQUIRE(poll_until([&] { return host.log().find("plugin reload failed") != std::string::npos; }, 10000ms));
        std::this_thread::sleep_for(400ms);
        CHECK(build_answering(client) == "second");
        size_t reports = 0;
        for (size_t at = host.log().find("plugin reload failed"); at != std::string::npos;
             at = host.log().find("plugin reload failed", at + 1))
            ++reports;
        CHECK(reports == 1);
        // And the next good build is picked up.
        folder.install("first");
        CHECK(poll_until([&] { return build_answering(client) == "first"; }, 10000ms, 50ms));
    }
}
