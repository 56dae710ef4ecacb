#include "fake_github_server.hpp"

#include <openssl/evp.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <functional>

#include <chrono>

namespace agenthost::testing {
namespace {

std::string unbase64(const std::string& text) {
    std::string out(text.size(), '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                            static_cast<int>(text.size()));
    if (n < 0) return {};
    size_t padding = 0;
    for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) ++padding;
    out.resize(static_cast<size_t>(n) - padding);
    return out;
}

std::string base64(const std::string& data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(data.data()),
                            static_cast<int>(data.size()));
    out.resize(static_cast<size_t>(n));
    return out;
}

// A blob's id: stable for a content, as GitHub's is.
std::string blob_sha(const std::string& content) {
    char text[32];
    std::snprintf(text, sizeof text, "%016zx", std::hash<std::string>{}(content));
    return std::string("b10b") + text;
}

std::string quoted(const std::string& text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> out(buffer);
    out.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return buffer.GetString();
}

std::string member(const rapidjson::Document& body, const char* name) {
    return body.IsObject() && body.HasMember(name) && body[name].IsString() ? body[name].GetString() : "";
}

}  // namespace

FakeGitHubServer::FakeGitHubServer(std::string token, std::string client_id, std::string client_secret, std::string code,
                                   std::string user_token)
    : token_(std::move(token)),
      client_id_(std::move(client_id)),
      client_secret_(std::move(client_secret)),
      code_(std::move(code)),
      user_token_(std::move(user_token)),
      server_("fake GitHub", 0, std::chrono::seconds(10),
              [this](int fd, LoopbackRequest request) { answer(fd, std::move(request)); }) {}

std::vector<LoopbackRequest> FakeGitHubServer::requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
}
std::vector<FakeGitHubServer::File> FakeGitHubServer::files() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return files_;
}
std::map<std::string, std::string> FakeGitHubServer::branches() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return branches_;
}
std::vector<std::string> FakeGitHubServer::pull_requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return pulls_;
}

void FakeGitHubServer::add_commit(const std::string& sha, const std::string& parent, const std::string& message,
                                  const std::vector<std::pair<std::string, std::string>>& files) {
    std::string json = R"({"sha":")" + sha + R"(","commit":{"message":)" + quoted(message) + R"(},"parents":[)" +
                       (parent.empty() ? "" : R"({"sha":")" + parent + R"("})") + R"(],"files":[)";
    for (size_t i = 0; i < files.size(); ++i)
        json += std::string(i ? "," : "") + R"({"filename":)" + quoted(files[i].first) + R"(,"status":")" +
                files[i].second + R"("})";
    std::lock_guard<std::mutex> lock(mutex_);
    commits_[sha] = json + "]}";
}

void FakeGitHubServer::put_file_at(const std::string& ref, const std::string& path, const std::string& content) {
    std::lock_guard<std::mutex> lock(mutex_);
    files_at_[ref][path] = content;
}

std::map<std::string, std::string> FakeGitHubServer::files_at(const std::string& ref) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = files_at_.find(ref);
    return found == files_at_.end() ? std::map<std::string, std::string>{} : found->second;
}

void FakeGitHubServer::answer(int fd, LoopbackRequest request) {
    auto [status, body] = route(request);
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
                      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                      "\r\nConnection: close\r\n\r\n" + body;
    send_all(fd, out);
}

