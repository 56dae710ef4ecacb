#include "execute.hpp"

#include <algorithm>

#include "devkit/utc_time.hpp"

namespace deploy {
namespace {

using Document = rapidjson::Document;
using Value = rapidjson::Value;

constexpr size_t kOutputKept = 2000;  // per command in the log: the tail, where errors are

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    size_t start = text.find_first_not_of(" \n\r\t");
    return start == std::string::npos ? "" : text.substr(start);
}

bool listed(const Value& array, const std::string& id) {
    for (const auto& item : array.GetArray())
        if (item.IsString() && id == item.GetString()) return true;
    return false;
}

class Execution {
  public:
    Execution(const agenthost::Run& run, const Request& request, const Plan& plan)
        : run_(run), request_(request), plan_(plan) {
        load();
    }

    Outcome carry_out() {
        size_t total = 0, index = 0;
        for (const auto& environment : plan_.environments) total += environment.steps.size();
        for (const auto& environment : plan_.environments) {
            const std::string& name = environment.environment.name;
            if (status_of(name) == "deployed") {
                index += environment.steps.size();
                continue;
            }
            set_status(name, "deploying");
            for (const Step& step : environment.steps) {
                ++index;
                if (listed(progress_["done"], step.id)) continue;
                if (run_.cancelled()) {
                    undo(environment, "the run was cancelled");
                    save();
                    throw agenthost::Cancelled();
                }
                if (!step.approval.empty()) ask_approval(environment.environment, step);
                run_.progress(step.id + ": " + step.description, static_cast<double>(index) / static_cast<double>(total));
                if (!perform(step)) return finish(environment);
                mark(progress_["done"], step.id);
                save();
            }
            set_status(name, "deployed");
            save();
        }
        Outcome outcome;
        outcome.status = "succeeded";
        outcome.progress.CopyFrom(progress_, outcome.progress.GetAllocator());
        return outcome;
    }

  private:
    // Loads the progress an earlier execution of this run kept, if any.
    void load() {
        auto kept = run_.memory_get(progress_key(run_.run_id()));
        if (kept) progress_.Parse(kept->c_str());
        if (!kept || progress_.HasParseError() || !progress_.IsObject()) {
            progress_.SetObject();
            auto& allocator = progress_.GetAllocator();
            for (const char* list : {"done", "changed", "log"})
                progress_.AddMember(Value(list, allocator), Value(rapidjson::kArrayType), allocator);
            progress_.AddMember("facts", Value(rapidjson::kObjectType), allocator);
            progress_.AddMember("environments", Value(rapidjson::kObjectType), allocator);
            progress_.AddMember("started_at", agenthost::json::string(now_iso8601(), allocator), allocator);
        }
    }
    void save() { run_.memory_put(progress_key(run_.run_id()), agenthost::json::serialize(progress_)); }

    std::string status_of(const std::string& environment) const {
        auto found = progress_["environments"].FindMember(environment.c_str());
        return found != progress_["environments"].MemberEnd() && found->value.IsString() ? found->value.GetString() : "";
    }
    void set_status(const std::string& environment, const std::string& status) {
        auto& allocator = progress_.GetAllocator();
        Value& environments = progress_["environments"];
        environments.RemoveMember(environment.c_str());
        environments.AddMember(agenthost::json::string(environment, allocator), agenthost::json::string(status, allocator),
                               allocator);
    }
    void mark(Value& list, const std::string& id) {
        if (!listed(list, id)) list.PushBack(agenthost::json::string(id, progress_.GetAllocator()), progress_.GetAllocator());
    }
    void set_fact(const std::string& name, const std::string& value) {
        auto& allocator = progress_.GetAllocator();
        Value& facts = progress_["facts"];
        facts.RemoveMember(name.c_str());
        facts.AddMember(agenthost::json::string(name, allocator), agenthost::json::string(value, allocator), allocator);
    }

