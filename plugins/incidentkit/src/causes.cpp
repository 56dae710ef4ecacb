#include "causes.hpp"

#include <stdexcept>

namespace incident {
namespace {

const std::vector<CauseKind>& kinds() {
    static const std::vector<CauseKind> list = {
        {"connection_pool_exhaustion", "Connection pool exhaustion", 1.0,
         {"connection is not available", "pool exhausted", "pool is exhausted", "timeout waiting for connection",
          "waiting for a connection", "too many connections", "remaining connection slots", "could not obtain connection",
          "unable to acquire connection", "no available connection", "connection pool"},
         {"Find what holds the connections: long transactions, leaked connections, slow queries (pg_stat_activity, "
          "the pool's active/idle/pending metrics)",
          "Restart the affected instances to release leaked connections if the pool does not recover",
          "Size the pool against the database's max_connections across all replicas; add a timeout on borrowed "
          "connections and leak detection",
          "Alert on pool saturation (active / max above 90%) and on pending acquisitions"},
         "restart"},
        {"certificate_expiry", "Expired or invalid TLS certificate", 1.0,
         {"certificate has expired", "certificate expired", "cert_has_expired", "x509", "certificate verify failed",
          "tls handshake", "ssl handshake", "pkix path", "ssl certificate", "not yet valid"},
         {"Renew and deploy the certificate of the endpoint named in the errors; check cert-manager's Certificate "
          "status or the issuer",
          "Verify with: openssl s_client -connect HOST:443 -servername HOST | openssl x509 -noout -dates",
          "Alert days ahead on probe_ssl_earliest_cert_expiry (blackbox exporter) for every TLS dependency"},
         "renew_certificate"},
        {"out_of_memory", "Out of memory", 1.0,
         {"outofmemoryerror", "out of memory", "oomkilled", "oom-kill", "cannot allocate memory", "memory limit exceeded"},
         {"Restart the affected instances and raise the memory limit if usage is legitimate",
          "Take a heap profile to find the growth; check for unbounded caches or queues",
          "Alert on memory working set against the limit"},
         "restart"},
        {"crash_loop", "Containers crash at start (CrashLoopBackOff)", 0.9,
         {"crashloopbackoff", "back-off restarting failed container", "back-off restarting", "crash loop"},
         {"Read why the container exits: kubectl logs --previous POD, and kubectl describe pod POD (exit code, "
          "last state, events)",
          "Roll back the rollout that started it (kubectl rollout undo) if it began with a release; otherwise fix "
          "the start command, configuration or missing secret the previous logs name",
          "Alert on kube_pod_container_status_restarts_total increasing and gate rollouts on readiness"},
         "rollback"},
        {"image_pull", "The image cannot be pulled", 0.9,
         {"imagepullbackoff", "errimagepull", "failed to pull image", "manifest unknown", "pull access denied"},
         {"Check the image name and tag the rollout asked for, and the registry credentials (imagePullSecrets)",
          "Roll back to the last image that pulled (kubectl rollout undo) while the tag is fixed",
          "Pin images by digest and check in CI that the tag exists before deploying"},
         "rollback"},
        {"disk_full", "Disk full", 1.0,
         {"no space left on device", "disk full", "disk quota exceeded", "not enough space"},
         {"Free space on the affected volume (rotate or ship logs, delete old artifacts) or grow the volume",
          "Find what filled it (du -xh / | sort -h | tail)",
          "Alert on predicted exhaustion: predict_linear(node_filesystem_avail_bytes[6h], 24*3600) < 0"},
         "free_disk"},
        {"dependency_unavailable", "A dependency is unreachable", 0.8,
         {"connection refused", "econnrefused", "no route to host", "could not resolve", "name or service not known",
          "connection reset", "host unreachable", "broken pipe", "upstream connect error"},
         {"Check the health of the dependency named in the errors (its pods, endpoints, DNS)",
          "Fail over or degrade gracefully (circuit breaker) while it recovers",
          "Add a readiness check for the dependency and an alert on its availability"},
         "failover"},
        {"rate_limited", "Rate limited by a dependency", 0.6,
         {"rate limit", "too many requests", "throttl", "quota exceeded"},
         {"Back off and retry with jitter; lower the request rate or raise the quota",
          "Alert on 429 responses before they turn into failures"},
         ""},
        {"configuration_error", "Configuration error", 0.7,
         {"invalid configuration", "missing required", "configuration error", "permission denied", "unauthorized",
          "forbidden", "invalid value for", "no such file or directory"},
         {"Compare the running configuration and secrets with the last known good ones; revert the change",
          "Validate configuration in CI and at start-up (fail fast)"},
         "rollback"},
        {"application_exception", "An application error (exception)", 0.6,
         {"exception", "traceback", "panic:", "typeerror", "nullpointer", "undefined is not", "segmentation fault",
          "stack trace", "assertion failed", "unhandled"},
         {"Read the stack trace of the first occurrence; roll back the release that introduced the code path",
          "Add a test reproducing the failing input"},
         "rollback"},
        {"timeout", "Requests timing out", 0.5,
         {"timed out", "timeout", "deadline exceeded", "took too long"},
         {"Find the slow dependency (traces, latency per upstream) rather than raising timeouts",
          "Add timeouts and circuit breakers so slowness does not pile up"},
         ""},
        {"server_errors", "Server errors (5xx) returned to clients", 0.3,
         {"\" 500 ", "\" 502 ", "\" 503 ", "\" 504 ", "internal server error", "bad gateway", "service unavailable",
          "gateway timeout"},
         {"Find the error behind the 5xx responses in the application logs of the same minutes"},
         ""},
        {"unclassified_error", "Errors of an unrecognised kind", 0.3, {}, {"Read the first occurrence and its context"},
         ""},
        {"warning", "Warnings", 0.2, {}, {"Check whether the warning is new or always present"}, ""},
        {"bad_change", "A recent change", 0.95, {},
         {"Roll back the change", "Compare the change with the previous version around the failing code path",
          "Gate the next rollout on the error rate (canary analysis) so it stops by itself"},
         "rollback"},
    };
    return list;
}

}  // namespace

const CauseKind& classify(const std::string& lower_message, bool is_error) {
    for (const auto& kind : kinds())
        for (const auto& phrase : kind.phrases)
            if (lower_message.find(phrase) != std::string::npos) return kind;
    return cause_kind(is_error ? "unclassified_error" : "warning");
}

const CauseKind& cause_kind(const std::string& id) {
    for (const auto& kind : kinds())
        if (kind.id == id) return kind;
    throw std::logic_error("unknown cause kind " + id);
}

}  // namespace incident
