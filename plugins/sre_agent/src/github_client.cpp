#include "github_client.hpp"

#include "json_text.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <regex>

namespace sre {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put(Writer& out, const char* key, const std::string& value) {
    out.Key(key);
    out.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

// Each path segment percent-encoded: a file name with spaces or '?' must
// not change the URL's meaning.
std::string encoded_path(const std::string& path) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : path) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~' || c == '/')
            out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// A sha or a branch name as GitHub accepts it in a URL or a ref.
bool is_ref_text(const std::string& ref) {
    static const std::regex pattern("^[A-Za-z0-9._/-]{1,255}$");
    return std::regex_match(ref, pattern) && ref.find("..") == std::string::npos && ref.front() != '/' &&
           ref.front() != '-';
}

std::string github_message(const std::string& body) {
    rapidjson::Document parsed;
    parsed.Parse(body.c_str());
    std::string message = json_text(parsed, "message");
    if (parsed.IsObject() && parsed.HasMember("errors") && parsed["errors"].IsArray())
        for (const auto& error : parsed["errors"].GetArray()) {
            std::string detail = error.IsString() ? std::string(error.GetString()) : json_text(error, "message");
            if (!detail.empty()) message += (message.empty() ? "" : ": ") + detail;
        }
    if (message.empty()) message = body.substr(0, 200);
    return message;
}

}  // namespace

std::optional<RepoRef> repo_from_url(const std::string& url) {
    static const std::regex full_name("^([A-Za-z0-9_.-]{1,100})/([A-Za-z0-9_.-]{1,100})$");
    static const std::regex web("^(?:https?|ssh|git)://(?:[^@/]+@)?[^/]+/([A-Za-z0-9_.-]{1,100})/([A-Za-z0-9_.-]{1,100}?)(?:\\.git)?/?$");
    static const std::regex scp("^[^@/:]+@[^:/]+:([A-Za-z0-9_.-]{1,100})/([A-Za-z0-9_.-]{1,100}?)(?:\\.git)?$");
    std::smatch match;
    if (!std::regex_match(url, match, full_name) && !std::regex_match(url, match, web) &&
        !std::regex_match(url, match, scp))
        return std::nullopt;
    RepoRef repo{match[1].str(), match[2].str(), ""};
    if (repo.owner == "." || repo.owner == ".." || repo.name == "." || repo.name == ".." || repo.name.empty())
        return std::nullopt;
    return repo;
}

HttpReply GitHubClient::call(const std::string& method, const std::string& path, const std::string& body) const {
    Headers headers = {{"Accept", "application/vnd.github+json"},
                       {"X-GitHub-Api-Version", "2022-11-28"},
                       {"Authorization", "Bearer " + settings_.token}};
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    std::string base = settings_.api_base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return transport_(method, base + path, headers, body);
}

void GitHubClient::expect_success(const HttpReply& reply, const std::string& what) {
    if (reply.status >= 200 && reply.status < 300) return;
    std::string why = github_message(reply.body);
    std::string hint;
    if (reply.status == 401) hint = " (the token is missing, wrong or expired: github.token)";
    else if (reply.status == 403) hint = " (the token may lack the repo/contents and pull_requests scopes)";
    else if (reply.status == 404) hint = " (no such repository, ref or file, or the token cannot see it)";
    throw GitHubError(reply.status, what + ": GitHub answered HTTP " + std::to_string(reply.status) + " " + why + hint);
}

std::string GitHubClient::default_branch(const RepoRef& repo) const {
    HttpReply reply = call("GET", "/repos/" + repo.full_name());
    expect_success(reply, "reading repository " + repo.full_name());
    rapidjson::Document parsed;
    parsed.Parse(reply.body.c_str());
    std::string branch = json_text(parsed, "default_branch");
    if (!is_ref_text(branch)) throw GitHubError(reply.status, "repository " + repo.full_name() + " names no default branch");
    return branch;
}

