// The host's config file.
#include "config/host_config.hpp"
#include "file_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string path = write_fuzz_file(data, size, "config.json");
    if (path.empty()) return 0;
    agenthost::HostConfig config;
    try {
        agenthost::apply_config_file(config, path);
    } catch (const agenthost::ConfigError&) {
        // A refusal with a message is the expected answer to a bad file.
    }
    return 0;
}
