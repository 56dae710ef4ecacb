// The host config's "signals" section: how seed 002's signals are checked,
// grouped into incidents and handed to the SRE agent.
#pragma once

#include "signals/pull_settings.hpp"

#include <string>

namespace agenthost::signals {

struct SignalSettings {
    // Verifies X-Hub-Signature-256 on POST /api/signals/github (env
    // GITHUB_WEBHOOK_SECRET); empty: unsigned payloads are accepted.
    std::string github_secret;
    // Verifies X-Slack-Signature (v0) on POST /api/signals/slack (env
    // SLACK_SIGNING_SECRET); empty: unsigned messages are accepted.
    std::string slack_signing_secret;
    // Slack's replay window: a timestamp further than this from now is refused.
    long long slack_max_skew_seconds = 300;
    // Signals with the same service and error template within this long of
    // the incident's last signal join it.
    long long window_seconds = 900;
    // Signals kept per incident; past it duplicates are only counted.
    long long sample_signals = 100;
    // The agent a new or reopened incident is handed to ("" : none), and its
    // loop bound (observe, reason, act, evaluate).
    std::string agent = "sre_agent";
    int max_iterations = 6;
    // An open incident whose runs all ended without resolving it (the run
    // failed, was cancelled or ran out of iterations) is handed to the
    // agent again when a new signal joins it, once this long has passed
    // since its last run ended (0: only a restart or a reopen does).
    long long rework_after_seconds = 300;
    // Evidence retrieved into the agent's input.
    size_t evidence_limit = 20;
    // Pulling the registered log sources into the same path as
    // POST /api/signals/logs.
    PullSettings pull;
};

}  // namespace agenthost::signals
