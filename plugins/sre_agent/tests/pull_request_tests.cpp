// sre_agent's open_pull_request: which commit the evidence points at, when
// no pull request is proposed and why, what a revert writes (the parent's
// content, through a fake GitHub behind the transport), how GitHub's
// refusals read, and the checks on a patch an LLM proposes.
#include <catch2/catch.hpp>

#include "github_client.hpp"
#include "pull_request_plan.hpp"

#include <rapidjson/document.h>

#include <map>

using Catch::Matchers::Contains;

namespace {

constexpr long long kFirstError = 1'000'000'000;

sre::SignalView log_error(const std::string& id, const std::string& message, long long at) {
    sre::SignalView s;
    s.id = id;
    s.kind = "log";
    s.service = "checkout";
    s.severity = "error";
    s.message = message;
    s.received_at_ms = at;
    s.repository = "shop";
    return s;
}

sre::SignalView push(const std::string& id, const std::string& repository, const std::string& full_name, long long at,
                     std::vector<sre::CommitView> commits) {
    sre::SignalView s;
    s.id = id;
    s.kind = "github";
    s.service = "github";
    s.severity = "info";
    s.repository = repository;
    s.repository_full_name = full_name;
    s.received_at_ms = at;
    s.message = "github push refs/heads/main";
    for (const auto& c : commits) s.message += "\n" + c.sha.substr(0, 12) + " " + c.message;
    s.commits = std::move(commits);
    return s;
}

const std::string kBadSha = "badc0ffee0000000000000000000000000000001";
const std::string kDocsSha = "d0c5000000000000000000000000000000000002";

// A failing deploy of checkout, and a push to shop ten minutes before with
// two commits: the one touching CartController is the suspect.
sre::Observation incident_with_push() {
    sre::Observation o;
    o.incident_id = "inc_42";
    o.title = "checkout: NullPointerException in CartController.total";
    o.service = "checkout";
    o.repository = "shop";
    o.repository_url = "https://github.com/acme/shop.git";
    o.default_branch = "main";
    o.first_seen_ms = kFirstError;
    o.now_ms = kFirstError + 60'000;
    o.evidence.push_back(push("g1", "shop", "acme/shop", kFirstError - 600'000,
                              {{kBadSha, "Make cart total lazy", {"src/main/java/shop/CartController.java"}},
                               {kDocsSha, "Fix a typo in the README", {"README.md"}}}));
    for (int i = 0; i < 20; ++i)
        o.signals.push_back(log_error("e" + std::to_string(i),
                                      "NullPointerException in CartController.total request=" + std::to_string(i),
                                      kFirstError + i * 1000));
    return o;
}

sre::Settings with_token() {
    sre::Settings settings;
    settings.github_token = "ghp_test";
    return settings;
}

incident::Analysis analysed(const sre::Observation& o) { return incident::analyse(sre::analysis_input(o)); }

// A GitHub in memory behind the transport: one repository acme/shop, files
// per ref, a commit and its parent; it records every call.
struct FakeGitHub {
    struct Call {
        std::string method, url, body;
        std::map<std::string, std::string> headers;
    };
    std::map<std::string, std::map<std::string, std::string>> files;  // ref -> path -> content
    std::map<std::string, std::string> branches{{"main", "head0000"}};
    std::string commit_json;
    std::vector<Call> calls;
    std::map<std::string, std::pair<int, std::string>> overrides;  // "METHOD path" -> reply
    int pulls = 0;

    sre::HttpTransport transport() {
        return [this](const std::string& method, const std::string& url, const sre::Headers& headers,
                      const std::string& body) {
            Call call{method, url, body, {}};
            for (const auto& [name, value] : headers) call.headers[name] = value;
            calls.push_back(call);
            return answer(method, url.substr(std::string("https://api.github.com").size()), body, call.headers);
        };
    }

    static std::string json_text(const rapidjson::Value& v, const char* name) {
        return v.IsObject() && v.HasMember(name) && v[name].IsString() ? v[name].GetString() : "";
    }

