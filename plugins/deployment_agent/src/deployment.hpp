// The deployment agent's model, free of SDK types: what was asked (Request),
// the operator's settings (Config), and the plan of commands that carries a
// release through its environments (Plan). Built by request.cpp and
// plan.cpp, carried out by execute.cpp.
#pragma once

#include <rapidjson/document.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace deploy {

// Bad input: the plugin answers it with 422 (the message names the field).
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Where a Harness pipeline deploys (tool "harness"): the pipeline is run
// through Harness's REST API with the release's values as runtime inputs.
struct HarnessConfig {
    std::string base_url = "https://app.harness.io";
    std::string account_id, org_id, project_id, pipeline_id;
    std::string api_key;  // sent as x-api-key; never logged nor returned
    // The runtime input YAML; {{service}}, {{image}}, {{tag}},
    // {{environment}}, {{namespace}} and {{strategy}} are replaced by the
    // release's values (YAML-quoted). Empty: pipeline variables of those names.
    std::string runtime_inputs;
    int poll_interval_ms = 10000;
};

struct Config {
    std::string tool = "kubectl";  // the default when a request names none
    std::string kubectl = "kubectl";
    std::string helm = "helm";
    std::vector<std::string> kubectl_args;  // before every kubectl subcommand
    std::vector<std::string> helm_args;     // before every helm subcommand
    int rollout_timeout_seconds = 300;
    // Environments whose names are these are production: every step there
    // that changes something waits for a person's approval.
    std::vector<std::string> production_environments = {"prod", "production", "prd", "live"};
    int max_records = 50;  // deployment records kept per thread
    bool has_harness = false;
    HarnessConfig harness;
};

// Reads the agent config (manifest config_schema); throws InputError.
Config config_from_json(const rapidjson::Value& config);

struct Environment {
    std::string name;
    std::string namespace_;
    std::string kube_context;  // empty: the tool's current context
    bool production = false;
    bool approval = false;  // changes here wait for approval (production, or a gate asked for it)
};

struct Request {
    std::string mode = "plan";  // plan, deploy, history
    std::string service;
    std::string image;
    std::string strategy = "rolling";  // rolling, canary, blue-green
    std::string tool;                  // kubectl, helm, harness
    std::string container;             // kubectl: the container whose image changes
    std::string chart;                 // helm: the chart to upgrade the release with
    std::string release;               // helm: the release name
    std::vector<Environment> environments;
    int rollout_timeout_seconds = 300;
    bool dry_run = false;
    std::vector<std::string> warnings;
};

// Reads the request's context (and what the task text says); throws
// InputError naming the field.
Request request_from(const rapidjson::Value& context, std::string_view task, const Config& config);

// A command that undoes a change, run only when its condition on a fact
// holds (`fact` empty: always).
struct Undo {
    std::vector<std::string> argv;
    std::string fact;
    bool when_fact_empty = false;  // run when the fact is empty, else when it is set
};

// One step of the plan. argv may hold ${fact} references filled from the
// output of earlier read steps of the same run. An argv whose first word is
// kHarnessCall is a call of the Harness API, not a program (see
// harness_api.hpp); the name cannot be a binary's (binary names have no '@').
inline constexpr const char* kHarnessCall = "@harness";

struct Step {
    std::string id;           // "<environment>.<n>", stable for a given request
    std::string environment;  // the environment's name
    std::string action;       // read, change, watch
    std::string description;
    std::vector<std::string> argv;
    std::string fact;           // read (and change): the fact its trimmed stdout sets
    bool missing_ok = false;    // read: a failure means "absent" (fact empty), not an error
    std::string approval;       // non-empty: the operation a person approves before this step
    std::string approval_reason;
    std::vector<Undo> undo;         // change: how to put back what it changed
    bool changes_on_failure = false;  // change: a failed run may still have changed something
    double timeout_seconds = 60;
};

struct EnvironmentPlan {
    Environment environment;
    std::vector<std::string> health_checks;  // what must hold before the next environment
    std::vector<std::string> gates;          // what must happen before changes start here
    std::vector<Step> steps;
};

struct Plan {
    std::string binary;  // kubectl or helm, as the operator named it; "harness" for the API
    std::vector<EnvironmentPlan> environments;
};

Plan plan_for(const Request& request, const Config& config);

// The plan as JSON, for the result and the plan artifact.
rapidjson::Value plan_json(const Request& request, const Plan& plan, rapidjson::Document::AllocatorType& allocator);

// ${name} references in `text` replaced by facts[name] (unknown: left as is).
std::string with_facts(const std::string& text, const rapidjson::Value& facts);

// The command as one shell-quoted line, for people to read.
std::string command_line(const std::vector<std::string>& argv);

}  // namespace deploy
