// What generate() decided to write, after the context, the task and the
// defaults: the input of the object builders.
#ifndef KUBERNETES_AGENT_SPEC_HPP
#define KUBERNETES_AGENT_SPEC_HPP

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kubernetes.hpp"

namespace k8s {

enum class Workload { deployment, stateful_set, cron_job, job };

// A StatefulSet's volume claim per pod. Outside Spec: clang cannot default-
// construct a nested struct with member initializers inside its enclosing
// class (std::optional::emplace then fails in the fuzz build).
struct VolumeStorage {
    std::string size = "1Gi", mount_path = "/data";
    std::optional<std::string> storage_class;
};

struct Spec {
    std::string service, image, namespace_ = "default", health_path = "/healthz";
    Workload workload = Workload::deployment;
    int port = 8080, replicas = 2;
    Resources resources;
    std::map<std::string, std::string> env;
    struct SecretEnv {
        std::string name, secret, key;
    };
    std::vector<SecretEnv> secret_env;
    bool autoscaling = false;
    int min_replicas = 0, max_replicas = 0, cpu_percent = 70;
    std::optional<std::string> ingress_host;
    std::optional<std::string> tls_secret;  // with ingress_host: spec.tls
    std::optional<VolumeStorage> storage;  // StatefulSet only
    std::string schedule;           // CronJob only
    bool blue_green = false;        // Deployment only
};

// Long-running workloads get a Service, probes and a PodDisruptionBudget;
// CronJobs and Jobs run to completion and get none of them.
inline bool serves(const Spec& spec) {
    return spec.workload == Workload::deployment || spec.workload == Workload::stateful_set;
}
inline int lowest_replicas(const Spec& spec) { return spec.autoscaling ? spec.min_replicas : spec.replicas; }
inline std::string config_map_name(const Spec& spec) { return spec.service + "-config"; }
inline std::string headless_service_name(const Spec& spec) { return spec.service + "-headless"; }
constexpr int service_port = 80;

// The objects for the spec, each as one YAML document, in apply order.
std::vector<Artifact> build_objects(const Spec& spec);

}  // namespace k8s

#endif
