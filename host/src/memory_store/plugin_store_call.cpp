#include "memory_store/plugin_store_call.hpp"

#include "json/json_util.hpp"

namespace agenthost::memory_store {
namespace {

using Status = plugins::StoreAnswer::Status;

plugins::StoreAnswer answer(std::string response_json) { return {Status::ok, std::move(response_json), ""}; }
plugins::StoreAnswer refusal(Status status, std::string error) { return {status, "", std::move(error)}; }

}  // namespace

plugins::StoreAnswer run_store_call(MemoryStore& store, const std::string& tenant, const std::string& request_json) {
    std::string error;
    auto request = json::parse(request_json, error);
    if (!request) return refusal(Status::bad_argument, "the store request is not JSON: " + error);
    if (!request->IsObject()) return refusal(Status::bad_argument, "the store request must be a JSON object");
    const std::string op = json::get_string(*request, "op");
    try {
        if (op == "put") {
            store.put_now(tenant, read_put(*request));
            return answer("{}");
        }
        if (op == "get") {
            ItemRef item = read_item_ref(*request);
            bool refresh = read_refresh_ttl(*request);
            auto found = store.get(tenant, item);
            if (!found)
                return refusal(Status::not_found, "no store item '" + item.key + "' in namespace '" + item.ns.joined + "'");
            std::vector<store::StoreItemRecord> items{std::move(*found)};
            if (refresh) store.refresh_now(tenant, items);
            return answer(item_json(items.front()));
        }
        if (op == "delete") {
            bool removed = store.remove_now(tenant, read_item_ref(*request));
            return answer(removed ? R"({"deleted":true})" : R"({"deleted":false})");
        }
        if (op == "search") {
            SearchRequest search = read_search(*request);
            auto items = store.search(tenant, search);
            if (search.refresh_ttl) store.refresh_now(tenant, items);
            return answer(items_json(items));
        }
        if (op == "list_namespaces") return answer(namespaces_json(store.namespaces(tenant, read_namespaces(*request))));
        return refusal(Status::bad_argument,
                       "/op: must be put, get, delete, search or list_namespaces (got '" + op + "')");
    } catch (const InvalidStoreRequest& e) {
        return refusal(Status::bad_argument, e.what());
    } catch (const store::StoreUnavailable& e) {
        return refusal(Status::unavailable, std::string("the store is unavailable: ") + e.what());
    }
}

}  // namespace agenthost::memory_store
