#include "api/github_api.hpp"

#include "api/json_writer.hpp"
#include "api/request_body.hpp"
#include "api/run_json.hpp"
#include "api/tenancy.hpp"
#include "github/github_client.hpp"
#include "json/json_util.hpp"
#include "util/ids.hpp"

#include <filesystem>

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
    if (const rapidjson::Value* value = json::get_member(body, "repository_url"))  // seed 000's name
        analyzer_context.AddMember("repo_url", rapidjson::Value(*value, allocator), allocator);
    runs::InvokeRequest invoke;
    invoke.agent_name = "context_analyzer";
    invoke.task = "analyze " + json::get_string(body, "repo_url", json::get_string(body, "repository_url", json::get_string(body, "path")));
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

const github::GitHubSettings& settings(ApiContext& context) {
    static const github::GitHubSettings defaults;
    return context.github != nullptr ? *context.github : defaults;
}

template <typename Body>
auto calling_github(Body&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const github::GitHubError& error) {
        throw http::ApiError(error.status, error.status == 409 ? "GitHubNotConfigured" : "GitHubError", error.what());
    }
}

// The configured local folders, then (with a token) the account's repositories.
void repositories(ApiContext& context, const http::HttpRequest&, const http::Responder& responder) {
    const auto& github = settings(context);
    JsonWriter out;
    out->StartObject();
    out.key("repositories");
    out->StartArray();
    for (const auto& path : github.local_repositories) {
        out->StartObject();
        out.field("name", std::filesystem::path(path).filename().string());
        out.field("source", "local");
        out.field("path", path);
        out.field("exists", std::filesystem::is_directory(path));
        out->EndObject();
    }
    if (!github.token.empty()) {
        github::GitHubClient client(github);
        for (const auto& repository : calling_github([&] { return client.repositories(); })) {
            out->StartObject();
            out.field("name", repository.name);
            out.field("source", "github");
            out.field("full_name", repository.full_name);
            out.field("repo_url", repository.clone_url);
            out.field("default_branch", repository.default_branch);
            out.field("private", repository.is_private);
            out->EndObject();
        }
    }
    out->EndArray();
    out.field("github_connected", !github.token.empty());
    out->EndObject();
    responder.send(http::json_response(200, out.str()));
}

// The start of the GitHub App's OAuth flow: a fresh one-time state and the
// browser sent to GitHub's authorize page (302), or, for a script or a
// single-page app asking for JSON, the URL and state in the body (200).
void app_install(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    const auto& github = settings(context);
    if (github.client_id.empty() || context.oauth_states == nullptr)
        throw http::ApiError(409, "GitHubNotConfigured",
                             "no GitHub App OAuth client: set github.client_id and client_secret (GITHUB_CLIENT_ID, "
                             "GITHUB_CLIENT_SECRET)");
    const std::string state = context.oauth_states->issue();
    const std::string url = github::authorize_url(github, state);
    JsonWriter out;
    out->StartObject();
    out.field("authorize_url", url);
    out.field("state", state);
    out.field("expires_in", static_cast<size_t>(context.oauth_states->lifetime().count()));
    out->EndObject();
    const bool wants_json = request.header("accept").find("application/json") != std::string::npos;
    http::HttpResponse response = http::json_response(wants_json ? 200 : 302, out.str());
    if (!wants_json) response.headers.emplace_back("Location", url);
    response.headers.emplace_back("Cache-Control", "no-store");
    responder.send(response);
}

// GitHub sends the user back here with ?code=...&state=...: the code is
// exchanged for a user token at the configured OAuth base URL.
void app_callback(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    auto found = request.query.find("code");
    if (found == request.query.end() || found->second.empty() || found->second.size() > 512)
        throw http::ApiError(422, "ValidationError", "the callback needs ?code= (1 to 512 characters) from GitHub",
                             {{"/code", "missing or too long"}});
    auto state_entry = request.query.find("state");
    const std::string state = state_entry == request.query.end() ? "" : state_entry->second;
    // The state is checked before the code is spent: a forged callback
    // (another person's code in this browser) is refused without asking GitHub.
    std::string refusal = context.oauth_states != nullptr ? context.oauth_states->accept(state)
                                                          : "this host issues no OAuth states";
    if (!refusal.empty()) throw http::ApiError(403, "OAuthStateInvalid", refusal);
    github::GitHubClient client(settings(context));
    auto result = calling_github([&] {
        try {
            return client.exchange_code(found->second, state);
        } catch (const github::GitHubError& error) {
            // GitHub was not reached, so the code was not spent: the user's
            // retry of this callback must not be refused as a replay.
            if (error.status == 503 && context.oauth_states != nullptr) context.oauth_states->release(state);
            throw;
        }
    });
    JsonWriter out;
    out->StartObject();
    out.field("status", "connected");
    out.field("login", result.login);
    out.field("token_type", result.token_type);
    out.field("scope", result.scope);
    out.field("access_token", result.access_token);
    out->EndObject();
    responder.send(http::json_response(200, out.str()));
}

