// Shared set-up for integration tests: a host config over the first-party
// and fixture plugin folders, and JSON access to responses.
#pragma once

#include "host_process.hpp"
#include "http_client.hpp"

#include <catch2/catch.hpp>
#include <rapidjson/document.h>

#include <string>

namespace agenthost::testing {

// A config whose `agents` member is `agents_json`; `extra_members` are
// further top-level members (without a leading comma).
inline std::string host_config(const std::string& agents_json, const std::string& extra_members = "") {
    return R"({"plugins":{"directories":[")" + first_party_plugin_dir() + R"(",")" + fixture_plugin_dir() +
           R"("]},"logging":{"level":"info"},"agents":)" + agents_json +
           (extra_members.empty() ? "" : "," + extra_members) + "}";
}

inline rapidjson::Document json_of(const HttpResult& result) {
    rapidjson::Document document;
    document.Parse(result.body.c_str());
    INFO("body: " << result.body);
    REQUIRE_FALSE(document.HasParseError());
    return document;
}

// Checks the one error envelope and returns it.
inline rapidjson::Document error_envelope(const HttpResult& result, long status, const std::string& type) {
    INFO("body: " << result.body);
    CHECK(result.status == status);
    rapidjson::Document body = json_of(result);
    REQUIRE(body.IsObject());
    CHECK(std::string(body["error"].GetString()) == type);
    CHECK(body["message"].IsString());
    CHECK(std::string(body["request_id"].GetString()) == result.header("x-request-id"));
    CHECK(body["details"].IsArray());
    CHECK(result.header("content-type") == "application/json");
    return body;
}

}  // namespace agenthost::testing
