// Loads the built plugin the way the host does (dlopen + the one exported
// entry point) and drives it through a minimal fake host service table.
#include "test_support.hpp"

#include <agenthost/abi.h>

#include <catch2/catch.hpp>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <dlfcn.h>

#include <string>
#include <utility>
#include <vector>

using namespace entity_extractor::testing;

namespace {

// What the plugin told the host. The fake hands out a pointer to it as both
// the agent and the run handle, so every callback finds it again.
struct Recorder {
    Recorder() = default;
    explicit Recorder(std::string config) : config_json(std::move(config)) {}

    std::string config_json;
    std::string agent_error;
    std::string result;
    std::string run_error;
    std::vector<std::pair<std::string, std::string>> events;
    std::vector<std::string> log_lines;
    bool cancelled = false;
};

Recorder& recorder_of(void* handle) { return *static_cast<Recorder*>(handle); }

std::string as_string(agenthost_str text) { return text.ptr ? std::string(text.ptr, text.len) : std::string(); }

void log_line(agenthost_host_agent_ptr agent, agenthost_log_level, agenthost_str message) noexcept {
    recorder_of(agent).log_lines.push_back(as_string(message));
}
agenthost_str agent_config(agenthost_host_agent_ptr agent) noexcept {
    const std::string& config = recorder_of(agent).config_json;
    return {config.data(), config.size()};
}
void agent_set_error(agenthost_host_agent_ptr agent, agenthost_str message) noexcept {
    recorder_of(agent).agent_error = as_string(message);
}
agenthost_status emit_event(agenthost_host_run_ptr run, agenthost_str type, agenthost_str data) noexcept {
    recorder_of(run).events.emplace_back(as_string(type), as_string(data));
    return AGENTHOST_OK;
}
int32_t is_cancelled(agenthost_host_run_ptr run) noexcept { return recorder_of(run).cancelled ? 1 : 0; }
agenthost_status unused_memory_get(agenthost_host_run_ptr, agenthost_str, agenthost_str*) noexcept {
    return AGENTHOST_ERROR_PERMISSION_DENIED;
}
agenthost_status unused_memory_put(agenthost_host_run_ptr, agenthost_str, agenthost_str) noexcept {
    return AGENTHOST_ERROR_PERMISSION_DENIED;
}
agenthost_status set_result(agenthost_host_run_ptr run, agenthost_str result) noexcept {
    recorder_of(run).result = as_string(result);
    return AGENTHOST_OK;
}
void set_run_error(agenthost_host_run_ptr run, agenthost_str message) noexcept {
    recorder_of(run).run_error = as_string(message);
}
agenthost_str last_error(agenthost_host_run_ptr) noexcept {
    static const char message[] = "not available in the fake host";
    return {message, sizeof(message) - 1};
}
agenthost_status unused_llm_complete(agenthost_host_run_ptr, agenthost_str, agenthost_str*) noexcept {
    return AGENTHOST_ERROR_PERMISSION_DENIED;
}
agenthost_status unused_llm_stream(agenthost_host_run_ptr, agenthost_str, agenthost_token_sink, void*,
                                   agenthost_str*) noexcept {
    return AGENTHOST_ERROR_PERMISSION_DENIED;
}
agenthost_status unused_http_request(agenthost_host_run_ptr, agenthost_str, agenthost_str*) noexcept {
    return AGENTHOST_ERROR_PERMISSION_DENIED;
}

const agenthost_host_api fake_host_api = {
    sizeof(agenthost_host_api),
    AGENTHOST_ABI_VERSION,
    &log_line,
    &agent_config,
    &agent_set_error,
    &emit_event,
    &is_cancelled,
    &unused_memory_get,
    &unused_memory_put,
    &set_result,
    &set_run_error,
    &last_error,
    &unused_llm_complete,
    &unused_llm_stream,
    &unused_http_request,
    nullptr,  // callback_run_request_approval (ABI 1.1): unused
};

std::string serialize(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return buffer.GetString();
}

// The request the host sends: {"run_id", "thread_id", "task", "context"}.
std::string make_input(const std::string& task, const std::string& context_json) {
    rapidjson::Document input(rapidjson::kObjectType);
    auto& allocator = input.GetAllocator();
    rapidjson::Document context;
    context.Parse(context_json.c_str());
    REQUIRE_FALSE(context.HasParseError());
    input.AddMember("run_id", "r1", allocator);
    input.AddMember("thread_id", "t1", allocator);
    input.AddMember("task", rapidjson::Value(task.c_str(), allocator), allocator);
    input.AddMember("context", rapidjson::Value(context, allocator), allocator);
    return serialize(input);
}

// The plugin library, loaded for one test and unloaded after it.
class LoadedPlugin {
  public:
    LoadedPlugin() : library_(dlopen(ENTITY_EXTRACTOR_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL)) {
        INFO(ENTITY_EXTRACTOR_PLUGIN_PATH << ": " << (library_ ? "" : dlerror()));
        REQUIRE(library_ != nullptr);
        auto init = reinterpret_cast<agenthost_plugin_init_fn>(dlsym(library_, AGENTHOST_ENTRY_POINT_NAME));
        REQUIRE(init != nullptr);
        descriptor_ = init(&fake_host_api, AGENTHOST_ABI_VERSION);
        REQUIRE(descriptor_ != nullptr);
    }
    ~LoadedPlugin() {
        if (agent_) descriptor_->on_agent_destroy(agent_);
        dlclose(library_);
    }
    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;

