#include "sre_loop.hpp"

#include "pull_request_plan.hpp"
#include "json_text.hpp"

#include <agenthost/agent.hpp>
#include <devkit/context_fields.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace sre {
namespace {

std::string lowered(std::string value) {
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
    return value;
}

long long integer(const rapidjson::Value& object, const char* name) {
    auto found = object.FindMember(name);
    return found != object.MemberEnd() && found->value.IsInt64() ? found->value.GetInt64() : 0;
}

std::vector<SignalView> signals_in(const rapidjson::Value& observed, const char* name) {
    std::vector<SignalView> out;
    auto found = observed.FindMember(name);
    if (found == observed.MemberEnd() || !found->value.IsArray()) return out;
    for (const auto& item : found->value.GetArray()) {
        if (!item.IsObject()) continue;
        SignalView signal;
        signal.id = json_text(item, "id");
        signal.kind = json_text(item, "kind");
        signal.service = json_text(item, "service");
        signal.severity = json_text(item, "severity");
        signal.message = json_text(item, "message");
        signal.received_at_ms = integer(item, "received_at_ms");
        if (auto score = item.FindMember("score"); score != item.MemberEnd() && score->value.IsNumber())
            signal.score = score->value.GetDouble();
        signal.repository = json_text(item, "repository");
        signal.repository_full_name = json_text(item, "repository_full_name");
        signal.incident_id = json_text(item, "incident_id");
        if (auto commits = item.FindMember("commits"); commits != item.MemberEnd() && commits->value.IsArray())
            for (const auto& commit : commits->value.GetArray()) {
                if (!commit.IsObject()) continue;
                CommitView view{json_text(commit, "sha"), json_text(commit, "message"), {}};
                for (const char* list : {"added", "removed", "modified"})
                    if (auto files = commit.FindMember(list); files != commit.MemberEnd() && files->value.IsArray())
                        for (const auto& file : files->value.GetArray())
                            if (file.IsString()) view.files.emplace_back(file.GetString(), file.GetStringLength());
                if (!view.sha.empty()) signal.commits.push_back(std::move(view));
            }
        out.push_back(std::move(signal));
    }
    return out;
}

std::string lower(std::string value) {
    for (char& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return value;
}

}  // namespace

// A Slack channel's "slack:C0OPS" or a GitHub signal's service is not one.
bool is_deployment_name(const std::string& name) {
    if (name.empty() || name.size() > 63 || name.front() == '-' || name.back() == '-') return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

std::string joined(const std::vector<std::string>& argv) {
    std::string out;
    for (const auto& arg : argv) out += (out.empty() ? "" : " ") + arg;
    return out;
}

Observation read_observation(const rapidjson::Value& observed) {
    Observation observation;
    if (!observed.IsObject()) return observation;
    if (auto incident = observed.FindMember("incident");
        incident != observed.MemberEnd() && incident->value.IsObject()) {
        observation.incident_id = json_text(incident->value, "id");
        observation.title = json_text(incident->value, "title");
        observation.service = json_text(incident->value, "service");
        observation.repository = json_text(incident->value, "repository");
        observation.repository_url = json_text(incident->value, "repository_url");
        observation.default_branch = json_text(incident->value, "default_branch");
        observation.first_seen_ms = integer(incident->value, "first_seen_ms");
    }
    observation.signals = signals_in(observed, "signals");
    observation.recent = signals_in(observed, "recent_signals");
    observation.evidence = signals_in(observed, "evidence");
    observation.now_ms = integer(observed, "now_ms");
    return observation;
}

std::set<std::string> action_targets(const Observation& observation) {
    if (!observation.service.empty())
        return is_deployment_name(observation.service) ? std::set<std::string>{observation.service}
                                                       : std::set<std::string>{};
    std::set<std::string> targets;
    for (const auto& signal : observation.signals)
        if (is_deployment_name(signal.service)) targets.insert(signal.service);
    return targets;
}

bool of_another_incident(const Observation& observation, const SignalView& signal) {
    return !signal.incident_id.empty() && signal.incident_id != observation.incident_id;
}

incident::Input analysis_input(const Observation& observation) {
    incident::Input input;
    std::set<std::string> seen;
    auto add = [&](const SignalView& signal) {
        // Another incident's errors would become this one's cause (and its
        // service this one's target): that incident is worked on its own.
        if (of_another_incident(observation, signal)) return;
        if (!seen.insert(signal.id).second) return;
        incident::LogEvent event;
        event.line = input.events.size() + 1;
        event.time = static_cast<double>(signal.received_at_ms) / 1000.0;
        event.level = signal.severity == "critical" ? incident::Level::fatal
                      : signal.severity == "error"  ? incident::Level::error
                      : signal.severity == "warning" ? incident::Level::warn
                                                     : incident::Level::info;
        event.service = signal.service;
        event.message = signal.message;
        event.raw = signal.message;
        input.events.push_back(std::move(event));
        // A deploy or a push shortly before the errors is a change to weigh.
        std::string words = lower(signal.message);
        if (signal.kind == "github" || (!signal.is_error() && (words.find("deploy") != std::string::npos ||
                                                                       words.find("rolled out") != std::string::npos ||
                                                                       words.find("release") != std::string::npos))) {
            incident::Change change;
            change.time = static_cast<double>(signal.received_at_ms) / 1000.0;
            change.type = signal.kind == "github" ? "commit" : "deploy";
            change.service = signal.kind == "github" ? observation.service : signal.service;
            change.description = signal.message.substr(0, 300);
            input.changes.push_back(std::move(change));
        }
    };
    for (const auto& signal : observation.signals) add(signal);
    for (const auto& signal : observation.evidence) add(signal);
    for (const auto& signal : observation.recent)
        if (signal.received_at_ms <= observation.now_ms) add(signal);
    // Drain reads lines in time order.
    std::stable_sort(input.events.begin(), input.events.end(),
                     [](const incident::LogEvent& a, const incident::LogEvent& b) { return a.time < b.time; });
    for (size_t i = 0; i < input.events.size(); ++i) input.events[i].line = i + 1;
    return input;
}

Settings settings_from(const rapidjson::Value& config) {
    Settings settings;
    if (!config.IsObject()) return settings;
    if (auto v = config.FindMember("kubectl"); v != config.MemberEnd() && v->value.IsArray()) {
        settings.kubectl.clear();
        for (const auto& arg : v->value.GetArray())
            if (arg.IsString()) settings.kubectl.emplace_back(arg.GetString(), arg.GetStringLength());
    }
    if (auto v = config.FindMember("namespace"); v != config.MemberEnd() && v->value.IsString())
        settings.ns = v->value.GetString();
    if (auto v = config.FindMember("allowed_actions"); v != config.MemberEnd() && v->value.IsArray()) {
        settings.allowed_actions.clear();
        for (const auto& action : v->value.GetArray())
            if (action.IsString()) settings.allowed_actions.insert(action.GetString());
    }
    if (auto v = config.FindMember("runbooks"); v != config.MemberEnd() && v->value.IsArray()) {
        // The manifest's config_schema has checked the shape.
        for (const auto& item : v->value.GetArray()) {
            if (!item.IsObject()) continue;
            Runbook runbook;
            runbook.name = json_text(item, "name");
            runbook.description = json_text(item, "description");
            if (auto list = item.FindMember("match"); list != item.MemberEnd() && list->value.IsArray())
                for (const auto& phrase : list->value.GetArray())
                    if (phrase.IsString()) runbook.match.push_back(lowered(phrase.GetString()));
            if (auto list = item.FindMember("argv"); list != item.MemberEnd() && list->value.IsArray())
                for (const auto& arg : list->value.GetArray())
                    if (arg.IsString()) runbook.argv.emplace_back(arg.GetString(), arg.GetStringLength());
            if (!runbook.name.empty() && !runbook.match.empty() && !runbook.argv.empty())
                settings.runbooks.push_back(std::move(runbook));
        }
    }
    if (auto v = config.FindMember("settle_seconds"); v != config.MemberEnd() && v->value.IsNumber())
        settings.settle_seconds = v->value.GetDouble();
    if (auto v = config.FindMember("exec_timeout_seconds"); v != config.MemberEnd() && v->value.IsNumber())
        settings.exec_timeout_seconds = v->value.GetDouble();
    if (auto github = config.FindMember("github"); github != config.MemberEnd() && github->value.IsObject()) {
        const rapidjson::Value& g = github->value;
        settings.github_token = json_text(g, "token");
        if (std::string base = json_text(g, "api_base_url"); !base.empty()) settings.github_api_base_url = base;
        if (auto v = g.FindMember("max_files"); v != g.MemberEnd() && v->value.IsUint64())
            settings.github_max_files = static_cast<size_t>(v->value.GetUint64());
        if (auto v = g.FindMember("max_file_bytes"); v != g.MemberEnd() && v->value.IsUint64())
            settings.github_max_file_bytes = static_cast<size_t>(v->value.GetUint64());
        settings.incident_link = json_text(g, "incident_link");
    }
    return settings;
}

const Runbook* runbook_named(const Settings& settings, const std::string& action) {
    if (action.rfind("runbook:", 0) != 0) return nullptr;
    for (const auto& runbook : settings.runbooks)
        if ("runbook:" + runbook.name == action) return &runbook;
    return nullptr;
}

std::vector<std::string> command_for(const std::string& action, const std::string& service, const Settings& settings) {
    if (const Runbook* runbook = runbook_named(settings, action)) {
        std::vector<std::string> argv;
        for (std::string arg : runbook->argv) {
            for (const auto& [placeholder, value] :
                 {std::pair<std::string, std::string>{"{service}", service}, {"{namespace}", settings.ns}})
                for (size_t at = arg.find(placeholder); at != std::string::npos; at = arg.find(placeholder, at + value.size()))
                    arg.replace(at, placeholder.size(), value);
            argv.push_back(std::move(arg));
        }
        return argv;
    }
    std::vector<std::string> argv = settings.kubectl;
    argv.emplace_back("rollout");
    argv.emplace_back(action == "rollout_undo" ? "undo" : "restart");
    argv.push_back("deployment/" + service);
    argv.push_back("--namespace=" + settings.ns);
    return argv;
}

std::string llm_question(const Observation& observation, const incident::Analysis& analysis, const Settings& settings,
                         const Plan* pull_request) {
    std::string text = "Incident: " + observation.title + "\nService: " + observation.service + "\n";
    std::string targets;
    for (const auto& target : action_targets(observation)) targets += (targets.empty() ? "" : ", ") + target;
    text += "Services an action may touch: " + (targets.empty() ? std::string("none (the incident names no service)") : targets) +
            "\n";
    text += "Hypotheses from log clustering, best first:\n";
    for (size_t i = 0; i < analysis.hypotheses.size() && i < 3; ++i)
        text += "- " + analysis.hypotheses[i].title + " (score " + incident::score_text(analysis.hypotheses[i].score) + ")\n";
    text += "Signals (severity, service, message), the incident's first, then retrieved evidence:\n";
    size_t shown = 0;
    for (const auto* list : {&observation.signals, &observation.evidence, &observation.recent})
        for (const auto& signal : *list) {
            if (of_another_incident(observation, signal)) continue;  // that incident's own work
            if (shown++ >= 40) break;
            text += "- " + signal.severity + " " + signal.service + ": " + signal.message.substr(0, 300) + "\n";
        }
    text += "Allowed actions:";
    for (const auto& action : settings.allowed_actions)
        if (action != "runbook" && action != "open_pull_request") text += " " + action;
    if (pull_request != nullptr)
        text += " open_pull_request (service " + pull_request->service + ": reverts commit " +
                pull_request->commit.substr(0, 12) + " of " + pull_request->owner + "/" + pull_request->repo +
                ", or applies your \"patch\": {\"title\", \"files\": [{\"path\", \"content\"}]} with each "
                "fixed file's whole new content)";
    if (settings.allowed_actions.count("runbook") != 0)
        for (const auto& runbook : settings.runbooks)
            text += " runbook:" + runbook.name + (runbook.description.empty() ? "" : " (" + runbook.description + ")");
    return text + " none\n";
}

Plan plan_from_llm(const rapidjson::Value& answer, const Settings& settings, const std::set<std::string>& done,
                   const std::set<std::string>& targets, std::string& root_cause, const Plan* pull_request) {
    if (!answer.IsObject()) throw std::runtime_error("the answer is not a JSON object");
    std::string action = json_text(answer, "action");
    std::string service = json_text(answer, "service");
    std::string cause = json_text(answer, "root_cause");
    if (cause.empty()) throw std::runtime_error("root_cause is missing or empty");
    Plan plan;
    root_cause = cause;
    plan.reason = cause;
    if (action == "none" || action.empty()) {
        plan.reason = cause + " (the model proposes no action)";
        return plan;
    }
    if (action == "open_pull_request") {
        if (pull_request == nullptr)
            throw std::runtime_error("open_pull_request is not possible for this incident (no suspect commit in a "
                                     "watched repository, no GitHub token, or one was tried): propose another action");
        Plan plan = *pull_request;
        plan.reason = cause + " (" + pull_request->reason + ")";
        if (auto patch = answer.FindMember("patch"); patch != answer.MemberEnd() && !patch->value.IsNull())
            apply_llm_patch(patch->value, settings, plan);
        return plan;
    }
    const bool runbook = runbook_named(settings, action) != nullptr && settings.allowed_actions.count("runbook") != 0;
    if (!runbook && (settings.allowed_actions.count(action) == 0 || action == "runbook"))
        throw std::runtime_error("action \"" + action + "\" is not one of the allowed actions");
    if (!is_deployment_name(service))
        throw std::runtime_error("service \"" + service + "\" is not a Kubernetes deployment name");
    if (targets.count(service) == 0)
        throw std::runtime_error("service \"" + service + "\" is not this incident's to act on (" +
                                 (targets.empty() ? std::string("it names no service: propose none")
                                                  : "only " + *targets.begin() + (targets.size() > 1 ? " and its other services" : "")) +
                                 ")");
    if (done.count(action + ":" + service) != 0)
        throw std::runtime_error(action + " of " + service + " was done already: propose another action or none");
    plan.action = action;
    plan.service = service;
    plan.argv = command_for(action, service, settings);
    return plan;
}

Plan plan_action(const incident::Analysis& analysis, const Settings& settings, const std::set<std::string>& targets,
                 const std::set<std::string>& done) {
    Plan plan;
    std::vector<std::string> skipped;
    for (const auto& h : analysis.hypotheses) {
        // A hypothesis that names no service is about the incident's own,
        // when it has exactly one.
        std::string service = !h.service.empty() ? h.service : targets.size() == 1 ? *targets.begin() : std::string();
        if (!service.empty() && is_deployment_name(service) && targets.count(service) == 0) {
            skipped.push_back("acting on '" + service + "' (not this incident's service)");
            continue;
        }
        // The operator's runbook steps come first: they know this system.
        if (settings.allowed_actions.count("runbook") != 0) {
            const std::string said = lowered(h.title + " " + h.cause);
            for (const auto& runbook : settings.runbooks) {
                const std::string action = "runbook:" + runbook.name;
                if (done.count(action + ":" + service) != 0) continue;
                auto phrase = std::find_if(runbook.match.begin(), runbook.match.end(),
                                           [&](const std::string& p) { return said.find(p) != std::string::npos; });
                if (phrase == runbook.match.end()) continue;
                plan.action = action;
                plan.service = service;
                plan.reason = h.title + " (runbook " + runbook.name + ": the hypothesis mentions \"" + *phrase + "\")";
                plan.argv = command_for(action, service, settings);
                return plan;
            }
        }
        // incidentkit's remediation actions, as this agent carries them out.
        std::string action = h.action == "rollback" ? "rollout_undo" : h.action == "restart" ? "restart" : "";
        if (action.empty()) continue;
        if (!is_deployment_name(service)) {
            if (!service.empty()) skipped.push_back(action + " of '" + service + "' (not a deployment name)");
            continue;
        }
        if (done.count(action + ":" + service) != 0) continue;
        if (settings.allowed_actions.count(action) == 0) {
            skipped.push_back(action + " (not in allowed_actions)");
            continue;
        }
        plan.action = action;
        plan.service = service;
        plan.reason = h.title;
        plan.argv = command_for(action, service, settings);
        return plan;
    }
    plan.reason = analysis.hypotheses.empty() ? "no hypothesis points to a cause"
                                              : "no untried allowed action fits the hypotheses";
    for (const auto& s : skipped) plan.reason += "; skipped " + s;
    return plan;
}

Verdict evaluate(const Observation& observation, const std::string& service, long long acted_at_ms) {
    Verdict verdict;
    size_t fresh = 0;
    size_t errors = 0;
    std::string last_error;
    std::set<std::string> seen;
    for (const auto* list : {&observation.recent, &observation.signals}) {
        for (const auto& signal : *list) {
            if (signal.received_at_ms <= acted_at_ms || !seen.insert(signal.id).second) continue;
            if (signal.kind != "log" && signal.kind != "slack") continue;
            if (!service.empty() && signal.service != service) continue;
            ++fresh;
            if (signal.is_error()) {
                ++errors;
                last_error = signal.message;
            }
        }
    }
    if (fresh == 0) {
        verdict.waiting = true;
        verdict.reason = "no signal from " + (service.empty() ? std::string("the service") : service) +
                         " since the action yet: waiting for fresh signals";
    } else if (errors == 0) {
        verdict.resolved = true;
        verdict.reason = std::to_string(fresh) + " fresh signal(s) from " + service +
                         " since the action, none an error: recovered";
    } else {
        verdict.reason = std::to_string(errors) + " of " + std::to_string(fresh) + " fresh signal(s) from " + service +
                         " since the action are still errors (last: " + last_error.substr(0, 200) + ")";
    }
    return verdict;
}

}  // namespace sre
