#include "execute.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "devkit/utc_time.hpp"
#include "harness_api.hpp"
#include "record.hpp"

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
    Execution(const agenthost::Run& run, const Request& request, const Plan& plan, const Config& config)
        : run_(run), request_(request), plan_(plan), harness_(run, config.harness), config_(config) {
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
                if (!step.approval.empty() && !ask_approval(environment.environment, step)) return finish(environment);
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

    // Asks a person to approve `step`; false (error_ says why) when the host
    // would never run its program, so nobody approves what cannot happen.
    bool ask_approval(const Environment& environment, const Step& step) {
        if (!runnable(step)) return false;
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
        return true;
    }

    // Whether the host would run the step's program (its allow-list, PATH,
    // network, sandbox), asked without running it; false with the host's
    // reason in error_. A Harness call is no program: true.
    bool runnable(const Step& step) {
        std::vector<std::string> argv = resolved(step.argv);
        if (argv.empty() || argv.front() == kHarnessCall) return true;
        const std::optional<agenthost::Error> refused = run_.exec_refusal(program_options(argv, step.timeout_seconds));
        if (!refused) return true;
        error_ = step.id + " (" + step.description + "), before asking anyone to approve it: " +
                 refusal(argv.front(), *refused);
        return false;
    }

    static agenthost::ExecOptions program_options(const std::vector<std::string>& argv, double timeout_seconds) {
        agenthost::ExecOptions options;
        options.argv = argv;
        options.timeout_seconds = timeout_seconds;
        options.network = true;  // the cluster (or chart registry) is remote
        options.max_output_bytes = 256 * 1024;
        return options;
    }

    // The host's refusal to run `program`, with what the operator must set.
    static std::string refusal(const std::string& program, const agenthost::Error& error) {
        return "deployment_agent cannot run " + program + ": " + error.what() +
               ". The tools run through the host's exec service: the operator allows them with "
               "agents.deployment_agent.exec {\"allow\": [\"" + program +
               "\"], \"network\": true} and puts them on the host's PATH";
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
        Ran ran = !argv.empty() && argv.front() == kHarnessCall ? harness_call(argv, timeout_seconds)
                                                                : program(argv, timeout_seconds);
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

    Ran program(const std::vector<std::string>& argv, double timeout_seconds) {
        agenthost::ExecResult result;
        try {
            result = run_.exec(program_options(argv, timeout_seconds));
        } catch (const agenthost::Cancelled&) {
            throw;
        } catch (const agenthost::Error& error) {
            throw agenthost::Error(error.status(), refusal(argv.front(), error));
        }
        Ran ran;
        ran.ok = result.succeeded();
        ran.timed_out = result.timed_out;
        ran.exit_code = result.signal != 0 ? -1 : result.exit_code;
        ran.stdout_text = result.stdout_text;
        ran.output = trimmed(result.stdout_text + (result.stderr_text.empty() ? "" : "\n" + result.stderr_text));
        return ran;
    }

    // A call of the Harness API in a step's place: argv is
    // {kHarnessCall, verb, ...} as plan.cpp builds it. stdout_text carries
    // what a read or a change tells later steps (an image, an execution id).
    Ran harness_call(const std::vector<std::string>& argv, double timeout_seconds) {
        Ran ran;
        const std::string& verb = argv.at(1);
        try {
            if (verb == "previous-image") {
                // argv: service, environment. What this thread's records say.
                Document records = load_records(run_);
                Document current = currently_deployed(records["records"]);
                const Value* image = nullptr;
                if (current.HasMember(argv.at(2).c_str()) && current[argv.at(2).c_str()].HasMember(argv.at(3).c_str()))
                    image = &current[argv.at(2).c_str()][argv.at(3).c_str()]["image"];
                ran.ok = image != nullptr && image->IsString() && image->GetStringLength() > 0;
                ran.stdout_text = ran.ok ? image->GetString() : "";
                ran.output = ran.ok ? "last deployed here by this thread: " + ran.stdout_text
                                    : "no deployment of " + argv.at(2) + " to " + argv.at(3) + " on record in this thread";
            } else if (verb == "execute" || verb == "execute-and-watch") {
                // argv: service, image, strategy, environment, namespace.
                HarnessRelease release{argv.at(2), argv.at(3), argv.at(4), argv.at(5), argv.at(6)};
                std::string id = harness_.execute(release);
                ran.stdout_text = id;
                ran.output = "execution " + id + " started: " + harness_.execution_url(id);
                ran.ok = true;
                if (verb == "execute-and-watch") {
                    Ran watched = watch_execution(id, timeout_seconds);
                    watched.output = ran.output + "\n" + watched.output;
                    ran = watched;
                }
            } else if (verb == "watch") {
                ran = watch_execution(argv.at(2), timeout_seconds);
            } else if (verb == "abort") {
                bool aborted = false;
                try {
                    aborted = harness_.abort(argv.at(2));
                } catch (const agenthost::Cancelled&) {
                }
                // An execution that already ended cannot be aborted; either
                // way it no longer runs.
                ran.ok = true;
                ran.output = aborted ? "asked Harness to abort execution " + argv.at(2)
                                     : "Harness did not abort execution " + argv.at(2) + " (it had ended)";
            } else {
                ran.output = "unknown Harness call " + verb;
            }
        } catch (const HarnessError& error) {
            ran.ok = false;
            ran.output = error.what();
        }
        ran.exit_code = ran.ok ? 0 : 1;
        return ran;
    }

    // Polls the execution until it ends or `timeout_seconds` pass (then it is
    // aborted, as a timed-out kubectl rollout leaves nothing half-watched).
    Ran watch_execution(const std::string& id, double timeout_seconds) {
        Ran ran;
        const auto deadline = std::chrono::steady_clock::now() +
                              std::chrono::milliseconds(static_cast<long long>(timeout_seconds * 1000));
        const auto interval = std::chrono::milliseconds(config_.harness.poll_interval_ms);
        std::string status, seen;
        while (true) {
            status = harness_.status(id);
            if (status != seen) {
                run_.progress("Harness execution " + id + ": " + status);
                seen = status;
            }
            if (harness_succeeded(status) || harness_failed(status)) break;
            if (std::chrono::steady_clock::now() + interval > deadline) {
                harness_.abort(id);
                ran.timed_out = true;
                ran.output = "execution " + id + " was still " + status + " after " +
                             std::to_string(static_cast<int>(timeout_seconds)) + " s; asked Harness to abort it";
                return ran;
            }
            // Sleep in slices so a cancel stops the wait at once.
            for (auto slept = std::chrono::milliseconds(0); slept < interval; slept += std::chrono::milliseconds(50)) {
                if (run_.cancelled()) {
                    try {
                        harness_.abort(id);  // best effort: the host may refuse calls of a cancelled run
                    } catch (const std::exception&) {
                    }
                    throw agenthost::Cancelled();
                }
                std::this_thread::sleep_for(std::min(std::chrono::milliseconds(50), interval - slept));
            }
        }
        ran.ok = harness_succeeded(status);
        ran.output = "execution " + id + " ended " + status;
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
        if (step.action == "change" && ran.ok && !step.fact.empty()) set_fact(step.fact, trimmed(ran.stdout_text));
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
        bool any = false, all_ok = true, nothing_restored = false;
        for (auto step = environment.steps.rbegin(); step != environment.steps.rend(); ++step) {
            if (!listed(progress_["changed"], step->id)) continue;
            any = true;
            for (const Undo& command : step->undo) {
                if (!command.fact.empty()) {
                    auto found = progress_["facts"].FindMember(command.fact.c_str());
                    bool empty = found == progress_["facts"].MemberEnd() || !found->value.IsString() ||
                                 found->value.GetStringLength() == 0;
                    if (empty != command.when_fact_empty) {
                        // Harness: no earlier image on record to run again.
                        if (command.argv.size() > 1 && command.argv[0] == kHarnessCall) nothing_restored = true;
                        continue;
                    }
                }
                std::vector<std::string> argv = resolved(command.argv);
                run_.progress("rolling back " + step->id + " in " + environment.environment.name + " (" + why + ")");
                if (!exec(step->id, "rollback", argv, request_.rollout_timeout_seconds + 30.0).ok) all_ok = false;
            }
        }
        set_status(environment.environment.name, !any              ? "failed"
                                                 : !all_ok          ? "rollback_failed"
                                                 : nothing_restored ? "aborted"
                                                                    : "rolled_back");
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
                         : status == "aborted"
                             ? "; aborted the Harness execution, but no earlier image of " + request_.service + " in " +
                                   environment.environment.name +
                                   " is on record in this thread, so nothing was deployed again: the pipeline's own "
                                   "failure strategy decides what runs there now"
                         : undone                  ? ""
                                                   : "; the rollback failed too: check the environment by hand");
        outcome.progress.CopyFrom(progress_, outcome.progress.GetAllocator());
        return outcome;
    }

    const agenthost::Run& run_;
    const Request& request_;
    const Plan& plan_;
    const HarnessApi harness_;
    const Config& config_;
    Document progress_;
    std::string error_;
};

}  // namespace

std::string progress_key(std::string_view run_id) { return "deployment_agent/runs/" + std::string(run_id); }

std::string now_iso8601() { return devkit::utc_now_iso8601(); }

Outcome execute(const agenthost::Run& run, const Request& request, const Plan& plan, const Config& config) {
    return Execution(run, request, plan, config).carry_out();
}

}  // namespace deploy
