#include "api/store_api.hpp"

#include "api/query_params.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "memory_store/item_request.hpp"
#include "memory_store/memory_store.hpp"

namespace agenthost::api {
namespace {

using memory_store::InvalidStoreRequest;

// The store's own checks (labels, sizes, ttl) as 422 naming the field.
template <typename Read>
auto checked(Read&& read) -> decltype(read()) {
    try {
        return read();
    } catch (const InvalidStoreRequest& e) {
        throw http::ApiError(422, "ValidationError", std::string("request is invalid: ") + e.what(),
                             {{e.field, e.what()}});
    }
}

http::HttpResponse no_content() {
    http::HttpResponse response;
    response.status = 204;
    return response;
}

// The tenant whose items the caller reads and writes: its own, also for
// an admin (two tenants may use the same namespace and key).
const std::string& tenant_of(const http::HttpRequest& request) { return request.principal.tenant; }

// ?namespace=a.b&key=k: the namespace dot-joined, as LangGraph's clients
// send it.
memory_store::ItemRef item_from_query(const http::HttpRequest& request) {
    return checked([&] {
        memory_store::ItemRef ref;
        ref.ns = memory_store::read_dotted_namespace(query_value(request, "namespace"), "namespace");
        const std::string& key = query_value(request, "key");
        rapidjson::Value view(rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size())));
        ref.key = memory_store::read_key(&view, "key");
        return ref;
    });
}

void put_item(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    rapidjson::Document body = read_json_body(request, "requests/store-item-put");
    memory_store::PutRequest put = checked([&] { return memory_store::read_put(body); });
    std::string request_id = request.request_id;
    context.store_items->put(tenant_of(request), put, [responder, request_id](const std::string& error) {
        if (!error.empty()) responder.send(http::error_response(store_error(error), request_id));
        else responder.send(no_content());
    });
}

// Answers `items` (their ttl restarted first when asked): from the writer
// thread after the refresh commits, else at once.
void answer_items(ApiContext& context, const http::HttpRequest& request, std::vector<store::StoreItemRecord> items,
                  bool refresh, bool single, const http::Responder& responder) {
    auto render = [single](const std::vector<store::StoreItemRecord>& found) {
        return http::json_response(200, single ? memory_store::item_json(found.front()) : memory_store::items_json(found));
    };
    if (!refresh) {
        responder.send(render(items));
        return;
    }
    std::string request_id = request.request_id;
    context.store_items->refresh(tenant_of(request), std::move(items),
                                 [responder, request_id, render](const auto& found, const std::string& error) {
                                     if (!error.empty()) responder.send(http::error_response(store_error(error), request_id));
                                     else responder.send(render(found));
                                 });
}

void get_item(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    memory_store::ItemRef item = item_from_query(request);
    const std::string& refresh = query_value(request, "refresh_ttl");
    if (!refresh.empty() && refresh != "true" && refresh != "false")
        throw http::ApiError(422, "ValidationError", "request is invalid: refresh_ttl: must be true or false",
                             {{"refresh_ttl", "must be true or false"}});
    auto found = with_store([&] { return context.store_items->get(tenant_of(request), item); });
    if (!found)
        throw http::ApiError(404, "StoreItemNotFound",
                             "no store item '" + item.key + "' in namespace '" + item.ns.joined + "'");
    answer_items(context, request, {std::move(*found)}, refresh == "true", true, responder);
}

void delete_item(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    // LangGraph's clients send the item in a JSON body; namespace and key
    // in the query (as GET takes them) do as well.
    memory_store::ItemRef item;
    bool blank = request.body.find_first_not_of(" \t\r\n") == std::string::npos;
    if (blank && !query_value(request, "namespace").empty()) {
        item = item_from_query(request);
    } else {
        rapidjson::Document body = read_json_body(request, "requests/store-item-delete");
        item = checked([&] { return memory_store::read_item_ref(body); });
    }
    std::string request_id = request.request_id;
    // Deleting what is not there is done all the same (LangGraph answers
    // 204 too): a retried DELETE must not fail.
    context.store_items->remove(tenant_of(request), item, [responder, request_id](bool, const std::string& error) {
        if (!error.empty()) responder.send(http::error_response(store_error(error), request_id));
        else responder.send(no_content());
    });
}

void search_items(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    rapidjson::Document body = read_json_body_or_empty(request, "requests/store-item-search");
    memory_store::SearchRequest search = checked([&] { return memory_store::read_search(body); });
    auto items = with_store([&] { return context.store_items->search(tenant_of(request), search); });
    answer_items(context, request, std::move(items), search.refresh_ttl, false, responder);
}

http::HttpResponse list_namespaces(ApiContext& context, const http::HttpRequest& request) {
    rapidjson::Document body = read_json_body_or_empty(request, "requests/store-namespaces");
    memory_store::NamespacesRequest listing = checked([&] { return memory_store::read_namespaces(body); });
    auto namespaces = with_store([&] { return context.store_items->namespaces(tenant_of(request), listing); });
    return http::json_response(200, memory_store::namespaces_json(namespaces));
}

}  // namespace

void add_store_routes(http::Router& router, ApiContext& context) {
    if (context.store_items == nullptr) return;
    router.add("PUT", "/store/items", [&context](const http::HttpRequest& request, http::Responder responder) {
        put_item(context, request, responder);
    });
    router.get("/store/items", [&context](const http::HttpRequest& request, http::Responder responder) {
        get_item(context, request, responder);
    });
    router.add("DELETE", "/store/items", [&context](const http::HttpRequest& request, http::Responder responder) {
        delete_item(context, request, responder);
    });
    router.post("/store/items/search", [&context](const http::HttpRequest& request, http::Responder responder) {
        search_items(context, request, responder);
    });
    router.post("/store/namespaces", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(list_namespaces(context, request));
    });
}

}  // namespace agenthost::api