    sre::HttpReply answer(const std::string& method, const std::string& path, const std::string& body,
                          std::map<std::string, std::string>& headers) {
        if (auto o = overrides.find(method + " " + path.substr(0, path.find('?'))); o != overrides.end())
            return {o->second.first, o->second.second};
        if (headers["Authorization"] != "Bearer ghp_test") return {401, R"({"message":"Bad credentials"})"};
        rapidjson::Document parsed;
        parsed.Parse(body.c_str());
        const std::string repo = "/repos/acme/shop";
        if (method == "GET" && path == repo) return {200, R"({"default_branch":"main"})"};
        if (method == "GET" && path == repo + "/commits/" + kBadSha) return {200, commit_json};
        if (method == "GET" && path.rfind(repo + "/git/ref/heads/", 0) == 0) {
            auto b = branches.find(path.substr((repo + "/git/ref/heads/").size()));
            if (b == branches.end()) return {404, R"({"message":"Not Found"})"};
            return {200, R"({"object":{"sha":")" + b->second + R"("}})"};
        }
        if (method == "POST" && path == repo + "/git/refs") {
            std::string name = json_text(parsed, "ref").substr(11);
            if (branches.count(name)) return {422, R"({"message":"Reference already exists"})"};
            branches[name] = json_text(parsed, "sha");
            files[name] = files[branches["main"]];
            return {201, "{}"};
        }
        if (path.rfind(repo + "/contents/", 0) == 0) {
            std::string rest = path.substr((repo + "/contents/").size());
            std::string file;
            for (size_t i = 0; i < rest.size() && rest[i] != '?'; ++i)
                if (rest[i] == '%' && i + 2 < rest.size()) {
                    file += static_cast<char>(std::stoi(rest.substr(i + 1, 2), nullptr, 16));
                    i += 2;
                } else {
                    file += rest[i];
                }
            if (method == "GET") {
                std::string ref = rest.substr(rest.find("?ref=") + 5);
                auto at = files[ref].find(file);
                if (at == files[ref].end()) return {404, R"({"message":"Not Found"})"};
                std::string encoded = sre::base64_encode(at->second);
                // GitHub wraps its base64 at 60 columns.
                for (size_t i = 60; i < encoded.size(); i += 61) encoded.insert(i, "\n");
                return {200, R"({"type":"file","encoding":"base64","sha":"blob-)" + file + "@" + ref +
                                 R"(","size":)" + std::to_string(at->second.size()) + R"(,"content":")" +
                                 [&] {
                                     std::string escaped;
                                     for (char c : encoded) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
                                     return escaped;
                                 }() + "\"}"};
            }
            std::string branch = json_text(parsed, "branch");
            bool exists = files[branch].count(file) != 0;
            if (exists && json_text(parsed, "sha") != "blob-" + file + "@" + branch)
                return {409, R"({"message":"does not match"})"};
            if (method == "PUT") {
                files[branch][file] = sre::base64_decode(json_text(parsed, "content"));
                return {exists ? 200 : 201, "{}"};
            }
            if (method == "DELETE") {
                if (!exists) return {404, R"({"message":"Not Found"})"};
                files[branch].erase(file);
                return {200, "{}"};
            }
        }
        if (method == "POST" && path == repo + "/pulls") {
            if (!branches.count(json_text(parsed, "head"))) return {422, R"({"message":"Validation Failed"})"};
            ++pulls;
            return {201, R"({"number":)" + std::to_string(pulls) + R"(,"html_url":"https://github.com/acme/shop/pull/)" +
                             std::to_string(pulls) + "\"}"};
        }
        return {404, R"({"message":"Not Found"})"};
    }
};