Commit GitHubClient::commit(const RepoRef& repo, const std::string& sha) const {
    if (!is_ref_text(sha)) throw GitHubError(0, "'" + sha + "' is not a commit sha");
    HttpReply reply = call("GET", "/repos/" + repo.full_name() + "/commits/" + sha);
    expect_success(reply, "reading commit " + sha + " of " + repo.full_name());
    rapidjson::Document parsed;
    parsed.Parse(reply.body.c_str());
    Commit commit;
    commit.sha = json_text(parsed, "sha");
    if (parsed.IsObject() && parsed.HasMember("commit")) commit.message = json_text(parsed["commit"], "message");
    if (parsed.IsObject() && parsed.HasMember("parents") && parsed["parents"].IsArray() && !parsed["parents"].Empty())
        commit.parent = json_text(parsed["parents"][0], "sha");
    if (parsed.IsObject() && parsed.HasMember("files") && parsed["files"].IsArray())
        for (const auto& file : parsed["files"].GetArray())
            commit.files.push_back({json_text(file, "filename"), json_text(file, "status"), json_text(file, "previous_filename")});
    if (commit.sha.empty()) throw GitHubError(reply.status, "GitHub's answer for commit " + sha + " has no sha");
    return commit;
}

std::optional<FileAtRef> GitHubClient::file_at(const RepoRef& repo, const std::string& path, const std::string& ref) const {
    HttpReply reply = call("GET", "/repos/" + repo.full_name() + "/contents/" + encoded_path(path) + "?ref=" + ref);
    if (reply.status == 404) return std::nullopt;
    expect_success(reply, "reading " + path + " at " + ref);
    rapidjson::Document parsed;
    parsed.Parse(reply.body.c_str());
    if (!parsed.IsObject() || json_text(parsed, "type") != "file")
        throw GitHubError(reply.status, path + " at " + ref + " is not a file");
    if (parsed.HasMember("size") && parsed["size"].IsUint64() && parsed["size"].GetUint64() > settings_.max_file_bytes)
        throw GitHubError(reply.status, path + " at " + ref + " is larger than " + std::to_string(settings_.max_file_bytes) +
                                            " bytes (github.max_file_bytes)");
    if (json_text(parsed, "encoding") != "base64")
        throw GitHubError(reply.status, path + " at " + ref + " came without its content (encoding '" +
                                            json_text(parsed, "encoding") + "')");
    FileAtRef file;
    file.content = base64_decode(json_text(parsed, "content"));
    file.blob_sha = json_text(parsed, "sha");
    if (file.content.size() > settings_.max_file_bytes)
        throw GitHubError(reply.status, path + " at " + ref + " is larger than " + std::to_string(settings_.max_file_bytes) +
                                            " bytes (github.max_file_bytes)");
    return file;
}

std::string GitHubClient::branch_head(const RepoRef& repo, const std::string& branch) const {
    if (!is_ref_text(branch)) throw GitHubError(0, "'" + branch + "' is not a branch name");
    HttpReply reply = call("GET", "/repos/" + repo.full_name() + "/git/ref/heads/" + branch);
    expect_success(reply, "reading the head of " + branch);
    rapidjson::Document parsed;
    parsed.Parse(reply.body.c_str());
    std::string sha = parsed.IsObject() && parsed.HasMember("object") ? json_text(parsed["object"], "sha") : "";
    if (sha.empty()) throw GitHubError(reply.status, "GitHub's answer for branch " + branch + " has no object.sha");
    return sha;
}

void GitHubClient::create_branch(const RepoRef& repo, const std::string& branch, const std::string& sha) const {
    if (!is_ref_text(branch)) throw GitHubError(0, "'" + branch + "' is not a branch name");
    rapidjson::StringBuffer buffer;
    Writer out(buffer);
    out.StartObject();
    put(out, "ref", "refs/heads/" + branch);
    put(out, "sha", sha);
    out.EndObject();
    HttpReply reply = call("POST", "/repos/" + repo.full_name() + "/git/refs", buffer.GetString());
    if (reply.status == 422 && github_message(reply.body).find("already exists") != std::string::npos)
        throw GitHubError(422, "creating branch " + branch + ": it already exists in " + repo.full_name() +
                                   " (a pull request for this incident was probably opened before)");
    expect_success(reply, "creating branch " + branch);
}

void GitHubClient::commit_change(const RepoRef& repo, const std::string& branch, const FileChange& change,
                                 const std::string& message) const {
    // Replacing or deleting a file names the blob it replaces.
    std::optional<FileAtRef> current = file_at(repo, change.path, branch);
    if (change.remove && !current) return;  // already gone
    rapidjson::StringBuffer buffer;
    Writer out(buffer);
    out.StartObject();
    put(out, "message", message);
    put(out, "branch", branch);
    if (!change.remove) put(out, "content", base64_encode(change.content));
    if (current) put(out, "sha", current->blob_sha);
    out.EndObject();
    HttpReply reply = call(change.remove ? "DELETE" : "PUT",
                           "/repos/" + repo.full_name() + "/contents/" + encoded_path(change.path), buffer.GetString());
    expect_success(reply, (change.remove ? "deleting " : "writing ") + change.path + " on " + branch);
}

