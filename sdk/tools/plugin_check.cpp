// agenthost_plugin_check: run by agenthost_add_plugin() after a plugin is
// linked, so a manifest that disagrees with its library fails the build
// instead of failing (or, worse, loading wrongly) in a host later.
//
//   agenthost_plugin_check MANIFEST SCHEMA LIBRARY OUTPUT_MANIFEST
//
// Checks the manifest against the installed manifest schema, then loads
// the library the way the host does (RTLD_LOCAL, the one entry point, a
// service table whose callbacks all answer UNAVAILABLE) and compares the
// descriptor's name, version and ABI with the manifest's name, version and
// abi_version, and the library's file name with the manifest's "library".
// Only when everything agrees is the manifest copied beside the library.
// Built from source in the plugin author's own project: it needs nothing
// but the SDK's headers and RapidJSON.
#include <agenthost/abi.h>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include <dlfcn.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace {

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream text;
    text << in.rdbuf();
    out = text.str();
    return true;
}

bool parse_json(const std::string& path, rapidjson::Document& document) {
    std::string text;
    if (!read_file(path, text)) {
        std::cerr << path << ": cannot read the file\n";
        return false;
    }
    document.Parse(text.c_str(), text.size());
    if (document.HasParseError()) {
        std::cerr << path << ": not JSON at offset " << document.GetErrorOffset() << ": "
                  << rapidjson::GetParseError_En(document.GetParseError()) << "\n";
        return false;
    }
    return true;
}

std::string base_name(const std::string& path) {
    size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string version_text(uint32_t version) {
    return std::to_string(AGENTHOST_VERSION_MAJOR(version)) + "." + std::to_string(AGENTHOST_VERSION_MINOR(version));
}

std::string text_of(agenthost_str text) { return text.ptr == nullptr ? std::string() : std::string(text.ptr, text.len); }

// A host that offers nothing: the entry point may keep the table, but must
// not need a service to describe itself.
void no_log(agenthost_host_agent_ptr, agenthost_log_level, agenthost_str) noexcept {}
agenthost_str no_config(agenthost_host_agent_ptr) noexcept { return {"{}", 2}; }
void no_set_error(agenthost_host_agent_ptr, agenthost_str) noexcept {}
agenthost_status no_emit(agenthost_host_run_ptr, agenthost_str, agenthost_str) noexcept { return AGENTHOST_ERROR_UNAVAILABLE; }
int32_t not_cancelled(agenthost_host_run_ptr) noexcept { return 0; }
agenthost_status no_get(agenthost_host_run_ptr, agenthost_str, agenthost_str*) noexcept { return AGENTHOST_ERROR_UNAVAILABLE; }
agenthost_status no_put(agenthost_host_run_ptr, agenthost_str, agenthost_str) noexcept { return AGENTHOST_ERROR_UNAVAILABLE; }
agenthost_status no_result(agenthost_host_run_ptr, agenthost_str) noexcept { return AGENTHOST_ERROR_UNAVAILABLE; }
void no_run_error(agenthost_host_run_ptr, agenthost_str) noexcept {}
agenthost_str no_last_error(agenthost_host_run_ptr) noexcept { return {"unavailable", 11}; }
agenthost_status no_stream(agenthost_host_run_ptr, agenthost_str, agenthost_token_sink, void*, agenthost_str*) noexcept {
    return AGENTHOST_ERROR_UNAVAILABLE;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: agenthost_plugin_check MANIFEST SCHEMA LIBRARY OUTPUT_MANIFEST\n";
        return 2;
    }
    const std::string manifest_path = argv[1], schema_path = argv[2], library_path = argv[3], output_path = argv[4];
    rapidjson::Document manifest, schema_document;
    // Whatever fails, no manifest is left beside the library, and the
    // library is removed so the next build links and checks it again.
    std::remove(output_path.c_str());
    struct RemoveUnlessKept {
        const std::string& path;
        bool keep = false;
        ~RemoveUnlessKept() {
            if (!keep) std::remove(path.c_str());
        }
    } library_guard{library_path};
    if (!parse_json(manifest_path, manifest) || !parse_json(schema_path, schema_document)) return 1;

    rapidjson::SchemaDocument schema(schema_document);
    rapidjson::SchemaValidator validator(schema);
    if (!manifest.Accept(validator)) {
        rapidjson::StringBuffer where, rule;
        validator.GetInvalidDocumentPointer().StringifyUriFragment(where);
        validator.GetInvalidSchemaPointer().StringifyUriFragment(rule);
        std::cerr << manifest_path << ": does not match the manifest schema at '" << where.GetString()
                  << "' (rule " << validator.GetInvalidSchemaKeyword() << " at " << rule.GetString() << ")\n";
        return 1;
    }
    const std::string name = manifest["name"].GetString(), version = manifest["version"].GetString();
    const std::string abi = manifest["abi_version"].GetString(), library = manifest["library"].GetString();
    bool agree = true;
    if (library != base_name(library_path)) {
        std::cerr << manifest_path << ": \"library\" is '" << library << "' but the build makes '"
                  << base_name(library_path) << "'\n";
        agree = false;
    }

    void* handle = dlopen(library_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        std::cerr << library_path << ": cannot be loaded: " << dlerror() << "\n";
        return 1;
    }
    auto init = reinterpret_cast<agenthost_plugin_init_fn>(dlsym(handle, AGENTHOST_ENTRY_POINT_NAME));
    if (init == nullptr) {
        std::cerr << library_path << ": does not export " << AGENTHOST_ENTRY_POINT_NAME << "\n";
        return 1;
    }
    static const agenthost_host_api host = {
        sizeof(agenthost_host_api), AGENTHOST_ABI_VERSION, &no_log, &no_config, &no_set_error, &no_emit,
        &not_cancelled, &no_get, &no_put, &no_result, &no_run_error, &no_last_error, &no_get, &no_stream,
        &no_get, &no_result, &no_get, &no_get,
    };
    const agenthost_agent_descriptor* descriptor = init(&host, AGENTHOST_ABI_VERSION);
    if (descriptor == nullptr) {
        std::cerr << library_path << ": its entry point returned no descriptor\n";
        return 1;
    }
    auto differs = [&](const char* field, const std::string& in_manifest, const std::string& reported,
                       const char* hint) {
        if (in_manifest == reported) return;
        std::cerr << manifest_path << ": \"" << field << "\" is '" << in_manifest << "' but " << base_name(library_path)
                  << " reports '" << reported << "'" << hint << "\n";
        agree = false;
    };
    differs("name", name, text_of(descriptor->name), " (the name in AGENTHOST_AGENT)");
    differs("version", version, text_of(descriptor->version), " (the version in AGENTHOST_AGENT)");
    differs("abi_version", abi, version_text(descriptor->abi_version),
            " (the ABI the library declares: AGENTHOST_AGENT_FOR_ABI, or AGENTHOST_AGENT for the manifest's minor)");
    if (!agree) return 1;

    std::string text;
    read_file(manifest_path, text);
    std::ofstream out(output_path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
        std::cerr << output_path << ": cannot be written\n";
        return 1;
    }
    library_guard.keep = true;
    return 0;
}