    std::vector<std::string> resolved(const std::vector<std::string>& argv) const {
        std::vector<std::string> out;
        for (const auto& arg : argv) out.push_back(with_facts(arg, progress_["facts"]));
        return out;
    }

    void ask_approval(const Environment& environment, const Step& step) {
        Document details(rapidjson::kObjectType);
        auto& allocator = details.GetAllocator();
        details.AddMember("service", agenthost::json::string(request_.service, allocator), allocator);
        details.AddMember("image", agenthost::json::string(request_.image, allocator), allocator);
        details.AddMember("environment", agenthost::json::string(environment.name, allocator), allocator);
        details.AddMember("production", environment.production, allocator);
        details.AddMember("step", agenthost::json::string(step.id, allocator), allocator);
        details.AddMember("command", agenthost::json::string(command_line(resolved(step.argv)), allocator), allocator);
        // Throws ApprovalRequired the first time; the progress is saved.
        save();
        run_.require_approval(step.approval, step.approval_reason, &details);
    }

    struct Ran {
        bool ok = false;
        bool timed_out = false;
        int exit_code = -1;
        std::string stdout_text;
        std::string output;
    };

    Ran exec(const std::string& step_id, const std::string& action, const std::vector<std::string>& argv,
             double timeout_seconds) {
        agenthost::ExecOptions options;
        options.argv = argv;
        options.timeout_seconds = timeout_seconds;
        options.network = true;  // the cluster (or chart registry) is remote
        options.max_output_bytes = 256 * 1024;
        agenthost::ExecResult result;
        try {
            result = run_.exec(options);
        } catch (const agenthost::Cancelled&) {
            throw;
        } catch (const agenthost::Error& error) {
            throw agenthost::Error(error.status(),
                                   std::string("deployment_agent cannot run ") + argv.front() + ": " + error.what() +
                                       ". The tools run through the host's exec service: the operator allows them "
                                       "with agents.deployment_agent.exec {\"allow\": [\"" + argv.front() +
                                       "\"], \"network\": true} and puts them on the host's PATH");
        }
        Ran ran;
        ran.ok = result.succeeded();
        ran.timed_out = result.timed_out;
        ran.exit_code = result.signal != 0 ? -1 : result.exit_code;
        ran.stdout_text = result.stdout_text;
        ran.output = trimmed(result.stdout_text + (result.stderr_text.empty() ? "" : "\n" + result.stderr_text));
        if (ran.output.size() > kOutputKept) ran.output = "..." + ran.output.substr(ran.output.size() - kOutputKept);
        auto& allocator = progress_.GetAllocator();
        Value entry(rapidjson::kObjectType);
        entry.AddMember("step", agenthost::json::string(step_id, allocator), allocator);
        entry.AddMember("action", agenthost::json::string(action, allocator), allocator);
        entry.AddMember("command", agenthost::json::string(command_line(argv), allocator), allocator);
        entry.AddMember("exit_code", ran.exit_code, allocator);
        entry.AddMember("timed_out", ran.timed_out, allocator);
        entry.AddMember("output", agenthost::json::string(ran.output, allocator), allocator);
        entry.AddMember("at", agenthost::json::string(now_iso8601(), allocator), allocator);
        progress_["log"].PushBack(entry, allocator);
        return ran;
    }

    // Runs one step; false when it failed (the error is in error_).
    bool perform(const Step& step) {
        std::vector<std::string> argv = resolved(step.argv);
        for (const auto& arg : argv)
            if (arg.find("${") != std::string::npos) {
                error_ = step.id + " needs a value no earlier step read: " + arg;
                return false;
            }
        Ran ran = exec(step.id, step.action, argv, step.timeout_seconds);
        if (step.action == "read") return read_fact(step, ran);
        if (step.action == "change" && (ran.ok || step.changes_on_failure)) mark(progress_["changed"], step.id);
        if (ran.ok) return true;
        error_ = step.id + " (" + step.description + ") " +
                 (ran.timed_out ? "timed out" : "failed with exit code " + std::to_string(ran.exit_code)) +
                 (ran.output.empty() ? "" : ": " + ran.output.substr(0, 500));
        return false;
    }

