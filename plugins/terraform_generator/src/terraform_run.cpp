#include "terraform_run.hpp"

#include <filesystem>
#include <fstream>

namespace terraform {
namespace {

std::string tail(const agenthost::ExecResult& result) {
    std::string text = result.stdout_text + (result.stderr_text.empty() ? "" : "\n" + result.stderr_text);
    return text.size() > 8000 ? text.substr(text.size() - 8000) : text;
}

// One command of change_infrastructure: `terraform <args...>` in `directory`.
agenthost::ExecOptions change_step(const RunSettings& settings, const std::string& directory,
                                   const std::vector<std::string>& args) {
    agenthost::ExecOptions options;
    options.argv = {settings.binary};
    options.argv.insert(options.argv.end(), args.begin(), args.end());
    options.cwd = directory;
    options.network = true;  // the cloud's API and the state backend
    options.timeout_seconds = settings.timeout_seconds;
    options.env = {{"TF_IN_AUTOMATION", "1"}, {"TF_INPUT", "0"}, {"CHECKPOINT_DISABLE", "1"}};
    return options;
}

std::vector<std::string> change_args(const std::string& action) {
    return {action, "-auto-approve", "-input=false", "-no-color"};
}

}  // namespace

RunOutcome run_terraform(agenthost::Run& run, const RunSettings& settings, const std::vector<devkit::Artifact>& files,
                         const std::string& directory, const std::string& tfvars_json) {
    RunOutcome outcome;
    if (settings.binary.empty()) {
        outcome.reason = "no terraform binary configured (agents.terraform_generator.config.terraform), so terraform "
                         "validate and plan were not run";
        return outcome;
    }
    if (run.workspace().empty()) {
        outcome.reason = "the run has no workspace (the exec permission on a host with ABI 1.2), so terraform was not run";
        return outcome;
    }
    namespace fs = std::filesystem;
    const fs::path root(std::string(run.workspace()));
    for (const auto& file : files) {
        const fs::path path = root / file.path;
        fs::create_directories(path.parent_path());
        std::ofstream(path) << file.content;
    }
    if (!tfvars_json.empty()) std::ofstream(root / directory / "terraform.tfvars.json") << tfvars_json;
    auto step = [&](std::vector<std::string> args, bool network) {
        agenthost::ExecOptions options;
        options.argv = {settings.binary};
        options.argv.insert(options.argv.end(), args.begin(), args.end());
        options.cwd = directory;
        options.network = network;
        options.timeout_seconds = settings.timeout_seconds;
        options.env = {{"TF_IN_AUTOMATION", "1"}, {"TF_INPUT", "0"}, {"CHECKPOINT_DISABLE", "1"}};
        run.progress("terraform " + args.front());
        return run.exec(options);
    };
    try {
        auto init = step({"init", "-backend=false", "-input=false", "-no-color"}, settings.network);
        if (!init.succeeded()) {
            outcome.validate = "failed";
            outcome.reason = "terraform init failed";
            outcome.output = tail(init);
            return outcome;
        }
        auto validate = step({"validate", "-no-color"}, false);
        outcome.validate = validate.succeeded() ? "passed" : "failed";
        outcome.output = tail(validate);
        if (!validate.succeeded()) {
            outcome.reason = "terraform validate failed";
            return outcome;
        }
        if (!settings.plan) {
            outcome.reason = "plan is off (config.run_plan)";
            return outcome;
        }
        if (tfvars_json.empty()) {
            outcome.reason = "plan needs the module's variables (context.variables)";
            return outcome;
        }
        auto plan = step({"plan", "-input=false", "-no-color", "-lock=false"}, true);
        outcome.plan = plan.succeeded() ? "passed" : "failed";
        outcome.output = tail(plan);
        if (!plan.succeeded()) outcome.reason = "terraform plan failed";
    } catch (const agenthost::Cancelled&) {
        throw;
    } catch (const agenthost::Error& error) {
        outcome.reason = std::string("the host refused to run terraform: ") + error.what() +
                         " (allow it with agents.terraform_generator.exec {\"allow\": [\"" + settings.binary +
                         "\"], \"network\": true})";
    }
    return outcome;
}

void check_change(const agenthost::Run& run, const RunSettings& settings, const std::string& directory,
                  const std::string& action) {
    // init needs the same binary and network as the change itself.
    if (const std::optional<agenthost::Error> refused =
            run.exec_refusal(change_step(settings, directory, change_args(action)))) {
        throw agenthost::Error(refused->status(), action + " cannot run here: " + refused->what() +
                                                   ". terraform runs through the host's exec service: the operator "
                                                   "allows it with agents.terraform_generator.exec {\"allow\": [\"" +
                                                   settings.binary + "\"], \"network\": true} and terraform on "
                                                   "the host's PATH");
    }
}

RunOutcome change_infrastructure(agenthost::Run& run, const RunSettings& settings, const std::vector<devkit::Artifact>& files,
                                 const std::string& directory, const std::string& tfvars_json, const std::string& action) {
    namespace fs = std::filesystem;
    const fs::path root(std::string(run.workspace()));
    for (const auto& file : files) {
        const fs::path path = root / file.path;
        fs::create_directories(path.parent_path());
        std::ofstream(path) << file.content;
    }
    if (!tfvars_json.empty()) std::ofstream(root / directory / "terraform.tfvars.json") << tfvars_json;
    auto step = [&](const std::vector<std::string>& args) {
        run.progress("terraform " + args.front());
        return run.exec(change_step(settings, directory, args));
    };
    RunOutcome outcome;
    std::vector<std::string> init = {"init", "-input=false", "-no-color"};
    if (!settings.backend_config.empty()) init.push_back("-backend-config=" + settings.backend_config);
    auto initialized = step(init);
    if (!initialized.succeeded())
        throw agenthost::Error(AGENTHOST_ERROR_FAILED, "terraform init failed: " + tail(initialized));
    auto changed = step(change_args(action));
    outcome.output = tail(changed);
    if (!changed.succeeded())
        throw agenthost::Error(AGENTHOST_ERROR_FAILED, "terraform " + action + " failed: " + outcome.output);
    outcome.validate = "passed";
    outcome.reason = "terraform " + action + " succeeded";
    return outcome;
}

}  // namespace terraform
