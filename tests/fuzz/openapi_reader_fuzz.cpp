// codegen_agent's OpenAPI / JSON Schema reader (YAML or JSON text).
#include "api_reader.hpp"
#include "document_loader.hpp"

#include <cstdint>
#include <exception>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        rapidjson::Document document = codegen::load_document(std::string_view(reinterpret_cast<const char*>(data), size));
        codegen::read_api(document, "Root");
    } catch (const std::exception&) {
        // The agent turns these into a refusal naming the problem.
    }
    return 0;
}