    const agenthost_agent_descriptor& descriptor() const { return *descriptor_; }

    agenthost_status create_agent(Recorder& agent_recorder) {
        auto* handle = reinterpret_cast<agenthost_host_agent_ptr>(&agent_recorder);
        agenthost_str config{agent_recorder.config_json.data(), agent_recorder.config_json.size()};
        return descriptor_->on_agent_create(&fake_host_api, handle, config, &agent_);
    }

    agenthost_status invoke(Recorder& run_recorder, const std::string& input) {
        auto* handle = reinterpret_cast<agenthost_host_run_ptr>(&run_recorder);
        return descriptor_->on_agent_invoke(agent_, handle, {input.data(), input.size()});
    }

  private:
    void* library_;
    const agenthost_agent_descriptor* descriptor_ = nullptr;
    agenthost_module_agent_ptr agent_ = nullptr;
};

std::string default_config() {
    rapidjson::Document manifest = read_json_file(ENTITY_EXTRACTOR_MANIFEST_PATH);
    return serialize(manifest["default_config"]);
}

const char* const report_text =
    "Incident 4471: on 3 March 2024 Priya Natarajan (priya@example.org, +1 415 555 0100) reported that 37.5% of "
    "payments in Zürich failed, costing Acme Payments Ltd. about €2,500.";

}  // namespace

TEST_CASE("the plugin describes itself as its manifest does", "[plugin]") {
    LoadedPlugin plugin;
    rapidjson::Document manifest = read_json_file(ENTITY_EXTRACTOR_MANIFEST_PATH);
    const agenthost_agent_descriptor& descriptor = plugin.descriptor();
    CHECK(descriptor.struct_size == sizeof(agenthost_agent_descriptor));
    CHECK(descriptor.abi_version == AGENTHOST_MAKE_VERSION(1, 0));  // the manifest's abi_version
    CHECK(as_string(descriptor.name) == manifest["name"].GetString());
    CHECK(as_string(descriptor.version) == manifest["version"].GetString());
}

TEST_CASE("the plugin extracts entities from context.text and reports progress", "[plugin]") {
    LoadedPlugin plugin;
    Recorder agent{default_config()};
    REQUIRE(plugin.create_agent(agent) == AGENTHOST_OK);

    Recorder run;
    std::string context = "{\"text\": " + serialize(rapidjson::Value(rapidjson::StringRef(report_text))) + "}";
    REQUIRE(plugin.invoke(run, make_input("Extract the entities", context)) == AGENTHOST_OK);
    CHECK(run.run_error.empty());

    rapidjson::Document result;
    result.Parse(run.result.c_str());
    REQUIRE_FALSE(result.HasParseError());
    rapidjson::Document manifest = read_json_file(ENTITY_EXTRACTOR_MANIFEST_PATH);
    CHECK(schema_violation(manifest["output_schema"], result) == "");

    const rapidjson::Value& entities = result["entities"];
    REQUIRE(entities.Size() == 8);
    CHECK(result["entity_count"].GetUint() == 8);
    CHECK(std::string(entities[0]["type"].GetString()) == "date");
    CHECK(std::string(entities[0]["text"].GetString()) == "3 March 2024");
    CHECK(entities[0]["start"].GetUint() == 18);
    CHECK(entities[0]["end"].GetUint() == 30);
    CHECK(std::string(entities[0]["normalized"].GetString()) == "2024-03-03");
    CHECK(std::string(entities[1]["type"].GetString()) == "person");
    CHECK(std::string(entities[1]["text"].GetString()) == "Priya Natarajan");
    CHECK(entities[1]["confidence"].GetDouble() >= 0.5);
    CHECK(std::string(entities[5]["text"].GetString()) == "Zürich");
    CHECK(entities[5]["start"].GetUint() == 119);
    CHECK(std::string(entities[6]["text"].GetString()) == "Acme Payments Ltd.");
    CHECK(std::string(entities[7]["normalized"].GetString()) == "2500 EUR");

    const rapidjson::Value& counts = result["counts"];
    CHECK(counts.MemberCount() == 9);  // every requested type, zero included
    CHECK(counts["location"].GetUint() == 1);
    CHECK(counts["url"].GetUint() == 0);

    REQUIRE_FALSE(run.events.empty());
    for (const auto& [type, data] : run.events) CHECK(type == "agent.progress");
    CHECK(run.events.back().second.find("\"fraction\":1") != std::string::npos);
}

