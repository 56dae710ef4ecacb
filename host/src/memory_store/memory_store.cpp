#include "memory_store/memory_store.hpp"

#include "util/time_format.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <memory>
#include <set>

namespace agenthost::memory_store {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer& out, const std::string& text) {
    out.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_labels(Writer& out, const std::vector<std::string>& labels) {
    out.StartArray();
    for (const std::string& label : labels) write_string(out, label);
    out.EndArray();
}

void write_item(Writer& out, const store::StoreItemRecord& item) {
    out.StartObject();
    out.Key("namespace");
    write_labels(out, split_namespace(item.namespace_path));
    out.Key("key");
    write_string(out, item.key);
    out.Key("value");
    out.RawValue(item.value_json.data(), item.value_json.size(), rapidjson::kObjectType);
    out.Key("created_at");
    write_string(out, iso8601_ms(item.created_at_ms));
    out.Key("updated_at");
    write_string(out, iso8601_ms(item.updated_at_ms));
    if (item.expires_at_ms) {
        out.Key("expires_at");
        write_string(out, iso8601_ms(*item.expires_at_ms));
    }
    if (item.score) {
        out.Key("score");
        out.Double(*item.score);
    }
    out.EndObject();
}

// Ends `labels` with `suffix`.
bool ends_with(const std::vector<std::string>& labels, const std::vector<std::string>& suffix) {
    if (suffix.size() > labels.size()) return false;
    return std::equal(suffix.begin(), suffix.end(), labels.end() - static_cast<std::ptrdiff_t>(suffix.size()));
}

}  // namespace

std::vector<std::string> split_namespace(const std::string& joined) {
    std::vector<std::string> labels;
    size_t start = 0;
    for (;;) {
        size_t dot = joined.find('.', start);
        labels.push_back(joined.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) return labels;
        start = dot + 1;
    }
}

void MemoryStore::put(const std::string& tenant, const PutRequest& request,
                      std::function<void(const std::string& error)> done) {
    store::StoreItemWrite write{tenant, request.item.ns.joined, request.item.key, request.value_json,
                                request.search_text, request.ttl_ms, 0};
    const store::StoreItemRepository& items = store_.store_items();
    store_.writes().submit(
        [&items, write](soci::session& session) mutable {
            // The clock is read in the transaction, so an expiry counts
            // from the commit rather than from the request's arrival.
            write.now_ms = store::now_ms();
            items.put(session, write);
        },
        std::move(done));
}

void MemoryStore::remove(const std::string& tenant, const ItemRef& item,
                         std::function<void(bool removed, const std::string& error)> done) {
    const store::StoreItemRepository& items = store_.store_items();
    auto removed = std::make_shared<bool>(false);
    store_.writes().submit(
        [&items, removed, tenant, item](soci::session& session) {
            *removed = items.remove(session, tenant, item.ns.joined, item.key);
        },
        [removed, done = std::move(done)](const std::string& error) { done(*removed, error); });
}

void MemoryStore::put_now(const std::string& tenant, const PutRequest& request) {
    store::StoreItemWrite write{tenant, request.item.ns.joined, request.item.key, request.value_json,
                                request.search_text, request.ttl_ms, 0};
    const store::StoreItemRepository& items = store_.store_items();
    store_.writes().run([&items, write](soci::session& session) mutable {
        write.now_ms = store::now_ms();
        items.put(session, write);
    });
}

bool MemoryStore::remove_now(const std::string& tenant, const ItemRef& item) {
    const store::StoreItemRepository& items = store_.store_items();
    bool removed = false;
    store_.writes().run([&](soci::session& session) { removed = items.remove(session, tenant, item.ns.joined, item.key); });
    return removed;
}

std::optional<store::StoreItemRecord> MemoryStore::get(const std::string& tenant, const ItemRef& item) {
    const store::StoreItemRepository& items = store_.store_items();
    long long now = store::now_ms();
    return store_.read([&](soci::session& session) { return items.get(session, tenant, item.ns.joined, item.key, now); });
}

