#include "new_plugin.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>

namespace agentctl {
namespace {

namespace fs = std::filesystem;

const char* kCMakeLists = R"TEMPLATE(# @NAME@: an agenthost agent plugin, built against the installed SDK.
#   cmake -S . -B build -DCMAKE_PREFIX_PATH=<SDK prefix> && cmake --build build
#   ctest --test-dir build
cmake_minimum_required(VERSION 3.19)
# C++ is needed even for a C agent: the SDK checks the manifest against the
# library with a small C++ tool at build time, and the test harness is C++.
project(@NAME@ VERSION 0.1.0 LANGUAGES @LANGUAGES@)

find_package(agenthost-sdk 1.2 REQUIRED)

# <build>/plugins/@NAME@/lib@NAME@.so with its checked manifest.json beside
# it: point the host's --plugins-dir at <build>/plugins.
agenthost_add_plugin(@NAME@ MANIFEST manifest.json SOURCES src/@NAME@.@EXT@)

# The unit test drives the built library through the SDK's fake host.
enable_testing()
add_executable(@NAME@_test tests/@NAME@_test.cpp)
target_link_libraries(@NAME@_test PRIVATE agenthost::sdk ${CMAKE_DL_LIBS})
target_compile_definitions(@NAME@_test PRIVATE PLUGIN_PATH="$<TARGET_FILE:@NAME@>")
add_dependencies(@NAME@_test @NAME@)
add_test(NAME @NAME@_test COMMAND @NAME@_test)
)TEMPLATE";

const char* kManifest = R"TEMPLATE({
  "name": "@NAME@",
  "version": "0.1.0",
  "abi_version": "1.2",
  "library": "lib@NAME@.so",
  "domain": "text",
  "description": "Counts the words of its task and says them back in capitals.",
  "keywords": ["@NAME@", "words", "capitals"],
  "input_schema": {
    "type": "object",
    "additionalProperties": false,
    "properties": {}
  },
  "output_schema": {
    "type": "object",
    "required": ["text", "words"],
    "properties": {
      "text": {"type": "string"},
      "words": {"type": "integer", "minimum": 0}
    }
  },
  "permissions": ["events"],
  "isolation": "process"
}
)TEMPLATE";

const char* kAgentCpp = R"TEMPLATE(// @NAME@: says its task back in capitals and counts its words.
#include <agenthost/agent.hpp>

#include <cctype>
#include <string>

namespace {

class Agent : public agenthost::Agent {
  public:
    explicit Agent(agenthost::Host& host) : agenthost::Agent(host) {}

    rapidjson::Document invoke(agenthost::Run& run) override {
        std::string text(run.task());
        if (text.find_first_not_of(" \t\r\n") == std::string::npos)
            throw agenthost::InvalidInput("the task is empty or only whitespace");
        run.progress("counting words", 0.5);
        int words = 0;
        bool in_word = false;
        for (char& c : text) {
            bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
            if (!space && !in_word) ++words;
            in_word = !space;
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        }
        rapidjson::Document result(rapidjson::kObjectType);
        result.AddMember("text", agenthost::json::string(text, result), result.GetAllocator());
        result.AddMember("words", words, result.GetAllocator());
        return result;
    }
};

}  // namespace

// Name and version must match manifest.json; the ABI comes from its
// abi_version (the build checks all three).
AGENTHOST_AGENT(Agent, "@NAME@", "0.1.0")
)TEMPLATE";

const char* kAgentC = R"TEMPLATE(/* @NAME@: says its task back in capitals and counts its words, in C
 * against the plain ABI (agenthost/abi.h). */
#include <agenthost/abi.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const agenthost_host_api* g_host;

/* The host wants a non-NULL instance; this agent keeps no state. */
static int g_instance;

static agenthost_str str_of(const char* text) {
    agenthost_str s = {text, strlen(text)};
    return s;
}

static agenthost_status on_create(const agenthost_host_api* host, agenthost_host_agent_ptr agent,
                                  agenthost_str config_json, agenthost_module_agent_ptr* out) AGENTHOST_NOEXCEPT {
    (void)agent;
    (void)config_json;
    g_host = host;
    *out = &g_instance;
    return AGENTHOST_OK;
}

static void on_destroy(agenthost_module_agent_ptr agent) AGENTHOST_NOEXCEPT { (void)agent; }

