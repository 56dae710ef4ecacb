#include "api/assistant_api.hpp"

#include "api/json_writer.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "assistant/assistant_service.hpp"
#include "json/json_util.hpp"
#include "util/log.hpp"

namespace agenthost::api {
namespace {

assistant::AssistantService service(ApiContext& context) {
    if (context.deployments == nullptr || context.threads == nullptr)
        throw http::ApiError(503, "Unavailable", "the assistant is not available on this host");
    return assistant::AssistantService(*context.deployments, *context.threads, context.llm);
}

// The context for a project id, else a thread id, of the caller's tenant.
assistant::AssistantContext find_context(ApiContext& context, const http::HttpRequest& request,
                                         const std::string& project_id, const std::string& thread_id) {
    auto assistant = service(context);
    std::optional<assistant::AssistantContext> found;
    if (!project_id.empty())
        found = with_store([&] { return assistant.context({request.principal.tenant, project_id, ""}); });
    if (!found && !thread_id.empty())
        found = with_store([&] { return assistant.context({request.principal.tenant, "", thread_id}); });
    if (!found)
        throw http::ApiError(404, "ContextNotFound",
                             "no deployment project or thread '" + (project_id.empty() ? thread_id : project_id) + "'");
    return std::move(*found);
}

void write_context(JsonWriter& out, const assistant::AssistantContext& found) {
    out.raw_field("context", json::serialize(found.json));
}

void chat(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    rapidjson::Document body = read_json_body(request, "requests/assistant-chat");
    const std::string message = json::get_string(body, "message");
    const std::string project_id = json::get_string(body, "project_id");
    const std::string thread_id = json::get_string(body, "thread_id");
    assistant::AssistantContext found;
    if (project_id.empty() && thread_id.empty()) {
        // No deployment named: an empty context, and the answer says so.
        found.json.Parse(R"({"services":[],"artifacts":[],"operations":[],"last_error":null})");
    } else {
        found = find_context(context, request, project_id, thread_id);
    }
    auto assistant = service(context);
    assistant::Answer answer;
    try {
        answer = assistant.answer(message, found);
    } catch (const std::exception& e) {
        // A provider that fails leaves the person with the offline answer, said so.
        log::warn("assistant: the LLM provider failed; answering offline", {{"error", e.what()}});
        answer = {assistant::AssistantService::offline_answer(message, found.json), "offline", "deterministic"};
    }
    JsonWriter out;
    out->StartObject();
    out.field("answer", answer.text);
    out.field("provider", answer.provider);
    out.field("model", answer.model);
    out.key("project_id");
    if (found.project_id.empty()) out->Null();
    else out.string(found.project_id);
    out.key("thread_id");
    if (found.thread_id.empty()) out->Null();
    else out.string(found.thread_id);
    write_context(out, found);
    out->EndObject();
    responder.send(http::json_response(200, out.str()));
}

void context_of(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    const std::string& id = request.param("id");
    auto found = find_context(context, request, id, id);
    JsonWriter out;
    out->StartObject();
    out.key("project_id");
    if (found.project_id.empty()) out->Null();
    else out.string(found.project_id);
    out.field("thread_id", found.thread_id);
    write_context(out, found);
    out->EndObject();
    responder.send(http::json_response(200, out.str()));
}

}  // namespace

void add_assistant_routes(http::Router& router, ApiContext& context) {
    // Asks the LLM provider: off the reactor threads.
    router.post("/assistant/chat", waits_outside(context, [&context](const http::HttpRequest& request,
                                                                     http::Responder responder) {
        chat(context, request, responder);
    }));
    router.get("/assistant/context/:id", [&context](const http::HttpRequest& request, http::Responder responder) {
        context_of(context, request, responder);
    });
}

}  // namespace agenthost::api
