#include "api/threads_api.hpp"

#include "api/json_writer.hpp"
#include "api/query_params.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/tenancy.hpp"
#include "api/thread_json.hpp"
#include "json/json_util.hpp"

namespace agenthost::api {
namespace {

http::HttpResponse thread_response(int status, const store::ThreadRecord& thread, const store::ThreadValues& values) {
    JsonWriter out;
    write_thread(out, thread, &values);
    http::HttpResponse response = http::json_response(status, out.str());
    if (status == 201) response.headers.emplace_back("Location", "/threads/" + thread.id);
    return response;
}

void create_thread(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    rapidjson::Document body = read_json_body_or_empty(request, "requests/thread-create");
    threads::NewThread thread;
    thread.id = json::get_string(body, "thread_id");
    thread.tenant = request.principal.tenant;
    thread.metadata_json = metadata_from(body);
    bool do_nothing = json::get_string(body, "if_exists", "raise") == "do_nothing";
    std::string request_id = request.request_id;
    auth::Principal principal = request.principal;
    // Answered on the writer thread, after the commit.
    context.threads->create(thread, [responder, do_nothing, request_id, principal](
                                        const threads::CreateOutcome& outcome, const std::string& error) {
        if (!error.empty()) {
            responder.send(http::error_response(store_error(error), request_id));
        } else if (outcome.created && outcome.thread) {
            responder.send(thread_response(201, *outcome.thread, outcome.values));
        } else if (do_nothing && outcome.thread && principal.may_see(outcome.thread->tenant)) {
            responder.send(thread_response(200, *outcome.thread, outcome.values));
        } else {
            // Another tenant's thread is taken all the same: ids are global.
            std::string id = outcome.thread ? outcome.thread->id : "";
            responder.send(http::error_response(409, "ThreadExists",
                                                "a thread with id '" + id +
                                                    "' already exists (if_exists: do_nothing answers it instead)",
                                                request_id));
        }
    });
}

http::HttpResponse search_threads(ApiContext& context, const http::HttpRequest& request) {
    rapidjson::Document body = read_json_body_or_empty(request, "requests/thread-search");
    store::ThreadFilter filter;
    filter.status = json::get_string(body, "status");
    filter.limit = static_cast<size_t>(json::get_int64(body, "limit", 10));
    filter.cursor = json::get_string(body, "cursor");
    if (!filter.cursor.empty()) check_cursor(filter.cursor, "/cursor");
    if (!request.principal.sees_all_tenants()) {
        filter.by_tenant = true;
        filter.tenant = request.principal.tenant;
    }
    const rapidjson::Value* metadata = json::get_member(body, "metadata");
    store::ThreadPage page = with_store([&] { return context.threads->search(filter, metadata); });
    JsonWriter out;
    out->StartObject();
    out.key("threads");
    out->StartArray();
    for (const auto& thread : page.threads) write_thread(out, thread);
    out->EndArray();
    out.key("next_cursor");
    if (page.next_cursor.empty()) out->Null();
    else out.string(page.next_cursor);
    out->EndObject();
    return http::json_response(200, out.str());
}

void delete_thread(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    store::ThreadRecord thread = visible_thread(context, request, request.param("id"));
    std::string request_id = request.request_id;
    std::string id = thread.id;
    context.threads->remove(id, actor_of(request), [responder, request_id, id](store::ThreadDeleteOutcome outcome,
                                                                              const std::string& error) {
        if (!error.empty()) {
            responder.send(http::error_response(store_error(error), request_id));
            return;
        }
        switch (outcome) {
            case store::ThreadDeleteOutcome::deleted: {
                http::HttpResponse gone;
                gone.status = 204;
                responder.send(std::move(gone));
                return;
            }
            case store::ThreadDeleteOutcome::busy:
                responder.send(http::error_response(
                    409, "ThreadBusy",
                    "thread " + id + " has runs that have not ended; cancel them first (POST /runs/cancel with "
                                     "thread_id)",
                    request_id));
                return;
            case store::ThreadDeleteOutcome::not_found:
                responder.send(http::error_response(404, "ThreadNotFound", "no thread with id '" + id + "'", request_id));
                return;
        }
    });
}

}  // namespace

void add_thread_routes(http::Router& router, ApiContext& context) {
    router.post("/threads", [&context](const http::HttpRequest& request, http::Responder responder) {
        create_thread(context, request, responder);
    });
    router.post("/threads/search", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(search_threads(context, request));
    });
    router.add("DELETE", "/threads/:id", [&context](const http::HttpRequest& request, http::Responder responder) {
        delete_thread(context, request, responder);
    });
}

}  // namespace agenthost::api
