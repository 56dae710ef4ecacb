// The incident agent: one analysis (observe and reason), or, run as a loop
// (the request's "loop": {"max_iterations": N}), observe, reason, act and
// evaluate: the act step runs the top hypothesis's remediation command
// (agent config `actions`) only after a person approved it, and evaluate
// runs the `verify` command and reads its output as logs.
#include <agenthost/agent.hpp>
#include <devkit/artifacts.hpp>

#include <optional>
#include <set>
#include <string>

#include "incident.hpp"
#include "result_json.hpp"

namespace {

using agenthost::json::string;

struct Settings {
    std::map<std::string, std::vector<std::string>> actions;  // action -> argv with {service}, {version}
    std::vector<std::string> verify;                           // argv whose output is read as logs
    double exec_timeout_seconds = 300;
};

std::vector<std::string> argv_of(const rapidjson::Value& value) {
    std::vector<std::string> argv;
    for (const auto& item : value.GetArray()) argv.emplace_back(item.GetString(), item.GetStringLength());
    return argv;
}

Settings settings_from(const rapidjson::Value& config) {
    Settings settings;
    if (const rapidjson::Value* actions = devkit::field(config, "actions"))
        for (const auto& action : actions->GetObject()) settings.actions[action.name.GetString()] = argv_of(action.value);
    if (const rapidjson::Value* verify = devkit::field(config, "verify")) settings.verify = argv_of(*verify);
    if (const rapidjson::Value* timeout = devkit::field(config, "exec_timeout_seconds"))
        settings.exec_timeout_seconds = timeout->GetDouble();
    return settings;
}

std::vector<std::string> expand(std::vector<std::string> argv, const incident::Hypothesis& h) {
    auto replace = [](std::string& text, const std::string& key, const std::string& value) {
        for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
            text.replace(at, key.size(), value);
    };
    for (auto& arg : argv) {
        replace(arg, "{service}", h.service);
        replace(arg, "{version}", h.version);
    }
    return argv;
}

std::string joined(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& arg : argv) out += (out.empty() ? "" : " ") + arg;
    return out;
}

class IncidentAgent final : public agenthost::Agent {
  public:
    explicit IncidentAgent(agenthost::Host& host) : agenthost::Agent(host), settings_(settings_from(host.config())) {}

    rapidjson::Document invoke(agenthost::Run& run) override {
        incident::Input input;
        try {
            input = incident::read_input(run.context());
        } catch (const incident::InputError& error) {
            throw agenthost::InvalidInput(error.what());
        }
        run.progress("observed " + std::to_string(input.events.size()) + " log lines");
        run.throw_if_cancelled();
        const incident::Analysis analysis = incident::analyse(input);
        run.progress(analysis.summary);

        rapidjson::Document result(rapidjson::kObjectType);
        auto& allocator = result.GetAllocator();
        const bool looping = run.input().HasMember("iteration");
        result.AddMember("mode", rapidjson::StringRef(looping ? "loop" : "analyze"), allocator);
        incident::add_analysis(analysis, result);
        std::string title = devkit::string_field(run.context(), "title", "context.title").value_or(std::string(run.task()));
        if (title.empty() && !analysis.hypotheses.empty()) title = analysis.hypotheses.front().title;
        if (title.empty()) title = "incident";
        const std::vector<devkit::Artifact> artifacts = {
            {"incident/postmortem.md", incident::postmortem_markdown(analysis, input, title), "text/markdown"}};
        result.AddMember("artifacts", devkit::artifacts_json(artifacts, result), allocator);
        if (looping) act_and_evaluate(run, analysis, result);
        return result;
    }

  private:
    // Actions the earlier iterations already tried (from previous_result).
    static std::set<std::string> attempted(const agenthost::Run& run) {
        std::set<std::string> tried;
        const rapidjson::Value* previous = devkit::field(run.input(), "previous_result");
        const rapidjson::Value* loop = previous != nullptr ? devkit::field(*previous, "loop") : nullptr;
        const rapidjson::Value* list = loop != nullptr ? devkit::field(*loop, "attempted") : nullptr;
        if (list != nullptr && list->IsArray())
            for (const auto& item : list->GetArray())
                if (item.IsString()) tried.insert(item.GetString());
        return tried;
    }

    agenthost::ExecOptions exec_options(const std::vector<std::string>& argv) const {
        agenthost::ExecOptions options;
        options.argv = argv;
        options.timeout_seconds = settings_.exec_timeout_seconds;
        options.network = true;  // remediation and verification reach the systems they act on
        return options;
    }

    agenthost::ExecResult exec(agenthost::Run& run, const std::vector<std::string>& argv) const {
        return run.exec(exec_options(argv));
    }

