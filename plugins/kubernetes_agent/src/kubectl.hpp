// Applying manifests to a live cluster through the operator's kubectl:
// `kubectl [args...] apply -f <file>` with the YAML in a private temporary
// file, its output captured and a deadline enforced.
#pragma once

#include <string>
#include <vector>

namespace k8s {

struct KubectlSettings {
    std::string path;               // empty: no kubectl configured
    std::vector<std::string> args;  // e.g. --context staging --namespace web
    int timeout_seconds = 120;
};

struct KubectlResult {
    int exit_code = -1;  // -1: killed at the deadline or could not start
    std::string output;  // stdout and stderr together, at most 64 KiB kept
    bool timed_out = false;
};

// Runs kubectl apply on `yaml`; never throws for kubectl's own failures
// (they are in the result), only for local ones (temp file, spawn).
KubectlResult kubectl_apply(const KubectlSettings& settings, const std::string& yaml);

}  // namespace k8s
