#include "api/github_api.hpp"

#include "api/json_writer.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/tenancy.hpp"
#include "json/json_util.hpp"

namespace agenthost::api {
namespace {

// {repo_url | path, ref?, thread_id?} -> a run of context_analyzer; the
// analysis lands in the thread's memory as repository_context.
void analyze(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    rapidjson::Document body = read_json_body(request, "requests/github-analyze");
    rapidjson::Document analyzer_context(rapidjson::kObjectType);
    auto& allocator = analyzer_context.GetAllocator();
    for (const char* name : {"repo_url", "path", "ref"})
        if (const rapidjson::Value* value = json::get_member(body, name))
            analyzer_context.AddMember(rapidjson::StringRef(name), rapidjson::Value(*value, allocator), allocator);
    runs::InvokeRequest invoke;
    invoke.agent_name = "context_analyzer";
    invoke.task = "analyze " + json::get_string(body, "repo_url", json::get_string(body, "path"));
    invoke.context_json = json::serialize(analyzer_context);
    invoke.thread_id = json::get_string(body, "thread_id");
    claim_for_caller(context, request, invoke);
    if (auto rejection = context.runs.check(invoke)) throw rejection_error(*rejection);
    const std::string request_id = request.request_id;
    context.runs.submit(invoke, [responder, request_id](const store::RunRecord& run, const std::string& error) {
        if (!error.empty()) {
            responder.send(http::error_response(submit_error(error), request_id));
            return;
        }
        JsonWriter out;
        out->StartObject();
        out.field("run_id", run.id);
        out.field("thread_id", run.thread_id);
        out.field("status", run.status);
        out->EndObject();
        http::HttpResponse response = http::json_response(202, out.str());
        response.headers.emplace_back("Location", "/runs/" + run.id);
        responder.send(response);
    });
}

}  // namespace

void add_github_routes(http::Router& router, ApiContext& context) {
    router.post("/github/analyze", [&context](const http::HttpRequest& request, http::Responder responder) {
        analyze(context, request, responder);
    });
}

}  // namespace agenthost::api
