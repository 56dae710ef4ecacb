// The host side of one run while a plugin executes it: what the run handle
// passed across the ABI points to.
#pragma once

#include <atomic>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace agenthost::plugins {

class LoadedAgent;

// What a plugin's store call (abi.h, callback_run_store) came to.
struct StoreAnswer {
    enum class Status { ok, not_found, bad_argument, unavailable };
    Status status = Status::ok;
    std::string response_json;  // when ok
    std::string error;          // otherwise: why
};

// Where a run's side effects go. Implemented by the runs layer, so plugins
// stay unaware of storage and the runs layer of the ABI.
class RunServices {
  public:
    virtual ~RunServices() = default;
    virtual void emit_event(const std::string& type, const std::string& data_json) = 0;
    virtual std::optional<std::string> memory_get(const std::string& key) = 0;
    virtual void memory_put(const std::string& key, const std::string& value_json) = 0;
    // The long-term store, scoped to the run's tenant: `request_json` is
    // the call's {"op", ...} object. Hosts without a store answer
    // unavailable.
    virtual StoreAnswer store_call(const std::string& request_json) {
        (void)request_json;
        return {StoreAnswer::Status::unavailable, "", "this host has no long-term store"};
    }
};

class RunContext {
  public:
    RunContext(const LoadedAgent& agent, RunServices& services) : agent(agent), services(services) {}
    RunContext(const RunContext&) = delete;
    RunContext& operator=(const RunContext&) = delete;

    const LoadedAgent& agent;
    RunServices& services;
    std::atomic<bool> cancelled{false};
    // The run's private directory for the exec service (agents with the
    // "exec" permission); empty otherwise. Set before invoke.
    std::string workspace;
    // Set when the invoke is over without waiting for the plugin (its
    // runner died): a command it started through exec is killed too.
    std::atomic<bool> abandoned{false};

    // Outcome, set through the callbacks; guarded by `mutex` because a
    // plugin may call back from threads of its own.
    std::mutex mutex;
    std::optional<std::string> result_json;
    std::string error_message;
    std::string last_error;
    // LLM calls of this run and their token usage so far (llm.usage events).
    long long llm_calls = 0;
    long long llm_input_tokens = 0;
    long long llm_output_tokens = 0;
    // The same per (provider, model): what usage rollups bill by.
    struct ModelUsage {
        long long calls = 0;
        long long input_tokens = 0;
        long long output_tokens = 0;
    };
    std::map<std::pair<std::string, std::string>, ModelUsage> llm_by_model;

    // {"calls","input_tokens","output_tokens","total_tokens","by_model":[
    // {"provider","model","calls","input_tokens","output_tokens"}]}, or ""
    // when the run made no LLM call; stored with the run's outcome.
    std::string llm_usage_json() {
        std::lock_guard<std::mutex> lock(mutex);
        if (llm_calls == 0) return "";
        std::string out = "{\"calls\":" + std::to_string(llm_calls) +
                          ",\"input_tokens\":" + std::to_string(llm_input_tokens) +
                          ",\"output_tokens\":" + std::to_string(llm_output_tokens) +
                          ",\"total_tokens\":" + std::to_string(llm_input_tokens + llm_output_tokens) + ",\"by_model\":[";
        bool first = true;
        for (const auto& [which, usage] : llm_by_model) {
            if (!first) out += ',';
            first = false;
            out += "{\"provider\":" + json_string(which.first) + ",\"model\":" + json_string(which.second) +
                   ",\"calls\":" + std::to_string(usage.calls) + ",\"input_tokens\":" + std::to_string(usage.input_tokens) +
                   ",\"output_tokens\":" + std::to_string(usage.output_tokens) + "}";
        }
        return out + "]}";
    }

    // Approvals: the operations people already approved for this run (set
    // before invoke; they accumulate over the run's approval rounds), and
    // what the plugin asked approval for, if it did.
    std::set<std::string> approved_operations;
    std::optional<std::string> approval_request_json;

    // Interrupts (abi.h, callback_run_interrupt): the answers people gave
    // this run so far, in order (set before invoke), how many interrupt
    // calls the current invoke made (the n-th answers resume_values[n-1]),
    // and the request of the call that found no answer, if one did.
    std::vector<std::string> resume_values;
    size_t interrupt_calls = 0;
    std::optional<std::string> interrupt_request_json;

    // Keeps a string alive until the run ends and returns it, for views the
    // host hands to the plugin. Caller holds `mutex`.
    const std::string& keep(std::string value) { return arena_.emplace_back(std::move(value)); }

  private:
    static std::string json_string(const std::string& text) {
        std::string out = "\"";
        for (char c : text) {
            if (c == '"' || c == '\\') {
                out += '\\';
                out += c;
            } else if (static_cast<unsigned char>(c) < 0x20) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(c));
                out += escaped;
            } else {
                out += c;
            }
        }
        return out + "\"";
    }

    std::deque<std::string> arena_;
};

}  // namespace agenthost::plugins
