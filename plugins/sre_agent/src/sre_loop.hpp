// The SRE agent's decisions, free of SDK glue: what an incident's signals
// say (observe), which cause and action the evidence points to (reason,
// with incidentkit's Drain clustering and cause ranking), which action is
// next (act: only allowed ones, never one already done), and whether fresh
// signals after the action show recovery (evaluate).
#ifndef SRE_AGENT_SRE_LOOP_HPP
#define SRE_AGENT_SRE_LOOP_HPP

#include <incident.hpp>
#include <rapidjson/document.h>

#include <set>
#include <string>
#include <vector>

namespace sre {

// A commit a GitHub signal carried (push payloads: sha, message, files).
struct CommitView {
    std::string sha;
    std::string message;
    std::vector<std::string> files;  // added, removed and modified
};

struct SignalView {
    std::string id;
    std::string kind;
    std::string service;
    std::string severity;
    std::string message;
    long long received_at_ms = 0;
    double score = 0;
    std::string repository;            // the watched repository's name, when known
    std::string repository_full_name;  // GitHub signals: owner/name
    std::vector<CommitView> commits;   // GitHub signals
    std::string incident_id;           // the incident it opened or joined ("" for none)

    // Errors and worse point at a cause; warnings and deploys only hint.
    bool is_error() const { return severity == "error" || severity == "critical"; }
};

// What the host handed the run: the incident and its signals (input.observed
// on each iteration, else the context it was queued with).
struct Observation {
    std::string incident_id;
    std::string title;
    std::string service;
    std::string repository;      // the watched repository's name (POST /api/repos)
    std::string repository_url;  // its url there, when it has one
    std::string default_branch;
    long long first_seen_ms = 0;
    std::vector<SignalView> signals;  // the incident's own
    std::vector<SignalView> recent;   // the tenant's since the incident began
    std::vector<SignalView> evidence; // retrieved by relevance, best first
    long long now_ms = 0;
};

Observation read_observation(const rapidjson::Value& observed);

// The Deployments an action of this incident may touch: its service when it
// names one, else the services its own signals came from. Never a service
// seen only in retrieved evidence or in another incident's signals: that
// service has (or had) an incident of its own, and restarting it here would
// act on something no one asked to fix.
std::set<std::string> action_targets(const Observation& observation);

// Whether a signal belongs to another incident than the observed one (it
// is that incident's work: shown as context, never a cause here).
bool of_another_incident(const Observation& observation, const SignalView& signal);

// The incident's signals as incidentkit input (log lines and, from deploy
// messages and GitHub pushes, changes), analysed.
incident::Input analysis_input(const Observation& observation);

// An operator's runbook step: a command the agent may run (after approval)
// when a hypothesis mentions one of its phrases. {service} and {namespace}
// in argv are replaced; the binary must be allowed in the agent's exec.allow.
struct Runbook {
    std::string name;
    std::string description;
    std::vector<std::string> match;  // lower-case phrases
    std::vector<std::string> argv;
};

struct Settings {
    std::vector<std::string> kubectl = {"kubectl"};
    std::string ns = "default";
    // "runbook" allows every configured runbook step.
    std::set<std::string> allowed_actions = {"rollout_undo", "restart", "runbook", "open_pull_request"};
    std::vector<Runbook> runbooks;
    double settle_seconds = 20;
    double exec_timeout_seconds = 120;
    // Pull requests (open_pull_request): without a token none is proposed.
    std::string github_token;
    std::string github_api_base_url = "https://api.github.com";
    size_t github_max_files = 20;
    size_t github_max_file_bytes = 512 * 1024;
    // "{incident_id}" is replaced; the pull request's body links back here.
    std::string incident_link;
};

Settings settings_from(const rapidjson::Value& config);

// One action the loop takes: what and the command, if any.
struct Plan {
    std::string action;  // "rollout_undo", "restart", "runbook:<name>", "" (nothing allowed fits)
    std::string service;
    std::string reason;
    std::vector<std::string> argv;
    // open_pull_request: the suspect commit and where it lives.
    std::string commit;
    std::string commit_message;
    std::string owner;
    std::string repo;
    // An LLM's patch instead of a revert (validated; empty: revert).
    std::string patch_title;
    std::vector<std::pair<std::string, std::string>> patch_files;  // path, new content
};

// The next action for the best hypothesis whose action is allowed, not
// done yet and on one of `targets` (action_targets); action "" with the
// reason when there is none.
Plan plan_action(const incident::Analysis& analysis, const Settings& settings, const std::set<std::string>& targets,
                 const std::set<std::string>& done);

struct Verdict {
    bool resolved = false;
    bool waiting = false;  // no fresh signal of the service yet
    std::string reason;
};

// After an action at `acted_at_ms`: resolved when the service sent signals
// since then and none of them is an error.
Verdict evaluate(const Observation& observation, const std::string& service, long long acted_at_ms);

std::string joined(const std::vector<std::string>& argv);

// A Kubernetes object name (RFC 1123 label): what kubectl can act on.
bool is_deployment_name(const std::string& name);
// The kubectl command for an action on a service's Deployment.
std::vector<std::string> command_for(const std::string& action, const std::string& service, const Settings& settings);

// What the LLM is asked (the incident, the rules' hypotheses, the signals)
// and how its answer {"root_cause", "action", "service"} becomes a plan:
// only an allowed action not done yet, on a deployment name; throws
// std::runtime_error naming what is wrong otherwise.
// `pull_request`: the open_pull_request plan the evidence allows (a revert
// of the suspect commit), offered to the model, which may take it as is or
// with a "patch" of its own (validated, see apply_llm_patch); null when no
// pull request can be opened, and then the model may not pick one.
std::string llm_question(const Observation& observation, const incident::Analysis& analysis, const Settings& settings,
                         const Plan* pull_request = nullptr);
// `targets`: the services the model may act on (action_targets).
Plan plan_from_llm(const rapidjson::Value& answer, const Settings& settings, const std::set<std::string>& done,
                   const std::set<std::string>& targets, std::string& root_cause, const Plan* pull_request = nullptr);

}  // namespace sre

#endif  // SRE_AGENT_SRE_LOOP_HPP