std::pair<int, std::string> FakeGitHubServer::route(const LoopbackRequest& request) {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(request);
    rapidjson::Document body;
    body.Parse(request.body.c_str());
    const std::string& path = request.path;
    if (request.method == "POST" && path == "/login/oauth/access_token") {
        if (member(body, "client_id") != client_id_ || member(body, "client_secret") != client_secret_)
            return {200, R"({"error":"incorrect_client_credentials","error_description":"The client_id and/or client_secret passed are incorrect."})"};
        if (member(body, "code") != code_)
            return {200, R"({"error":"bad_verification_code","error_description":"The code passed is incorrect or expired."})"};
        return {200, R"({"access_token":")" + user_token_ + R"(","token_type":"bearer","scope":"repo"})"};
    }
    const std::string& authorization = request.header("authorization");
    if (path == "/user" && authorization == "Bearer " + user_token_) return {200, R"({"login":"octocat"})"};
    if (authorization != "Bearer " + token_) return {401, R"({"message":"Bad credentials"})"};
    if (request.method == "GET" && path.rfind("/user/repos", 0) == 0)
        return {200, R"([{"name":"shop","full_name":"acme/shop","clone_url":"https://github.com/acme/shop.git",)"
                     R"("default_branch":"main","private":true}])"};
    if (request.method == "GET" && path == "/repos/acme/shop") return {200, R"({"full_name":"acme/shop","default_branch":"main"})"};
    if (request.method == "GET" && path.rfind("/repos/acme/shop/git/ref/heads/", 0) == 0) {
        auto branch = branches_.find(path.substr(std::string("/repos/acme/shop/git/ref/heads/").size()));
        if (branch == branches_.end()) return {404, R"({"message":"Not Found"})"};
        return {200, R"({"object":{"sha":")" + branch->second + R"("}})"};
    }
    if (request.method == "POST" && path == "/repos/acme/shop/git/refs") {
        std::string ref = member(body, "ref");
        if (ref.rfind("refs/heads/", 0) != 0 || member(body, "sha").empty()) return {422, R"({"message":"Invalid request"})"};
        std::string name = ref.substr(11);
        if (branches_.count(name) != 0) return {422, R"({"message":"Reference already exists"})"};
        branches_[name] = member(body, "sha");
        if (auto at = files_at_.find(member(body, "sha")); at != files_at_.end()) files_at_[name] = at->second;
        return {201, R"({"ref":")" + ref + R"("})"};
    }
    if (path.rfind("/repos/acme/shop/contents/", 0) == 0) {
        std::string file = path.substr(std::string("/repos/acme/shop/contents/").size());
        file = file.substr(0, file.find('?'));
        if (request.method == "GET") {
            size_t ref_at = path.find("?ref=");
            std::string ref = ref_at == std::string::npos ? "main" : path.substr(ref_at + 5);
            auto tree = files_at_.find(ref);
            if (tree == files_at_.end() || tree->second.count(file) == 0) return {404, R"({"message":"Not Found"})"};
            const std::string& content = tree->second.at(file);
            return {200, R"({"type":"file","encoding":"base64","size":)" + std::to_string(content.size()) +
                             R"(,"sha":")" + blob_sha(content) + R"(","content":)" + quoted(base64(content)) + "}"};
        }
        if (request.method == "PUT" || request.method == "DELETE") {
            std::string branch = member(body, "branch");
            if (branches_.count(branch) == 0 || member(body, "message").empty()) return {422, R"({"message":"Invalid request"})"};
            // Replacing or deleting names the blob it replaces, as GitHub requires.
            auto& tree = files_at_[branch];
            auto existing = tree.find(file);
            if (existing != tree.end() && member(body, "sha") != blob_sha(existing->second))
                return {409, R"({"message":"sha does not match"})"};
            if (request.method == "DELETE") {
                if (existing == tree.end()) return {404, R"({"message":"Not Found"})"};
                tree.erase(existing);
                files_.push_back({branch, file, "", true});
                return {200, R"({"content":null})"};
            }
            std::string content = unbase64(member(body, "content"));
            tree[file] = content;
            files_.push_back({branch, file, content});
            return {201, R"({"content":{"path":")" + file + R"("}})"};
        }
    }
    if (request.method == "GET" && path.rfind("/repos/acme/shop/commits/", 0) == 0) {
        auto commit = commits_.find(path.substr(std::string("/repos/acme/shop/commits/").size()));
        if (commit == commits_.end()) return {404, R"({"message":"No commit found for SHA"})"};
        return {200, commit->second};
    }
    if (request.method == "POST" && path == "/repos/acme/shop/pulls") {
        if (branches_.count(member(body, "head")) == 0) return {422, R"({"message":"Validation Failed"})"};
        pulls_.push_back(member(body, "head") + " -> " + member(body, "base") + ": " + member(body, "title"));
        const std::string number = std::to_string(pulls_.size());
        return {201, R"({"number":)" + number + R"(,"html_url":"https://github.com/acme/shop/pull/)" + number + R"("})"};
    }
    return {404, R"({"message":"Not Found"})"};
}

}  // namespace agenthost::testing
