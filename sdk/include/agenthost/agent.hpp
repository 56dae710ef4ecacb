// agenthost C++ helper over the C ABI in abi.h.
//
// A plugin author writes one class and one macro:
//
//   class Echo : public agenthost::Agent {
//    public:
//     explicit Echo(agenthost::Host& host) : agenthost::Agent(host) {}
//     rapidjson::Document invoke(agenthost::Run& run) override {
//       rapidjson::Document result(rapidjson::kObjectType);
//       result.AddMember("echo", agenthost::json::string(run.task(), result), result.GetAllocator());
//       return result;
//     }
//   };
//   AGENTHOST_AGENT(Echo, "echo", "1.0.0")
//
// Everything here is header-only and compiled into the plugin, so nothing of
// the plugin's C++ runtime (exceptions, std::string, allocators) ever crosses
// into the host. Exceptions thrown by the author are caught at the boundary
// and turned into a status code plus message.
#ifndef AGENTHOST_AGENT_HPP
#define AGENTHOST_AGENT_HPP

#include <agenthost/abi.h>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace agenthost {

inline agenthost_str to_abi(std::string_view text) noexcept { return agenthost_str{text.data(), text.size()}; }
inline std::string_view from_abi(agenthost_str text) noexcept {
    return text.ptr == nullptr ? std::string_view{} : std::string_view{text.ptr, text.len};
}

// An error with the ABI status it maps to. Throw the subclasses from invoke().
class Error : public std::runtime_error {
  public:
    Error(agenthost_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    agenthost_status status() const noexcept { return status_; }

  private:
    agenthost_status status_;
};

// The input does not suit the agent: the caller gets 422 with this message.
struct InvalidInput : Error {
    explicit InvalidInput(const std::string& message) : Error(AGENTHOST_ERROR_INVALID_INPUT, message) {}
};
// The run was cancelled; throw after Run::cancelled() turned true.
struct Cancelled : Error {
    Cancelled() : Error(AGENTHOST_ERROR_CANCELLED, "cancelled") {}
};
// The operation needs a person's approval first; Run::require_approval
// throws it and the run pauses until someone decides.
struct ApprovalRequired : Error {
    explicit ApprovalRequired(const std::string& message) : Error(AGENTHOST_ERROR_APPROVAL_REQUIRED, message) {}
};

namespace json {

inline rapidjson::Value string(std::string_view text, rapidjson::Document::AllocatorType& allocator) {
    return rapidjson::Value(text.data(), static_cast<rapidjson::SizeType>(text.size()), allocator);
}
inline rapidjson::Value string(std::string_view text, rapidjson::Document& owner) {
    return string(text, owner.GetAllocator());
}

inline std::string serialize(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

// Parses JSON text; throws Error(FAILED) when the text is not JSON.
inline rapidjson::Document parse(std::string_view text) {
    rapidjson::Document document;
    document.Parse(text.data(), text.size());
    if (document.HasParseError()) throw Error(AGENTHOST_ERROR_FAILED, "host passed malformed JSON");
    return document;
}

}  // namespace json

// Services scoped to the loaded agent: logging and configuration.
class Host {
  public:
    Host(const agenthost_host_api* api, agenthost_host_agent_ptr handle, agenthost_str config_json)
        : api_(api), handle_(handle), config_(json::parse(from_abi(config_json))) {}

    void log(agenthost_log_level level, std::string_view message) const noexcept {
        api_->callback_log(handle_, level, to_abi(message));
    }
    void debug(std::string_view message) const noexcept { log(AGENTHOST_LOG_DEBUG, message); }
    void info(std::string_view message) const noexcept { log(AGENTHOST_LOG_INFO, message); }
    void warn(std::string_view message) const noexcept { log(AGENTHOST_LOG_WARN, message); }
    void error(std::string_view message) const noexcept { log(AGENTHOST_LOG_ERROR, message); }

    // The agent's config object, validated by the host against the manifest
    // (the same text the host returns from callback_agent_config).
    const rapidjson::Document& config() const noexcept { return config_; }

    const agenthost_host_api* api() const noexcept { return api_; }
    agenthost_host_agent_ptr handle() const noexcept { return handle_; }

