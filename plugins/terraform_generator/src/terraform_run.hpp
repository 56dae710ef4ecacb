// `terraform init` / `validate` (and `plan` when asked) on the generated
// module, through the host's exec service, when the operator configured a
// terraform binary; otherwise the result says it was not run.
#pragma once

#include <agenthost/agent.hpp>
#include <devkit/artifacts.hpp>

#include <string>
#include <vector>

namespace terraform {

struct RunSettings {
    std::string binary;  // empty: terraform is not run
    bool network = true;  // init downloads the providers
    bool plan = false;
    int timeout_seconds = 300;
    std::string backend;         // remote state backend type (e.g. s3); empty: none
    std::string backend_config;  // -backend-config file for init (operator's path)
};

struct RunOutcome {
    std::string validate = "not run";  // passed | failed | not run
    std::string plan = "not run";
    std::string reason;  // why not run, or the failing step's output
    std::string output;
};

// Writes `files` under the run's workspace (paths as given) and runs the
// steps in their folder. `tfvars_json` (may be empty) becomes
// terraform.tfvars.json for plan.
RunOutcome run_terraform(agenthost::Run& run, const RunSettings& settings, const std::vector<devkit::Artifact>& files,
                         const std::string& directory, const std::string& tfvars_json);

// Asks the host whether it would run `terraform <action>` as
// change_infrastructure does, running nothing: called before a person is
// asked to approve, so nobody approves what this host can never run. Throws
// agenthost::Error with the host's reason and what the operator must allow.
void check_change(const agenthost::Run& run, const RunSettings& settings, const std::string& directory,
                  const std::string& action);

// apply or destroy (`action`), after a person approved: init with the
// operator's backend, then `terraform <action> -auto-approve`. Throws
// agenthost::Error when terraform is not set up for it.
RunOutcome change_infrastructure(agenthost::Run& run, const RunSettings& settings, const std::vector<devkit::Artifact>& files,
                                 const std::string& directory, const std::string& tfvars_json, const std::string& action);

}  // namespace terraform
