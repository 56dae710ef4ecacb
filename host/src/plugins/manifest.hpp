// A plugin's manifest: everything the host knows about an agent without
// loading its library (like GStreamer's registry cache).
#pragma once

#include "json/schema_validator.hpp"

#include <rapidjson/document.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace agenthost::plugins {

struct ApprovalRule {
    std::string operation;
    std::string reason;
    // The operation runs programs through the exec service: a host that
    // would run none for the agent refuses the request instead of asking.
    bool needs_exec = false;
};

struct Manifest {
    std::string path;          // the manifest file
    std::string library_path;  // resolved against the manifest's folder
    std::string name;
    std::string version;
    uint32_t abi_version = 0;  // AGENTHOST_MAKE_VERSION(major, minor)
    std::string domain;
    std::string description;
    std::vector<std::string> keywords;
    std::vector<std::string> permissions;
    std::vector<ApprovalRule> approval_required;
    std::string isolation;
    // The author's default per-run time limit; < 0 when the manifest has none.
    double timeout_seconds = -1;
    // What the agent does when its LLM provider fails: "fail" the run (the
    // default) or fall back to its "offline" algorithm. Passed to the agent
    // in its input's "llm" object.
    std::string llm_fallback = "fail";
    // The whole manifest document (for GET /agents/{name}).
    std::shared_ptr<const rapidjson::Document> document;
    // Compiled schemas; null when the manifest has none.
    std::shared_ptr<const json::SchemaValidator> input_schema;
    std::shared_ptr<const json::SchemaValidator> output_schema;
    std::shared_ptr<const json::SchemaValidator> config_schema;

    bool has_permission(const std::string& permission) const;
};

// The outcome of reading one manifest: a manifest, or why there is none.
struct ManifestResult {
    std::optional<Manifest> manifest;
    std::string error;
    std::string name_hint;  // the name field when readable, for reporting
};

ManifestResult read_manifest(const std::string& path);

std::string abi_version_text(uint32_t version);

}  // namespace agenthost::plugins