FakeGitHub shop_with_bad_commit() {
    FakeGitHub github;
    // The parent, then the commit: it changed the controller, added a
    // cache file, removed a helper and renamed the config.
    github.files["parent0"] = {{"src/Cart Controller.java", "class Cart { int total() { return sum(); } }\n"},
                               {"src/Helper.java", "class Helper {}\n"},
                               {"config/old.yml", "cache: false\n"}};
    github.files["head0000"] = {{"src/Cart Controller.java", "class Cart { Integer total; }\n"},
                                {"src/LazyCache.java", "class LazyCache {}\n"},
                                {"config/new.yml", "cache: true\n"}};
    github.commit_json = R"({"sha":")" + kBadSha + R"(","commit":{"message":"Make cart total lazy\n\nDetails."},)"
                         R"("parents":[{"sha":"parent0"}],"files":[)"
                         R"({"filename":"src/Cart Controller.java","status":"modified"},)"
                         R"({"filename":"src/LazyCache.java","status":"added"},)"
                         R"({"filename":"src/Helper.java","status":"removed"},)"
                         R"({"filename":"config/new.yml","status":"renamed","previous_filename":"config/old.yml"}]})";
    return github;
}

}  // namespace

TEST_CASE("sre_agent pull requests: the commit whose files the errors name is the suspect, in the incident's repository") {
    sre::Observation o = incident_with_push();
    std::string why_not;
    auto suspect = sre::suspect_commit(o, why_not);
    INFO(why_not);
    REQUIRE(suspect);
    CHECK(suspect->commit.sha == kBadSha);
    CHECK(suspect->owner == "acme");
    CHECK(suspect->repo == "shop");
    CHECK_THAT(suspect->why, Contains("600 s before the first error") && Contains("cartcontroller"));

    // A push to another repository, or one long before, is no suspect.
    sre::Observation other = incident_with_push();
    other.evidence[0].repository = "billing";
    other.evidence[0].repository_full_name = "acme/billing";
    CHECK_FALSE(sre::suspect_commit(other, why_not));
    CHECK_THAT(why_not, Contains("no GitHub signal carries a commit to shop"));
    sre::Observation old = incident_with_push();
    old.evidence[0].received_at_ms = kFirstError - 2 * 3600 * 1000;
    CHECK_FALSE(sre::suspect_commit(old, why_not));

    // Without a URL in /api/repos, the signal's owner/name says where.
    sre::Observation no_url = incident_with_push();
    no_url.repository_url.clear();
    suspect = sre::suspect_commit(no_url, why_not);
    REQUIRE(suspect);
    CHECK(suspect->owner + "/" + suspect->repo == "acme/shop");

    // The incident must name its repository.
    sre::Observation nameless = incident_with_push();
    nameless.repository.clear();
    CHECK_FALSE(sre::suspect_commit(nameless, why_not));
    CHECK_THAT(why_not, Contains("names no repository"));
}

TEST_CASE("sre_agent pull requests: a revert is proposed only with a token, when allowed, once, for a change to roll back") {
    sre::Observation o = incident_with_push();
    incident::Analysis analysis = analysed(o);
    std::string why_not;
    auto plan = sre::plan_pull_request(o, analysis, with_token(), {}, why_not);
    INFO(why_not);
    REQUIRE(plan);
    CHECK(plan->action == "open_pull_request");
    CHECK(plan->service == "shop");
    CHECK(plan->commit == kBadSha);
    CHECK(plan->argv.empty());
    CHECK(sre::pull_request_title(*plan) == "Revert badc0ff: Make cart total lazy");
    CHECK(sre::branch_for(*plan, o.incident_id) == "sre/revert-badc0ffee000-inc_42");
    std::string body = sre::pull_request_body(*plan, o, "A bad commit", with_token());
    CHECK_THAT(body, Contains("Reverts " + kBadSha) && Contains("inc_42") && Contains("A bad commit") &&
                         Contains("NullPointerException in CartController.total") &&
                         Contains("GET /api/incidents/inc_42"));

    // No token: not proposed, and the reason says which setting.
    CHECK_FALSE(sre::plan_pull_request(o, analysis, sre::Settings{}, {}, why_not));
    CHECK_THAT(why_not, Contains("no GitHub token") && Contains("${GITHUB_TOKEN}"));
    // Not allowed.
    sre::Settings narrow = with_token();
    narrow.allowed_actions = {"rollout_undo"};
    CHECK_FALSE(sre::plan_pull_request(o, analysis, narrow, {}, why_not));
    CHECK_THAT(why_not, Contains("not in allowed_actions"));
    // Tried already (opened or failed): the loop goes on to the next option.
    CHECK_FALSE(sre::plan_pull_request(o, analysis, with_token(), {"open_pull_request:shop"}, why_not));
    CHECK_THAT(why_not, Contains("already attempted"));
    // Errors a restart fixes call for no revert.
    sre::Observation pool = incident_with_push();
    pool.evidence.clear();  // no change at all
    for (auto& s : pool.signals) s.message = "FATAL: too many connections for pool orders_rw";
    CHECK_FALSE(sre::plan_pull_request(pool, analysed(pool), with_token(), {}, why_not));
    CHECK_THAT(why_not, Contains("rolling a change back"));
}

