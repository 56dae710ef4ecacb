// Opens a plugin's shared library with Boost.DLL and checks it against the
// manifest and the host's ABI before anything in it runs beyond the entry
// point.
#pragma once

#include "llm/llm_client.hpp"
#include "plugins/manifest.hpp"

#include <agenthost/abi.h>

#include <boost/dll/shared_library.hpp>

#include <memory>
#include <string>

namespace agenthost::plugins {

struct OpenedLibrary {
    // Null on failure; `error` then names the file and the reason.
    std::shared_ptr<boost::dll::shared_library> library;
    const agenthost_agent_descriptor* descriptor = nullptr;
    std::string error;
};

// The service table handed to every plugin's entry point.
const agenthost_host_api& host_api();

// The LLM client the service table's llm callbacks use (null: they answer
// UNAVAILABLE). Set once at start, before any plugin runs; the client must
// outlive every run.
void set_llm_client(llm::LlmClient* client);
llm::LlmClient* llm_client();

OpenedLibrary open_library(const Manifest& manifest);

// The ABI rule: majors equal, plugin minor not newer than the host's. Returns
// an empty string when compatible, otherwise the reason naming both versions.
std::string check_abi(uint32_t plugin_version, uint32_t host_version, const std::string& file);

}  // namespace agenthost::plugins
