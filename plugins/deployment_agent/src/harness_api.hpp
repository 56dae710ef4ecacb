// The part of Harness's REST API a deployment uses: run a pipeline with
// runtime inputs, read an execution's status, abort it. Calls go through the
// host's HTTP service (the "http" permission; the operator lists the Harness
// host in agents.deployment_agent.http.allowed_hosts only if it is private).
#pragma once

#include <agenthost/agent.hpp>

#include <string>

#include "deployment.hpp"

namespace deploy {

// What one environment's release puts into the pipeline's runtime inputs.
struct HarnessRelease {
    std::string service, image, strategy, environment, namespace_;
};

class HarnessApi {
  public:
    HarnessApi(const agenthost::Run& run, const HarnessConfig& config) : run_(run), config_(config) {}

    // Starts the pipeline; the execution's id. Throws HarnessError.
    std::string execute(const HarnessRelease& release) const;
    // The execution's status as Harness names it (Running, Success, ...).
    std::string status(const std::string& execution_id) const;
    // Asks Harness to abort the execution (AbortAll); false when Harness
    // refused (for example because it had already ended).
    bool abort(const std::string& execution_id) const;

    // The runtime input YAML for `release` (what execute sends).
    std::string runtime_inputs(const HarnessRelease& release) const;
    // "<base>/pipeline/api/..." of an execution, for people to read.
    std::string execution_url(const std::string& execution_id) const;

  private:
    struct Answer {
        int status = 0;
        rapidjson::Document body;
        std::string raw;
    };
    Answer call(const std::string& method, const std::string& path, const std::string& content_type,
                const std::string& body) const;
    std::string scope_query() const;

    const agenthost::Run& run_;
    const HarnessConfig& config_;
};

// Harness answered with an error, or not at all.
struct HarnessError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Execution statuses: the run is over and went well; over and did not.
bool harness_succeeded(const std::string& status);
bool harness_failed(const std::string& status);

}  // namespace deploy
