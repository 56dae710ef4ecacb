// The OpenAPI / JSON Schema reader (apispec, shared by codegen_agent and
// testing_agent) on YAML or JSON text.
#include <apispec/api_reader.hpp>
#include <apispec/document_loader.hpp>

#include <cstdint>
#include <exception>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        rapidjson::Document document = apispec::load_document(std::string_view(reinterpret_cast<const char*>(data), size));
        apispec::read_api(document, "Root");
    } catch (const std::exception&) {
        // The agents turn these into a refusal naming the problem.
    }
    return 0;
}