  private:
    const agenthost_host_api* api_;
    agenthost_host_agent_ptr handle_;
    rapidjson::Document config_;
};

// A program to run through the host's exec service (Run::exec). argv[0] is
// the bare name of a binary the operator allows (agents.<name>.exec.allow);
// cwd is relative to the run's workspace.
struct ExecOptions {
    std::vector<std::string> argv;
    std::string cwd = ".";
    std::map<std::string, std::string> env;
    std::string stdin_data;
    double timeout_seconds = 60;
    bool network = false;
    std::size_t max_output_bytes = 1024 * 1024;
};

// How the program ended and what it wrote.
struct ExecResult {
    int exit_code = -1;  // -1 when a signal ended it
    int signal = 0;
    bool timed_out = false;
    bool truncated = false;  // output past max_output_bytes was dropped and the program killed
    std::string stdout_text;
    std::string stderr_text;
    long long duration_ms = 0;
    std::string sandbox;  // how it was confined, e.g. "bwrap (no network)"
    bool succeeded() const noexcept { return exit_code == 0 && signal == 0 && !timed_out; }
};

// One run: its input and the run-scoped host services.
class Run {
  public:
    Run(const Host& host, agenthost_host_run_ptr handle, agenthost_str input_json)
        : host_(host), handle_(handle), input_(json::parse(from_abi(input_json))) {}

    const rapidjson::Document& input() const noexcept { return input_; }
    std::string_view run_id() const noexcept { return member_string("run_id"); }
    std::string_view thread_id() const noexcept { return member_string("thread_id"); }
    std::string_view task() const noexcept { return member_string("task"); }

    // The request's `context` object; an empty object when absent.
    const rapidjson::Value& context() const noexcept {
        static const rapidjson::Value empty(rapidjson::kObjectType);
        auto found = input_.FindMember("context");
        return found != input_.MemberEnd() && found->value.IsObject() ? found->value : empty;
    }

    const Host& host() const noexcept { return host_; }

    // Appends an event to the run's log (needs the "events" permission).
    void emit(std::string_view type, const rapidjson::Value& data) const {
        std::string text = json::serialize(data);
        check(api()->callback_run_emit_event(handle_, to_abi(type), to_abi(text)));
    }

    // Emits an "agent.progress" event with a message and an optional
    // completed fraction in [0, 1].
    void progress(std::string_view message, double fraction = -1.0) const {
        rapidjson::Document data(rapidjson::kObjectType);
        data.AddMember("message", json::string(message, data), data.GetAllocator());
        if (fraction >= 0.0) data.AddMember("fraction", fraction, data.GetAllocator());
        emit("agent.progress", data);
    }

    bool cancelled() const noexcept { return api()->callback_run_is_cancelled(handle_) != 0; }
    // Throws Cancelled when the run was cancelled: call between steps.
    void throw_if_cancelled() const {
        if (cancelled()) throw Cancelled();
    }

    // Shared run memory (needs the "memory" permission). Values are JSON text.
    std::optional<std::string> memory_get(std::string_view key) const {
        agenthost_str value{nullptr, 0};
        agenthost_status status = api()->callback_run_memory_get(handle_, to_abi(key), &value);
        if (status == AGENTHOST_ERROR_NOT_FOUND) return std::nullopt;
        check(status);
        return std::string(from_abi(value));
    }
    void memory_put(std::string_view key, std::string_view value_json) const {
        check(api()->callback_run_memory_put(handle_, to_abi(key), to_abi(value_json)));
    }

    // Calls the configured LLM (needs the "llm" permission); returns the
    // response object's JSON text.
    std::string llm_complete(std::string_view request_json) const {
        agenthost_str response{nullptr, 0};
        check(api()->callback_run_llm_complete(handle_, to_abi(request_json), &response));
        return std::string(from_abi(response));
    }

    // The same, calling `on_token` for each token as it arrives.
    template <typename OnToken>
    std::string llm_stream(std::string_view request_json, OnToken&& on_token) const {
        struct Sink {
            OnToken* callback;
            static void call(void* self, agenthost_str token) noexcept {
                // An exception must not unwind through the host: tokens
                // after a throwing callback are dropped.
                try {
                    (*static_cast<Sink*>(self)->callback)(from_abi(token));
                } catch (...) {
                }
            }
        } sink{&on_token};
        agenthost_str response{nullptr, 0};
        check(api()->callback_run_llm_stream(handle_, to_abi(request_json), &Sink::call, &sink, &response));
        return std::string(from_abi(response));
    }

    // Returns when `operation` is approved for this run; otherwise throws
    // ApprovalRequired, which pauses the run until a person decides (an
    // approved run is invoked again from the start, and this call returns).
    // Call it before the side effect, never after.
    void require_approval(std::string_view operation, std::string_view reason,
                          const rapidjson::Value* details = nullptr) const {
        if (api()->struct_size < offsetof(agenthost_host_api, callback_run_request_approval) + sizeof(void*))
            throw Error(AGENTHOST_ERROR_FAILED, "this host cannot ask for approvals (ABI older than 1.1)");
        rapidjson::Document request(rapidjson::kObjectType);
        request.AddMember("operation", json::string(operation, request), request.GetAllocator());
        request.AddMember("reason", json::string(reason, request), request.GetAllocator());
        if (details != nullptr)
            request.AddMember("details", rapidjson::Value(*details, request.GetAllocator()), request.GetAllocator());
        std::string text = json::serialize(request);
        agenthost_status status = api()->callback_run_request_approval(handle_, to_abi(text));
        if (status == AGENTHOST_OK) return;
        std::string why(from_abi(api()->callback_run_last_error(handle_)));
        if (status == AGENTHOST_ERROR_APPROVAL_REQUIRED) throw ApprovalRequired(why);
        throw Error(status, why);
    }