TEST_CASE("sre_agent pull requests: a link template and hostile log text in the body") {
    sre::Observation o = incident_with_push();
    o.signals[0].message = "boom `rm -rf` @octocat\nsecond line";
    sre::Settings settings = with_token();
    settings.incident_link = "https://ops.example/incidents/{incident_id}";
    std::string why_not;
    auto plan = sre::plan_pull_request(o, analysed(o), settings, {}, why_not);
    REQUIRE(plan);
    std::string body = sre::pull_request_body(*plan, o, "cause", settings);
    CHECK_THAT(body, Contains("https://ops.example/incidents/inc_42"));
    CHECK(body.find("@octocat") == std::string::npos);  // no ping from a log line
    CHECK(body.find("`rm -rf`") == std::string::npos);  // no code span broken out of
}

TEST_CASE("sre_agent pull requests: the revert writes each file's parent content on a new branch and opens the PR") {
    FakeGitHub github = shop_with_bad_commit();
    sre::GitHubSettings settings;
    settings.token = "ghp_test";
    sre::GitHubClient client(settings, github.transport());
    sre::RepoRef repo{"acme", "shop", ""};
    sre::Commit commit = client.commit(repo, kBadSha);
    CHECK(commit.parent == "parent0");
    REQUIRE(commit.files.size() == 4);
    auto changes = sre::revert_changes(client, repo, commit);
    std::map<std::string, std::pair<bool, std::string>> by_path;
    for (const auto& c : changes) by_path[c.path] = {c.remove, c.content};
    CHECK(by_path["src/Cart Controller.java"] == std::make_pair(false, std::string("class Cart { int total() { return sum(); } }\n")));
    CHECK(by_path["src/LazyCache.java"].first);  // added by the commit: removed
    CHECK(by_path["src/Helper.java"] == std::make_pair(false, std::string("class Helper {}\n")));  // removed: back
    CHECK(by_path["config/new.yml"].first);
    CHECK(by_path["config/old.yml"] == std::make_pair(false, std::string("cache: false\n")));  // renamed: old name back

    sre::PullRequest pr = sre::submit_pull_request(client, repo, "sre/revert-badc0ffee000-inc_42", changes, "Revert",
                                                   "Revert badc0ff: Make cart total lazy", "body");
    CHECK(pr.url == "https://github.com/acme/shop/pull/1");
    CHECK(pr.base == "main");
    CHECK(github.branches["sre/revert-badc0ffee000-inc_42"] == "head0000");
    const auto& branch = github.files["sre/revert-badc0ffee000-inc_42"];
    CHECK(branch == github.files["parent0"]);  // the branch now holds exactly the parent's files
    // A file name with a space travels percent-encoded; the token as Bearer.
    bool encoded = false;
    for (const auto& call : github.calls) {
        CHECK(call.headers.at("Authorization") == "Bearer ghp_test");
        if (call.url.find("Cart%20Controller.java") != std::string::npos) encoded = true;
        CHECK(call.url.find(' ') == std::string::npos);
    }
    CHECK(encoded);
}

