// The long-term store as the host offers it: items that outlive threads,
// one set per tenant, read and written by clients (/store/items) and by
// plugins (callback_run_store). Requests arrive checked (item_request.hpp);
// this applies the tenant, the clock and the filter, and hands the SQL to
// store::StoreItemRepository.
//
// Writes go through the commit queue and answer from its writer thread
// (no HTTP thread waits for a commit); reads use the pooled sessions.
#pragma once

#include "memory_store/item_request.hpp"
#include "store/store.hpp"
#include "store/store_item_repository.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace agenthost::memory_store {

class MemoryStore {
  public:
    // Most rows one search reads to fill a page when it has a filter (the
    // filter is applied here, so both databases agree on what equal JSON
    // values are); past it the page is answered short.
    static constexpr size_t kScanBudget = 5000;
    // Most namespaces a listing reads (max_depth and suffix are applied
    // here, on the namespaces themselves).
    static constexpr size_t kNamespaceScanBudget = 100000;

    explicit MemoryStore(store::Store& store) : store_(store) {}

    // `done` gets "" once committed, else the store's reason.
    void put(const std::string& tenant, const PutRequest& request, std::function<void(const std::string& error)> done);
    // `removed` is false when there was no live item.
    void remove(const std::string& tenant, const ItemRef& item,
                std::function<void(bool removed, const std::string& error)> done);
    // The same two, waiting for the commit; throw store::StoreUnavailable.
    void put_now(const std::string& tenant, const PutRequest& request);
    bool remove_now(const std::string& tenant, const ItemRef& item);

    std::optional<store::StoreItemRecord> get(const std::string& tenant, const ItemRef& item);
    std::vector<store::StoreItemRecord> search(const std::string& tenant, const SearchRequest& request);
    std::vector<std::vector<std::string>> namespaces(const std::string& tenant, const NamespacesRequest& request);

    // refresh_ttl: restarts the ttl of each item that has one from now (in
    // one transaction) and sets its expires_at_ms to match; `done` gets
    // the items after the commit. refresh_now waits for it instead.
    using Refreshed = std::function<void(const std::vector<store::StoreItemRecord>&, const std::string& error)>;
    void refresh(const std::string& tenant, std::vector<store::StoreItemRecord> items, Refreshed done);
    void refresh_now(const std::string& tenant, std::vector<store::StoreItemRecord>& items);

    // Deletes items that expired (at most `limit`); how many. Waits for
    // the commit; throws store::StoreUnavailable.
    long long sweep_expired(long long limit);

  private:
    store::Store& store_;
};

// "a.b" -> {"a", "b"}.
std::vector<std::string> split_namespace(const std::string& joined);

// {"namespace": [...], "key", "value", "created_at", "updated_at"} (plus
// "score" when the search ranked it), as LangGraph's Item and SearchItem.
std::string item_json(const store::StoreItemRecord& item);
// {"items": [...]} and {"namespaces": [[...], ...]}.
std::string items_json(const std::vector<store::StoreItemRecord>& items);
std::string namespaces_json(const std::vector<std::vector<std::string>>& namespaces);

}  // namespace agenthost::memory_store
