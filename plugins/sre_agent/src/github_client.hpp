// GitHub's REST API as sre_agent uses it to open a pull request: read a
// commit (its files and parent), read a file at a ref, make a branch from
// the default branch's head, commit file contents on it (contents API) and
// open the pull request. Every call goes through a transport the plugin
// glue binds to the host's outbound HTTP (callback_run_http_request), so
// this file knows nothing of the SDK and tests drive it with a fake.
#ifndef SRE_AGENT_GITHUB_CLIENT_HPP
#define SRE_AGENT_GITHUB_CLIENT_HPP

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sre {

struct HttpReply {
    int status = 0;
    std::string body;
};
using Headers = std::vector<std::pair<std::string, std::string>>;
// method, url, headers, body -> the reply; throws std::runtime_error when
// no answer came (refused by the host, unreachable, timed out).
using HttpTransport =
    std::function<HttpReply(const std::string& method, const std::string& url, const Headers& headers, const std::string& body)>;

// GitHub answered with an error: the status and GitHub's own message.
class GitHubError : public std::runtime_error {
  public:
    GitHubError(int status, const std::string& what) : std::runtime_error(what), status_(status) {}
    int status() const { return status_; }

  private:
    int status_;
};

struct RepoRef {
    std::string owner;
    std::string name;
    std::string default_branch;  // "" until known
    std::string full_name() const { return owner + "/" + name; }
};

// owner/name from a repository URL GitHub serves (https://host/o/r(.git),
// git@host:o/r.git, ssh://git@host/o/r.git) or an "o/r" full name.
std::optional<RepoRef> repo_from_url(const std::string& url);

struct CommitFile {
    std::string path;
    std::string status;         // added, removed, modified, renamed, copied, changed
    std::string previous_path;  // renamed: where it was
};

struct Commit {
    std::string sha;
    std::string parent;  // the first parent ("" for a root commit)
    std::string message;
    std::vector<CommitFile> files;
};

struct FileAtRef {
    std::string content;  // decoded
    std::string blob_sha;
};

// What the pull request's branch gets: a file's new content, or its removal.
struct FileChange {
    std::string path;
    std::string content;
    bool remove = false;
};

struct PullRequest {
    int number = 0;
    std::string url;
    std::string branch;
    std::string base;
};

struct GitHubSettings {
    std::string token;
    std::string api_base_url = "https://api.github.com";
    size_t max_files = 20;               // a revert or patch touching more is refused
    size_t max_file_bytes = 512 * 1024;  // per file
};

class GitHubClient {
  public:
    GitHubClient(GitHubSettings settings, HttpTransport transport)
        : settings_(std::move(settings)), transport_(std::move(transport)) {}

    std::string default_branch(const RepoRef& repo) const;
    Commit commit(const RepoRef& repo, const std::string& sha) const;
    // nullopt when the file does not exist at `ref` (404).
    std::optional<FileAtRef> file_at(const RepoRef& repo, const std::string& path, const std::string& ref) const;
    std::string branch_head(const RepoRef& repo, const std::string& branch) const;
    void create_branch(const RepoRef& repo, const std::string& branch, const std::string& sha) const;
    // One commit on `branch` per change (contents API).
    void commit_change(const RepoRef& repo, const std::string& branch, const FileChange& change,
                       const std::string& message) const;
    PullRequest open_pull_request(const RepoRef& repo, const std::string& head, const std::string& base,
                                  const std::string& title, const std::string& body) const;

    const GitHubSettings& settings() const { return settings_; }

  private:
    HttpReply call(const std::string& method, const std::string& path, const std::string& body = "") const;
    // Throws GitHubError naming `what` unless the reply is 2xx.
    static void expect_success(const HttpReply& reply, const std::string& what);

    GitHubSettings settings_;
    HttpTransport transport_;
};

// The parent's content of every file the commit changed (a removal for a
// file the commit added): what reverting it means, file by file. Refuses
// a commit with no parent, more than max_files files, or a file larger
// than max_file_bytes.
std::vector<FileChange> revert_changes(const GitHubClient& client, const RepoRef& repo, const Commit& commit);

// Branch from the default branch's head, one commit per change, then the
// pull request against the default branch. `repo.default_branch` is asked
// of GitHub when empty.
PullRequest submit_pull_request(const GitHubClient& client, RepoRef repo, const std::string& branch,
                                const std::vector<FileChange>& changes, const std::string& commit_message,
                                const std::string& title, const std::string& body);

std::string base64_encode(const std::string& data);
// Ignores line breaks (GitHub wraps at 60 columns); throws on other junk.
std::string base64_decode(const std::string& text);

}  // namespace sre

#endif  // SRE_AGENT_GITHUB_CLIENT_HPP