TEST_CASE("the task is analysed when there is no context.text, limited by context.types", "[plugin]") {
    LoadedPlugin plugin;
    Recorder agent{default_config()};
    REQUIRE(plugin.create_agent(agent) == AGENTHOST_OK);

    Recorder run;
    REQUIRE(plugin.invoke(run, make_input(report_text, R"({"types": ["email", "phone"]})")) == AGENTHOST_OK);
    rapidjson::Document result;
    result.Parse(run.result.c_str());
    REQUIRE(result["entity_count"].GetUint() == 2);
    CHECK(std::string(result["entities"][0]["normalized"].GetString()) == "priya@example.org");
    CHECK(std::string(result["entities"][1]["normalized"].GetString()) == "+14155550100");
    CHECK(result["counts"].MemberCount() == 2);
}

TEST_CASE("bad requests are refused as invalid input with a message", "[plugin]") {
    LoadedPlugin plugin;
    Recorder agent{default_config()};
    REQUIRE(plugin.create_agent(agent) == AGENTHOST_OK);

    SECTION("an unknown type name is named in the error") {
        Recorder run;
        CHECK(plugin.invoke(run, make_input(report_text, R"({"types": ["email", "bogus"]})")) ==
              AGENTHOST_ERROR_INVALID_INPUT);
        CHECK(run.run_error.find("\"bogus\"") != std::string::npos);
        CHECK(run.run_error.find("context.types") != std::string::npos);
        CHECK(run.result.empty());
    }
    SECTION("types must be an array") {
        Recorder run;
        CHECK(plugin.invoke(run, make_input(report_text, R"({"types": "email"})")) == AGENTHOST_ERROR_INVALID_INPUT);
        CHECK_FALSE(run.run_error.empty());
    }
    SECTION("an empty text") {
        Recorder run;
        CHECK(plugin.invoke(run, make_input(report_text, R"({"text": ""})")) == AGENTHOST_ERROR_INVALID_INPUT);
        CHECK(run.run_error.find("no text") != std::string::npos);
    }
    SECTION("no text and an empty task") {
        Recorder run;
        CHECK(plugin.invoke(run, make_input("", "{}")) == AGENTHOST_ERROR_INVALID_INPUT);
    }
}

TEST_CASE("a cancelled run stops with the cancelled status", "[plugin]") {
    LoadedPlugin plugin;
    Recorder agent{default_config()};
    REQUIRE(plugin.create_agent(agent) == AGENTHOST_OK);
    Recorder run;
    run.cancelled = true;
    CHECK(plugin.invoke(run, make_input(report_text, "{}")) == AGENTHOST_ERROR_CANCELLED);
    CHECK(run.result.empty());
}

TEST_CASE("the agent config limits types and rejects bad values at creation", "[plugin]") {
    SECTION("configured types apply when the request names none") {
        LoadedPlugin plugin;
        Recorder agent{R"({"types": ["money"], "min_name_confidence": 0.5})"};
        REQUIRE(plugin.create_agent(agent) == AGENTHOST_OK);
        Recorder run;
        REQUIRE(plugin.invoke(run, make_input(report_text, "{}")) == AGENTHOST_OK);
        rapidjson::Document result;
        result.Parse(run.result.c_str());
        REQUIRE(result["entity_count"].GetUint() == 1);
        CHECK(std::string(result["entities"][0]["text"].GetString()) == "€2,500");
    }
    SECTION("an unknown configured type fails the creation with a reason") {
        LoadedPlugin plugin;
        Recorder agent{R"({"types": ["planet"]})"};
        CHECK(plugin.create_agent(agent) != AGENTHOST_OK);
        CHECK(agent.agent_error.find("\"planet\"") != std::string::npos);
    }
}
