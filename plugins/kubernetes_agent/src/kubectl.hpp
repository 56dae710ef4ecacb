// Applying manifests to a live cluster with the operator's kubectl, through
// the host's exec service (plugins never run programs themselves):
// `kubectl [args...] apply -f -` with the YAML on stdin, sandboxed by the
// host, with the network (the cluster is remote) and a deadline. The
// operator enables it with agents.kubernetes_agent.exec:
// {"allow": ["kubectl"], "network": true} (and read_only_paths / env for
// the kubeconfig).
#pragma once

#include <agenthost/agent.hpp>

#include <string>
#include <vector>

namespace k8s {

struct KubectlSettings {
    std::string name = "kubectl";   // the binary's name on the host's PATH
    std::vector<std::string> args;  // e.g. --context staging --namespace web
    int timeout_seconds = 120;
};

// The exec request for applying `yaml`.
agenthost::ExecOptions kubectl_apply_options(const KubectlSettings& settings, const std::string& yaml);

struct KubectlResult {
    int exit_code = -1;  // -1: killed (deadline, output cap, signal)
    std::string output;  // stdout, then stderr
    bool timed_out = false;
};

// Asks the host whether it would run kubectl apply, running nothing, so that
// no person is asked to approve an apply this host can never carry out.
// Throws agenthost::Error as kubectl_apply does when the host would refuse.
void check_kubectl_apply(const agenthost::Run& run, const KubectlSettings& settings);

// Runs kubectl apply through `run`'s exec service. Throws agenthost::Error
// with what the operator must configure when the host refuses (kubectl not
// allowed or not installed, no network, no sandbox here); kubectl's own
// failures are in the result.
KubectlResult kubectl_apply(const agenthost::Run& run, const KubectlSettings& settings, const std::string& yaml);

}  // namespace k8s