/* The value of the input's "task" member (the host writes run_id,
 * thread_id, then task, so the first match is it), with backslash escapes
 * reduced to the escaped character; NULL when absent. A real agent reads
 * its input with a JSON library (jansson, cJSON). */
static char* task_of(agenthost_str input) {
    const char* key = "\"task\":\"";
    const char* start = NULL;
    for (size_t i = 0; i + strlen(key) <= input.len; ++i)
        if (memcmp(input.ptr + i, key, strlen(key)) == 0) {
            start = input.ptr + i + strlen(key);
            break;
        }
    if (start == NULL) return NULL;
    const char* end = input.ptr + input.len;
    char* task = malloc((size_t)(end - start) + 1);
    size_t n = 0;
    for (const char* p = start; p < end && *p != '"'; ++p) {
        if (*p == '\\' && p + 1 < end) ++p;
        task[n++] = *p;
    }
    task[n] = '\0';
    return task;
}

static agenthost_status on_invoke(agenthost_module_agent_ptr agent, agenthost_host_run_ptr run,
                                  agenthost_str input_json) AGENTHOST_NOEXCEPT {
    (void)agent;
    char* task = task_of(input_json);
    if (task == NULL || strspn(task, " \t\r\n") == strlen(task)) {
        free(task);
        g_host->callback_run_set_error(run, str_of("the task is empty or only whitespace"));
        return AGENTHOST_ERROR_INVALID_INPUT;
    }
    g_host->callback_run_emit_event(run, str_of("agent.progress"), str_of("{\"message\":\"counting words\"}"));
    int words = 0, in_word = 0;
    size_t length = strlen(task);
    /* Room for the text with every character escaped, and the count. */
    char* result = malloc(length * 2 + 64);
    size_t n = (size_t)sprintf(result, "{\"text\":\"");
    for (size_t i = 0; i < length; ++i) {
        char c = task[i];
        int space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
        if (!space && !in_word) ++words;
        in_word = !space;
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (c == '"' || c == '\\') result[n++] = '\\';
        result[n++] = c;
    }
    n += (size_t)sprintf(result + n, "\",\"words\":%d}", words);
    agenthost_str text = {result, n};
    agenthost_status status = g_host->callback_run_set_result(run, text);
    free(result);
    free(task);
    return status;
}

AGENTHOST_EXPORT const agenthost_agent_descriptor* AGENTHOST_ENTRY_POINT(const agenthost_host_api* host,
                                                                        uint32_t host_abi_version) AGENTHOST_NOEXCEPT {
    /* Name, version and ABI must match manifest.json (the build checks). */
    static const agenthost_agent_descriptor descriptor = {
        sizeof(agenthost_agent_descriptor),
        AGENTHOST_MAKE_VERSION(1, 2),
        {"@NAME@", sizeof("@NAME@") - 1},
        {"0.1.0", sizeof("0.1.0") - 1},
        &on_create,
        &on_destroy,
        &on_invoke,
    };
    (void)host;
    (void)host_abi_version;
    return &descriptor;
}
)TEMPLATE";

const char* kTest = R"TEMPLATE(// @NAME@'s unit test: the built library driven through the SDK's fake
// host (agenthost/testing/fake_host.hpp), no running host needed. A plain
// main(); the harness works as well from Catch2 or GoogleTest.
#include <agenthost/testing/fake_host.hpp>

#include <iostream>
#include <string>

namespace {

int failures = 0;

void check(bool ok, const std::string& what) {
    if (!ok) {
        ++failures;
        std::cerr << "FAILED: " << what << "\n";
    }
}

}  // namespace

int main() {
    using agenthost::testing::FakeHost;
    using agenthost::testing::run_input;
    FakeHost host(PLUGIN_PATH);
    host.set_permissions({"events"});  // what manifest.json declares
    check(host.create_agent("{}") == AGENTHOST_OK, "the agent is created");

    auto run = host.invoke(run_input("hello agent world"));
    check(run.status == AGENTHOST_OK, "a task succeeds: " + run.error);
    check(run.result_json == R"({"text":"HELLO AGENT WORLD","words":3})", "the result: " + run.result_json);
    check(run.events_of("agent.progress").size() == 1, "one progress event");

    auto blank = host.invoke(run_input("   "));
    check(blank.status == AGENTHOST_ERROR_INVALID_INPUT, "a blank task is the caller's mistake (422)");
    check(!blank.error.empty(), "with a reason");

    check(host.violations().empty(), "no ABI rule broken");
    std::cout << (failures == 0 ? "all checks passed\n" : "some checks failed\n");
    return failures == 0 ? 0 : 1;
}
)TEMPLATE";

