// The SQL of the long-term store (/store/items, and plugins' store calls):
// JSON items by tenant, namespace and key, with an optional expiry and a
// full-text index over the strings in each value (FTS5's BM25 on SQLite,
// ts_rank_cd over a generated tsvector on PostgreSQL; migration 11).
//
// A namespace reaches this layer as its labels joined with '.', which no
// label may contain (memory_store checks), so "a.b" is a prefix of "a.b.c"
// and of nothing else with the same first characters: a prefix query is the
// text itself plus the range ["a.b.", "a.b/"), which an index can serve.
//
// Every read leaves out items whose expiry has passed: they are gone for
// callers the moment they expire, and sweep() deletes them later.
#pragma once

#include "store/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace agenthost::store {

struct StoreItemRecord {
    std::string namespace_path;  // labels joined with '.'
    std::string key;
    std::string value_json;
    long long created_at_ms = 0;
    long long updated_at_ms = 0;
    std::optional<long long> expires_at_ms;
    std::optional<long long> ttl_ms;  // what a refresh extends it by
    // Full-text relevance when the search had words (higher is better).
    std::optional<double> score;
};

struct StoreItemWrite {
    std::string tenant;
    std::string namespace_path;
    std::string key;
    std::string value_json;
    std::string search_text;  // what the full-text index reads
    std::optional<long long> ttl_ms;
    long long now_ms = 0;
};

struct StoreItemScan {
    std::string tenant;
    std::string prefix;  // joined; "" for every namespace
    // Words to rank by (letters and digits only); none: newest first.
    std::vector<std::string> words;
    size_t limit = 10;
    size_t offset = 0;
    long long now_ms = 0;
};

class StoreItemRepository {
  public:
    explicit StoreItemRepository(Dialect dialect) : dialect_(dialect) {}

    // Inserts or replaces the item (created_at_ms kept on replace). A put
    // without ttl_ms stores an item that never expires.
    void put(soci::session& session, const StoreItemWrite& item) const;
    std::optional<StoreItemRecord> get(soci::session& session, const std::string& tenant,
                                       const std::string& namespace_path, const std::string& key,
                                       long long now_ms) const;
    // False when there was no such item.
    bool remove(soci::session& session, const std::string& tenant, const std::string& namespace_path,
                const std::string& key) const;
    // One page of items under the prefix: the best matches for `words`
    // first, or the most recently updated first without words.
    std::vector<StoreItemRecord> scan(soci::session& session, const StoreItemScan& scan) const;
    // The distinct namespaces under `prefix` that hold a live item, in
    // order, from `offset`, at most `limit`.
    std::vector<std::string> namespaces(soci::session& session, const std::string& tenant, const std::string& prefix,
                                        long long now_ms, size_t limit, size_t offset) const;
    // Restarts the ttl of the item (if it has one and is alive) from
    // `now_ms`, as LangGraph's refresh_ttl on reads does.
    void refresh(soci::session& session, const std::string& tenant, const std::string& namespace_path,
                 const std::string& key, long long now_ms) const;
    // Deletes up to `limit` items that expired by `now_ms`; how many it did.
    long long sweep(soci::session& session, long long now_ms, long long limit) const;

  private:
    Dialect dialect_;
};

}  // namespace agenthost::store
