// Catch2 checks every first-party plugin's tests make: an agent created on
// the fake host whose ABI use is checked when the test ends, and a manifest
// that passes the manifest schema and describes the library beside it.
#ifndef TEXTKIT_TESTING_PLUGIN_CHECKS_HPP
#define TEXTKIT_TESTING_PLUGIN_CHECKS_HPP

#include "fake_host.hpp"
#include "json_schema.hpp"

#include <agenthost/agent.hpp>
#include <catch2/catch.hpp>

#include <string>

namespace textkit::testing {

// `host` holds an agent created with `config_json`; the plugin must not
// have broken an ABI rule by the end of the test.
struct CreatedAgent {
    explicit CreatedAgent(const std::string& library_path, const std::string& config_json = "{}") : host(library_path) {
        REQUIRE(host.create_agent(config_json) == AGENTHOST_OK);
    }
    ~CreatedAgent() { CHECK(host.violations().empty()); }
    FakeHost host;
};

// Reads the manifest, checks it against the manifest schema, its library
// file name and domain, and the name and version the library reports; the
// manifest is returned for the plugin's own checks.
inline rapidjson::Document checked_manifest(const std::string& manifest_path, const std::string& schema_path,
                                            const std::string& library_path, const std::string& library_file,
                                            const std::string& domain) {
    rapidjson::Document manifest = read_json_file(manifest_path);
    CHECK(schema_violation(read_json_file(schema_path), manifest) == "");
    CHECK(manifest["library"] == library_file.c_str());
    CHECK(manifest["domain"] == domain.c_str());
    FakeHost host(library_path);
    CHECK(agenthost::from_abi(host.descriptor().name) == manifest["name"].GetString());
    CHECK(agenthost::from_abi(host.descriptor().version) == manifest["version"].GetString());
    return manifest;
}

}  // namespace textkit::testing

#endif  // TEXTKIT_TESTING_PLUGIN_CHECKS_HPP