    void act_and_evaluate(agenthost::Run& run, const incident::Analysis& analysis, rapidjson::Document& result) {
        auto& allocator = result.GetAllocator();
        std::set<std::string> tried = attempted(run);
        rapidjson::Value loop(rapidjson::kObjectType);
        const rapidjson::Value* iteration = devkit::field(run.input(), "iteration");
        loop.AddMember("iteration", iteration != nullptr && iteration->IsInt() ? iteration->GetInt() : 1, allocator);

        // Act: the best hypothesis with an action not yet tried.
        const incident::Hypothesis* chosen = nullptr;
        for (const auto& h : analysis.hypotheses)
            if (!h.action.empty() && !tried.count(h.action + ":" + h.service)) {
                chosen = &h;
                break;
            }
        rapidjson::Value act(rapidjson::kObjectType);
        bool acted = false;
        std::string why;
        if (chosen == nullptr) {
            why = "no untried remediation: a person has to take over";
        } else {
            const std::string key = chosen->action + ":" + chosen->service;
            act.AddMember("action", string(chosen->action, result), allocator);
            act.AddMember("service", string(chosen->service, result), allocator);
            act.AddMember("hypothesis", string(chosen->title, result), allocator);
            auto command = settings_.actions.find(chosen->action);
            const bool configured = command != settings_.actions.end();
            const std::vector<std::string> argv = configured ? expand(command->second, *chosen) : std::vector<std::string>();
            // Nobody is asked to approve what this host can never run.
            const std::optional<agenthost::Error> refused =
                configured ? run.exec_refusal(exec_options(argv)) : std::nullopt;
            if (!configured) {
                // Marked tried, so the next iteration takes the next
                // hypothesis instead of stopping at this one every time.
                tried.insert(key);
                why = "no command is configured for '" + chosen->action +
                      "' (agents.incident_agent.config.actions): carry out the remediation by hand";
            } else if (refused) {
                tried.insert(key);
                act.AddMember("command", string(joined(argv), result), allocator);
                act.AddMember("refused", string(refused->what(), result), allocator);
                why = "this host cannot run `" + joined(argv) + "` (" + refused->what() +
                      "): a person has to carry out the remediation, or an operator allows the command "
                      "(agents.incident_agent.exec: allow, network, allow_unsandboxed; or the host's PATH)";
            } else {
                rapidjson::Document details(rapidjson::kObjectType);
                details.AddMember("command", string(joined(argv), details), details.GetAllocator());
                details.AddMember("hypothesis", string(chosen->title, details), details.GetAllocator());
                // A person approves before anything changes a system; the
                // run pauses here and starts again once approved.
                run.require_approval(chosen->action, "runs `" + joined(argv) + "` to remediate: " + chosen->title,
                                     &details);
                run.throw_if_cancelled();
                run.progress("acting: " + joined(argv));
                const agenthost::ExecResult ran = exec(run, argv);
                tried.insert(key);
                acted = ran.succeeded();
                act.AddMember("command", string(joined(argv), result), allocator);
                act.AddMember("exit_code", ran.exit_code, allocator);
                act.AddMember("output", string(ran.stdout_text + ran.stderr_text, result), allocator);
                why = acted ? "the remediation ran" : "the remediation failed (exit " + std::to_string(ran.exit_code) + ")";
            }
        }
        act.AddMember("executed", acted, allocator);
        loop.AddMember("act", act, allocator);

        // Evaluate: errors in what the verify command prints now.
        bool resolved = false;
        if (acted && !settings_.verify.empty()) {
            const agenthost::ExecResult check = exec(run, settings_.verify);
            rapidjson::Document logs(rapidjson::kObjectType);
            logs.AddMember("logs", string(check.stdout_text, logs), logs.GetAllocator());
            std::size_t errors = 0;
            try {
                const incident::Analysis after = incident::analyse(incident::read_input(logs));
                errors = after.burst.errors;
            } catch (const incident::InputError&) {
                errors = 0;  // no output: nothing failing
            }
            resolved = check.succeeded() && errors == 0;
            why += resolved ? "; verification shows no errors" : "; verification still shows " + std::to_string(errors) + " errors";
        } else if (acted) {
            resolved = true;
            why += "; no verify command configured, so the successful remediation is taken as the resolution";
        }
        rapidjson::Value list(rapidjson::kArrayType);
        for (const auto& key : tried) list.PushBack(string(key, result), allocator);
        loop.AddMember("attempted", list, allocator);
        loop.AddMember("evaluation", string(why, result), allocator);
        result.AddMember("loop", loop, allocator);
        result.AddMember("resolved", resolved, allocator);
        // Nothing left to try: the host's loop ends here rather than
        // repeating this answer to max_iterations.
        result.AddMember("handed_over", chosen == nullptr, allocator);
    }

    const Settings settings_;
};

}  // namespace

AGENTHOST_AGENT(IncidentAgent, "incident_agent", "0.1.0")
