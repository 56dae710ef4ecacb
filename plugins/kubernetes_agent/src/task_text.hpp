// What a free-text task says about the manifests to write. Only phrasings
// that cannot mean anything else count: a service name must be introduced
// ("called orders-api", "named ledger", "the checkout service", a
// hyphenated name after "for" or "deploy"), never taken from whatever word
// follows "to" or "for".
#ifndef KUBERNETES_AGENT_TASK_TEXT_HPP
#define KUBERNETES_AGENT_TASK_TEXT_HPP

#include <optional>
#include <string>
#include <string_view>

namespace k8s {

struct FromTask {
    std::optional<std::string> service;  // as written: may not be a valid name
    std::optional<std::string> image, namespace_, ingress_host, tls_secret, workload, storage_size, schedule;
    std::optional<int> port, replicas;
    bool tls = false;         // TLS or HTTPS asked for
    bool persistent = false;  // persistent storage asked for
    bool blue_green = false;
};

FromTask read_task(std::string_view task);

}  // namespace k8s

#endif
