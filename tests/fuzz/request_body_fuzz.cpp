// The request body path: JSON parsing, the storable-text check and schema
// validation of every request schema.
#include "json/json_util.hpp"
#include "json/schema_catalog.hpp"
#include "json/storable_text.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string error;
    auto document = agenthost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), error);
    if (!document) return 0;
    agenthost::json::unstorable_strings(*document);
    for (const char* schema : {"requests/agent-invoke", "requests/run-create", "requests/orchestrate", "requests/process",
                               "requests/workflow-approve", "requests/webhook-test", "requests/agent-stream"}) {
        auto violations = agenthost::json::host_schema(schema).validate(*document);
        agenthost::json::describe(violations);
    }
    return 0;
}
