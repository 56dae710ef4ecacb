// The objects generate() writes: the workload (Deployment, blue and green
// Deployments, StatefulSet, CronJob or Job), its Services, ConfigMap,
// HorizontalPodAutoscaler, PodDisruptionBudget and Ingress, all following
// devkit's conventions so the deploy pipelines harness_expert writes act on
// exactly these objects.
#include <devkit/kubernetes_conventions.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "spec.hpp"

namespace k8s {
namespace {

using Value = rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;
namespace conventions = devkit::kubernetes;
using Labels = std::map<std::string, std::string>;

class Builder {
  public:
    explicit Builder(Allocator& allocator) : a_(allocator) {}
    Value str(const std::string& text) { return Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), a_); }
    Value object() { return Value(rapidjson::kObjectType); }
    Value array() { return Value(rapidjson::kArrayType); }
    Value& add(Value& object, const char* key, Value value) {
        object.AddMember(Value(key, a_), value, a_);
        return object;
    }
    Value& add(Value& object, const char* key, const std::string& text) { return add(object, key, str(text)); }
    Value& add(Value& object, const char* key, const char* text) { return add(object, key, str(text)); }
    Value& add(Value& object, const char* key, int number) { return add(object, key, Value(number)); }
    Value& add(Value& object, const char* key, bool flag) { return add(object, key, Value(flag)); }
    Value& push(Value& array, Value value) {
        array.PushBack(value, a_);
        return array;
    }
    Value one(Value value) {
        Value list = array();
        return std::move(push(list, std::move(value)));
    }
    Value labels(const Labels& labels) {
        Value object(rapidjson::kObjectType);
        for (const auto& [key, value] : labels) object.AddMember(str(key), str(value), a_);
        return object;
    }

  private:
    Allocator& a_;
};

Labels selector_labels(const Spec& spec) {
    return {{std::string(conventions::name_label), spec.service}, {std::string(conventions::instance_label), spec.service}};
}
Labels all_labels(const Spec& spec) {
    auto labels = selector_labels(spec);
    labels["app.kubernetes.io/managed-by"] = "agenthost-kubernetes-agent";
    labels["app.kubernetes.io/component"] = serves(spec) ? "server" : "job";
    return labels;
}
// Blue-green pods and selectors add the colour.
Labels with_color(Labels labels, const std::string& color) {
    if (!color.empty()) labels[std::string(conventions::color_label)] = color;
    return labels;
}

Value metadata(Builder& b, const Spec& spec, const std::string& name, const std::string& color = "") {
    Value meta = b.object();
    b.add(meta, "name", name);
    b.add(meta, "namespace", spec.namespace_);
    b.add(meta, "labels", b.labels(with_color(all_labels(spec), color)));
    return meta;
}

Value selector(Builder& b, const Labels& labels) {
    Value selector = b.object();
    b.add(selector, "matchLabels", b.labels(labels));
    return selector;
}

Value kind_object(Builder& b, const char* api_version, const char* kind, Value meta, Value spec) {
    Value object = b.object();
    b.add(object, "apiVersion", api_version);
    b.add(object, "kind", kind);
    b.add(object, "metadata", std::move(meta));
    b.add(object, "spec", std::move(spec));
    return object;
}

// Probes and the Service's targetPort use the container port's name, which
// always resolves to the requested port.
Value probe(Builder& b, const Spec& spec, int initial_delay, int period) {
    Value http = b.object();
    b.add(http, "path", spec.health_path);
    b.add(http, "port", "http");
    Value probe = b.object();
    b.add(probe, "httpGet", std::move(http));
    b.add(probe, "initialDelaySeconds", initial_delay);
    b.add(probe, "periodSeconds", period);
    b.add(probe, "timeoutSeconds", 2);
    b.add(probe, "failureThreshold", 3);
    return probe;
}

Value cpu_memory(Builder& b, const CpuMemory& values) {
    Value object = b.object();
    b.add(object, "cpu", values.cpu);
    b.add(object, "memory", values.memory);
    return object;
}

Value volume_mount(Builder& b, const char* name, const std::string& path) {
    Value mount = b.object();
    b.add(mount, "name", name);
    b.add(mount, "mountPath", path);
    return mount;
}