// The newest generated artifacts of a project as a pull request: a branch,
// a commit per file, the PR against the repository's default branch.
void pull_request(ApiContext& context, const http::HttpRequest& request, const http::Responder& responder) {
    rapidjson::Document body = read_json_body(request, "requests/github-pull-request");
    const std::string project_id = json::get_string(body, "project_id");
    if (context.deployments == nullptr) throw http::ApiError(503, "Unavailable", "deployments are not available on this host");
    auto project = with_store([&] { return context.deployments->project(request.principal.tenant, project_id); });
    if (!project) throw http::ApiError(404, "ProjectNotFound", "no deployment project '" + project_id + "'");
    std::string operation_id;
    auto files = with_store([&] { return context.deployments->generated_files(*project, operation_id); });
    if (files.empty())
        throw http::ApiError(409, "NothingGenerated",
                             "project '" + project_id + "' has no succeeded generate operation: run it first");
    std::string full_name = json::get_string(body, "repository");
    if (full_name.empty()) full_name = github::full_name_of(project->repository);
    if (full_name.empty())
        throw http::ApiError(422, "ValidationError",
                             "the project's repository (" + project->repository +
                                 ") is not a GitHub URL: name it as repository (owner/name)",
                             {{"/repository", "required for this project"}});
    std::vector<github::FileChange> changes;
    std::string listed;
    for (const auto& [path, content] : files) {
        changes.push_back({path, content});
        listed += "- `" + path + "`\n";
    }
    const std::string branch = "agenthost/deploy-" + project_id + "-" + operation_id.substr(operation_id.size() - 8);
    const std::string title = json::get_string(body, "title", "Deployment files for " + project_id + " (agenthost)");
    const std::string description = "Generated by agenthost's dockerfile_generator and terraform_generator (operation " +
                                    operation_id + "):\n\n" + listed;
    github::GitHubClient client(settings(context));
    auto pull = calling_github([&] { return client.open_pull_request(full_name, changes, branch, title, description); });
    JsonWriter out;
    out->StartObject();
    out.field("project_id", project_id);
    out.field("repository", full_name);
    out.field("operation_id", operation_id);
    out.field("branch", pull.branch);
    out.field("base", pull.base);
    out.field("number", static_cast<size_t>(pull.number));
    out.field("pull_request_url", pull.url);
    out.key("files");
    out->StartArray();
    for (const auto& change : changes) out.string(change.path);
    out->EndArray();
    out->EndObject();
    responder.send(http::json_response(201, out.str()));
}

}  // namespace

// Every route but install calls GitHub: off the reactor threads.
void add_github_routes(http::Router& router, ApiContext& context) {
    router.get("/github/repos", waits_outside(context, [&context](const http::HttpRequest& request, http::Responder responder) {
        repositories(context, request, responder);
    }));
    router.get("/github/app/install", [&context](const http::HttpRequest& request, http::Responder responder) {
        app_install(context, request, responder);
    });
    router.get("/github/app/callback",
               waits_outside(context, [&context](const http::HttpRequest& request, http::Responder responder) {
                   app_callback(context, request, responder);
               }));
    router.post("/github/pull-requests",
                waits_outside(context, [&context](const http::HttpRequest& request, http::Responder responder) {
                    pull_request(context, request, responder);
                }));
    router.post("/github/analyze", [&context](const http::HttpRequest& request, http::Responder responder) {
        analyze(context, request, responder);
    });
}

}  // namespace agenthost::api
