// The SQL for seed 002's SRE surface: integrations, signals with their
// full-text index (SQLite FTS5 ranked by BM25; PostgreSQL tsvector ranked
// by ts_rank), incidents and the actions taken on them.
#pragma once

#include "store/database.hpp"
#include "store/sre_records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace agenthost::store {

// What grouping one signal did.
struct IngestOutcome {
    std::string signal_id;
    std::string incident_id;  // "" when the signal makes no incident
    bool created = false;     // a new incident was opened by it
    bool stored = false;      // the signal row was kept (false past the sample cap)
    long long signal_count = 0;
};

class IncidentRepository {
  public:
    explicit IncidentRepository(Dialect dialect) : dialect_(dialect) {}

    // False when the tenant already has one of this kind with this key.
    bool insert_integration(soci::session& session, const SreIntegration& item) const;
    std::vector<SreIntegration> integrations(soci::session& session, const std::string& kind,
                                             const std::string* tenant) const;
    std::optional<SreIntegration> find_integration(soci::session& session, const std::string& kind,
                                                   const std::string& id) const;
    bool remove_integration(soci::session& session, const std::string& kind, const std::string& id) const;

    // Stores `signal` and, when it has a fingerprint, groups it: it joins the
    // tenant's open incident with that fingerprint last seen within
    // `window_ms`, or opens a new one titled `title`. Past `sample_cap`
    // signals an incident only counts further duplicates (a storm of ten
    // thousand keeps a sample, not ten thousand rows).
    IngestOutcome ingest(soci::session& session, SignalRecord signal, const std::string& title, long long window_ms,
                         long long sample_cap) const;
    // A signal attached to no incident or to a given one (manual issues).
    void insert_signal(soci::session& session, const SignalRecord& signal) const;
    void insert_incident(soci::session& session, const IncidentRecord& incident) const;

    std::optional<IncidentRecord> find_incident(soci::session& session, const std::string& id) const;
    // Open incidents no run works on, oldest first: none was ever queued
    // (the host stopped between storing the incident and queueing its
    // run), or every run of theirs ended, the last before `ended_before_ms`,
    // without resolving them (it failed, was cancelled or ran out of
    // iterations). Only `only_id` when it is given.
    std::vector<IncidentRecord> open_unworked(soci::session& session, size_t limit, long long ended_before_ms,
                                              const std::string& only_id = "") const;
    IncidentPage incidents(soci::session& session, const IncidentFilter& filter) const;
    // Newest first.
    std::vector<SignalRecord> signals_of(soci::session& session, const std::string& incident_id, size_t limit) const;
    // Signals of the tenant received at or after `since_ms`, newest first
    // (what an agent evaluating an incident sees as fresh).
    std::vector<SignalRecord> recent_signals(soci::session& session, const std::string& tenant, long long since_ms,
                                             size_t limit) const;
    // Full-text retrieval over the tenant's signals, best first.
    std::vector<SignalRecord> search(soci::session& session, const std::string& tenant, const std::string& query,
                                     size_t limit) const;

    // Moves an incident to `status` ("open" or "resolved"); false when it
    // already is there (or is missing). Reopening counts.
    bool set_status(soci::session& session, const std::string& id, const std::string& status,
                    const std::string& resolution, const std::string& actor, long long now_ms) const;
    void add_action(soci::session& session, IncidentAction action) const;
    std::vector<IncidentAction> actions(soci::session& session, const std::string& incident_id) const;

  private:
    Dialect dialect_;
};

// The words of `text` a full-text query may use: letters and digits only,
// lower-cased, at most 32 of them (so no query syntax reaches the engine).
std::vector<std::string> search_terms(const std::string& text);

}  // namespace agenthost::store