    bool read_fact(const Step& step, const Ran& ran) {
        std::string value = trimmed(ran.stdout_text);
        if (!ran.ok) {
            if (!step.missing_ok) {
                error_ = step.id + " (" + step.description + ") failed: " + ran.output.substr(0, 500);
                return false;
            }
            value.clear();
        } else if (step.fact.size() > 9 && step.fact.compare(step.fact.size() - 9, 9, ".revision") == 0) {
            // helm status -o json: the release's revision is "version".
            Document status;
            status.Parse(value.c_str());
            value = status.IsObject() && status.HasMember("version") && status["version"].IsInt()
                        ? std::to_string(status["version"].GetInt())
                        : "";
        } else if (value.empty()) {
            error_ = step.id + " (" + step.description + ") read nothing: is the container named " +
                     request_.container + " (context.container)?";
            return false;
        }
        set_fact(step.fact, value);
        const std::string live = ".live_slot";
        if (step.fact.size() > live.size() && step.fact.compare(step.fact.size() - live.size(), live.size(), live) == 0) {
            if (value != "blue" && value != "green") {
                error_ = step.id + ": service/" + request_.service +
                         " must select its pods by a 'slot' label of blue or green for a blue-green deployment, "
                         "not '" + value + "'";
                return false;
            }
            set_fact(step.fact.substr(0, step.fact.size() - live.size()) + ".idle_slot", value == "blue" ? "green" : "blue");
        }
        return true;
    }

    // Undoes, newest first, the changes this run made in `environment`.
    // Returns whether every undo succeeded.
    bool undo(const EnvironmentPlan& environment, const std::string& why) {
        bool any = false, all_ok = true;
        for (auto step = environment.steps.rbegin(); step != environment.steps.rend(); ++step) {
            if (!listed(progress_["changed"], step->id)) continue;
            any = true;
            for (const Undo& command : step->undo) {
                if (!command.fact.empty()) {
                    auto found = progress_["facts"].FindMember(command.fact.c_str());
                    bool empty = found == progress_["facts"].MemberEnd() || !found->value.IsString() ||
                                 found->value.GetStringLength() == 0;
                    if (empty != command.when_fact_empty) continue;
                }
                std::vector<std::string> argv = resolved(command.argv);
                run_.progress("rolling back " + step->id + " in " + environment.environment.name + " (" + why + ")");
                if (!exec(step->id, "rollback", argv, request_.rollout_timeout_seconds + 30.0).ok) all_ok = false;
            }
        }
        set_status(environment.environment.name, !any ? "failed" : all_ok ? "rolled_back" : "rollback_failed");
        return all_ok;
    }

    Outcome finish(const EnvironmentPlan& environment) {
        bool undone = undo(environment, error_);
        save();
        Outcome outcome;
        std::string status = status_of(environment.environment.name);
        outcome.status = status == "rolled_back" ? "rolled_back" : "failed";
        outcome.error = "deploying " + request_.service + " to " + environment.environment.name + " failed at " + error_ +
                        (status == "rolled_back"   ? "; rolled back what this run changed there"
                         : status == "failed"      ? "; nothing had been changed there"
                         : undone                  ? ""
                                                   : "; the rollback failed too: check the environment by hand");
        outcome.progress.CopyFrom(progress_, outcome.progress.GetAllocator());
        return outcome;
    }

    const agenthost::Run& run_;
    const Request& request_;
    const Plan& plan_;
    Document progress_;
    std::string error_;
};

}  // namespace

std::string progress_key(std::string_view run_id) { return "deployment_agent/runs/" + std::string(run_id); }

std::string now_iso8601() { return devkit::utc_now_iso8601(); }

Outcome execute(const agenthost::Run& run, const Request& request, const Plan& plan) {
    return Execution(run, request, plan).carry_out();
}

}  // namespace deploy
