#include "api/stream_api.hpp"

#include "api/query_params.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/runs_api.hpp"
#include "api/sse.hpp"
#include "api/stream_modes.hpp"
#include "api/task_routing.hpp"
#include "api/thread_json.hpp"
#include "api/tenancy.hpp"
#include "api/webhooks_api.hpp"
#include "http/raw_connection.hpp"
#include "json/json_util.hpp"
#include "util/log.hpp"

#include <atomic>
#include <memory>

namespace agenthost::api {
namespace {

enum class OnDisconnect { keep_running, cancel };

OnDisconnect parse_on_disconnect(const std::string& value, const char* field) {
    if (value.empty() || value == "continue") return OnDisconnect::keep_running;
    if (value == "cancel") return OnDisconnect::cancel;
    throw http::ApiError(422, "ValidationError", std::string(field) + " must be continue or cancel",
                         {{field, "must be continue or cancel"}});
}

// Where a stream resumes: after Last-Event-ID (header, or last_event_id for
// browsers' EventSource reconnects that cannot set headers), else from the start.
long long resume_after(const http::HttpRequest& request) {
    std::string text = request.header("last-event-id");
    const char* field = "Last-Event-ID";
    if (text.empty()) {
        text = query_value(request, "last_event_id");
        field = "last_event_id";
    }
    if (text.empty()) return 0;
    bool digits = text.size() < 18 && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
    if (!digits) throw http::ApiError(422, "ValidationError", std::string(field) + " must be an event id (a whole number)",
                                      {{field, "must be a whole number"}});
    return std::stoll(text);
}

// One streaming client: the hub stream, the feed subscription, and what to
// do when the client leaves.
struct StreamSession {
    http::StreamId stream = 0;
    std::atomic<uint64_t> subscription{0};
    std::atomic<bool> over{false};
};

std::string final_event_type(const store::RunRecord& run);

// The thread's memory after a checkpoint, for values frames of writes
// whose event left the (large) memory out; "{}" when it cannot be read.
StreamFramer::MemoryAt memory_reader(ApiContext& context, const std::string& thread_id) {
    return [&context, thread_id](long long checkpoint) {
        try {
            store::ThreadMemory memory = context.threads->state(thread_id, checkpoint);
            JsonWriter out;
            write_values(out, memory.values);
            return out.str();
        } catch (const std::exception& e) {
            log::warn("reading a thread's memory for a values frame failed", {{"thread_id", thread_id}, {"error", e.what()}});
            return std::string("{}");
        }
    };
}

// `actor` is recorded as the canceller when the client's leaving cancels the run.
void follow_run(ApiContext& context, std::unique_ptr<http::RawConnection> connection, const store::RunRecord& run,
                long long after, OnDisconnect on_disconnect, const std::string& actor, StreamModes modes) {
    auto framer = std::make_shared<StreamFramer>(modes, run.id, run.thread_id, run.agent, memory_reader(context, run.thread_id));
    auto session = std::make_shared<StreamSession>();
    std::string run_id = run.id;
    http::StreamHub& hub = context.streams;
    runs::EventFeed& feed = context.runs.feed();
    std::string head = http::response_head(200, "text/event-stream", *connection) + framer->opening();
    session->stream = hub.open(std::move(connection), std::move(head),
                               [&context, &feed, session, run_id, on_disconnect, actor](bool client_left) {
                                   bool was_over = session->over.exchange(true);
                                   if (uint64_t id = session->subscription.load()) feed.unfollow(id);
                                   if (client_left && !was_over && on_disconnect == OnDisconnect::cancel) {
                                       log::info("client left its stream: cancelling the run", {{"run_id", run_id}});
                                       try {
                                           context.runs.cancel(run_id, actor);
                                       } catch (const std::exception& e) {
                                           log::warn("cancel on disconnect failed", {{"run_id", run_id}, {"error", e.what()}});
                                       }
                                   }
                               });
    uint64_t subscription = feed.follow(
        run_id, after,
        [&context, &hub, session, run_id, framer](const std::vector<store::RunEvent>& events, bool finished, bool) {
            if (session->over.load()) return false;
            std::string frames;
            std::string last_type;
            for (const auto& event : events) {
                frames += framer->frames(event);
                last_type = event.type;
            }
            if (finished) {
                session->over = true;
                if (last_type.empty()) {
                    // Resumed past the final event: the run says how it ended.
                    auto run = context.runs.find(run_id);
                    last_type = run ? final_event_type(*run) : "run.failed";
                }
                frames += framer->closing(last_type);
            }
            if (!frames.empty()) hub.send(session->stream, std::move(frames));
            if (finished) hub.finish(session->stream);
            return !finished;
        });
    session->subscription = subscription;
    if (session->over.load()) feed.unfollow(subscription);  // the client left before we subscribed
}

// A finished stream whose resume point is past its final event still gets a
// done frame: follow_run's feed says "finished" with no events, and the done
// frame must carry the run's real outcome.
std::string final_event_type(const store::RunRecord& run) {
    if (run.status == store::run_status::succeeded) return "run.succeeded";
    if (run.status == store::run_status::cancelled) return "run.cancelled";
    return "run.failed";
}

}  // namespace

void stream_run(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    std::string run_id = request.param("id");
    auto run = std::optional<store::RunRecord>(visible_run(context, request, run_id));
    long long after = resume_after(request);
    StreamModes modes = stream_modes_from_query(request);
    OnDisconnect on_disconnect = parse_on_disconnect(query_value(request, "on_disconnect"), "on_disconnect");
    // Watching needs read; hanging up to cancel someone's run needs cancel.
    if (on_disconnect == OnDisconnect::cancel && !request.principal.has(auth::kCancel))
        throw http::ApiError(403, "Forbidden", "on_disconnect=cancel needs the 'cancel' scope; '" +
                                                   request.principal.name + "' lacks it");
    auto connection = responder.take_over();
    if (!connection) return;  // the client is gone already
    if (store::run_status::is_terminal(run->status)) {
        // Replays what is left and ends; nothing more will come.
        auto events = with_store([&] { return context.runs.events(run_id, after, 100000); });
        StreamFramer framer(modes, run->id, run->thread_id, run->agent, memory_reader(context, run->thread_id));
        std::string body = http::response_head(200, "text/event-stream", *connection) + framer.opening();
        for (const auto& event : events) body += framer.frames(event);
        body += framer.closing(final_event_type(*run));
        http::StreamId stream = context.streams.open(std::move(connection), std::move(body), nullptr);
        context.streams.finish(stream);
        return;
    }
    follow_run(context, std::move(connection), *run, after, on_disconnect, actor_of(request), modes);
}

namespace {

// GET /agent/stream?agent_name=&task=&thread_id=&context=&on_disconnect=:
// the query as the JSON body POST takes (context is JSON text), validated
// by the same schema. EventSource can only GET and sends no body.
rapidjson::Document body_from_query(const http::HttpRequest& request) {
    rapidjson::Document body(rapidjson::kObjectType);
    auto& allocator = body.GetAllocator();
    for (const auto& [name, value] : request.query) {
        if (name == "context") {
            std::string error;
            auto parsed = json::parse(value, error);
            if (!parsed)
                throw http::ApiError(400, "InvalidQuery", "query parameter 'context' must be a JSON object: " + error);
            body.AddMember("context", rapidjson::Value(*parsed, allocator), allocator);
        } else if (name == "stream_mode") {
            // "values,updates" in a query is the body's array of names.
            rapidjson::Value modes(rapidjson::kArrayType);
            for (size_t start = 0;;) {
                size_t comma = value.find(',', start);
                std::string mode = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
                modes.PushBack(rapidjson::Value(mode.c_str(), allocator), allocator);
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
            body.AddMember("stream_mode", modes, allocator);
        } else if (name == "agent_name" || name == "task" || name == "thread_id" || name == "on_disconnect") {
            body.AddMember(rapidjson::Value(name.c_str(), allocator), rapidjson::Value(value.c_str(), allocator),
                           allocator);
        } else {
            throw http::ApiError(400, "InvalidQuery",
                                 "unknown query parameter '" + name +
                                     "' (GET /agent/stream takes agent_name, task, thread_id, context, on_disconnect, "
                                     "stream_mode)");
        }
    }
    http::HttpRequest as_body = request;
    as_body.body = json::serialize(body);
    as_body.headers["content-type"] = "application/json";
    try {
        return read_json_body(as_body, "requests/agent-stream");
    } catch (const http::ApiError& error) {
        // A GET has no body: the query is what was invalid.
        static const std::string kBody = "request body is invalid: ";
        std::string message = error.what();
        if (error.status != 422 || message.rfind(kBody, 0) != 0) throw;
        throw http::ApiError(422, error.type, "query is invalid: " + message.substr(kBody.size()), error.details);
    }
}

// A thread id from a path, held to the body's pattern for thread_id.
void check_thread_id(const std::string& thread_id) {
    bool well_formed = !thread_id.empty() && thread_id.size() <= 128 &&
                       std::all_of(thread_id.begin(), thread_id.end(), [](unsigned char c) {
                           return std::isalnum(c) || c == '.' || c == '_' || c == ':' || c == '-';
                       });
    if (!well_formed)
        throw http::ApiError(422, "ValidationError", "thread_id: 1 to 128 of A-Z a-z 0-9 . _ : -",
                             {{"thread_id", "must be 1 to 128 of A-Z a-z 0-9 . _ : -"}});
}

}  // namespace

void start_and_stream(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder,
                      const rapidjson::Document& body) {
    OnDisconnect on_disconnect = parse_on_disconnect(json::get_string(body, "on_disconnect"), "/on_disconnect");
    StreamModes modes = stream_modes_from_body(body);
    check_webhook_fields(body, context.webhooks);
    runs::InvokeRequest invoke = invoke_request_from(body);
    claim_for_caller(context, request, invoke);
    check_run_options(context, invoke.options);
    route_if_unnamed(context, invoke);
    if (auto rejection = context.runs.check(invoke)) throw rejection_error(*rejection);
    invoke.warnings = context.runs.warnings(invoke);  // in the streamed run.queued event
    // Taken over now, on the request's own thread; answered once stored.
    auto connection = std::make_shared<std::unique_ptr<http::RawConnection>>(responder.take_over());
    if (!*connection) return;
    std::string actor = actor_of(request);
    context.runs.submit(invoke, [&context, connection, on_disconnect, actor, modes](const store::RunRecord& run,
                                                                                    const std::string& error) {
        std::unique_ptr<http::RawConnection> owned = std::move(*connection);
        if (!error.empty()) {
            http::HttpResponse failure = http::error_response(submit_error(error), owned->request_id());
            std::string bytes =
                http::response_head(failure.status, "application/json", *owned) + failure.body;
            context.streams.finish(context.streams.open(std::move(owned), std::move(bytes), nullptr));
            return;
        }
        follow_run(context, std::move(owned), run, 0, on_disconnect, actor, modes);
    });
}

void add_stream_routes(http::Router& router, ApiContext& context) {
    router.get("/runs/:id/stream", [&context](const http::HttpRequest& request, http::Responder responder) {
        stream_run(context, request, responder);
    });
    router.post("/agent/stream", [&context](const http::HttpRequest& request, http::Responder responder) {
        start_and_stream(context, request, responder, read_json_body(request, "requests/agent-stream"));
    });
    router.get("/agent/stream", [&context](const http::HttpRequest& request, http::Responder responder) {
        start_and_stream(context, request, responder, body_from_query(request));
    });
    // LangGraph's create-and-stream: the body of POST /runs.
    router.post("/runs/stream", [&context](const http::HttpRequest& request, http::Responder responder) {
        start_and_stream(context, request, responder, read_json_body(request, "requests/run-create"));
    });
    router.post("/threads/:id/runs/stream", [&context](const http::HttpRequest& request, http::Responder responder) {
        rapidjson::Document body = read_json_body(request, "requests/run-create");
        std::string thread_id = request.param("id");
        check_thread_id(thread_id);
        // The path names the thread; a body naming another is a mistake.
        std::string named = json::get_string(body, "thread_id");
        if (!named.empty() && named != thread_id)
            throw http::ApiError(422, "ValidationError", "/thread_id: differs from the thread in the path",
                                 {{"/thread_id", "differs from the thread in the path ('" + thread_id + "')"}});
        body.RemoveMember("thread_id");
        body.AddMember("thread_id", rapidjson::Value(thread_id.c_str(), body.GetAllocator()), body.GetAllocator());
        start_and_stream(context, request, responder, body);
    });
}

}  // namespace agenthost::api