std::vector<store::StoreItemRecord> MemoryStore::search(const std::string& tenant, const SearchRequest& request) {
    const store::StoreItemRepository& items = store_.store_items();
    store::StoreItemScan scan;
    scan.tenant = tenant;
    scan.prefix = request.prefix.joined;
    scan.words = request.words;
    scan.now_ms = store::now_ms();
    // A query with no word in it matches nothing (it asked for words).
    if (request.has_query && request.words.empty()) return {};
    if (request.filter.empty()) {
        scan.limit = request.limit;
        scan.offset = request.offset;
        return store_.read([&](soci::session& session) { return items.scan(session, scan); });
    }
    std::vector<store::StoreItemRecord> page;
    size_t matched = 0, scanned = 0;
    scan.limit = 200;
    for (;;) {
        auto batch = store_.read([&](soci::session& session) { return items.scan(session, scan); });
        for (auto& item : batch) {
            ++scanned;
            rapidjson::Document value;
            value.Parse(item.value_json.data(), item.value_json.size());
            if (value.HasParseError() || !matches_filter(value, request.filter)) continue;
            if (matched++ < request.offset) continue;
            page.push_back(std::move(item));
            if (page.size() == request.limit) return page;
        }
        if (batch.size() < scan.limit || scanned >= kScanBudget) return page;
        scan.offset += batch.size();
    }
}

std::vector<std::vector<std::string>> MemoryStore::namespaces(const std::string& tenant,
                                                              const NamespacesRequest& request) {
    const store::StoreItemRepository& items = store_.store_items();
    long long now = store::now_ms();
    std::vector<std::vector<std::string>> answer;
    std::set<std::vector<std::string>> seen;
    size_t matched = 0, scanned = 0;
    const size_t batch_size = 1000;
    for (size_t offset = 0;; offset += batch_size) {
        auto batch = store_.read([&](soci::session& session) {
            return items.namespaces(session, tenant, request.prefix.joined, now, batch_size, offset);
        });
        for (const std::string& joined : batch) {
            ++scanned;
            std::vector<std::string> labels = split_namespace(joined);
            if (!ends_with(labels, request.suffix)) continue;
            if (request.max_depth > 0 && labels.size() > request.max_depth) labels.resize(request.max_depth);
            if (!seen.insert(labels).second) continue;
            if (matched++ < request.offset) continue;
            answer.push_back(std::move(labels));
            if (answer.size() == request.limit) return answer;
        }
        if (batch.size() < batch_size || scanned >= kNamespaceScanBudget) return answer;
    }
}

namespace {

// The write a refresh makes, and the expiries it gives the items.
std::function<void(soci::session&)> refresh_write(const store::StoreItemRepository& repository, const std::string& tenant,
                                                  std::shared_ptr<std::vector<store::StoreItemRecord>> items) {
    return [&repository, tenant, items](soci::session& session) {
        long long now = store::now_ms();
        for (auto& item : *items) {
            if (!item.ttl_ms) continue;
            repository.refresh(session, tenant, item.namespace_path, item.key, now);
            item.expires_at_ms = now + *item.ttl_ms;
        }
    };
}

bool any_ttl(const std::vector<store::StoreItemRecord>& items) {
    for (const auto& item : items)
        if (item.ttl_ms) return true;
    return false;
}

}  // namespace

void MemoryStore::refresh(const std::string& tenant, std::vector<store::StoreItemRecord> items, Refreshed done) {
    if (!any_ttl(items)) {
        done(items, "");
        return;
    }
    auto shared = std::make_shared<std::vector<store::StoreItemRecord>>(std::move(items));
    store_.writes().submit(refresh_write(store_.store_items(), tenant, shared),
                           [shared, done = std::move(done)](const std::string& error) { done(*shared, error); });
}

void MemoryStore::refresh_now(const std::string& tenant, std::vector<store::StoreItemRecord>& items) {
    if (!any_ttl(items)) return;
    auto shared = std::make_shared<std::vector<store::StoreItemRecord>>(std::move(items));
    try {
        store_.writes().run(refresh_write(store_.store_items(), tenant, shared));
    } catch (...) {
        items = std::move(*shared);
        throw;
    }
    items = std::move(*shared);
}

long long MemoryStore::sweep_expired(long long limit) {
    const store::StoreItemRepository& items = store_.store_items();
    long long swept = 0;
    store_.writes().run([&](soci::session& session) { swept = items.sweep(session, store::now_ms(), limit); });
    return swept;
}

std::string item_json(const store::StoreItemRecord& item) {
    rapidjson::StringBuffer buffer;
    Writer out(buffer);
    write_item(out, item);
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string items_json(const std::vector<store::StoreItemRecord>& items) {
    rapidjson::StringBuffer buffer;
    Writer out(buffer);
    out.StartObject();
    out.Key("items");
    out.StartArray();
    for (const auto& item : items) write_item(out, item);
    out.EndArray();
    out.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string namespaces_json(const std::vector<std::vector<std::string>>& namespaces) {
    rapidjson::StringBuffer buffer;
    Writer out(buffer);
    out.StartObject();
    out.Key("namespaces");
    out.StartArray();
    for (const auto& labels : namespaces) write_labels(out, labels);
    out.EndArray();
    out.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace agenthost::memory_store
