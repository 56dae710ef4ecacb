#include "api/seed003_api.hpp"

#include "api/runs_api.hpp"
#include "api/stream_api.hpp"
#include "http/api_error.hpp"
#include "json/json_util.hpp"
#include "json/storable_text.hpp"

#include <functional>
#include <memory>

namespace agenthost::api {
namespace {

// Passes a handler's response on after adding seed 003's names: the run's
// id as "agent_run_id", and Location under /agent-run/.
class AgentRunNames : public http::ResponseChannel {
  public:
    explicit AgentRunNames(http::Responder to) : to_(std::move(to)) {}

    void send(http::HttpResponse response) override {
        rapidjson::Document body;
        body.Parse(response.body.c_str());
        if (!body.HasParseError() && body.IsObject() && body.HasMember("run_id") && body["run_id"].IsString()) {
            std::string id = body["run_id"].GetString();
            body.AddMember("agent_run_id", rapidjson::Value(id.c_str(), body.GetAllocator()), body.GetAllocator());
            response.body = json::serialize(body);
            for (auto& [name, value] : response.headers)
                if (name == "Location") value = "/agent-run/" + id;
        }
        to_.send(std::move(response));
    }
    std::unique_ptr<http::RawConnection> take_over(http::InputSink sink) override {
        return to_.take_over(std::move(sink));
    }
    void set_route(const std::string* pattern) override { to_.set_route(pattern); }

  private:
    http::Responder to_;
};

http::Responder with_agent_run_names(http::Responder responder) {
    return http::Responder(std::make_shared<AgentRunNames>(std::move(responder)));
}

// The body of POST /runs with the path's thread; a body naming another
// thread is a contradiction, refused.
void start_on_thread(ApiContext& context, const http::HttpRequest& request, http::Responder responder) {
    std::string thread_id = request.param("thread_id");
    // The id goes into the body handed to POST /runs; an id that body cannot
    // carry (a NUL would cut it short) is the path's fault, not the body's.
    if (const char* reason = json::unstorable_text_reason(thread_id); *reason)
        throw http::ApiError(400, "InvalidPath", "the thread id '" + thread_id + "' in the path " + reason,
                             {{"thread_id", reason}});
    std::string error;
    auto body = json::parse(request.body.empty() ? "{}" : request.body, error);
    if (!body) throw http::ApiError(400, "InvalidJSON", "request body is not valid JSON: " + error);
    if (!body->IsObject()) throw http::ApiError(422, "ValidationError", "request body must be a JSON object");
    if (const auto* named = json::get_member(*body, "thread_id"); named != nullptr && !named->IsNull()) {
        if (!named->IsString() || thread_id != named->GetString())
            throw http::ApiError(422, "ValidationError", "thread_id in the body differs from the path's '" + thread_id + "'",
                                 {{"thread_id", "must match the path or be left out"}});
    } else {
        body->RemoveMember("thread_id");
        body->AddMember("thread_id", json::string_value(thread_id, body->GetAllocator()), body->GetAllocator());
    }
    http::HttpRequest as_runs = request;
    as_runs.body = json::serialize(*body);
    create_run(context, as_runs, with_agent_run_names(std::move(responder)));
}

}  // namespace

void add_seed003_routes(http::Router& router, ApiContext& context) {
    for (const char* path : {"/thread/:thread_id/agent/start", "/threads/:thread_id/agent/start"}) {
        router.post(path, [&context](const http::HttpRequest& request, http::Responder responder) {
            start_on_thread(context, request, std::move(responder));
        });
    }
    router.get("/agent-run/:id", [&context](const http::HttpRequest& request, http::Responder responder) {
        with_agent_run_names(std::move(responder)).send(get_run(context, request));
    });
    router.get("/agent-run/:id/stream", [&context](const http::HttpRequest& request, http::Responder responder) {
        stream_run(context, request, responder);
    });
    router.post("/agent-run/:id/stop", [&context](const http::HttpRequest& request, http::Responder responder) {
        with_agent_run_names(std::move(responder)).send(cancel_run(context, request));
    });
}

}  // namespace agenthost::api
