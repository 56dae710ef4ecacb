#include "store/store.hpp"

#include "store/migrations.hpp"
#include "util/log.hpp"

#include <filesystem>

namespace agenthost::store {

Store::Store(DatabaseSettings settings)
    : settings_(std::move(settings)), runs_(settings_.dialect), pipelines_(), webhooks_(), store_items_(settings_.dialect),
      incidents_(settings_.dialect) {}

std::unique_ptr<Store> Store::open(const DatabaseSettings& settings) {
    std::unique_ptr<Store> store(new Store(settings));
    auto writer = open_session(settings);
    migrate(*writer, settings.dialect);
    const RunRepository& runs = store->runs_;
    // Usage of the runs a batch ended is added to the rollups in its
    // transaction, one upsert per rollup row the batch touched.
    CommitQueue::TransactionHooks hooks;
    hooks.begin = [&runs](soci::session& session) {
        runs.usage().discard(&session);
        runs.discard_queued(session);
    };
    hooks.before_commit = [&runs](soci::session& session) { runs.usage().flush(session); };
    // Accepted runs queued by their writes go in one multi-row INSERT per
    // table, before any write that may read them.
    hooks.flush = [&runs](soci::session& session) { runs.flush_queued(session); };
    store->writes_ = std::make_unique<CommitQueue>(
        settings, std::move(writer), [&runs](const soci::session* session) { runs.forget_session(session); }, 512,
        std::move(hooks));
    log::info("store open", {{"database", settings.display}});
    return store;
}

Store::~Store() {
    stop();
    writes_.reset();
    // Prepared statements die before the sessions they were prepared on.
    runs_.forget_all_sessions();
}

void Store::stop() {
    if (writes_) writes_->stop();
}

Store::Lease::Lease(Store& store) : store(store) {
    std::unique_lock<std::mutex> lock(store.pool_mutex_);
    store.pool_available_.wait(lock, [&] { return !store.idle_.empty() || store.open_sessions_ < store.settings_.pool_size; });
    if (!store.idle_.empty()) {
        session = std::move(store.idle_.back());
        store.idle_.pop_back();
        return;
    }
    ++store.open_sessions_;
    lock.unlock();
    try {
        session = open_session(store.settings_);
    } catch (...) {
        std::lock_guard<std::mutex> relock(store.pool_mutex_);
        --store.open_sessions_;
        store.pool_available_.notify_one();
        throw;
    }
}

void Store::Lease::discard() {
    std::vector<std::unique_ptr<soci::session>> stale;
    {
        std::lock_guard<std::mutex> lock(store.pool_mutex_);
        stale.swap(store.idle_);
        store.open_sessions_ -= stale.size();
        store.pool_available_.notify_all();
    }
    store.runs_.forget_session(session.get());
    session.reset();
    for (auto& idle : stale) store.runs_.forget_session(idle.get());
}

Store::Lease::~Lease() {
    std::lock_guard<std::mutex> lock(store.pool_mutex_);
    if (session) store.idle_.push_back(std::move(session));
    else --store.open_sessions_;
    store.pool_available_.notify_one();
}

}  // namespace agenthost::store
