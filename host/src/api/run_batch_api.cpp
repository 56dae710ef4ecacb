#include "api/run_batch_api.hpp"

#include "api/json_writer.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/runs_api.hpp"
#include "api/task_routing.hpp"
#include "api/tenancy.hpp"
#include "api/webhooks_api.hpp"
#include "json/schema_catalog.hpp"
#include "util/time_format.hpp"

#include <memory>
#include <optional>

namespace agenthost::api {
namespace {

// One item's fate before the commit: a request to store, or its error.
struct Item {
    std::optional<runs::InvokeRequest> request;
    std::optional<http::ApiError> error;
};

Item check_item(ApiContext& context, const http::HttpRequest& request, const rapidjson::Value& body, size_t index) {
    Item item;
    try {
        std::string at = "/" + std::to_string(index);
        auto violations = json::host_schema("requests/run-create").validate(body, at);
        if (!violations.empty())
            throw http::ApiError(422, "ValidationError", "run " + std::to_string(index) + " is invalid: " +
                                                             json::describe(violations),
                                 http::to_details(violations));
        check_webhook_fields(body, context.webhooks);
        runs::InvokeRequest invoke = invoke_request_from(body);
        claim_for_caller(context, request, invoke);
        check_run_options(context, invoke.options);
        route_if_unnamed(context, invoke, at + "/agent_name");
        if (auto rejection = context.runs.check(invoke)) throw rejection_error(*rejection);
        invoke.warnings = context.runs.warnings(invoke);  // in each run's run.queued event
        item.request = std::move(invoke);
    } catch (const http::ApiError& error) {
        item.error = error;
    }
    return item;
}

void write_error(JsonWriter& out, const http::ApiError& error, const std::string& request_id) {
    out.raw(http::error_response(error, request_id).body);
}

void create_batch(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    rapidjson::Document body = read_json_body(request, "requests/runs-batch");
    auto items = std::make_shared<std::vector<Item>>();
    items->reserve(body.Size());
    std::vector<runs::InvokeRequest> accepted;
    for (rapidjson::SizeType i = 0; i < body.Size(); ++i) {
        items->push_back(check_item(context, request, body[i], i));
        if (items->back().request) accepted.push_back(*items->back().request);
    }
    std::string request_id = request.request_id;
    auto answer = [items, request_id](const std::vector<std::pair<store::RunRecord, std::string>>& stored) {
        JsonWriter out;
        size_t next = 0, count_accepted = 0, count_rejected = 0;
        out->StartObject();
        out.key("results");
        out->StartArray();
        for (size_t i = 0; i < items->size(); ++i) {
            const Item& item = (*items)[i];
            out->StartObject();
            out.field("index", i);
            std::optional<http::ApiError> error = item.error;
            const store::RunRecord* run = nullptr;
            if (!error) {
                const auto& [record, refused] = stored[next++];
                if (!refused.empty()) error = submit_error(refused);
                else run = &record;
            }
            if (run != nullptr) {
                ++count_accepted;
                out.field("status", static_cast<size_t>(202));
                out.key("run");
                out->StartObject();
                out.field("run_id", run->id);
                out.field("thread_id", run->thread_id);
                out.field("status", run->status);
                if (run->run_after_ms != 0) out.field("run_after", iso8601_ms(run->run_after_ms));
                out->EndObject();
            } else {
                ++count_rejected;
                out.field("status", static_cast<size_t>(error->status));
                out.key("error");
                write_error(out, *error, request_id);
            }
            out->EndObject();
        }
        out->EndArray();
        out.field("accepted", count_accepted);
        out.field("rejected", count_rejected);
        out->EndObject();
        return http::json_response(200, out.str());
    };
    if (accepted.empty()) {
        responder.send(answer({}));
        return;
    }
    context.runs.submit_batch(accepted, [responder, request_id, answer](
                                            const std::vector<std::pair<store::RunRecord, std::string>>& stored,
                                            const std::string& error) {
        // Answered on the writer thread, after the commit.
        if (!error.empty()) {
            responder.send(http::error_response(store_error(error), request_id));
            return;
        }
        responder.send(answer(stored));
    });
}

}  // namespace

void add_run_batch_routes(http::Router& router, ApiContext& context) {
    router.post("/runs/batch", [&context](const http::HttpRequest& request, http::Responder responder) {
        create_batch(context, request, responder);
    });
}

}  // namespace agenthost::api
