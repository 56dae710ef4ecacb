// The runs accepted in one commit, written together: one multi-row INSERT
// for their threads and one for the runs (per kRows runs) instead of two
// statements per run, each prepared once per row count and session. The
// rows are bound by reference to the slots below, so a flush copies each
// run once and SQLite/PostgreSQL parse and plan each shape once.
#pragma once

#include "store/records.hpp"

#include <soci/soci.h>

#include <array>
#include <memory>
#include <vector>

namespace agenthost::store {

class RunInsertBatch {
  public:
    static constexpr size_t kRows = 32;

    explicit RunInsertBatch(soci::session& session) : session_(session) {}
    RunInsertBatch(const RunInsertBatch&) = delete;
    RunInsertBatch& operator=(const RunInsertBatch&) = delete;

    // `run` as it is to be stored (its webhook secret already sealed).
    void add(RunRecord run) { pending_.push_back(std::move(run)); }
    bool empty() const { return pending_.empty(); }
    // Writes the threads and runs added since the last flush, then forgets
    // them (also when the database refuses them: the transaction is then
    // rolled back and its writes tried again one by one).
    void flush();
    void discard() { pending_.clear(); }

  private:
    // One run's parameters, with the indicators that store empty optional
    // fields as NULL.
    struct Slot {
        RunRecord run;
        soci::indicator pipeline = soci::i_null, step = soci::i_null, webhook = soci::i_null,
                        secret = soci::i_null, routing = soci::i_null, options = soci::i_null,
                        approval = soci::i_null, approval_state = soci::i_null, approval_expiry = soci::i_null,
                        step_key = soci::i_null, iteration = soci::i_null, lease_owner = soci::i_null,
                        lease = soci::i_null, started = soci::i_null, trace = soci::i_null;
        void set(RunRecord&& from);
    };
    struct ThreadSlot {
        std::string id;
        long long created_at_ms = 0;
        long long updated_at_ms = 0;
    };
    soci::statement& runs_statement(size_t rows);
    soci::statement& threads_statement(size_t rows);

    soci::session& session_;
    std::vector<RunRecord> pending_;
    std::array<Slot, kRows> slots_;
    std::array<ThreadSlot, kRows> threads_;
    std::array<std::unique_ptr<soci::statement>, kRows + 1> insert_runs_, upsert_threads_;
};

}  // namespace agenthost::store
