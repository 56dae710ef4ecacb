// The context analyzer: resolves the repository (a local folder, or a git
// clone through the host's exec service into the run's workspace), reads its
// files, and answers the analysis, also kept in thread memory as
// `repository_context` for the generators that follow. It never runs the
// repository's code: git only clones, and nothing else is executed.
#include <agenthost/agent.hpp>
#include <devkit/context_fields.hpp>

#include <filesystem>
#include <string>

#include "analyzer.hpp"
#include "repository_source.hpp"

namespace {

struct Config {
    std::vector<std::string> local_roots;
    int clone_timeout_seconds = 120;
    int max_files = 5000;
};

Config config_from(const rapidjson::Document& json) {
    Config config;
    config.local_roots = devkit::string_list_field(json, "local_roots", "config.local_roots");
    config.clone_timeout_seconds =
        devkit::int_field(json, "clone_timeout_seconds", "config.clone_timeout_seconds", 1, 3600).value_or(120);
    config.max_files = devkit::int_field(json, "max_files", "config.max_files", 1, 100000).value_or(5000);
    return config;
}

std::string summary_of(const devkit::RepositoryContext& context) {
    std::string text = "analysed " + context.source + ": " + std::to_string(context.services.size()) + " service(s)";
    for (const auto& service : context.services) {
        text += "; " + service.name + " (" + service.language.value;
        if (service.framework.found()) text += ", " + service.framework.value;
        if (service.port.found()) text += ", port " + service.port.value;
        text += ")";
    }
    return text;
}

class ContextAnalyzer final : public agenthost::Agent {
  public:
    explicit ContextAnalyzer(agenthost::Host& host) : agenthost::Agent(host), config_(config_from(host.config())) {}

    rapidjson::Document invoke(agenthost::Run& run) override {
        const rapidjson::Value& context = run.context();
        ctx::RepositorySource source;
        try {
            auto path = devkit::string_field(context, "path", "context.path");
            auto url = devkit::string_field(context, "repo_url", "context.repo_url");
            auto ref = devkit::string_field(context, "ref", "context.ref");
            if (!path && !url) {
                std::string found = ctx::url_in_text(std::string(run.task()));
                if (!found.empty()) url = found;
            }
            source = ctx::resolve_source(path, url, ref, config_.local_roots);
        } catch (const devkit::FieldError& error) {
            throw agenthost::InvalidInput(error.what());
        } catch (const ctx::SourceError& error) {
            throw agenthost::InvalidInput(error.what());
        }
        std::string root = source.local_path;
        std::string commit;
        if (root.empty()) std::tie(root, commit) = clone(run, source);
        run.throw_if_cancelled();

        std::vector<std::string> warnings;
        ctx::TreeLimits limits;
        limits.max_files = static_cast<std::size_t>(config_.max_files);
        const auto files = ctx::read_tree(root, limits, warnings);
        run.progress("read " + std::to_string(files.size()) + " files", 0.7);
        devkit::RepositoryContext analysis = ctx::analyze(files, source.display, source.name);
        analysis.commit = commit;
        analysis.warnings.insert(analysis.warnings.begin(), warnings.begin(), warnings.end());
        for (const auto& service : analysis.services)
            run.progress("service " + service.name + " at " + service.path + ": " + service.language.value +
                         (service.framework.found() ? " / " + service.framework.value : ""));

        rapidjson::Document result = devkit::to_json(analysis);
        run.memory_put(devkit::repository_context_key, agenthost::json::serialize(result));
        auto& allocator = result.GetAllocator();
        result.AddMember("summary", agenthost::json::string(summary_of(analysis), allocator), allocator);
        run.progress("wrote repository_context to the thread's memory", 1.0);
        return result;
    }

  private:
    // git clone --depth 1 through the exec service; answers the clone's
    // folder and its HEAD commit.
    std::pair<std::string, std::string> clone(agenthost::Run& run, const ctx::RepositorySource& source) {
        if (run.workspace().empty())
            throw agenthost::Error(AGENTHOST_ERROR_UNAVAILABLE,
                                   "cloning needs the run's workspace (the exec permission on a host with ABI 1.2)");
        agenthost::ExecOptions options;
        options.argv = {"git", "-c", "protocol.allow=never", "-c", "protocol.https.allow=always", "-c",
                        "protocol.http.allow=always", "-c", "protocol.ssh.allow=always", "-c",
                        "protocol.git.allow=always", "-c", "protocol.file.allow=always", "-c", "core.symlinks=false",
                        "clone", "--depth", "1", "--no-tags", "--single-branch"};
        if (!source.ref.empty()) options.argv.insert(options.argv.end(), {"--branch", source.ref});
        options.argv.insert(options.argv.end(), {"--", source.url, "repo"});
        options.env = {{"GIT_TERMINAL_PROMPT", "0"}, {"GIT_LFS_SKIP_SMUDGE", "1"}};
        options.network = source.network;
        options.timeout_seconds = config_.clone_timeout_seconds;
        options.max_output_bytes = 256 * 1024;
        run.progress("cloning " + source.display, 0.1);
        agenthost::ExecResult cloned;
        try {
            cloned = run.exec(options);
        } catch (const agenthost::Cancelled&) {
            throw;
        } catch (const agenthost::Error& error) {
            throw agenthost::Error(error.status(),
                                   std::string("context_analyzer cannot clone: ") + error.what() +
                                       ". git runs through the host's exec service: the operator allows it with "
                                       "agents.context_analyzer.exec {\"allow\": [\"git\"], \"network\": true}");
        }
        if (!cloned.succeeded())
            throw agenthost::Error(AGENTHOST_ERROR_FAILED,
                                   "git clone of " + source.display + " failed" +
                                       (cloned.timed_out ? " (timed out)" : " (exit " + std::to_string(cloned.exit_code) + ")") +
                                       ": " + cloned.stderr_text);
        agenthost::ExecOptions head;
        head.argv = {"git", "rev-parse", "HEAD"};
        head.cwd = "repo";
        head.timeout_seconds = 30;
        agenthost::ExecResult revision = run.exec(head);
        std::string commit = revision.succeeded() ? revision.stdout_text : "";
        while (!commit.empty() && (commit.back() == '\n' || commit.back() == '\r')) commit.pop_back();
        return {(std::filesystem::path(std::string(run.workspace())) / "repo").string(), commit};
    }

    Config config_;
};

}  // namespace

AGENTHOST_AGENT(ContextAnalyzer, "context_analyzer", "0.1.0")