const char* kReadme = R"TEMPLATE(# @NAME@

An agenthost agent plugin, generated by `agentctl new-plugin`. It says its
task back in capitals and counts its words.

- `manifest.json`: what the host reads without loading the library (name,
  version, ABI, schemas, permissions). The build checks it against the
  library: a disagreeing manifest fails the build.
- `src/`: the agent. `tests/`: its unit test on the SDK's fake host.

## Build and test

```sh
cmake -S . -B build -DCMAKE_PREFIX_PATH=/path/to/sdk/prefix
cmake --build build
ctest --test-dir build --output-on-failure
```

## Run it in a host

```sh
echo '{"agents": {"@NAME@": {"enabled": true}}}' > @NAME@.json
agenthost --config @NAME@.json --plugins-dir build/plugins
curl -s localhost:8000/agent/invoke -H 'Content-Type: application/json' \
     -d '{"agent_name": "@NAME@", "task": "hello agent world"}'
```

The SDK's guide (`share/agenthost-sdk/README.md` under the SDK prefix)
covers every host service with an example.
)TEMPLATE";

std::string filled(std::string text, const std::map<std::string, std::string>& values) {
    for (const auto& [key, value] : values)
        for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
            text.replace(at, key.size(), value);
    return text;
}

}  // namespace

int new_plugin(const std::vector<std::string>& args) {
    std::string name, lang = "cpp", dir = ".";
    for (size_t i = 0; i < args.size(); ++i) {
        if ((args[i] == "--lang" || args[i] == "--dir") && i + 1 < args.size()) {
            (args[i] == "--lang" ? lang : dir) = args[i + 1];
            ++i;
        } else if (name.empty() && args[i].rfind("--", 0) != 0) {
            name = args[i];
        } else {
            std::cerr << "agentctl new-plugin: unexpected argument '" << args[i] << "'\n";
            return 2;
        }
    }
    if (!std::regex_match(name, std::regex("[a-z][a-z0-9_]{0,63}"))) {
        std::cerr << "agentctl new-plugin: NAME must be lower-case letters, digits and '_', starting with a letter "
                     "(at most 64), as the manifest requires; got '" << name << "'\n";
        return 2;
    }
    if (lang != "cpp" && lang != "c") {
        std::cerr << "agentctl new-plugin: --lang is c or cpp, not '" << lang << "'\n";
        return 2;
    }
    fs::path root = fs::path(dir) / name;
    std::error_code error;
    if (fs::exists(root, error) && !fs::is_empty(root, error)) {
        std::cerr << "agentctl new-plugin: " << root.string() << " exists and is not empty\n";
        return 2;
    }
    const std::string ext = lang == "c" ? "c" : "cpp";
    std::map<std::string, std::string> values = {
        {"@NAME@", name}, {"@EXT@", ext}, {"@LANGUAGES@", lang == "c" ? "C CXX" : "CXX"}};
    const std::vector<std::pair<std::string, const char*>> files = {
        {"CMakeLists.txt", kCMakeLists},
        {"manifest.json", kManifest},
        {"src/" + name + "." + ext, lang == "c" ? kAgentC : kAgentCpp},
        {"tests/" + name + "_test.cpp", kTest},
        {"README.md", kReadme},
        {".gitignore", "build/\n"},
    };
    for (const auto& [relative, content] : files) {
        fs::path path = root / relative;
        fs::create_directories(path.parent_path(), error);
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << filled(content, values);
        out.close();
        if (!out) {
            std::cerr << "agentctl new-plugin: cannot write " << path.string() << "\n";
            return 2;
        }
        std::cout << "wrote " << path.string() << "\n";
    }
    std::cout << "next: cmake -S " << root.string() << " -B " << (root / "build").string()
              << " -DCMAKE_PREFIX_PATH=<SDK prefix> && cmake --build " << (root / "build").string()
              << " && ctest --test-dir " << (root / "build").string() << "\n";
    return 0;
}

}  // namespace agentctl