Value container(Builder& b, const Spec& spec) {
    Value container = b.object();
    b.add(container, "name", conventions::container_name(spec.service));
    b.add(container, "image", spec.image);
    b.add(container, "imagePullPolicy", "IfNotPresent");
    if (serves(spec)) {
        Value port = b.object();
        b.add(port, "name", "http");
        b.add(port, "containerPort", spec.port);
        b.add(port, "protocol", "TCP");
        b.add(container, "ports", b.one(std::move(port)));
    }
    if (!spec.secret_env.empty()) {
        Value env = b.array();
        for (const auto& entry : spec.secret_env) {
            Value ref = b.object();
            b.add(ref, "name", entry.secret);
            b.add(ref, "key", entry.key);
            Value from = b.object();
            b.add(from, "secretKeyRef", std::move(ref));
            Value variable = b.object();
            b.add(variable, "name", entry.name);
            b.add(variable, "valueFrom", std::move(from));
            b.push(env, std::move(variable));
        }
        b.add(container, "env", std::move(env));
    }
    if (!spec.env.empty()) {
        Value ref = b.object();
        b.add(ref, "name", config_map_name(spec));
        Value source = b.object();
        b.add(source, "configMapRef", std::move(ref));
        b.add(container, "envFrom", b.one(std::move(source)));
    }
    Value resources = b.object();
    b.add(resources, "requests", cpu_memory(b, spec.resources.requests));
    b.add(resources, "limits", cpu_memory(b, spec.resources.limits));
    b.add(container, "resources", std::move(resources));
    if (serves(spec)) {
        b.add(container, "livenessProbe", probe(b, spec, 10, 10));
        b.add(container, "readinessProbe", probe(b, spec, 5, 5));
    }
    Value capabilities = b.object();
    b.add(capabilities, "drop", b.one(b.str("ALL")));
    Value security = b.object();
    b.add(security, "runAsNonRoot", true);
    b.add(security, "allowPrivilegeEscalation", false);
    b.add(security, "readOnlyRootFilesystem", true);
    b.add(security, "capabilities", std::move(capabilities));
    b.add(container, "securityContext", std::move(security));
    // A read-only root filesystem still needs somewhere to write temp files.
    Value mounts = b.one(volume_mount(b, "tmp", "/tmp"));
    if (spec.storage) b.push(mounts, volume_mount(b, "data", spec.storage->mount_path));
    b.add(container, "volumeMounts", std::move(mounts));
    return container;
}

Value pod_template(Builder& b, const Spec& spec, const std::string& color) {
    Value seccomp = b.object();
    b.add(seccomp, "type", "RuntimeDefault");
    Value pod_security = b.object();
    b.add(pod_security, "runAsNonRoot", true);
    // The claimed volume is group-owned by this group, which the container
    // joins, so a non-root process can write its data.
    if (spec.storage) {
        b.add(pod_security, "fsGroup", 2000);
        b.add(pod_security, "fsGroupChangePolicy", "OnRootMismatch");
    }
    b.add(pod_security, "seccompProfile", std::move(seccomp));
    Value volume = b.object();
    b.add(volume, "name", "tmp");
    b.add(volume, "emptyDir", b.object());

    Value pod_spec = b.object();
    b.add(pod_spec, "automountServiceAccountToken", false);
    if (!serves(spec)) b.add(pod_spec, "restartPolicy", "OnFailure");
    b.add(pod_spec, "securityContext", std::move(pod_security));
    b.add(pod_spec, "containers", b.one(container(b, spec)));
    b.add(pod_spec, "volumes", b.one(std::move(volume)));
    Value template_meta = b.object();
    b.add(template_meta, "labels", b.labels(with_color(all_labels(spec), color)));
    Value pod_template = b.object();
    b.add(pod_template, "metadata", std::move(template_meta));
    b.add(pod_template, "spec", std::move(pod_spec));
    return pod_template;
}

Value deployment(Builder& b, const Spec& spec, const std::string& name, const std::string& color, int replicas) {
    Value rolling = b.object();
    b.add(rolling, "maxSurge", "25%");
    b.add(rolling, "maxUnavailable", 0);
    Value strategy = b.object();
    b.add(strategy, "type", "RollingUpdate");
    b.add(strategy, "rollingUpdate", std::move(rolling));

    Value spec_value = b.object();
    b.add(spec_value, "replicas", replicas);
    b.add(spec_value, "revisionHistoryLimit", 5);
    b.add(spec_value, "selector", selector(b, with_color(selector_labels(spec), color)));
    b.add(spec_value, "strategy", std::move(strategy));
    b.add(spec_value, "template", pod_template(b, spec, color));
    return kind_object(b, "apps/v1", "Deployment", metadata(b, spec, name, color), std::move(spec_value));
}

