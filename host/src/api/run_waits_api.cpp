#include "api/run_waits_api.hpp"

#include "api/json_writer.hpp"
#include "api/query_params.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/runs_api.hpp"
#include "api/tenancy.hpp"
#include "http/api_error.hpp"
#include "json/json_util.hpp"

#include <memory>

namespace agenthost::api {
namespace {

// The run when it ended, or 504 with where to look when the wait ran out.
http::HttpResponse ended_response(const store::RunRecord& run, bool timed_out, const std::string& request_id) {
    if (timed_out) {
        http::HttpResponse response = http::error_response(
            504, "RunWaitTimeout", "run " + run.id + " has not ended yet; it goes on (GET /runs/" + run.id + ")",
            request_id);
        response.headers.emplace_back("Location", "/runs/" + run.id);
        return response;
    }
    JsonWriter out;
    write_run(out, run);
    return http::json_response(200, out.str());
}

void wait_and_answer(ApiContext& context, const std::string& run_id, const http::Responder& responder,
                     const std::string& request_id) {
    context.runs.wait_for(run_id, [responder, request_id](const store::RunRecord& run, bool timed_out) {
        responder.send(ended_response(run, timed_out, request_id));
    });
}

// Turns POST /runs's 202 into a wait for that run; anything else (errors,
// an idempotent replay's answer) passes through as it is.
class WaitForAccepted : public http::ResponseChannel {
  public:
    WaitForAccepted(ApiContext& context, http::Responder to, std::string request_id)
        : context_(context), to_(std::move(to)), request_id_(std::move(request_id)) {}

    void send(http::HttpResponse response) override {
        if (response.status == 202) {
            rapidjson::Document body;
            body.Parse(response.body.c_str());
            if (!body.HasParseError() && body.IsObject() && body.HasMember("run_id") && body["run_id"].IsString()) {
                wait_and_answer(context_, body["run_id"].GetString(), to_, request_id_);
                return;
            }
        }
        to_.send(std::move(response));
    }
    std::unique_ptr<http::RawConnection> take_over(http::InputSink sink) override {
        return to_.take_over(std::move(sink));
    }
    void set_route(const std::string* pattern) override { to_.set_route(pattern); }

  private:
    ApiContext& context_;
    http::Responder to_;
    std::string request_id_;
};

http::HttpResponse bulk_cancel(ApiContext& context, const http::HttpRequest& request) {
    std::string error;
    auto body = json::parse(request.body, error);
    if (!body) throw http::ApiError(400, "InvalidJSON", "request body is not valid JSON: " + error);
    const rapidjson::Value* ids = body->IsObject() ? json::get_member(*body, "run_ids") : nullptr;
    std::string thread_id = body->IsObject() ? json::get_string(*body, "thread_id") : "";
    if ((ids == nullptr) == thread_id.empty())
        throw http::ApiError(422, "ValidationError", "give either run_ids (an array of run ids) or thread_id",
                             {{"/run_ids", "run_ids or thread_id, exactly one"}});
    std::vector<std::string> targets;
    if (ids != nullptr) {
        if (!ids->IsArray() || ids->Size() == 0 || ids->Size() > 1000)
            throw http::ApiError(422, "ValidationError", "run_ids must be an array of 1 to 1000 run ids",
                                 {{"/run_ids", "an array of 1 to 1000 strings"}});
        for (const auto& id : ids->GetArray()) {
            if (!id.IsString())
                throw http::ApiError(422, "ValidationError", "run_ids must hold strings", {{"/run_ids", "strings only"}});
            targets.emplace_back(id.GetString());
        }
    } else {
        store::RunFilter filter;
        filter.thread_id = thread_id;
        filter.limit = 500;
        restrict_to_caller(request, filter);
        for (const auto& run : with_store([&] { return context.runs.list(filter); }).runs)
            if (!store::run_status::is_terminal(run.status)) targets.push_back(run.id);
    }
    // Another tenant's runs are not there; the rest are cancelled together.
    std::vector<std::string> visible;
    std::vector<bool> shown(targets.size(), true);
    for (size_t i = 0; i < targets.size(); ++i) {
        try {
            if (!request.principal.sees_all_tenants()) visible_run(context, request, targets[i]);
            visible.push_back(targets[i]);
        } catch (const http::ApiError& e) {
            if (e.status != 404) throw;
            shown[i] = false;
        }
    }
    // rollback: each run is also deleted with its thread memory writes undone.
    std::string action = body->IsObject() ? json::get_string(*body, "action", "interrupt") : "interrupt";
    if (action != "interrupt" && action != "rollback")
        throw http::ApiError(422, "ValidationError", "unknown cancel action '" + action + "'",
                             {{"/action", "must be interrupt or rollback"}});
    std::vector<store::CancelOutcome> outcomes =
        with_store([&] { return context.runs.cancel_many(visible, actor_of(request), action == "rollback"); });
    JsonWriter out;
    out->StartObject();
    out.key("runs");
    out->StartArray();
    for (size_t i = 0, next = 0; i < targets.size(); ++i) {
        store::CancelOutcome outcome = shown[i] ? outcomes[next++] : store::CancelOutcome::not_found;
        out->StartObject();
        out.field("run_id", targets[i]);
        switch (outcome) {
            case store::CancelOutcome::cancelled: out.field("status", "cancelled"); break;
            case store::CancelOutcome::requested: out.field("status", "cancelling"); break;
            case store::CancelOutcome::already_finished: out.field("status", "already_finished"); break;
            case store::CancelOutcome::not_found: out.field("status", "not_found"); break;
        }
        out->EndObject();
    }
    out->EndArray();
    out->EndObject();
    return http::json_response(200, out.str());
}

}  // namespace

void add_run_wait_routes(http::Router& router, ApiContext& context) {
    router.post("/runs/wait", [&context](const http::HttpRequest& request, http::Responder responder) {
        auto waiting = std::make_shared<WaitForAccepted>(context, responder, request.request_id);
        create_run(context, request, http::Responder(waiting));
    });
    router.get("/runs/:id/join", [&context](const http::HttpRequest& request, http::Responder responder) {
        store::RunRecord run = visible_run(context, request, request.param("id"));
        wait_and_answer(context, run.id, responder, request.request_id);
    });
    router.add("DELETE", "/runs/:id", [&context](const http::HttpRequest& request, http::Responder responder) {
        store::RunRecord run = visible_run(context, request, request.param("id"));
        if (!store::run_status::is_terminal(run.status))
            throw http::ApiError(409, "RunNotFinished",
                                 "run " + run.id + " is " + run.status + "; only a finished run can be deleted (cancel it first)");
        if (!with_store([&] { return context.runs.delete_finished(run.id, actor_of(request)); }))
            throw http::ApiError(409, "RunNotFinished", "run " + run.id + " is not finished");
        http::HttpResponse gone;
        gone.status = 204;
        gone.content_type = "application/json";
        responder.send(std::move(gone));
    });
    router.post("/runs/cancel", [&context](const http::HttpRequest& request, http::Responder responder) {
        responder.send(bulk_cancel(context, request));
    });
}

}  // namespace agenthost::api