TEST_CASE("sre_agent pull requests: GitHub's refusals fail the action with a clear reason") {
    sre::GitHubSettings settings;
    settings.token = "ghp_test";
    sre::RepoRef repo{"acme", "shop", "main"};
    {
        FakeGitHub github = shop_with_bad_commit();
        sre::GitHubSettings wrong = settings;
        wrong.token = "expired";
        sre::GitHubClient client(wrong, github.transport());
        try {
            client.commit(repo, kBadSha);
            FAIL("no error");
        } catch (const sre::GitHubError& e) {
            CHECK(e.status() == 401);
            CHECK_THAT(std::string(e.what()), Contains("HTTP 401 Bad credentials") && Contains("github.token"));
        }
    }
    {
        FakeGitHub github = shop_with_bad_commit();
        sre::GitHubClient client(settings, github.transport());
        CHECK_THROWS_WITH(client.commit(repo, "0123456789abcdef"), Contains("HTTP 404") && Contains("0123456789abcdef"));
        CHECK_THROWS_WITH(client.commit(repo, "../../admin"), Contains("not a commit sha"));
    }
    {
        // The branch exists: a pull request for this incident was opened before.
        FakeGitHub github = shop_with_bad_commit();
        github.branches["sre/revert-badc0ffee000-inc_42"] = "old";
        sre::GitHubClient client(settings, github.transport());
        auto changes = sre::revert_changes(client, repo, client.commit(repo, kBadSha));
        try {
            sre::submit_pull_request(client, repo, "sre/revert-badc0ffee000-inc_42", changes, "m", "t", "b");
            FAIL("no error");
        } catch (const sre::GitHubError& e) {
            CHECK(e.status() == 422);
            CHECK_THAT(std::string(e.what()), Contains("already exists"));
        }
        CHECK(github.pulls == 0);
    }
    {
        FakeGitHub github = shop_with_bad_commit();
        github.overrides["POST /repos/acme/shop/pulls"] = {422, R"({"message":"Validation Failed","errors":[{"message":"A pull request already exists for acme:sre/x."}]})"};
        sre::GitHubClient client(settings, github.transport());
        CHECK_THROWS_WITH(sre::submit_pull_request(client, repo, "sre/x", {{"a.txt", "a", false}}, "m", "t", "b"),
                          Contains("HTTP 422 Validation Failed: A pull request already exists"));
    }
    {
        // Too many files, or a file too large, is refused before writing.
        FakeGitHub github = shop_with_bad_commit();
        sre::GitHubSettings small = settings;
        small.max_files = 2;
        sre::GitHubClient client(small, github.transport());
        CHECK_THROWS_WITH(sre::revert_changes(client, repo, client.commit(repo, kBadSha)),
                          Contains("more than github.max_files (2)"));
        small.max_files = 20;
        small.max_file_bytes = 10;
        sre::GitHubClient tiny(small, github.transport());
        CHECK_THROWS_WITH(sre::revert_changes(tiny, repo, tiny.commit(repo, kBadSha)), Contains("github.max_file_bytes"));
    }
    {
        // A root commit has nothing to go back to.
        FakeGitHub github = shop_with_bad_commit();
        github.commit_json = R"({"sha":")" + kBadSha + R"(","commit":{"message":"init"},"parents":[],"files":[{"filename":"a","status":"added"}]})";
        sre::GitHubClient client(settings, github.transport());
        CHECK_THROWS_WITH(sre::revert_changes(client, repo, client.commit(repo, kBadSha)), Contains("no parent"));
    }
}

