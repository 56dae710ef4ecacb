#include "kubectl.hpp"

namespace k8s {

agenthost::ExecOptions kubectl_apply_options(const KubectlSettings& settings, const std::string& yaml) {
    agenthost::ExecOptions options;
    options.argv.push_back(settings.name);
    options.argv.insert(options.argv.end(), settings.args.begin(), settings.args.end());
    // The manifests go on stdin: nothing is written to disk, and the
    // sandbox needs no file shared with the plugin.
    for (const char* arg : {"apply", "-f", "-"}) options.argv.emplace_back(arg);
    options.stdin_data = yaml;
    options.timeout_seconds = settings.timeout_seconds;
    options.network = true;
    options.max_output_bytes = 64 * 1024;
    return options;
}

namespace {

// Throws the host's refusal with what the operator must set to allow the apply.
[[noreturn]] void throw_refused(const agenthost::Error& error, const KubectlSettings& settings) {
    if (error.status() == AGENTHOST_ERROR_CANCELLED) throw agenthost::Cancelled();
    throw agenthost::Error(error.status(),
                           std::string("kubernetes_agent cannot apply: ") + error.what() +
                               ". kubectl runs through the host's exec service: the operator allows it with "
                               "agents.kubernetes_agent.exec {\"allow\": [\"" + settings.name +
                               "\"], \"network\": true} and kubectl on the host's PATH");
}

}  // namespace

void check_kubectl_apply(const agenthost::Run& run, const KubectlSettings& settings) {
    if (const std::optional<agenthost::Error> refused = run.exec_refusal(kubectl_apply_options(settings, "")))
        throw_refused(*refused, settings);
}

KubectlResult kubectl_apply(const agenthost::Run& run, const KubectlSettings& settings, const std::string& yaml) {
    agenthost::ExecResult ran;
    try {
        ran = run.exec(kubectl_apply_options(settings, yaml));
    } catch (const agenthost::Cancelled&) {
        throw;
    } catch (const agenthost::Error& error) {
        throw_refused(error, settings);
    }
    KubectlResult result;
    result.exit_code = ran.signal != 0 ? -1 : ran.exit_code;
    result.timed_out = ran.timed_out;
    result.output = ran.stdout_text;
    if (!ran.stderr_text.empty()) result.output += (result.output.empty() ? "" : "\n") + ran.stderr_text;
    return result;
}

}  // namespace k8s
