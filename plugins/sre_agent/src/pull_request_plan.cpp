#include "pull_request_plan.hpp"

#include "github_client.hpp"
#include "json_text.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

namespace sre {
namespace {

constexpr long long kLookbackMs = 3600 * 1000;  // as incidentkit's change correlation
constexpr long long kLateMs = 300 * 1000;       // a push a little after the first error still counts

// Lower-case words of four characters or more: identifiers in errors
// ("CartController") meet file names and messages ("CartController.java").
std::set<std::string> words_of(const std::string& text) {
    std::set<std::string> words;
    std::string word;
    auto flush = [&] {
        if (word.size() >= 4) words.insert(word);
        word.clear();
    };
    for (unsigned char c : text) {
        if (std::isalnum(c)) word += static_cast<char>(std::tolower(c));
        else flush();
    }
    flush();
    return words;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string capped(std::string text, size_t size) {
    if (text.size() > size) text = text.substr(0, size - 3) + "...";
    return text;
}

// Log lines are not ours: an "@name" in one must not ping a GitHub user.
std::string quiet_mentions(std::string text) {
    for (size_t at = text.find('@'); at != std::string::npos; at = text.find('@', at + 2)) text.insert(at + 1, "\u200b");
    return text;
}

}  // namespace

std::optional<Suspect> suspect_commit(const Observation& observation, std::string& why_not) {
    if (observation.repository.empty()) {
        why_not = "the incident names no repository (log sources, Slack channels or the signal's \"repository\")";
        return std::nullopt;
    }
    std::optional<RepoRef> from_url;
    if (!observation.repository_url.empty()) from_url = repo_from_url(observation.repository_url);

    // When the errors began, and the words they use.
    long long first_error = observation.first_seen_ms;
    std::set<std::string> error_words;
    for (const auto& signal : observation.signals) {
        if (!signal.is_error()) continue;
        if (first_error == 0 || signal.received_at_ms < first_error) first_error = signal.received_at_ms;
        for (const auto& word : words_of(signal.message)) error_words.insert(word);
    }

    std::optional<Suspect> best;
    size_t best_overlap = 0;
    size_t candidates = 0;
    std::set<std::string> seen;
    for (const auto* list : {&observation.signals, &observation.evidence, &observation.recent})
        for (const auto& signal : *list) {
            if (signal.kind != "github" || signal.commits.empty()) continue;
            const bool same_repository =
                signal.repository == observation.repository || signal.repository_full_name == observation.repository ||
                (from_url && (signal.repository_full_name == from_url->full_name() ||
                              (signal.repository_full_name.empty() && signal.repository == from_url->name)));
            if (!same_repository) continue;
            if (first_error != 0 && (signal.received_at_ms < first_error - kLookbackMs ||
                                     signal.received_at_ms > first_error + kLateMs))
                continue;
            std::optional<RepoRef> where = from_url;
            if (!where && !signal.repository_full_name.empty()) where = repo_from_url(signal.repository_full_name);
            if (!where) continue;
            for (const auto& commit : signal.commits) {
                if (!seen.insert(commit.sha).second) continue;
                ++candidates;
                std::set<std::string> commit_words = words_of(commit.message);
                for (const auto& file : commit.files)
                    for (const auto& word : words_of(file)) commit_words.insert(word);
                std::vector<std::string> shared;
                std::set_intersection(commit_words.begin(), commit_words.end(), error_words.begin(), error_words.end(),
                                      std::back_inserter(shared));
                // More shared words wins; then the later push (and, within
                // one push, the later commit: GitHub lists them oldest first).
                const bool better = !best || shared.size() > best_overlap ||
                                    (shared.size() == best_overlap && signal.received_at_ms >= best->pushed_at_ms);
                if (!better) continue;
                best_overlap = shared.size();
                Suspect suspect;
                suspect.commit = commit;
                suspect.owner = where->owner;
                suspect.repo = where->name;
                suspect.repository = observation.repository;
                suspect.pushed_at_ms = signal.received_at_ms;
                long long lead_s = first_error != 0 ? (first_error - signal.received_at_ms) / 1000 : 0;
                suspect.why = "commit " + commit.sha.substr(0, 12) + " (\"" + capped(first_line(commit.message), 100) +
                              "\") pushed to " + where->full_name() +
                              (first_error == 0 ? std::string()
                               : lead_s >= 0 ? " " + std::to_string(lead_s) + " s before the first error"
                                             : " " + std::to_string(-lead_s) + " s after the first error");
                if (!shared.empty()) {
                    suspect.why += "; it shares";
                    for (size_t i = 0; i < shared.size() && i < 5; ++i) suspect.why += (i ? ", " : " ") + shared[i];
                    suspect.why += " with the errors";
                }
                best = std::move(suspect);
            }
        }
    if (!best)
        why_not = candidates == 0 ? "no GitHub signal carries a commit to " + observation.repository +
                                        " in the hour before the first error"
                                  : "no commit to " + observation.repository + " could be placed";
    return best;
}

std::optional<Plan> plan_pull_request(const Observation& observation, const incident::Analysis& analysis,
                                      const Settings& settings, const std::set<std::string>& done, std::string& why_not) {
    if (settings.allowed_actions.count("open_pull_request") == 0) {
        why_not = "open_pull_request is not in allowed_actions";
        return std::nullopt;
    }
    if (settings.github_token.empty()) {
        why_not = "no GitHub token is configured (agents.sre_agent.config.github.token, e.g. \"${GITHUB_TOKEN}\")";
        return std::nullopt;
    }
    const incident::Hypothesis* rollback = nullptr;
    for (size_t i = 0; i < analysis.hypotheses.size() && i < 3 && rollback == nullptr; ++i)
        if (analysis.hypotheses[i].action == "rollback") rollback = &analysis.hypotheses[i];
    if (rollback == nullptr) {
        why_not = "no leading hypothesis calls for rolling a change back";
        return std::nullopt;
    }
    std::optional<Suspect> suspect = suspect_commit(observation, why_not);
    if (!suspect) return std::nullopt;
    if (done.count("open_pull_request:" + suspect->repository) != 0) {
        why_not = "a pull request was already attempted for this incident";
        return std::nullopt;
    }
    Plan plan;
    plan.action = "open_pull_request";
    plan.service = suspect->repository;
    plan.reason = rollback->title + "; the suspect is " + suspect->why;
    plan.commit = suspect->commit.sha;
    plan.commit_message = suspect->commit.message;
    plan.owner = suspect->owner;
    plan.repo = suspect->repo;
    return plan;
}

std::string branch_for(const Plan& plan, const std::string& incident_id) {
    std::string suffix;
    for (char c : incident_id)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') suffix += c;
    if (suffix.size() > 40) suffix = suffix.substr(suffix.size() - 40);
    std::string what = plan.patch_files.empty() ? "revert-" + plan.commit.substr(0, 12) : "fix";
    std::string branch;
    for (char c : what)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') branch += c;
    return "sre/" + branch + (suffix.empty() ? "" : "-" + suffix);
}

std::string pull_request_title(const Plan& plan) {
    if (!plan.patch_files.empty()) return capped("Fix: " + first_line(plan.patch_title), 200);
    return capped("Revert " + plan.commit.substr(0, 7) + ": " + first_line(plan.commit_message), 200);
}

std::string pull_request_body(const Plan& plan, const Observation& observation, const std::string& root_cause,
                              const Settings& settings) {
    std::string body;
    body += plan.patch_files.empty()
                ? "Reverts " + plan.commit + " (the parent's content of every file it changed).\n\n"
                : "A patch proposed by the configured LLM for the incident below; review it with care.\n\n";
    body += "Opened by agenthost's sre_agent after a person approved it.\n\n";
    body += "**Incident:** " + observation.incident_id + ": " + quiet_mentions(capped(observation.title, 200)) + "\n";
    std::string link = settings.incident_link;
    for (size_t at = link.find("{incident_id}"); at != std::string::npos; at = link.find("{incident_id}", at))
        link.replace(at, 13, observation.incident_id);
    body += "**Link:** " + (link.empty() ? "`GET /api/incidents/" + observation.incident_id + "` on the agenthost" : link) +
            "\n";
    body += "**Hypothesis:** " + quiet_mentions(capped(root_cause, 500)) + "\n";
    body += "**Why this change:** " + quiet_mentions(capped(plan.reason, 800)) + "\n\n";
    body += "**Evidence** (the incident's signals):\n\n";
    size_t shown = 0;
    for (const auto* list : {&observation.signals, &observation.evidence})
        for (const auto& signal : *list) {
            if (shown >= 10 || signal.kind == "github") continue;
            ++shown;
            std::string line = signal.message;
            std::replace(line.begin(), line.end(), '`', '\'');
            std::replace(line.begin(), line.end(), '\n', ' ');
            body += "- `" + signal.severity + " " + signal.service + ": " + quiet_mentions(capped(line, 300)) + "`\n";
        }
    if (shown == 0) body += "- (no log or Slack signal)\n";
    return body;
}

void apply_llm_patch(const rapidjson::Value& patch, const Settings& settings, Plan& plan) {
    if (!patch.IsObject()) throw std::runtime_error("patch must be an object {\"title\", \"files\"}");
    auto title = patch.FindMember("title");
    if (title == patch.MemberEnd() || !title->value.IsString() || title->value.GetStringLength() == 0 ||
        title->value.GetStringLength() > 200)
        throw std::runtime_error("patch.title must be a string of 1 to 200 characters");
    auto files = patch.FindMember("files");
    if (files == patch.MemberEnd() || !files->value.IsArray() || files->value.Empty())
        throw std::runtime_error("patch.files must be a non-empty array of {\"path\", \"content\"}");
    if (files->value.Size() > settings.github_max_files)
        throw std::runtime_error("patch.files has " + std::to_string(files->value.Size()) +
                                 " files, more than github.max_files (" + std::to_string(settings.github_max_files) + ")");
    std::vector<std::pair<std::string, std::string>> out;
    std::set<std::string> paths;
    for (const auto& file : files->value.GetArray()) {
        auto path_member = file.IsObject() ? file.FindMember("path") : file.MemberEnd();
        auto content_member = file.IsObject() ? file.FindMember("content") : file.MemberEnd();
        if (!file.IsObject() || path_member == file.MemberEnd() || !path_member->value.IsString() ||
            content_member == file.MemberEnd() || !content_member->value.IsString())
            throw std::runtime_error("each of patch.files must be {\"path\": string, \"content\": string}");
        std::string path(path_member->value.GetString(), path_member->value.GetStringLength());
        std::string content(content_member->value.GetString(), content_member->value.GetStringLength());
        std::string shown = capped(path, 100);
        for (char& c : shown)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';  // the message stays one readable line
        const std::string quoted = "patch path \"" + shown + "\"";
        if (path.empty() || path.size() > 255) throw std::runtime_error(quoted + " must be 1 to 255 characters");
        if (path.front() == '/' || path.find('\\') != std::string::npos || path.find("//") != std::string::npos ||
            path.back() == '/')
            throw std::runtime_error(quoted + " must be a relative path inside the repository");
        if (std::any_of(path.begin(), path.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
            throw std::runtime_error(quoted + " has control characters");
        std::string lowered = path;
        std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
        size_t start = 0;
        while (start <= lowered.size()) {
            size_t end = lowered.find('/', start);
            std::string segment = lowered.substr(start, end == std::string::npos ? std::string::npos : end - start);
            if (segment == "." || segment == ".." || segment == ".git")
                throw std::runtime_error(quoted + " leaves the repository or touches .git");
            if (end == std::string::npos) break;
            start = end + 1;
        }
        if (lowered.rfind(".github/workflows/", 0) == 0)
            throw std::runtime_error(quoted + " is a GitHub Actions workflow: the agent does not change CI");
        if (content.size() > settings.github_max_file_bytes)
            throw std::runtime_error(quoted + " has " + std::to_string(content.size()) +
                                     " bytes, more than github.max_file_bytes (" +
                                     std::to_string(settings.github_max_file_bytes) + ")");
        if (!paths.insert(path).second) throw std::runtime_error(quoted + " appears twice");
        out.emplace_back(std::move(path), std::move(content));
    }
    plan.patch_title.assign(title->value.GetString(), title->value.GetStringLength());
    plan.patch_files = std::move(out);
}

std::string plan_to_json(const Plan& plan) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> out(buffer);
    auto put = [&](const char* key, const std::string& value) {
        out.Key(key);
        out.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    };
    out.StartObject();
    put("action", plan.action);
    put("service", plan.service);
    put("reason", plan.reason);
    put("commit", plan.commit);
    put("commit_message", plan.commit_message);
    put("owner", plan.owner);
    put("repo", plan.repo);
    put("patch_title", plan.patch_title);
    out.Key("patch_files");
    out.StartArray();
    for (const auto& [path, content] : plan.patch_files) {
        out.StartObject();
        put("path", path);
        put("content", content);
        out.EndObject();
    }
    out.EndArray();
    out.EndObject();
    return buffer.GetString();
}

std::optional<Plan> plan_from_json(const rapidjson::Value& value) {
    if (!value.IsObject()) return std::nullopt;
    Plan plan;
    plan.action = json_text(value, "action");
    plan.service = json_text(value, "service");
    plan.reason = json_text(value, "reason");
    plan.commit = json_text(value, "commit");
    plan.commit_message = json_text(value, "commit_message");
    plan.owner = json_text(value, "owner");
    plan.repo = json_text(value, "repo");
    plan.patch_title = json_text(value, "patch_title");
    if (auto files = value.FindMember("patch_files"); files != value.MemberEnd() && files->value.IsArray())
        for (const auto& file : files->value.GetArray())
            if (file.IsObject()) plan.patch_files.emplace_back(json_text(file, "path"), json_text(file, "content"));
    if (plan.action != "open_pull_request" || plan.owner.empty() || plan.repo.empty() ||
        (plan.commit.empty() && plan.patch_files.empty()))
        return std::nullopt;
    return plan;
}

}  // namespace sre