    // Outbound HTTP through the host (needs the "http" permission):
    // {"method","url","headers","body"} -> {"status","headers","body"}.
    std::string http_request(std::string_view request_json) const {
        agenthost_str response{nullptr, 0};
        check(api()->callback_run_http_request(handle_, to_abi(request_json), &response));
        return std::string(from_abi(response));
    }

    // The run's private working directory (absolute path), for agents with
    // the "exec" permission on a 1.2 host; empty otherwise. Emptied for each
    // execution of the run and removed when it ends.
    std::string_view workspace() const noexcept { return member_string("workspace"); }

    // Runs a program in the run's workspace, sandboxed by the host, and
    // waits for it (needs the "exec" permission; abi.h, callback_run_exec).
    // A non-zero exit is a result, not an exception: check succeeded().
    // Throws Error when the host refuses (binary not allowed, no sandbox
    // here, network not allowed) and Cancelled when the run was cancelled
    // while it ran.
    ExecResult exec(const ExecOptions& options) const {
        if (api()->struct_size < offsetof(agenthost_host_api, callback_run_exec) + sizeof(void*) ||
            api()->callback_run_exec == nullptr)
            throw Error(AGENTHOST_ERROR_UNAVAILABLE, "this host has no exec service (ABI older than 1.2)");
        rapidjson::Document request(rapidjson::kObjectType);
        auto& allocator = request.GetAllocator();
        rapidjson::Value argv(rapidjson::kArrayType);
        for (const auto& arg : options.argv) argv.PushBack(json::string(arg, allocator), allocator);
        request.AddMember("argv", argv, allocator);
        request.AddMember("cwd", json::string(options.cwd, allocator), allocator);
        rapidjson::Value env(rapidjson::kObjectType);
        for (const auto& [name, value] : options.env)
            env.AddMember(json::string(name, allocator), json::string(value, allocator), allocator);
        request.AddMember("env", env, allocator);
        request.AddMember("stdin", json::string(options.stdin_data, allocator), allocator);
        request.AddMember("timeout_seconds", options.timeout_seconds, allocator);
        request.AddMember("network", options.network, allocator);
        request.AddMember("max_output_bytes", static_cast<uint64_t>(options.max_output_bytes), allocator);
        std::string text = json::serialize(request);
        agenthost_str response{nullptr, 0};
        agenthost_status status = api()->callback_run_exec(handle_, to_abi(text), &response);
        if (status == AGENTHOST_ERROR_CANCELLED) throw Cancelled();
        check(status);
        rapidjson::Document answer = json::parse(from_abi(response));
        ExecResult result;
        auto integer = [&answer](const char* name) -> long long {
            auto found = answer.FindMember(name);
            return found != answer.MemberEnd() && found->value.IsInt64() ? found->value.GetInt64() : 0;
        };
        auto flag = [&answer](const char* name) {
            auto found = answer.FindMember(name);
            return found != answer.MemberEnd() && found->value.IsBool() && found->value.GetBool();
        };
        auto text_of = [&answer](const char* name) {
            auto found = answer.FindMember(name);
            return found != answer.MemberEnd() && found->value.IsString()
                       ? std::string(found->value.GetString(), found->value.GetStringLength())
                       : std::string();
        };
        result.exit_code = static_cast<int>(integer("exit_code"));
        result.signal = static_cast<int>(integer("signal"));
        result.timed_out = flag("timed_out");
        result.truncated = flag("truncated");
        result.stdout_text = text_of("stdout");
        result.stderr_text = text_of("stderr");
        result.duration_ms = integer("duration_ms");
        result.sandbox = text_of("sandbox");
        return result;
    }

    agenthost_host_run_ptr handle() const noexcept { return handle_; }

  private:
    const agenthost_host_api* api() const noexcept { return host_.api(); }

    std::string_view member_string(const char* name) const noexcept {
        auto found = input_.FindMember(name);
        if (found == input_.MemberEnd() || !found->value.IsString()) return {};
        return {found->value.GetString(), found->value.GetStringLength()};
    }

    // Turns a failing host callback into an exception carrying the host's reason.
    void check(agenthost_status status) const {
        if (status == AGENTHOST_OK) return;
        throw Error(status, std::string(from_abi(api()->callback_run_last_error(handle_))));
    }

