#include "github/github_client.hpp"

#include "json/json_util.hpp"
#include "outbound/http_service.hpp"

#include <openssl/evp.h>

#include <regex>

namespace agenthost::github {
namespace {

std::string base64(const std::string& data) {
    std::string out(4 * ((data.size() + 2) / 3), '\0');
    int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
    out.resize(static_cast<size_t>(written));
    return out;
}

std::string host_of(const std::string& url) {
    static const std::regex pattern(R"re(^https?://([^/:]+))re");
    std::smatch match;
    return std::regex_search(url, match, pattern) ? match[1].str() : "";
}

std::string trimmed(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

std::string string_of(const rapidjson::Value& object, const char* name) {
    if (!object.IsObject()) return {};
    auto found = object.FindMember(name);
    return found != object.MemberEnd() && found->value.IsString() ? found->value.GetString() : "";
}

std::string message_of(const rapidjson::Value& body) {
    std::string message = string_of(body, "message");
    if (message.empty()) message = string_of(body, "error_description");
    if (message.empty()) message = string_of(body, "error");
    return message.empty() ? "no message" : message;
}

// A path segment of the contents API: each '/'-separated part percent-encoded.
std::string encoded_path(const std::string& path) {
    std::string out;
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else {
            char buffer[4];
            std::snprintf(buffer, sizeof buffer, "%%%02X", c);
            out += buffer;
        }
    }
    return out;
}

}  // namespace

std::string full_name_of(const std::string& repository_url) {
    static const std::regex https(R"re(^https?://[^/]+/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(\.git)?/?$)re");
    static const std::regex ssh(R"re(^[A-Za-z0-9_.-]+@[^:]+:([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(\.git)?$)re");
    std::smatch match;
    if (std::regex_match(repository_url, match, https) || std::regex_match(repository_url, match, ssh))
        return match[1].str() + "/" + match[2].str();
    return "";
}

GitHubClient::Answer GitHubClient::call(const std::string& method, const std::string& url, const std::string& token,
                                        const std::string& body_json) {
    rapidjson::Document request(rapidjson::kObjectType);
    auto& allocator = request.GetAllocator();
    request.AddMember("method", json::string_value(method, allocator), allocator);
    request.AddMember("url", json::string_value(url, allocator), allocator);
    rapidjson::Value headers(rapidjson::kObjectType);
    headers.AddMember("Accept", "application/vnd.github+json, application/json", allocator);
    headers.AddMember("User-Agent", "agenthost", allocator);
    headers.AddMember("X-GitHub-Api-Version", "2022-11-28", allocator);
    if (!token.empty()) headers.AddMember("Authorization", json::string_value("Bearer " + token, allocator), allocator);
    if (!body_json.empty()) headers.AddMember("Content-Type", "application/json", allocator);
    request.AddMember("headers", headers, allocator);
    if (!body_json.empty()) request.AddMember("body", json::string_value(body_json, allocator), allocator);
    request.AddMember("timeout_seconds", settings_.timeout_seconds, allocator);
    // The operator configured these hosts: reachable even on a private network.
    outbound::HttpSettings http;
    http.allowed_hosts = {host_of(settings_.api_base_url), host_of(settings_.oauth_base_url)};
    http.max_timeout_seconds = settings_.timeout_seconds;
    http.max_response_bytes = 8 * 1024 * 1024;
    outbound::HttpCall call{"github", &http, nullptr};
    auto answer = outbound::run_http(call, json::serialize(request));
    if (answer.status != outbound::HttpStatus::ok)
        throw GitHubError(503, "GitHub (" + host_of(url) + ") could not be reached: " + answer.error);
    rapidjson::Document response;
    response.Parse(answer.response_json.c_str());
    Answer out;
    out.status = response["status"].GetInt();
    const std::string text = response["body"].GetString();
    out.body.Parse(text.c_str());
    if (out.body.HasParseError()) out.body.SetObject();
    return out;
}

GitHubClient::Answer GitHubClient::api(const std::string& method, const std::string& path, const std::string& body_json) {
    if (settings_.token.empty())
        throw GitHubError(409, "no GitHub token is configured (github.token or GITHUB_TOKEN)");
    Answer answer = call(method, trimmed(settings_.api_base_url) + path, settings_.token, body_json);
    if (answer.status >= 400)
        throw GitHubError(502, "GitHub answered " + std::to_string(answer.status) + " to " + method + " " + path + ": " +
                                   message_of(answer.body));
    return answer;
}

std::vector<Repository> GitHubClient::repositories() {
    std::vector<Repository> out;
    for (int page = 1; page <= 10; ++page) {
        Answer answer = api("GET", "/user/repos?per_page=100&sort=updated&page=" + std::to_string(page));
        if (!answer.body.IsArray()) throw GitHubError(502, "GitHub's repository list is not a JSON array");
        for (const auto& entry : answer.body.GetArray()) {
            Repository repository;
            repository.name = string_of(entry, "name");
            repository.full_name = string_of(entry, "full_name");
            repository.clone_url = string_of(entry, "clone_url");
            repository.default_branch = string_of(entry, "default_branch");
            repository.is_private = entry.HasMember("private") && entry["private"].IsBool() && entry["private"].GetBool();
            out.push_back(std::move(repository));
        }
        if (answer.body.Size() < 100) break;
    }
    return out;
}

OAuthResult GitHubClient::exchange_code(const std::string& code, const std::string& state) {
    if (settings_.client_id.empty() || settings_.client_secret.empty())
        throw GitHubError(409, "the GitHub App's OAuth client is not configured (github.client_id and "
                               "github.client_secret, or GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET)");
    rapidjson::Document body(rapidjson::kObjectType);
    auto& allocator = body.GetAllocator();
    body.AddMember("client_id", json::string_value(settings_.client_id, allocator), allocator);
    body.AddMember("client_secret", json::string_value(settings_.client_secret, allocator), allocator);
    body.AddMember("code", json::string_value(code, allocator), allocator);
    if (!state.empty()) body.AddMember("state", json::string_value(state, allocator), allocator);
    Answer answer = call("POST", trimmed(settings_.oauth_base_url) + "/login/oauth/access_token", "", json::serialize(body));
    // GitHub answers a refused code with 200 and an "error" member.
    OAuthResult result;
    result.access_token = string_of(answer.body, "access_token");
    if (answer.status >= 400 || result.access_token.empty())
        throw GitHubError(502, "GitHub refused the OAuth code: " + message_of(answer.body));
    result.token_type = string_of(answer.body, "token_type");
    result.scope = string_of(answer.body, "scope");
    Answer user = call("GET", trimmed(settings_.api_base_url) + "/user", result.access_token, "");
    if (user.status < 400) result.login = string_of(user.body, "login");
    return result;
}

PullRequest GitHubClient::open_pull_request(const std::string& full_name, const std::vector<FileChange>& files,
                                            const std::string& branch, const std::string& title, const std::string& body) {
    const std::string repo = "/repos/" + full_name;
    Answer repository = api("GET", repo);
    PullRequest pull;
    pull.base = string_of(repository.body, "default_branch");
    if (pull.base.empty()) pull.base = "main";
    pull.branch = branch;
    Answer head = api("GET", repo + "/git/ref/heads/" + encoded_path(pull.base));
    std::string sha = head.body.HasMember("object") ? string_of(head.body["object"], "sha") : "";
    if (sha.empty()) throw GitHubError(502, "GitHub gave no commit for branch " + pull.base);
    rapidjson::Document ref(rapidjson::kObjectType);
    ref.AddMember("ref", json::string_value("refs/heads/" + branch, ref.GetAllocator()), ref.GetAllocator());
    ref.AddMember("sha", json::string_value(sha, ref.GetAllocator()), ref.GetAllocator());
    api("POST", repo + "/git/refs", json::serialize(ref));
    for (const auto& file : files) {
        // A file the base branch already has is replaced: the API wants its blob sha.
        Answer existing = call("GET", trimmed(settings_.api_base_url) + repo + "/contents/" + encoded_path(file.path) +
                                          "?ref=" + encoded_path(branch),
                               settings_.token, "");
        const std::string blob = existing.status == 200 ? string_of(existing.body, "sha") : "";
        rapidjson::Document put(rapidjson::kObjectType);
        auto& allocator = put.GetAllocator();
        put.AddMember("message", json::string_value("Add " + file.path + " (agenthost)", allocator), allocator);
        put.AddMember("content", json::string_value(base64(file.content), allocator), allocator);
        put.AddMember("branch", json::string_value(branch, allocator), allocator);
        if (!blob.empty()) put.AddMember("sha", json::string_value(blob, allocator), allocator);
        api("PUT", repo + "/contents/" + encoded_path(file.path), json::serialize(put));
    }
    rapidjson::Document pr(rapidjson::kObjectType);
    auto& allocator = pr.GetAllocator();
    pr.AddMember("title", json::string_value(title, allocator), allocator);
    pr.AddMember("head", json::string_value(branch, allocator), allocator);
    pr.AddMember("base", json::string_value(pull.base, allocator), allocator);
    pr.AddMember("body", json::string_value(body, allocator), allocator);
    Answer created = api("POST", repo + "/pulls", json::serialize(pr));
    pull.number = created.body.HasMember("number") && created.body["number"].IsInt() ? created.body["number"].GetInt() : 0;
    pull.url = string_of(created.body, "html_url");
    return pull;
}

std::string authorize_url(const GitHubSettings& settings, const std::string& state) {
    return trimmed(settings.oauth_base_url) + "/login/oauth/authorize?client_id=" + encoded_path(settings.client_id) +
           "&state=" + encoded_path(state);
}

}  // namespace agenthost::github
