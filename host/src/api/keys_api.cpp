#include "api/keys_api.hpp"

#include "api/json_writer.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/tenancy.hpp"
#include "auth/scopes.hpp"
#include "json/json_util.hpp"
#include "util/time_format.hpp"

namespace agenthost::api {
namespace {

void optional_time(JsonWriter& out, const char* name, long long ms) {
    out.key(name);
    if (ms == 0) out->Null();
    else out.string(iso8601_ms(ms));
}

// Never the secret or its hash.
void write_key(JsonWriter& out, const store::ApiKeyRecord& key) {
    out.field("id", key.id);
    out.field("name", key.name);
    out.key("scopes");
    out->StartArray();
    uint32_t scopes = 0;
    try {
        scopes = auth::parse_scopes(key.scopes);
    } catch (const std::invalid_argument&) {
    }
    for (auth::Scope scope : {auth::kRead, auth::kInvoke, auth::kCancel, auth::kApprove, auth::kAdmin})
        if (scopes & scope) out.string(auth::scope_name(scope));
    out->EndArray();
    out.field("tenant", key.tenant);
    optional_time(out, "created_at", key.created_at_ms);
    optional_time(out, "last_used_at", key.last_used_at_ms);
    optional_time(out, "expires_at", key.expires_at_ms);
    optional_time(out, "revoked_at", key.revoked_at_ms);
}

void create_key(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    rapidjson::Document body = read_json_body(request, "requests/key-create");
    auth::KeyRequest key_request;
    key_request.name = json::get_string(body, "name");
    for (const auto& scope : body["scopes"].GetArray()) key_request.scopes += std::string(scope.GetString()) + ",";
    key_request.tenant = json::get_string(body, "tenant");
    key_request.expires_in = json::get_string(body, "expires_in");
    auth::CreatedKey created;
    try {
        created = with_store([&] { return context.keys->create(key_request, actor_of(request)); });
    } catch (const std::invalid_argument& e) {
        throw http::ApiError(422, "ValidationError", e.what());
    }
    JsonWriter out;
    out->StartObject();
    write_key(out, created.record);
    // The only time the key is ever shown.
    out.field("key", created.key);
    out->EndObject();
    http::HttpResponse response = http::json_response(201, out.str());
    response.headers.emplace_back("Location", "/admin/keys/" + created.record.id);
    responder.send(std::move(response));
}

http::HttpResponse list_keys(ApiContext& context) {
    auto keys = with_store([&] { return context.keys->list(); });
    JsonWriter out;
    out->StartObject();
    out.key("keys");
    out->StartArray();
    for (const auto& key : keys) {
        out->StartObject();
        write_key(out, key);
        out->EndObject();
    }
    out->EndArray();
    out->EndObject();
    return http::json_response(200, out.str());
}

http::HttpResponse revoke_key(ApiContext& context, const http::HttpRequest& request) {
    std::string id = request.param("id");
    auto key = with_store([&] { return context.keys->find(id); });
    if (!key) throw http::ApiError(404, "KeyNotFound", "no API key with id '" + id + "'");
    // Revoking twice is not an error: the key is revoked either way.
    if (key->revoked_at_ms == 0) with_store([&] { return context.keys->revoke(id, actor_of(request)); });
    if (context.authenticator != nullptr) context.authenticator->forget(id);
    key = with_store([&] { return context.keys->find(id); });
    JsonWriter out;
    out->StartObject();
    write_key(out, *key);
    out.field("status", "revoked");
    out->EndObject();
    return http::json_response(200, out.str());
}

}  // namespace

void add_key_routes(http::Router& router, ApiContext& context) {
    if (context.keys == nullptr) return;
    router.get("/admin/keys", [&context](const http::HttpRequest&, http::Responder responder) {
        responder.send(list_keys(context));
    });
    router.post("/admin/keys", [&context](const http::HttpRequest& request, http::Responder responder) {
        create_key(context, request, responder);
    });
    router.add("DELETE", "/admin/keys/:id", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(revoke_key(context, request));
    });
}

}  // namespace agenthost::api
