#include "plugins/plugin_library.hpp"

#include "plugins/library_file.hpp"

#include <cstddef>
#include <filesystem>

namespace agenthost::plugins {
namespace {

// The smallest descriptor a v1 plugin can have: everything up to and
// including on_agent_invoke. Later minors only append.
constexpr size_t kMinimumDescriptorSize =
    offsetof(agenthost_agent_descriptor, on_agent_invoke) + sizeof(agenthost_agent_descriptor::on_agent_invoke);

std::string view_text(agenthost_str text) {
    return text.ptr == nullptr ? std::string() : std::string(text.ptr, text.len);
}

}  // namespace

std::string check_abi(uint32_t plugin_version, uint32_t host_version, const std::string& file) {
    std::string plugin = abi_version_text(plugin_version), host = abi_version_text(host_version);
    if (AGENTHOST_VERSION_MAJOR(plugin_version) != AGENTHOST_VERSION_MAJOR(host_version))
        return "ABI major mismatch: " + file + " was built for ABI " + plugin + ", this host provides ABI " + host +
               " (major versions must match)";
    if (AGENTHOST_VERSION_MINOR(plugin_version) > AGENTHOST_VERSION_MINOR(host_version))
        return "ABI too new: " + file + " was built for ABI " + plugin + ", newer than this host's ABI " + host +
               " (upgrade the host or rebuild the plugin against SDK " + host + ")";
    return {};
}

OpenedLibrary open_library(const Manifest& manifest) {
    OpenedLibrary opened;
    const std::string& file = manifest.library_path;
    if (!std::filesystem::exists(file)) {
        opened.error = "library not found: " + file + " (named by " + manifest.path + ")";
        return opened;
    }
    // The manifest is checked first so a plugin that declares an impossible
    // ABI is refused without running any of its code.
    if (std::string reason = check_abi(manifest.abi_version, AGENTHOST_ABI_VERSION, manifest.path); !reason.empty()) {
        opened.error = reason;
        return opened;
    }

    // A reload of a rebuilt library: the loader would hand back the build
    // already mapped under this path, so the new one is opened from a
    // private copy while runs in flight finish on the old.
    std::string load_path = file;
    if (library_path_loaded(file)) {
        load_path = make_private_copy(file, opened.error);
        if (load_path.empty()) return opened;
    }
    auto library = std::make_shared<boost::dll::shared_library>();
    boost::dll::fs::error_code error;
    // RTLD_LOCAL keeps each plugin's symbols to itself (no clashes between
    // plugins); RTLD_NOW reports unresolved symbols here, not mid-run.
    library->load(load_path, boost::dll::load_mode::rtld_local | boost::dll::load_mode::rtld_now, error);
    if (load_path != file) release_private_copy(load_path);
    if (error) {
        opened.error = "cannot load library " + file + ": " + error.message();
        return opened;
    }
    if (!library->has(AGENTHOST_ENTRY_POINT_NAME)) {
        opened.error = "missing entry point: " + file + " does not export " AGENTHOST_ENTRY_POINT_NAME
                       " (declare the agent with AGENTHOST_AGENT, or export the C function)";
        return opened;
    }
    using InitFunction = const agenthost_agent_descriptor*(const agenthost_host_api*, uint32_t);
    auto& init = library->get<InitFunction>(AGENTHOST_ENTRY_POINT_NAME);
    const agenthost_agent_descriptor* descriptor = init(&host_api(), AGENTHOST_ABI_VERSION);
    if (descriptor == nullptr) {
        opened.error = "entry point of " + file + " returned no descriptor (the plugin refused this host)";
        return opened;
    }
    if (descriptor->struct_size < kMinimumDescriptorSize) {
        opened.error = "descriptor of " + file + " is too small (" + std::to_string(descriptor->struct_size) +
                       " bytes, ABI 1.0 needs " + std::to_string(kMinimumDescriptorSize) + ")";
        return opened;
    }
    if (std::string reason = check_abi(descriptor->abi_version, AGENTHOST_ABI_VERSION, file); !reason.empty()) {
        opened.error = reason;
        return opened;
    }
    std::string reported_name = view_text(descriptor->name);
    if (reported_name != manifest.name) {
        opened.error = "name mismatch: " + file + " reports agent name '" + reported_name + "' but " + manifest.path +
                       " declares '" + manifest.name + "'";
        return opened;
    }
    std::string reported_version = view_text(descriptor->version);
    if (reported_version != manifest.version) {
        opened.error = "version mismatch: " + file + " reports version '" + reported_version + "' but " +
                       manifest.path + " declares '" + manifest.version + "' (a stale library or manifest)";
        return opened;
    }
    if (descriptor->on_agent_create == nullptr || descriptor->on_agent_destroy == nullptr ||
        descriptor->on_agent_invoke == nullptr) {
        opened.error = "descriptor of " + file + " leaves a required function empty";
        return opened;
    }
    opened.library = std::move(library);
    opened.descriptor = descriptor;
    return opened;
}

}  // namespace agenthost::plugins