TEST_CASE("sre_agent pull requests: an LLM's patch is checked, never taken as given") {
    sre::Settings settings = with_token();
    settings.github_max_files = 3;
    settings.github_max_file_bytes = 100;
    auto check = [&](const std::string& json) {
        rapidjson::Document patch;
        patch.Parse(json.c_str());
        sre::Plan plan;
        sre::apply_llm_patch(patch, settings, plan);
        return plan;
    };
    sre::Plan ok = check(R"({"title":"Guard the null total","files":[{"path":"src/Cart.java","content":"class Cart {}"}]})");
    REQUIRE(ok.patch_files.size() == 1);
    CHECK(ok.patch_files[0].first == "src/Cart.java");
    CHECK(sre::pull_request_title(ok) == "Fix: Guard the null total");

    const char* bad[][2] = {
        {R"({"title":"x","files":[{"path":"../etc/passwd","content":"x"}]})", "leaves the repository"},
        {R"({"title":"x","files":[{"path":"src/../../x","content":"x"}]})", "leaves the repository"},
        {R"({"title":"x","files":[{"path":"/etc/passwd","content":"x"}]})", "relative path"},
        {R"({"title":"x","files":[{"path":".git/config","content":"x"}]})", "touches .git"},
        {R"({"title":"x","files":[{"path":"sub/.GIT/hooks/pre-commit","content":"x"}]})", "touches .git"},
        {R"({"title":"x","files":[{"path":".github/workflows/ci.yml","content":"x"}]})", "does not change CI"},
        {R"({"title":"x","files":[{"path":"a\\b","content":"x"}]})", "relative path"},
        {R"({"title":"x","files":[{"path":"a\u0000b","content":"x"}]})", "control characters"},
        {R"({"title":"x","files":[{"path":"a","content":"x"},{"path":"a","content":"y"}]})", "appears twice"},
        {R"({"title":"x","files":[{"path":"a","content":"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789X"}]})", "github.max_file_bytes"},
        {R"({"title":"x","files":[{"path":"a","content":""},{"path":"b","content":""},{"path":"c","content":""},{"path":"d","content":""}]})", "github.max_files"},
        {R"({"title":"x","files":[]})", "non-empty array"},
        {R"({"files":[{"path":"a","content":"x"}]})", "patch.title"},
        {R"({"title":"x","files":[{"path":"a"}]})", "{\"path\": string"},
        {R"("rm -rf")", "must be an object"},
    };
    for (const auto& [json, why] : bad) {
        INFO(json);
        CHECK_THROWS_WITH(check(json), Contains(why));
    }
}

TEST_CASE("sre_agent pull requests: the LLM may pick the offered pull request, with or without a patch, and no other") {
    sre::Observation o = incident_with_push();
    incident::Analysis analysis = analysed(o);
    sre::Settings settings = with_token();
    std::string why_not;
    auto offered = sre::plan_pull_request(o, analysis, settings, {}, why_not);
    REQUIRE(offered);
    CHECK_THAT(sre::llm_question(o, analysis, settings, &*offered), Contains("open_pull_request (service shop: reverts commit badc0ffee000"));
    CHECK(sre::llm_question(o, analysis, settings, nullptr).find("open_pull_request") == std::string::npos);

    std::string cause;
    rapidjson::Document answer;
    answer.Parse(R"({"root_cause":"the lazy total","action":"open_pull_request","service":"shop","patch":null})");
    sre::Plan plan = sre::plan_from_llm(answer, settings, {}, {"checkout"}, cause, &*offered);
    CHECK(plan.action == "open_pull_request");
    CHECK(plan.commit == kBadSha);
    CHECK(plan.patch_files.empty());
    CHECK(cause == "the lazy total");

    answer.Parse(R"({"root_cause":"c","action":"open_pull_request","service":"shop",
                     "patch":{"title":"Null-safe total","files":[{"path":"src/main/java/shop/CartController.java","content":"fixed"}]}})");
    plan = sre::plan_from_llm(answer, settings, {}, {"checkout"}, cause, &*offered);
    REQUIRE(plan.patch_files.size() == 1);
    CHECK(sre::branch_for(plan, "inc_42") == "sre/fix-inc_42");

    answer.Parse(R"({"root_cause":"c","action":"open_pull_request","service":"shop",
                     "patch":{"title":"x","files":[{"path":"../../x","content":"x"}]}})");
    CHECK_THROWS_WITH(sre::plan_from_llm(answer, settings, {}, {"checkout"}, cause, &*offered), Contains("leaves the repository"));
    answer.Parse(R"({"root_cause":"c","action":"open_pull_request","service":"shop"})");
    CHECK_THROWS_WITH(sre::plan_from_llm(answer, settings, {}, {"checkout"}, cause, nullptr), Contains("not possible for this incident"));
}

