#include "api/websocket_stream_api.hpp"

#include "api/json_writer.hpp"
#include "api/query_params.hpp"
#include "api/run_json.hpp"
#include "http/websocket_hub.hpp"
#include "json/json_util.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <memory>
#include <mutex>

namespace agenthost::api {
namespace {

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// One WebSocket client: which run it follows, from where.
struct Session {
    std::atomic<http::WebSocketId> id{0};
    auth::Principal principal;
    std::atomic<bool> started{false};
    std::atomic<bool> over{false};
    std::atomic<uint64_t> subscription{0};
};

std::string message(const char* type, const std::string& error, const std::string& text) {
    JsonWriter out;
    out->StartObject();
    out.field("type", type);
    out.field("error", error);
    out.field("message", text);
    out->EndObject();
    return out.str();
}

std::string done_message(const std::string& status) {
    std::string shown = status == store::run_status::succeeded ? "complete" : status;
    return "{\"type\":\"done\",\"status\":\"" + shown + "\"}";
}

// Refuses the stream with an error message and a policy close (1008).
void refuse(http::WebSocketHub& hub, const Session& session, const char* error, const std::string& text,
            const std::string& reason) {
    hub.send_text(session.id, message("error", error, text));
    hub.close(session.id, http::ws_close::policy, reason);
}

// An event id the client has: digits, as a number or a string; nullopt when it is not one.
std::optional<long long> event_id_of(const rapidjson::Value& value) {
    if (value.IsInt64()) return value.GetInt64() >= 0 ? std::optional<long long>(value.GetInt64()) : std::nullopt;
    if (!value.IsString()) return std::nullopt;
    std::string text(value.GetString(), value.GetStringLength());
    bool digits = !text.empty() && text.size() < 18 &&
                  std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
    return digits ? std::optional<long long>(std::stoll(text)) : std::nullopt;
}

// Sends the run's events after `after`, then done and a normal close; an
// unknown (or another tenant's) run gets RunNotFound and a policy close.
void follow(ApiContext& context, http::WebSocketHub& hub, const std::shared_ptr<Session>& session,
            const std::string& run_id, long long after) {
    std::optional<store::RunRecord> run;
    try {
        run = context.runs.find(run_id);
    } catch (const std::exception& e) {
        hub.send_text(session->id, message("error", "StoreUnavailable", e.what()));
        hub.close(session->id, http::ws_close::going_away, "store unavailable");
        return;
    }
    if (!run || !session->principal.may_see(run->tenant)) {
        refuse(hub, *session, "RunNotFound", "no run with id '" + run_id + "'", "no such run");
        return;
    }
    std::string thread_id = run->thread_id;
    runs::EventFeed& feed = context.runs.feed();
    uint64_t subscription = feed.follow(
        run_id, after,
        [&context, &hub, session, run_id, thread_id](const std::vector<store::RunEvent>& events, bool finished, bool) {
            if (session->over.load()) return false;
            for (const auto& event : events) {
                JsonWriter out;
                write_event(out, event, thread_id);
                hub.send_text(session->id, out.str());
            }
            if (finished) {
                session->over = true;
                std::string status = "failed";
                try {
                    if (auto ended = context.runs.find(run_id)) status = ended->status;
                } catch (const std::exception&) {
                }
                hub.send_text(session->id, done_message(status));
                hub.close(session->id, http::ws_close::normal, "run ended");
            }
            return !finished;
        });
    session->subscription = subscription;
    if (session->over.load()) feed.unfollow(subscription);  // the client left before we subscribed
}

// The first message (when the query named no run): which run, and the
// last event id the client has.
void start(ApiContext& context, http::WebSocketHub& hub, const std::shared_ptr<Session>& session,
           const std::string& text) {
    std::string error;
    auto body = json::parse(text, error);
    if (!body || !body->IsObject()) {
        refuse(hub, *session, "InvalidJSON", "the first message must be a JSON object: {\"run_id\", \"last_event_id\"?}",
               "bad first message");
        return;
    }
    const rapidjson::Value* run_id = json::get_member(*body, "run_id");
    if (run_id == nullptr || !run_id->IsString() || run_id->GetStringLength() == 0) {
        refuse(hub, *session, "ValidationError",
               run_id == nullptr ? "run_id is required: {\"run_id\", \"last_event_id\"?}" : "run_id must be a run id (a non-empty string)",
               "bad run_id");
        return;
    }
    long long after = 0;
    if (const rapidjson::Value* last = json::get_member(*body, "last_event_id")) {
        auto id = event_id_of(*last);
        if (!id) {
            refuse(hub, *session, "ValidationError", "last_event_id must be an event id", "bad last_event_id");
            return;
        }
        after = *id;
    }
    follow(context, hub, session, run_id->GetString(), after);
}

// ?last_event_id= beside ?run_id=; checked before the upgrade, so a bad
// one is an ordinary HTTP error.
long long query_resume_point(const http::HttpRequest& request) {
    const std::string& text = query_value(request, "last_event_id");
    if (text.empty()) return 0;
    rapidjson::Value value(rapidjson::StringRef(text.c_str(), text.size()));
    auto id = event_id_of(value);
    if (!id)
        throw http::ApiError(422, "ValidationError", "last_event_id must be an event id (a whole number)",
                             {{"last_event_id", "must be a whole number"}});
    return *id;
}

}  // namespace

void add_websocket_routes(http::Router& router, ApiContext& context) {
    router.get("/stream", [&context](const http::HttpRequest& request, http::Responder responder) {
        if (context.websockets == nullptr) throw http::ApiError(503, "Unavailable", "WebSockets are not served here");
        if (lower(request.header("upgrade")) != "websocket" ||
            lower(request.header("connection")).find("upgrade") == std::string::npos) {
            http::ApiError error(426, "UpgradeRequired", "GET /stream is a WebSocket: send Upgrade: websocket");
            error.headers.emplace_back("Upgrade", "websocket");
            throw error;
        }
        if (request.header("sec-websocket-version") != "13") {
            http::ApiError error(426, "UpgradeRequired", "only WebSocket version 13 is spoken");
            error.headers.emplace_back("Sec-WebSocket-Version", "13");
            throw error;
        }
        std::string key = request.header("sec-websocket-key");
        if (!http::valid_websocket_key(key))
            throw http::ApiError(400, "BadHandshake", "Sec-WebSocket-Key must be base64 of 16 bytes");
        // A run named in the query streams at once: a browser's
        // new WebSocket(url) may never send a message.
        const std::string query_run_id = query_value(request, "run_id");
        const long long query_after = query_resume_point(request);
        auto session = std::make_shared<Session>();
        session->principal = request.principal;
        session->started = !query_run_id.empty();
        http::WebSocketHub& hub = *context.websockets;
        http::WebSocketId id = hub.reserve();
        // What the client sends reaches the hub, not Pistache's HTTP parser.
        auto connection = responder.take_over([&hub, id](std::string_view bytes) { hub.deliver(id, bytes); });
        if (!connection) return;
        std::string handshake = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                "Sec-WebSocket-Accept: " +
                                http::websocket_accept(key) + "\r\nX-Request-ID: " + connection->request_id() +
                                "\r\n" + connection->extra_headers() + "\r\n";
        runs::EventFeed& feed = context.runs.feed();
        http::WebSocketHub::Handlers handlers;
        handlers.on_text = [&context, &hub, session](http::WebSocketId, const std::string& text) {
            // Only the first message means something, and only when the
            // query named no run; later ones are ignored.
            if (session->started.exchange(true)) return;
            start(context, hub, session, text);
        };
        handlers.on_closed = [&feed, session](http::WebSocketId) {
            session->over = true;
            if (uint64_t id = session->subscription.load()) feed.unfollow(id);
        };
        session->id = id;
        hub.open(id, std::move(connection), std::move(handshake), std::move(handlers));
        // After open: the hub applies its commands in order, so what
        // follow sends goes out after the handshake.
        if (!query_run_id.empty()) follow(context, hub, session, query_run_id, query_after);
    });
}

}  // namespace agenthost::api