Value stateful_set(Builder& b, const Spec& spec) {
    Value storage = b.object();
    b.add(storage, "storage", spec.storage->size);
    Value requests = b.object();
    b.add(requests, "requests", std::move(storage));
    Value claim_spec = b.object();
    b.add(claim_spec, "accessModes", b.one(b.str("ReadWriteOnce")));
    if (spec.storage->storage_class) b.add(claim_spec, "storageClassName", *spec.storage->storage_class);
    b.add(claim_spec, "resources", std::move(requests));
    Value claim_meta = b.object();
    b.add(claim_meta, "name", "data");
    b.add(claim_meta, "labels", b.labels(selector_labels(spec)));
    Value claim = b.object();
    b.add(claim, "metadata", std::move(claim_meta));
    b.add(claim, "spec", std::move(claim_spec));

    Value update = b.object();
    b.add(update, "type", "RollingUpdate");
    Value spec_value = b.object();
    b.add(spec_value, "serviceName", headless_service_name(spec));
    b.add(spec_value, "replicas", spec.autoscaling ? std::max(spec.replicas, spec.min_replicas) : spec.replicas);
    b.add(spec_value, "revisionHistoryLimit", 5);
    b.add(spec_value, "selector", selector(b, selector_labels(spec)));
    b.add(spec_value, "updateStrategy", std::move(update));
    b.add(spec_value, "template", pod_template(b, spec, ""));
    b.add(spec_value, "volumeClaimTemplates", b.one(std::move(claim)));
    return kind_object(b, "apps/v1", "StatefulSet", metadata(b, spec, spec.service), std::move(spec_value));
}

Value job_spec(Builder& b, const Spec& spec) {
    Value job = b.object();
    b.add(job, "backoffLimit", 3);
    b.add(job, "template", pod_template(b, spec, ""));
    return job;
}

Value job(Builder& b, const Spec& spec) {
    Value spec_value = job_spec(b, spec);
    // Finished Jobs are cleaned up after a day.
    b.add(spec_value, "ttlSecondsAfterFinished", 86400);
    return kind_object(b, "batch/v1", "Job", metadata(b, spec, spec.service), std::move(spec_value));
}

Value cron_job(Builder& b, const Spec& spec) {
    Value job_template = b.object();
    b.add(job_template, "metadata", b.object());
    b.add(job_template["metadata"], "labels", b.labels(all_labels(spec)));
    b.add(job_template, "spec", job_spec(b, spec));
    Value spec_value = b.object();
    b.add(spec_value, "schedule", spec.schedule);
    // A run still going when the next is due is not doubled.
    b.add(spec_value, "concurrencyPolicy", "Forbid");
    b.add(spec_value, "successfulJobsHistoryLimit", 3);
    b.add(spec_value, "failedJobsHistoryLimit", 3);
    b.add(spec_value, "jobTemplate", std::move(job_template));
    return kind_object(b, "batch/v1", "CronJob", metadata(b, spec, spec.service), std::move(spec_value));
}

Value service(Builder& b, const Spec& spec, const std::string& name, bool headless, const std::string& color) {
    Value port = b.object();
    b.add(port, "name", "http");
    b.add(port, "port", headless ? spec.port : service_port);
    b.add(port, "targetPort", spec.port);
    b.add(port, "protocol", "TCP");
    Value service_spec = b.object();
    if (headless) {
        b.add(service_spec, "clusterIP", "None");
    } else {
        b.add(service_spec, "type", "ClusterIP");
    }
    b.add(service_spec, "selector", b.labels(with_color(selector_labels(spec), color)));
    b.add(service_spec, "ports", b.one(std::move(port)));
    return kind_object(b, "v1", "Service", metadata(b, spec, name), std::move(service_spec));
}

Value config_map(Builder& b, const Spec& spec) {
    Value data = b.object();
    for (const auto& [name, value] : spec.env) b.add(data, name.c_str(), value);
    Value object = b.object();
    b.add(object, "apiVersion", "v1");
    b.add(object, "kind", "ConfigMap");
    b.add(object, "metadata", metadata(b, spec, config_map_name(spec)));
    b.add(object, "data", std::move(data));
    return object;
}

Value autoscaler(Builder& b, const Spec& spec) {
    Value target_ref = b.object();
    b.add(target_ref, "apiVersion", "apps/v1");
    b.add(target_ref, "kind", spec.workload == Workload::stateful_set ? "StatefulSet" : "Deployment");
    b.add(target_ref, "name", spec.service);
    Value target = b.object();
    b.add(target, "type", "Utilization");
    b.add(target, "averageUtilization", spec.cpu_percent);
    Value resource = b.object();
    b.add(resource, "name", "cpu");
    b.add(resource, "target", std::move(target));
    Value metric = b.object();
    b.add(metric, "type", "Resource");
    b.add(metric, "resource", std::move(resource));
    Value hpa_spec = b.object();
    b.add(hpa_spec, "scaleTargetRef", std::move(target_ref));
    b.add(hpa_spec, "minReplicas", spec.min_replicas);
    b.add(hpa_spec, "maxReplicas", spec.max_replicas);
    b.add(hpa_spec, "metrics", b.one(std::move(metric)));
    return kind_object(b, "autoscaling/v2", "HorizontalPodAutoscaler", metadata(b, spec, spec.service),
                       std::move(hpa_spec));
}

