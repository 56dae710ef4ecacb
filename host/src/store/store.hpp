// The store: one writer (CommitQueue, group commit) and a small pool of
// read sessions over the same database, plus the repositories that hold
// the SQL. Opening it applies the migrations.
#pragma once

#include "store/api_key_repository.hpp"
#include "store/commit_queue.hpp"
#include "store/database.hpp"
#include "store/idempotency_repository.hpp"
#include "store/incident_repository.hpp"
#include "store/pipeline_repository.hpp"
#include "store/run_repository.hpp"
#include "store/store_item_repository.hpp"
#include "store/webhook_repository.hpp"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace agenthost::store {

class Store {
  public:
    // Connects, migrates and starts the writer. Throws StoreUnavailable with
    // a message naming the database when it cannot.
    static std::unique_ptr<Store> open(const DatabaseSettings& settings);
    ~Store();

    Dialect dialect() const { return settings_.dialect; }
    const DatabaseSettings& settings() const { return settings_; }
    CommitQueue& writes() { return *writes_; }
    const RunRepository& runs() const { return runs_; }
    const PipelineRepository& pipelines() const { return pipelines_; }
    const WebhookRepository& webhooks() const { return webhooks_; }
    const IdempotencyRepository& idempotency() const { return idempotency_; }
    const ApiKeyRepository& api_keys() const { return api_keys_; }
    const UsageRepository& usage() const { return runs_.usage(); }
    const ThreadRepository& threads() const { return runs_.threads(); }
    // The long-term store's items (/store/items, plugins' store calls).
    const StoreItemRepository& store_items() const { return store_items_; }
    const IncidentRepository& incidents() const { return incidents_; }
    // False while the database is unreachable.
    bool healthy() const { return writes_->healthy(); }
    // Why writes fail while the database answers ("" when they do not).
    std::string write_problem() const { return writes_->write_problem(); }

    // Runs `read` on a pooled session. After a failure the session is
    // replaced and the read tried once more; throws StoreUnavailable if that
    // fails too.
    template <typename Read>
    auto read(Read&& read) -> decltype(read(std::declval<soci::session&>())) {
        for (int attempt = 0;; ++attempt) {
            Lease lease(*this);
            try {
                return read(*lease.session);
            } catch (const std::exception& e) {
                // A pooled connection the server dropped still looks connected
                // until used: whatever failed, the next try gets a fresh one.
                lease.discard();
                if (attempt == 1) throw StoreUnavailable(describe_error(e));
            }
        }
    }

    void stop();

  private:
    explicit Store(DatabaseSettings settings);

    // A session borrowed from the pool for one read.
    struct Lease {
        explicit Lease(Store& store);
        ~Lease();
        // Drops this session and every idle one: after an outage the whole
        // pool is dead, and a retry on another pooled session would fail
        // the same way.
        void discard();
        Store& store;
        std::unique_ptr<soci::session> session;
    };

    DatabaseSettings settings_;
    RunRepository runs_;
    PipelineRepository pipelines_;
    WebhookRepository webhooks_;
    IdempotencyRepository idempotency_;
    ApiKeyRepository api_keys_;
    StoreItemRepository store_items_;
    IncidentRepository incidents_;
    std::unique_ptr<CommitQueue> writes_;
    std::mutex pool_mutex_;
    std::condition_variable pool_available_;
    std::vector<std::unique_ptr<soci::session>> idle_;
    size_t open_sessions_ = 0;
};

}  // namespace agenthost::store
