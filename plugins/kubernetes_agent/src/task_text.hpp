// What a free-text task says about the manifests to write. Only phrasings
// that cannot mean anything else count; the service name comes from
// devkit::service_name_from_task (shared with the other DevOps agents).
#ifndef KUBERNETES_AGENT_TASK_TEXT_HPP
#define KUBERNETES_AGENT_TASK_TEXT_HPP

#include <optional>
#include <string>
#include <string_view>

namespace k8s {

struct FromTask {
    std::optional<std::string> service;  // as written: may not be a valid name
    std::optional<std::string> image, namespace_, ingress_host, tls_secret, workload, storage_size, schedule;
    // An environment the task deploys to ("to staging", "the production
    // environment"): the namespace when none is named, as with seed 001's
    // context.environment.
    std::optional<std::string> environment;
    std::optional<int> port, replicas;
    bool tls = false;         // TLS or HTTPS asked for
    bool persistent = false;  // persistent storage asked for
    bool blue_green = false;
};

FromTask read_task(std::string_view task);

}  // namespace k8s

#endif
