#include "api/thread_state_api.hpp"

#include "api/json_writer.hpp"
#include "api/query_params.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/tenancy.hpp"
#include "api/thread_json.hpp"
#include "json/json_util.hpp"

#include <climits>

namespace agenthost::api {
namespace {

// The same bounds a plugin's memory_put has (plugins/host_api.cpp,
// runs/run_execution.cpp), so whatever a person writes an agent could have.
constexpr size_t kMaxKeyBytes = 256;
constexpr size_t kMaxEntryBytes = 1024 * 1024;

void check_checkpoint(const store::ThreadRecord& thread, long long checkpoint) {
    if (checkpoint > thread.checkpoint)
        throw http::ApiError(404, "CheckpointNotFound",
                             "thread " + thread.id + " has no checkpoint " + std::to_string(checkpoint) +
                                 " (its latest is " + std::to_string(thread.checkpoint) + ")");
}

http::HttpResponse get_state(ApiContext& context, const http::HttpRequest& request) {
    store::ThreadRecord thread = visible_thread(context, request, request.param("id"));
    long long checkpoint = static_cast<long long>(bounded_number(request, "checkpoint_id", 0, 1, LLONG_MAX / 2));
    check_checkpoint(thread, checkpoint);
    store::ThreadMemory memory = with_store([&] { return context.threads->state(thread.id, checkpoint); });
    JsonWriter out;
    out->StartObject();
    out.field("thread_id", thread.id);
    out.key("checkpoint_id");
    out->Int64(memory.checkpoint);
    out.key("values");
    write_values(out, memory.values);
    out->EndObject();
    return http::json_response(200, out.str());
}

void post_state(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    store::ThreadRecord thread = visible_thread(context, request, request.param("id"));
    rapidjson::Document body = read_json_body(request, "requests/thread-state");
    store::ThreadValues values;
    for (const auto& entry : body["values"].GetObject()) {
        std::string key(entry.name.GetString(), entry.name.GetStringLength());
        std::string value = json::serialize(entry.value);
        if (key.empty() || key.size() > kMaxKeyBytes)
            throw http::ApiError(422, "ValidationError", "memory keys must be 1 to 256 bytes",
                                 {{"/values", "a key is empty or longer than 256 bytes"}});
        if (key.size() + value.size() > kMaxEntryBytes)
            throw http::ApiError(422, "ValidationError", "memory entry '" + key + "' is over 1 MiB",
                                 {{"/values/" + key, "key and value may hold at most 1 MiB"}});
        values.emplace_back(std::move(key), std::move(value));
    }
    // Who wrote it, as approvals record it: the key's name or the token's
    // subject, "api" while auth is off.
    store::CheckpointAuthor author{"", actor_of(request)};
    std::vector<std::string> keys;
    for (const auto& [key, value] : values) keys.push_back(key);
    std::string request_id = request.request_id;
    std::string id = thread.id;
    context.threads->write_state(
        id, std::move(values), author,
        [responder, request_id, id, keys, author](const threads::StateWrite& written, const std::string& error) {
            if (!error.empty()) {
                responder.send(http::error_response(store_error(error), request_id));
                return;
            }
            if (!written.thread_found) {
                responder.send(http::error_response(404, "ThreadNotFound", "no thread with id '" + id + "'", request_id));
                return;
            }
            JsonWriter out;
            out->StartObject();
            out.field("thread_id", id);
            out.key("checkpoint_id");
            out->Int64(written.checkpoint);
            out.field("actor", author.actor);
            out.string_array("keys", keys);
            out->EndObject();
            responder.send(http::json_response(200, out.str()));
        });
}

http::HttpResponse history(ApiContext& context, const http::HttpRequest& request) {
    store::ThreadRecord thread = visible_thread(context, request, request.param("id"));
    rapidjson::Document body = read_json_body_or_empty(request, "requests/thread-history");
    size_t limit = static_cast<size_t>(json::get_int64(body, "limit", 10));
    long long before = json::get_int64(body, "before", 0);
    store::CheckpointPage page = with_store([&] { return context.threads->history(thread.id, limit, before); });
    JsonWriter out;
    out->StartObject();
    out.field("thread_id", thread.id);
    out.key("checkpoints");
    out->StartArray();
    for (const auto& checkpoint : page.checkpoints) write_checkpoint(out, checkpoint);
    out->EndArray();
    out.key("next_before");
    if (page.next_before == 0) out->Null();
    else out->Int64(page.next_before);
    out->EndObject();
    return http::json_response(200, out.str());
}

void copy_thread(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    store::ThreadRecord source = visible_thread(context, request, request.param("id"));
    rapidjson::Document body = read_json_body_or_empty(request, "requests/thread-copy");
    long long upto = json::get_int64(body, "checkpoint_id", source.checkpoint);
    check_checkpoint(source, upto);
    threads::NewThread fork;
    fork.id = json::get_string(body, "thread_id");
    fork.tenant = request.principal.tenant;
    fork.metadata_json = metadata_from(body, source.metadata_json);
    std::string request_id = request.request_id;
    context.threads->copy(source.id, upto, fork,
                          [responder, request_id](const threads::CreateOutcome& outcome, const std::string& error) {
                              if (!error.empty()) {
                                  responder.send(http::error_response(store_error(error), request_id));
                              } else if (!outcome.created || !outcome.thread) {
                                  std::string id = outcome.thread ? outcome.thread->id : "";
                                  responder.send(http::error_response(
                                      409, "ThreadExists", "a thread with id '" + id + "' already exists", request_id));
                              } else {
                                  JsonWriter out;
                                  write_thread(out, *outcome.thread, &outcome.values);
                                  http::HttpResponse response = http::json_response(201, out.str());
                                  response.headers.emplace_back("Location", "/threads/" + outcome.thread->id);
                                  responder.send(std::move(response));
                              }
                          });
}

}  // namespace

void add_thread_state_routes(http::Router& router, ApiContext& context) {
    router.get("/threads/:id/state", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(get_state(context, request));
    });
    router.post("/threads/:id/state", [&context](const http::HttpRequest& request, http::Responder responder) {
        post_state(context, request, responder);
    });
    router.post("/threads/:id/history", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(history(context, request));
    });
    router.post("/threads/:id/copy", [&context](const http::HttpRequest& request, http::Responder responder) {
        copy_thread(context, request, responder);
    });
}

}  // namespace agenthost::api