    const Host& host_;
    agenthost_host_run_ptr handle_;
    rapidjson::Document input_;
};

// Base class of every C++ agent. One instance serves many runs, possibly
// concurrently: keep invoke() free of unsynchronised shared state.
class Agent {
  public:
    explicit Agent(Host& host) : host_(host) {}
    virtual ~Agent() = default;
    Agent(const Agent&) = delete;
    Agent& operator=(const Agent&) = delete;

    // Returns the result object. Throw InvalidInput for bad input, Cancelled
    // when cancelled, anything else for failure.
    virtual rapidjson::Document invoke(Run& run) = 0;

  protected:
    Host& host() const noexcept { return host_; }

  private:
    Host& host_;
};

namespace detail {

// What the host holds as the plugin's agent pointer: the Host services and
// the author's agent, destroyed together.
struct Instance {
    std::unique_ptr<Host> host;
    std::unique_ptr<Agent> agent;
};

inline agenthost_status report_exception(const agenthost_host_api* api, agenthost_host_run_ptr run) noexcept {
    try {
        throw;
    } catch (const Error& error) {
        api->callback_run_set_error(run, to_abi(error.what()));
        return error.status() == AGENTHOST_OK ? AGENTHOST_ERROR_FAILED : error.status();
    } catch (const std::exception& error) {
        std::string message = std::string("unhandled exception in agent: ") + error.what();
        api->callback_run_set_error(run, to_abi(message));
    } catch (...) {
        api->callback_run_set_error(run, to_abi("unhandled non-standard exception in agent"));
    }
    return AGENTHOST_ERROR_FAILED;
}

template <typename AgentType>
agenthost_status create(const agenthost_host_api* api, agenthost_host_agent_ptr handle, agenthost_str config_json,
                        agenthost_module_agent_ptr* out) noexcept {
    try {
        auto instance = std::make_unique<Instance>();
        instance->host = std::make_unique<Host>(api, handle, config_json);
        instance->agent = std::make_unique<AgentType>(*instance->host);
        *out = instance.release();
        return AGENTHOST_OK;
    } catch (const std::exception& error) {
        api->callback_agent_set_error(handle, to_abi(error.what()));
    } catch (...) {
        api->callback_agent_set_error(handle, to_abi("unhandled non-standard exception while creating agent"));
    }
    return AGENTHOST_ERROR_FAILED;
}

inline void destroy(agenthost_module_agent_ptr agent) noexcept { delete static_cast<Instance*>(agent); }

inline agenthost_status invoke(agenthost_module_agent_ptr agent, agenthost_host_run_ptr run,
                               agenthost_str input_json) noexcept {
    auto* instance = static_cast<Instance*>(agent);
    const agenthost_host_api* api = instance->host->api();
    try {
        Run context(*instance->host, run, input_json);
        rapidjson::Document result = instance->agent->invoke(context);
        if (!result.IsObject()) throw Error(AGENTHOST_ERROR_FAILED, "agent returned a result that is not a JSON object");
        std::string text = json::serialize(result);
        agenthost_status status = api->callback_run_set_result(run, to_abi(text));
        if (status != AGENTHOST_OK) {
            api->callback_run_set_error(run, api->callback_run_last_error(run));
            return status;
        }
        return AGENTHOST_OK;
    } catch (...) {
        return report_exception(api, run);
    }
}

}  // namespace detail
}  // namespace agenthost

// Declares the plugin's one exported entry point for AgentType, whose
// constructor takes (agenthost::Host&). NAME must match the manifest.
#define AGENTHOST_AGENT(AgentType, NAME, VERSION)                                                                   \
    extern "C" AGENTHOST_EXPORT const agenthost_agent_descriptor* AGENTHOST_ENTRY_POINT(                           \
        const agenthost_host_api* host, uint32_t host_abi_version) noexcept {                                       \
        static const char agent_name[] = NAME;                                                                      \
        static const char agent_version[] = VERSION;                                                                \
        static const agenthost_agent_descriptor descriptor = {                                                      \
            sizeof(agenthost_agent_descriptor),                                                                     \
            AGENTHOST_ABI_VERSION,                                                                                  \
            {agent_name, sizeof(agent_name) - 1},                                                                   \
            {agent_version, sizeof(agent_version) - 1},                                                             \
            &::agenthost::detail::create<AgentType>,                                                                \
            &::agenthost::detail::destroy,                                                                          \
            &::agenthost::detail::invoke,                                                                           \
        };                                                                                                          \
        /* The host compares versions and refuses with a message naming both. */                                  \
        (void)host;                                                                                                 \
        (void)host_abi_version;                                                                                     \
        return &descriptor;                                                                                         \
    }

#endif  // AGENTHOST_AGENT_HPP
