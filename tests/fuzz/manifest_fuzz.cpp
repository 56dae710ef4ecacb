// Plugin manifests, read without loading a library.
#include "file_input.hpp"
#include "plugins/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string path = write_fuzz_file(data, size, "manifest.json");
    if (!path.empty()) agenthost::plugins::read_manifest(path);
    return 0;
}