PullRequest GitHubClient::open_pull_request(const RepoRef& repo, const std::string& head, const std::string& base,
                                            const std::string& title, const std::string& body) const {
    rapidjson::StringBuffer buffer;
    Writer out(buffer);
    out.StartObject();
    put(out, "title", title);
    put(out, "head", head);
    put(out, "base", base);
    put(out, "body", body);
    out.Key("maintainer_can_modify");
    out.Bool(true);
    out.EndObject();
    HttpReply reply = call("POST", "/repos/" + repo.full_name() + "/pulls", buffer.GetString());
    expect_success(reply, "opening the pull request " + head + " -> " + base);
    rapidjson::Document parsed;
    parsed.Parse(reply.body.c_str());
    PullRequest pr;
    pr.url = json_text(parsed, "html_url");
    if (parsed.IsObject() && parsed.HasMember("number") && parsed["number"].IsInt()) pr.number = parsed["number"].GetInt();
    pr.branch = head;
    pr.base = base;
    if (pr.url.empty()) throw GitHubError(reply.status, "GitHub opened the pull request but its answer has no html_url");
    return pr;
}

std::vector<FileChange> revert_changes(const GitHubClient& client, const RepoRef& repo, const Commit& commit) {
    if (commit.parent.empty())
        throw GitHubError(0, "commit " + commit.sha.substr(0, 12) + " has no parent: there is nothing to revert to");
    if (commit.files.empty()) throw GitHubError(0, "commit " + commit.sha.substr(0, 12) + " changes no file");
    if (commit.files.size() > client.settings().max_files)
        throw GitHubError(0, "commit " + commit.sha.substr(0, 12) + " changes " + std::to_string(commit.files.size()) +
                                 " files, more than github.max_files (" + std::to_string(client.settings().max_files) +
                                 "): revert it by hand");
    std::vector<FileChange> changes;
    for (const CommitFile& file : commit.files) {
        // A renamed file goes back under its old name.
        if (file.status == "renamed" && !file.previous_path.empty()) changes.push_back({file.path, "", true});
        const std::string& path = file.status == "renamed" && !file.previous_path.empty() ? file.previous_path : file.path;
        if (file.status == "added") {
            changes.push_back({path, "", true});
            continue;
        }
        std::optional<FileAtRef> before = client.file_at(repo, path, commit.parent);
        if (!before) {
            changes.push_back({path, "", true});  // it did not exist before the commit
            continue;
        }
        changes.push_back({path, before->content, false});
    }
    return changes;
}

PullRequest submit_pull_request(const GitHubClient& client, RepoRef repo, const std::string& branch,
                                const std::vector<FileChange>& changes, const std::string& commit_message,
                                const std::string& title, const std::string& body) {
    if (changes.empty()) throw GitHubError(0, "the pull request would change nothing");
    if (repo.default_branch.empty()) repo.default_branch = client.default_branch(repo);
    const std::string head = client.branch_head(repo, repo.default_branch);
    client.create_branch(repo, branch, head);
    for (const FileChange& change : changes) client.commit_change(repo, branch, change, commit_message);
    return client.open_pull_request(repo, branch, repo.default_branch, title, body);
}

std::string base64_encode(const std::string& data) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        unsigned n = (static_cast<unsigned char>(data[i]) << 16) | (static_cast<unsigned char>(data[i + 1]) << 8) |
                     static_cast<unsigned char>(data[i + 2]);
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += alphabet[n & 63];
    }
    if (i < data.size()) {
        unsigned n = static_cast<unsigned char>(data[i]) << 16;
        if (i + 1 < data.size()) n |= static_cast<unsigned char>(data[i + 1]) << 8;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += i + 1 < data.size() ? alphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string base64_decode(const std::string& text) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    bool padded = false;
    for (char c : text) {
        if (c == '\n' || c == '\r') continue;
        if (c == '=') {
            padded = true;
            continue;
        }
        int v = value(c);
        if (v < 0 || padded) throw std::runtime_error("the file's content is not valid base64");
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

}  // namespace sre
