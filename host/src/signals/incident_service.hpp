// Seed 002's incident queue: signals arrive (logs, Slack, GitHub, manual
// issues), are stored and indexed for retrieval, and are grouped into
// incidents by fingerprint; a new or reopened incident gets a durable run of
// the SRE agent on the run engine, with the incident's id as the run's
// thread so one run works an incident at a time. The integrations an
// operator configures (repositories, log sources, Slack channels) live here
// too. Nothing here knows HTTP.
#pragma once

#include "runs/run_service.hpp"
#include "signals/signal_settings.hpp"
#include "store/log_cursor_repository.hpp"
#include "store/store.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace agenthost::signals {

// One signal as the API read it, before grouping.
struct IncomingSignal {
    std::string kind;  // "log", "slack", "github", "manual"
    std::string service;
    std::string repository;
    std::string severity;  // normalised; "" reads as info
    std::string message;
    std::string payload_json = "{}";
    long long received_at_ms = 0;  // 0: now
    // Only signals that can open incidents are fingerprinted (errors from
    // logs, Slack escalations); the rest are evidence.
    bool may_open_incident = false;
};

struct IngestResult {
    std::vector<store::IngestOutcome> outcomes;
    std::vector<std::string> created;  // incidents opened by this batch
};

struct IncidentDetail {
    store::IncidentRecord incident;
    std::vector<store::SignalRecord> signals;
    std::vector<store::IncidentAction> actions;
    std::vector<store::RunRecord> runs;
};

class IncidentService {
  public:
    IncidentService(store::Store& store, runs::RunService& runs, SignalSettings settings)
        : store_(store), runs_(runs), settings_(std::move(settings)), cursors_(store.dialect()) {}
    ~IncidentService() { alive_->store(false); }
    IncidentService(const IncidentService&) = delete;
    IncidentService& operator=(const IncidentService&) = delete;

    const SignalSettings& settings() const { return settings_; }

    // Stores the signals in one commit; `done` runs after it with the
    // outcome or the error. New incidents are handed to the agent.
    // `in_same_commit` (a pulled source's cursor moving on) runs in that
    // transaction after the signals; if it throws nothing is stored.
    void ingest(const std::string& tenant, std::vector<IncomingSignal> signals,
                std::function<void(const IngestResult&, const std::string& error)> done,
                std::function<void(soci::session&)> in_same_commit = nullptr);
    // A manual issue: always a new incident.
    void open_issue(const std::string& tenant, const std::string& title, IncomingSignal signal,
                    std::function<void(const store::IncidentRecord&, const std::string& error)> done);

    // done(created, error): created false when the tenant has one with this key.
    void add_integration(store::SreIntegration item, std::function<void(bool created, const std::string& error)> done);
    std::vector<store::SreIntegration> integrations(const std::string& kind, const std::string* tenant);
    std::optional<store::SreIntegration> integration(const std::string& kind, const std::string& id);
    void remove_integration(const std::string& kind, const std::string& id,
                            std::function<void(bool removed, const std::string& error)> done);
    // Where a pulled log source stands (last pull, error, lines read);
    // nullopt before its first pull.
    std::optional<store::LogCursor> log_source_status(const std::string& source_id);
    const store::LogCursorRepository& log_cursors() const { return cursors_; }
    store::Store& store() { return store_; }
    // The repository a Slack channel is mapped to ("" when none).
    std::string repository_of_channel(const std::string& tenant, const std::string& channel);

    // Queues a run for every open incident no run works on: none was ever
    // queued (a host stopped between storing an incident and queueing its
    // run), or its runs all ended without resolving it; the number queued.
    // Called at start; a second host doing the same is refused by the
    // thread's reject strategy.
    size_t hand_over_unworked();

    store::IncidentPage incidents(const store::IncidentFilter& filter);
    std::optional<IncidentDetail> detail(const std::string& id);
    std::optional<store::IncidentRecord> find(const std::string& id);
    // done(changed, error): changed false when it already had that status.
    // Reopening hands the incident to the agent again.
    void set_status(const std::string& id, const std::string& status, const std::string& note,
                    const std::string& actor, std::function<void(bool changed, const std::string& error)> done);

    // The evidence the agent gets for an incident: its signals, signals of
    // the tenant since the last run action (fresh ones, for evaluation), and
    // full-text retrieval over everything ingested. A JSON object.
    std::string evidence_json(const std::string& incident_id);
    std::vector<store::SignalRecord> search(const std::string& tenant, const std::string& query, size_t limit);

  private:
    // New signals joined open incidents: those whose runs all ended without
    // resolving them, the last at least signals.rework_after_seconds ago,
    // are handed to the agent again ("loop until resolution").
    void rework_joined(const IngestResult& result);
    // Queues the agent's run for the incident (a no-op without an agent).
    void hand_to_agent(const store::IncidentRecord& incident, bool reopened);
    // Follows the run to its end: its actions are recorded on the incident
    // and a resolved result resolves it.
    void follow(const std::string& incident_id, const std::string& run_id);
    // `wait`: on a request thread, wait for the commit; never on the commit
    // notifier, which would wait for itself.
    void record_outcome(const std::string& incident_id, const store::RunRecord& run, bool wait);

    store::Store& store_;
    runs::RunService& runs_;
    SignalSettings settings_;
    store::LogCursorRepository cursors_;
    // Followers sleeping between looks stop once the service is gone.
    std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
};

}  // namespace agenthost::signals
