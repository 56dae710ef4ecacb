// Tunables of the run machinery, from the config's "runs" section.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <set>
#include <string>

namespace agenthost::runs {

struct RunSettings {
    std::string host_id;           // lease owner name: unique per process
    int max_attempts = 3;          // executions of one run, counting retries after a host died
    long long lease_ms = 15000;    // a run whose host stops renewing is taken over after this
    long long poll_interval_ms = 200;  // how often queued work from elsewhere is looked for
    size_t claim_batch = 256;      // most runs claimed in one statement
    // Runs claimed ahead, per worker thread: one claim (a commit) feeds
    // many runs. A host that dies gives those back (README, "Runs and the
    // database").
    size_t prefetch_per_worker = 64;
    // The most runs one host holds at once, claimed ahead or taken as they
    // were accepted (workers.queue_limit); below the prefetch, it bounds it.
    size_t max_held_runs = 1024;
    // Events a run emits in its first this many ms (run.started, progress)
    // are written with its outcome, in one commit, rather than each on its
    // own; a longer run's events are written as they come.
    long long event_hold_ms = 50;
    long long invoke_timeout_ms = 300000;  // sync invoke answers 504 after this; the run goes on
    long long retention_ms = 7LL * 24 * 3600 * 1000;  // finished runs older than this are deleted
    long long sweep_interval_ms = 600000;
    // How long an Idempotency-Key answers with what its request created.
    long long idempotency_window_ms = 24LL * 3600 * 1000;
    bool recover_all_running_at_start = false;  // SQLite: this process is the only host
    std::string crash_journal_path;  // where the fatal-signal handler writes; "" when none
    std::string start_log_path;      // runs that reached their plugin (start_log.hpp); "" when none
    // How long one run may execute in its agent before it is cancelled and
    // fails with error_type timeout; 0: no limit. Per agent from config.
    long long agent_timeout_ms = 0;
    std::map<std::string, long long> agent_timeout_overrides_ms;
    long long agent_timeout_for(const std::string& agent) const {
        auto found = agent_timeout_overrides_ms.find(agent);
        return found == agent_timeout_overrides_ms.end() ? agent_timeout_ms : found->second;
    }

    // Orchestration.
    int reflection_retries = 2;            // retries of a result that fails its output schema
    bool llm_critique = false;             // ask the LLM whether a result answers its task
    double approval_timeout_seconds = 0;   // default deadline of a pending approval; 0: none
    int max_loop_iterations = 50;          // bound on a request's loop.max_iterations
    // Every run of these needs approval (besides the registry's records,
    // which carry agents.<name>.require_approval and follow reloads).
    std::set<std::string> approval_required_agents;
    // What a looping run observes afresh at each iteration, by its agent and
    // thread: a JSON object given to the agent as input.observed, or "" for
    // nothing (seed 002: the SRE agent's incident evidence, retrieved again
    // so evaluation sees signals that arrived after its action). Null: none.
    std::function<std::string(const std::string& agent, const std::string& thread_id)> iteration_observation;
};

}  // namespace agenthost::runs