TEST_CASE("sre_agent pull requests: repository URLs, base64 as GitHub wraps it") {
    for (const char* url : {"https://github.com/acme/shop", "https://github.com/acme/shop.git", "git@github.com:acme/shop.git",
                            "ssh://git@github.com/acme/shop.git", "acme/shop", "https://ghe.example/acme/shop/"}) {
        INFO(url);
        auto repo = sre::repo_from_url(url);
        REQUIRE(repo);
        CHECK(repo->full_name() == "acme/shop");
    }
    for (const char* url : {"/srv/repos/shop", "https://github.com/acme", "file:///srv/shop", "https://github.com/../x", ""})
        CHECK_FALSE(sre::repo_from_url(url));
    std::string binary;
    for (int i = 0; i < 256; ++i) binary += static_cast<char>(i);
    for (const std::string& text : {std::string(), std::string("a"), std::string("ab"), std::string("abc"), binary})
        CHECK(sre::base64_decode(sre::base64_encode(text)) == text);
    CHECK(sre::base64_decode("aGVs\nbG8=\n") == "hello");
    CHECK_THROWS(sre::base64_decode("aGVs*bG8="));
}

TEST_CASE("sre_agent pull requests: commits and the repository are read from what the host hands over") {
    rapidjson::Document d;
    d.Parse(R"({"incident":{"id":"inc_9","title":"t","service":"checkout","repository":"shop",
                "repository_url":"https://github.com/acme/shop","default_branch":"trunk","first_seen_ms":77},
                "signals":[],"recent_signals":[],
                "evidence":[{"id":"g","kind":"github","service":"github","repository":"shop","repository_full_name":"acme/shop",
                             "severity":"info","message":"github push","received_at_ms":5,
                             "commits":[{"sha":"abc","message":"m","added":["a"],"removed":["b"],"modified":["c"]},{"message":"no sha"}]}]})");
    sre::Observation o = sre::read_observation(d);
    CHECK(o.repository == "shop");
    CHECK(o.repository_url == "https://github.com/acme/shop");
    CHECK(o.default_branch == "trunk");
    CHECK(o.first_seen_ms == 77);
    REQUIRE(o.evidence.size() == 1);
    CHECK(o.evidence[0].repository_full_name == "acme/shop");
    REQUIRE(o.evidence[0].commits.size() == 1);
    CHECK(o.evidence[0].commits[0].files == std::vector<std::string>{"a", "b", "c"});

    rapidjson::Document config;
    config.Parse(R"({"github":{"token":"t","api_base_url":"https://ghe.example/api/v3","max_files":5,"max_file_bytes":99,
                     "incident_link":"https://x/{incident_id}"}})");
    sre::Settings settings = sre::settings_from(config);
    CHECK(settings.github_token == "t");
    CHECK(settings.github_api_base_url == "https://ghe.example/api/v3");
    CHECK(settings.github_max_files == 5);
    CHECK(settings.github_max_file_bytes == 99);
    CHECK(settings.allowed_actions.count("open_pull_request") == 1);
}

TEST_CASE("sre_agent pull requests: the plan a person approves survives as JSON, whole") {
    sre::Plan plan;
    plan.action = "open_pull_request";
    plan.service = "shop";
    plan.reason = "why";
    plan.commit = kBadSha;
    plan.commit_message = "Make cart total lazy\n\nbody";
    plan.owner = "acme";
    plan.repo = "shop";
    plan.patch_title = "t";
    plan.patch_files = {{"a/b.txt", std::string("x\0y\n\"", 5)}};
    rapidjson::Document parsed;
    parsed.Parse(sre::plan_to_json(plan).c_str());
    auto back = sre::plan_from_json(parsed);
    REQUIRE(back);
    CHECK(back->commit == plan.commit);
    CHECK(back->commit_message == plan.commit_message);
    CHECK(back->owner + "/" + back->repo == "acme/shop");
    CHECK(back->patch_files == plan.patch_files);
    parsed.Parse(R"({"action":"restart","owner":"acme","repo":"shop","commit":"x"})");
    CHECK_FALSE(sre::plan_from_json(parsed));
    parsed.Parse(R"({"action":"open_pull_request","owner":"","repo":"shop","commit":"x"})");
    CHECK_FALSE(sre::plan_from_json(parsed));
}