Value disruption_budget(Builder& b, const Spec& spec) {
    Value pdb_spec = b.object();
    // With one replica minAvailable 1 would block every node drain.
    if (lowest_replicas(spec) >= 2)
        b.add(pdb_spec, "minAvailable", 1);
    else
        b.add(pdb_spec, "maxUnavailable", 1);
    b.add(pdb_spec, "selector", selector(b, selector_labels(spec)));
    return kind_object(b, "policy/v1", "PodDisruptionBudget", metadata(b, spec, spec.service), std::move(pdb_spec));
}

Value ingress(Builder& b, const Spec& spec) {
    Value port = b.object();
    b.add(port, "number", service_port);
    Value backend_service = b.object();
    b.add(backend_service, "name", spec.service);
    b.add(backend_service, "port", std::move(port));
    Value backend = b.object();
    b.add(backend, "service", std::move(backend_service));
    Value path = b.object();
    b.add(path, "path", "/");
    b.add(path, "pathType", "Prefix");
    b.add(path, "backend", std::move(backend));
    Value http = b.object();
    b.add(http, "paths", b.one(std::move(path)));
    Value rule = b.object();
    b.add(rule, "host", *spec.ingress_host);
    b.add(rule, "http", std::move(http));
    Value ingress_spec = b.object();
    if (spec.tls_secret) {
        Value tls = b.object();
        b.add(tls, "hosts", b.one(b.str(*spec.ingress_host)));
        b.add(tls, "secretName", *spec.tls_secret);
        b.add(ingress_spec, "tls", b.one(std::move(tls)));
    }
    b.add(ingress_spec, "rules", b.one(std::move(rule)));
    return kind_object(b, "networking.k8s.io/v1", "Ingress", metadata(b, spec, spec.service), std::move(ingress_spec));
}

}  // namespace

std::vector<Artifact> build_objects(const Spec& spec) {
    rapidjson::Document owner;
    Builder b(owner.GetAllocator());
    std::vector<Artifact> artifacts;
    auto add = [&](const char* kind, const std::string& name, const std::string& file, const Value& object) {
        artifacts.push_back(Artifact{kind, name, spec.service + "/" + file, to_yaml(object)});
    };
    if (!spec.env.empty()) add("ConfigMap", config_map_name(spec), "configmap.yaml", config_map(b, spec));
    switch (spec.workload) {
        case Workload::deployment:
            if (spec.blue_green) {
                // The live colour starts blue with every replica; green waits
                // at zero until a deploy scales it up and swaps the Service.
                for (const auto& [color, replicas] :
                     {std::pair{conventions::blue, spec.replicas}, std::pair{conventions::green, 0}}) {
                    const std::string name = conventions::color_deployment(spec.service, color);
                    add("Deployment", name, "deployment-" + std::string(color) + ".yaml",
                        deployment(b, spec, name, std::string(color), replicas));
                }
            } else {
                add("Deployment", spec.service, "deployment.yaml",
                    deployment(b, spec, spec.service, "",
                               spec.autoscaling ? std::max(spec.replicas, spec.min_replicas) : spec.replicas));
            }
            break;
        case Workload::stateful_set:
            add("Service", headless_service_name(spec), "service-headless.yaml",
                service(b, spec, headless_service_name(spec), true, ""));
            add("StatefulSet", spec.service, "statefulset.yaml", stateful_set(b, spec));
            break;
        case Workload::cron_job: add("CronJob", spec.service, "cronjob.yaml", cron_job(b, spec)); break;
        case Workload::job: add("Job", spec.service, "job.yaml", job(b, spec)); break;
    }
    if (!serves(spec)) return artifacts;
    add("Service", spec.service, "service.yaml",
        service(b, spec, spec.service, false, spec.blue_green ? std::string(conventions::blue) : ""));
    if (spec.autoscaling) add("HorizontalPodAutoscaler", spec.service, "hpa.yaml", autoscaler(b, spec));
    add("PodDisruptionBudget", spec.service, "pdb.yaml", disruption_budget(b, spec));
    if (spec.ingress_host) add("Ingress", spec.service, "ingress.yaml", ingress(b, spec));
    return artifacts;
}

}  // namespace k8s
