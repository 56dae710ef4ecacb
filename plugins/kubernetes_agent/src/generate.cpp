// Generate mode: one Deployment, Service, PodDisruptionBudget, and when asked
// a ConfigMap, HorizontalPodAutoscaler and Ingress, emitted with yaml-cpp.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <utility>

#include "kubernetes.hpp"

namespace k8s {
namespace {

using Value = rapidjson::Value;
using Allocator = rapidjson::Document::AllocatorType;

const std::regex dns_label("^[a-z]([-a-z0-9]*[a-z0-9])?$");
const std::regex dns_subdomain("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
const std::regex env_name("^[-._a-zA-Z][-._a-zA-Z0-9]*$");
const std::regex quantity_cpu("^[0-9]+(\\.[0-9]+)?m?$");
const std::regex quantity_memory("^[0-9]+(\\.[0-9]+)?([EPTGMK]i?|[eEk])?$");

// ---- Reading the context ------------------------------------------------

const Value* member(const Value& object, const char* name) {
    if (!object.IsObject()) return nullptr;
    auto found = object.FindMember(name);
    return found == object.MemberEnd() || found->value.IsNull() ? nullptr : &found->value;
}

std::optional<std::string> string_field(const Value& object, const char* name, const std::string& path) {
    const Value* value = member(object, name);
    if (value == nullptr) return std::nullopt;
    if (!value->IsString()) throw InputError(path + " must be a string");
    return std::string(value->GetString(), value->GetStringLength());
}

std::optional<int> int_field(const Value& object, const char* name, const std::string& path, int minimum,
                             int maximum) {
    const Value* value = member(object, name);
    if (value == nullptr) return std::nullopt;
    if (!value->IsInt()) throw InputError(path + " must be an integer");
    const int number = value->GetInt();
    if (number < minimum || number > maximum)
        throw InputError(path + " must be from " + std::to_string(minimum) + " to " + std::to_string(maximum) +
                         ", not " + std::to_string(number));
    return number;
}

void check_name(const std::string& name, const std::string& path) {
    if (name.size() > 63 || !std::regex_match(name, dns_label))
        throw InputError(path + " '" + name +
                         "' is not a DNS-1123 label: lower-case letters, digits and '-', starting with a letter, "
                         "ending with a letter or digit, at most 63 characters");
}

void read_cpu_memory(const Value& context, const char* group, CpuMemory& into) {
    const Value* resources = member(context, "resources");
    if (resources == nullptr) return;
    if (!resources->IsObject()) throw InputError("context.resources must be an object");
    const Value* values = member(*resources, group);
    if (values == nullptr) return;
    const std::string path = std::string("context.resources.") + group;
    if (!values->IsObject()) throw InputError(path + " must be an object");
    if (auto cpu = string_field(*values, "cpu", path + ".cpu")) {
        if (!std::regex_match(*cpu, quantity_cpu)) throw InputError(path + ".cpu '" + *cpu + "' is not a CPU quantity");
        into.cpu = *cpu;
    }
    if (auto memory = string_field(*values, "memory", path + ".memory")) {
        if (!std::regex_match(*memory, quantity_memory))
            throw InputError(path + ".memory '" + *memory + "' is not a memory quantity");
        into.memory = *memory;
    }
}

// ---- What the free-text task says -----------------------------------------

struct FromTask {
    std::optional<std::string> service, image, namespace_, ingress_host;
    std::optional<int> port, replicas;
};

std::optional<std::string> first_match(const std::string& text, const std::regex& pattern, bool skip_fillers) {
    static const char* fillers[] = {"a", "an", "the", "my", "our", "new", "this", "that", "service", "app",
                                    "application", "deployment", "kubernetes", "k8s", "manifests", "image", "port"};
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
        std::string found = (*it)[1].str();
        if (skip_fillers && std::find(std::begin(fillers), std::end(fillers), found) != std::end(fillers)) continue;
        return found;
    }
    return std::nullopt;
}

std::optional<int> number_match(const std::string& text, const std::regex& pattern) {
    std::smatch match;
    if (!std::regex_search(text, match, pattern)) return std::nullopt;
    try {
        return std::stoi(match[1].str());
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

FromTask read_task(std::string_view task_view) {
    const std::string task(task_view);
    FromTask found;
    const auto icase = std::regex::icase;
    found.image = first_match(task, std::regex("\\bimage\\s+[\"'`]?([a-z0-9][a-z0-9._/:@-]*[a-z0-9])", icase), false);
    if (!found.image)
        found.image = first_match(
            task, std::regex("(?:^|\\s)[\"'`]?([a-z0-9][a-z0-9._-]*(?:/[a-z0-9._-]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]*)"),
            false);
    found.service = first_match(
        task,
        std::regex("\\b(?:service|app|application|api|named|called|for)\\s+[\"'`]?([a-z][-a-z0-9]*[a-z0-9])\\b"),
        true);
    found.namespace_ = first_match(task, std::regex("\\bnamespace\\s+[\"'`]?([a-z0-9][-a-z0-9]*[a-z0-9])", icase),
                                   false);
    found.ingress_host = first_match(
        task, std::regex("\\b(?:host|domain|at)\\s+[\"'`]?([a-z0-9][-a-z0-9]*(?:\\.[a-z0-9][-a-z0-9]*)+)", icase),
        false);
    found.port = number_match(task, std::regex("\\bport\\s+(\\d{1,5})\\b", icase));
    found.replicas = number_match(task, std::regex("\\b(\\d{1,3})\\s+replicas?\\b", icase));
    if (!found.replicas) found.replicas = number_match(task, std::regex("\\breplicas?\\s*[:=]?\\s*(\\d{1,3})\\b", icase));
    return found;
}

// ---- Images -------------------------------------------------------------

// The registry part of an image reference, if it names one: the first path
// component when it has a '.' or ':' or is localhost.
bool names_registry(const std::string& image) {
    const auto slash = image.find('/');
    if (slash == std::string::npos) return false;
    const std::string first = image.substr(0, slash);
    return first.find('.') != std::string::npos || first.find(':') != std::string::npos || first == "localhost";
}

// The tag, "" when untagged; digests count as pinned ("@sha256:...").
std::string image_tag(const std::string& image, bool& digest) {
    digest = image.find('@') != std::string::npos;
    const auto last_slash = image.rfind('/');
    const auto colon = image.find(':', last_slash == std::string::npos ? 0 : last_slash);
    return colon == std::string::npos ? "" : image.substr(colon + 1);
}

// ---- Building objects ---------------------------------------------------

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
    Value labels(const std::map<std::string, std::string>& labels) {
        Value object(rapidjson::kObjectType);
        for (const auto& [key, value] : labels) object.AddMember(str(key), str(value), a_);
        return object;
    }
    Allocator& allocator() { return a_; }

  private:
    Allocator& a_;
};

struct Spec {
    std::string service, image, namespace_ = "default", health_path = "/healthz";
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
};

constexpr int service_port = 80;

std::string config_map_name(const Spec& spec) { return spec.service + "-config"; }

std::map<std::string, std::string> selector_labels(const Spec& spec) {
    return {{"app.kubernetes.io/name", spec.service}, {"app.kubernetes.io/instance", spec.service}};
}
std::map<std::string, std::string> all_labels(const Spec& spec) {
    auto labels = selector_labels(spec);
    labels["app.kubernetes.io/managed-by"] = "agenthost-kubernetes-agent";
    labels["app.kubernetes.io/component"] = "server";
    return labels;
}

Value metadata(Builder& b, const Spec& spec, const std::string& name) {
    Value meta = b.object();
    b.add(meta, "name", name);
    b.add(meta, "namespace", spec.namespace_);
    b.add(meta, "labels", b.labels(all_labels(spec)));
    return meta;
}

Value selector(Builder& b, const Spec& spec) {
    Value selector = b.object();
    b.add(selector, "matchLabels", b.labels(selector_labels(spec)));
    return selector;
}

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

Value deployment(Builder& b, const Spec& spec) {
    Value container = b.object();
    b.add(container, "name", spec.service);
    b.add(container, "image", spec.image);
    b.add(container, "imagePullPolicy", "IfNotPresent");
    Value port = b.object();
    b.add(port, "name", "http");
    b.add(port, "containerPort", spec.port);
    b.add(port, "protocol", "TCP");
    Value ports = b.array();
    b.push(ports, std::move(port));
    b.add(container, "ports", std::move(ports));
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
        Value env_from = b.array();
        b.push(env_from, std::move(source));
        b.add(container, "envFrom", std::move(env_from));
    }
    Value resources = b.object();
    b.add(resources, "requests", cpu_memory(b, spec.resources.requests));
    b.add(resources, "limits", cpu_memory(b, spec.resources.limits));
    b.add(container, "resources", std::move(resources));
    b.add(container, "livenessProbe", probe(b, spec, 10, 10));
    b.add(container, "readinessProbe", probe(b, spec, 5, 5));
    Value capabilities = b.object();
    Value drop = b.array();
    b.push(drop, b.str("ALL"));
    b.add(capabilities, "drop", std::move(drop));
    Value security = b.object();
    b.add(security, "runAsNonRoot", true);
    b.add(security, "allowPrivilegeEscalation", false);
    b.add(security, "readOnlyRootFilesystem", true);
    b.add(security, "capabilities", std::move(capabilities));
    b.add(container, "securityContext", std::move(security));
    // A read-only root filesystem still needs somewhere to write temp files.
    Value mount = b.object();
    b.add(mount, "name", "tmp");
    b.add(mount, "mountPath", "/tmp");
    Value mounts = b.array();
    b.push(mounts, std::move(mount));
    b.add(container, "volumeMounts", std::move(mounts));

    Value seccomp = b.object();
    b.add(seccomp, "type", "RuntimeDefault");
    Value pod_security = b.object();
    b.add(pod_security, "runAsNonRoot", true);
    b.add(pod_security, "seccompProfile", std::move(seccomp));
    Value volume = b.object();
    b.add(volume, "name", "tmp");
    b.add(volume, "emptyDir", b.object());
    Value volumes = b.array();
    b.push(volumes, std::move(volume));
    Value containers = b.array();
    b.push(containers, std::move(container));

    Value pod_spec = b.object();
    b.add(pod_spec, "automountServiceAccountToken", false);
    b.add(pod_spec, "securityContext", std::move(pod_security));
    b.add(pod_spec, "containers", std::move(containers));
    b.add(pod_spec, "volumes", std::move(volumes));
    Value template_meta = b.object();
    b.add(template_meta, "labels", b.labels(all_labels(spec)));
    Value pod_template = b.object();
    b.add(pod_template, "metadata", std::move(template_meta));
    b.add(pod_template, "spec", std::move(pod_spec));

    Value rolling = b.object();
    b.add(rolling, "maxSurge", "25%");
    b.add(rolling, "maxUnavailable", 0);
    Value strategy = b.object();
    b.add(strategy, "type", "RollingUpdate");
    b.add(strategy, "rollingUpdate", std::move(rolling));

    Value deployment_spec = b.object();
    b.add(deployment_spec, "replicas", spec.autoscaling ? std::max(spec.replicas, spec.min_replicas) : spec.replicas);
    b.add(deployment_spec, "revisionHistoryLimit", 5);
    b.add(deployment_spec, "selector", selector(b, spec));
    b.add(deployment_spec, "strategy", std::move(strategy));
    b.add(deployment_spec, "template", std::move(pod_template));

    Value object = b.object();
    b.add(object, "apiVersion", "apps/v1");
    b.add(object, "kind", "Deployment");
    b.add(object, "metadata", metadata(b, spec, spec.service));
    b.add(object, "spec", std::move(deployment_spec));
    return object;
}

Value service(Builder& b, const Spec& spec) {
    Value port = b.object();
    b.add(port, "name", "http");
    b.add(port, "port", service_port);
    b.add(port, "targetPort", spec.port);
    b.add(port, "protocol", "TCP");
    Value ports = b.array();
    b.push(ports, std::move(port));
    Value service_spec = b.object();
    b.add(service_spec, "type", "ClusterIP");
    b.add(service_spec, "selector", b.labels(selector_labels(spec)));
    b.add(service_spec, "ports", std::move(ports));
    Value object = b.object();
    b.add(object, "apiVersion", "v1");
    b.add(object, "kind", "Service");
    b.add(object, "metadata", metadata(b, spec, spec.service));
    b.add(object, "spec", std::move(service_spec));
    return object;
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
    b.add(target_ref, "kind", "Deployment");
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
    Value metrics = b.array();
    b.push(metrics, std::move(metric));
    Value hpa_spec = b.object();
    b.add(hpa_spec, "scaleTargetRef", std::move(target_ref));
    b.add(hpa_spec, "minReplicas", spec.min_replicas);
    b.add(hpa_spec, "maxReplicas", spec.max_replicas);
    b.add(hpa_spec, "metrics", std::move(metrics));
    Value object = b.object();
    b.add(object, "apiVersion", "autoscaling/v2");
    b.add(object, "kind", "HorizontalPodAutoscaler");
    b.add(object, "metadata", metadata(b, spec, spec.service));
    b.add(object, "spec", std::move(hpa_spec));
    return object;
}

int lowest_replicas(const Spec& spec) { return spec.autoscaling ? spec.min_replicas : spec.replicas; }

Value disruption_budget(Builder& b, const Spec& spec) {
    Value pdb_spec = b.object();
    // With one replica minAvailable 1 would block every node drain.
    if (lowest_replicas(spec) >= 2)
        b.add(pdb_spec, "minAvailable", 1);
    else
        b.add(pdb_spec, "maxUnavailable", 1);
    b.add(pdb_spec, "selector", selector(b, spec));
    Value object = b.object();
    b.add(object, "apiVersion", "policy/v1");
    b.add(object, "kind", "PodDisruptionBudget");
    b.add(object, "metadata", metadata(b, spec, spec.service));
    b.add(object, "spec", std::move(pdb_spec));
    return object;
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
    Value paths = b.array();
    b.push(paths, std::move(path));
    Value http = b.object();
    b.add(http, "paths", std::move(paths));
    Value rule = b.object();
    b.add(rule, "host", *spec.ingress_host);
    b.add(rule, "http", std::move(http));
    Value rules = b.array();
    b.push(rules, std::move(rule));
    Value ingress_spec = b.object();
    b.add(ingress_spec, "rules", std::move(rules));
    Value object = b.object();
    b.add(object, "apiVersion", "networking.k8s.io/v1");
    b.add(object, "kind", "Ingress");
    b.add(object, "metadata", metadata(b, spec, spec.service));
    b.add(object, "spec", std::move(ingress_spec));
    return object;
}

std::string scalar_text(const Value& value) {
    if (value.IsString()) return std::string(value.GetString(), value.GetStringLength());
    if (value.IsBool()) return value.GetBool() ? "true" : "false";
    if (value.IsInt64()) return std::to_string(value.GetInt64());
    if (value.IsUint64()) return std::to_string(value.GetUint64());
    std::ostringstream text;
    text << value.GetDouble();
    return text.str();
}

}  // namespace

Generated generate(const Value& context, std::string_view task, const Config& config) {
    if (!context.IsObject()) throw InputError("context must be an object");
    const FromTask from_task = read_task(task);
    Spec spec;
    std::vector<std::string> defaults;
    std::vector<std::string> from_text;
    Generated generated;

    if (auto service = string_field(context, "service", "context.service")) {
        check_name(*service, "context.service");
        spec.service = *service;
    } else if (from_task.service && std::regex_match(*from_task.service, dns_label) &&
               from_task.service->size() <= 63) {
        spec.service = *from_task.service;
        from_text.push_back("service name '" + spec.service + "'");
    } else {
        spec.service = "app";
        if (from_task.image) {
            // The image's repository name, made a label.
            std::string name = from_task.image->substr(from_task.image->rfind('/') + 1);
            name = name.substr(0, name.find_first_of(":@"));
            std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '-');
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
            if (name.size() <= 63 && std::regex_match(name, dns_label)) spec.service = name;
        }
        defaults.push_back("service name '" + spec.service + "' (set context.service)");
    }

    std::string image;
    if (auto given = string_field(context, "image", "context.image")) {
        image = *given;
    } else if (from_task.image) {
        image = *from_task.image;
        from_text.push_back("image '" + image + "'");
    } else {
        image = spec.service;
        defaults.push_back("image '" + image + "' named after the service (set context.image)");
    }
    if (image.empty() || image.find_first_of(" \t\n") != std::string::npos)
        throw InputError("context.image '" + image + "' is not an image reference");
    if (!config.registry_prefix.empty() && !names_registry(image)) {
        std::string prefix = config.registry_prefix;
        while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
        image = prefix + "/" + image;
        from_text.push_back("registry prefix '" + prefix + "' from the config");
    }
    spec.image = image;
    bool digest = false;
    const std::string tag = image_tag(image, digest);
    if (!digest && tag.empty())
        generated.warnings.push_back("image '" + image +
                                     "' has no tag, so it means :latest: pin a version tag or a digest");
    else if (!digest && tag == "latest")
        generated.warnings.push_back("image '" + image +
                                     "' uses the latest tag: rollouts are not reproducible; pin a version or digest");

    if (auto port = int_field(context, "port", "context.port", 1, 65535)) {
        spec.port = *port;
    } else if (from_task.port && *from_task.port >= 1 && *from_task.port <= 65535) {
        spec.port = *from_task.port;
        from_text.push_back("port " + std::to_string(spec.port));
    } else {
        defaults.push_back("container port 8080");
    }
    if (auto replicas = int_field(context, "replicas", "context.replicas", 1, 1000)) {
        spec.replicas = *replicas;
    } else if (from_task.replicas && *from_task.replicas >= 1 && *from_task.replicas <= 1000) {
        spec.replicas = *from_task.replicas;
        from_text.push_back(std::to_string(spec.replicas) + " replicas");
    } else {
        defaults.push_back("2 replicas");
    }
    if (spec.replicas == 1)
        generated.warnings.push_back("one replica is not highly available: a node drain or crash takes it down");

    if (auto path = string_field(context, "health_path", "context.health_path")) {
        if (path->empty() || path->front() != '/') throw InputError("context.health_path must start with '/'");
        spec.health_path = *path;
    } else {
        defaults.push_back("health path /healthz for both probes");
    }

    if (auto ns = string_field(context, "namespace", "context.namespace")) {
        check_name(*ns, "context.namespace");
        spec.namespace_ = *ns;
    } else if (from_task.namespace_ && std::regex_match(*from_task.namespace_, dns_label)) {
        spec.namespace_ = *from_task.namespace_;
        from_text.push_back("namespace '" + spec.namespace_ + "'");
    } else {
        defaults.push_back("namespace 'default'");
    }

    spec.resources = config.default_resources;
    const bool resources_given = member(context, "resources") != nullptr;
    read_cpu_memory(context, "requests", spec.resources.requests);
    read_cpu_memory(context, "limits", spec.resources.limits);
    if (!resources_given)
        defaults.push_back("resources from the config: requests cpu " + spec.resources.requests.cpu + ", memory " +
                           spec.resources.requests.memory + "; limits cpu " + spec.resources.limits.cpu +
                           ", memory " + spec.resources.limits.memory);

    if (const Value* env = member(context, "env")) {
        if (!env->IsObject()) throw InputError("context.env must be an object of name to value");
        for (const auto& entry : env->GetObject()) {
            const std::string name(entry.name.GetString(), entry.name.GetStringLength());
            if (!std::regex_match(name, env_name))
                throw InputError("context.env name '" + name + "' is not a valid environment variable name");
            if (!entry.value.IsString() && !entry.value.IsNumber() && !entry.value.IsBool())
                throw InputError("context.env." + name + " must be a string, number or boolean");
            spec.env[name] = scalar_text(entry.value);
        }
    }
    if (const Value* secrets = member(context, "secret_env")) {
        if (!secrets->IsArray()) throw InputError("context.secret_env must be a list of {name, secret, key}");
        for (rapidjson::SizeType i = 0; i < secrets->Size(); ++i) {
            const std::string path = "context.secret_env[" + std::to_string(i) + "]";
            const Value& item = (*secrets)[i];
            if (!item.IsObject()) throw InputError(path + " must be an object {name, secret, key}");
            Spec::SecretEnv entry;
            for (auto [field, into] : {std::pair<const char*, std::string*>{"name", &entry.name},
                                       {"secret", &entry.secret},
                                       {"key", &entry.key}}) {
                auto value = string_field(item, field, path + "." + field);
                if (!value || value->empty()) throw InputError(path + "." + field + " is required");
                *into = *value;
            }
            if (!std::regex_match(entry.name, env_name))
                throw InputError(path + ".name '" + entry.name + "' is not a valid environment variable name");
            if (entry.secret.size() > 253 || !std::regex_match(entry.secret, dns_subdomain))
                throw InputError(path + ".secret '" + entry.secret + "' is not a valid Secret name");
            if (spec.env.count(entry.name))
                generated.warnings.push_back(entry.name + " is in both env and secret_env: the secret wins");
            spec.secret_env.push_back(entry);
        }
    }

    if (const Value* scaling = member(context, "autoscaling")) {
        if (!scaling->IsObject()) throw InputError("context.autoscaling must be an object {min, max, cpu_percent}");
        spec.autoscaling = true;
        spec.min_replicas = int_field(*scaling, "min", "context.autoscaling.min", 1, 1000).value_or(spec.replicas);
        spec.max_replicas = int_field(*scaling, "max", "context.autoscaling.max", 1, 1000)
                                .value_or(std::max(spec.min_replicas * 2, spec.min_replicas + 1));
        spec.cpu_percent = int_field(*scaling, "cpu_percent", "context.autoscaling.cpu_percent", 1, 1000).value_or(70);
        if (spec.max_replicas < spec.min_replicas)
            throw InputError("context.autoscaling.max (" + std::to_string(spec.max_replicas) +
                             ") must not be below context.autoscaling.min (" + std::to_string(spec.min_replicas) + ")");
    }

    if (auto host = string_field(context, "ingress_host", "context.ingress_host")) {
        if (host->size() > 253 || !std::regex_match(*host, dns_subdomain))
            throw InputError("context.ingress_host '" + *host + "' is not a valid host name");
        spec.ingress_host = *host;
    } else if (from_task.ingress_host && std::regex_match(*from_task.ingress_host, dns_subdomain)) {
        spec.ingress_host = *from_task.ingress_host;
        from_text.push_back("ingress host '" + *spec.ingress_host + "'");
    }

    // ---- Emit ---------------------------------------------------------
    rapidjson::Document owner;
    Builder b(owner.GetAllocator());
    auto add = [&](const char* kind, const std::string& name, const std::string& file, const Value& object) {
        generated.artifacts.push_back(
            Artifact{kind, name, spec.service + "/" + file, to_yaml(object)});
    };
    add("Deployment", spec.service, "deployment.yaml", deployment(b, spec));
    add("Service", spec.service, "service.yaml", service(b, spec));
    if (!spec.env.empty()) add("ConfigMap", config_map_name(spec), "configmap.yaml", config_map(b, spec));
    if (spec.autoscaling) add("HorizontalPodAutoscaler", spec.service, "hpa.yaml", autoscaler(b, spec));
    add("PodDisruptionBudget", spec.service, "pdb.yaml", disruption_budget(b, spec));
    if (spec.ingress_host) add("Ingress", spec.service, "ingress.yaml", ingress(b, spec));

    std::ostringstream summary;
    summary << "Generated " << generated.artifacts.size() << " objects for service '" << spec.service
            << "' in namespace '" << spec.namespace_ << "': ";
    for (std::size_t i = 0; i < generated.artifacts.size(); ++i)
        summary << (i ? ", " : "") << generated.artifacts[i].kind << "/" << generated.artifacts[i].name;
    summary << ". The Deployment runs " << spec.image << " with " << lowest_replicas(spec)
            << (spec.autoscaling ? " to " + std::to_string(spec.max_replicas) + " replicas (HPA on " +
                                       std::to_string(spec.cpu_percent) + "% CPU)"
                                 : std::string(" replicas"))
            << ", liveness and readiness probes on " << spec.health_path << " port " << spec.port
            << ", requests and limits, non-root with a read-only root filesystem, no privilege escalation and all "
               "capabilities dropped (an emptyDir is mounted at /tmp); the Service exposes port "
            << service_port << " (ClusterIP) to container port " << spec.port << "; the PodDisruptionBudget keeps "
            << (lowest_replicas(spec) >= 2 ? "at least one pod available" : "at most one pod disrupted (one replica)")
            << ".";
    if (!spec.env.empty()) summary << " The " << spec.env.size() << " env values go into a ConfigMap loaded with envFrom.";
    if (!spec.secret_env.empty())
        summary << " " << spec.secret_env.size() << " variables come from Secrets (secretKeyRef); the Secrets themselves are not generated.";
    if (spec.ingress_host)
        summary << " The Ingress routes " << *spec.ingress_host << "/ (Prefix) to the Service, without TLS and without an ingressClassName: add them for your controller.";
    else
        summary << " No Ingress: give context.ingress_host for one.";
    if (!spec.autoscaling) summary << " No HorizontalPodAutoscaler: give context.autoscaling for one.";
    if (!from_text.empty()) {
        summary << " Read from the task: ";
        for (std::size_t i = 0; i < from_text.size(); ++i) summary << (i ? ", " : "") << from_text[i];
        summary << ".";
    }
    if (!defaults.empty()) {
        summary << " Defaults used: ";
        for (std::size_t i = 0; i < defaults.size(); ++i) summary << (i ? ", " : "") << defaults[i];
        summary << ".";
    }
    generated.summary = summary.str();
    return generated;
}

Config config_from_json(const Value& config) {
    Config result;
    if (!config.IsObject()) return result;
    if (const Value* resources = member(config, "default_resources")) {
        if (!resources->IsObject()) throw std::invalid_argument("config default_resources must be an object");
        rapidjson::Document wrapper(rapidjson::kObjectType);
        wrapper.AddMember("resources", Value(*resources, wrapper.GetAllocator()), wrapper.GetAllocator());
        try {
            read_cpu_memory(wrapper, "requests", result.default_resources.requests);
            read_cpu_memory(wrapper, "limits", result.default_resources.limits);
        } catch (const InputError& error) {
            std::string message = error.what();
            message.replace(0, std::string("context.resources").size(), "config default_resources");
            throw std::invalid_argument(message);
        }
    }
    if (const Value* prefix = member(config, "registry_prefix")) {
        if (!prefix->IsString()) throw std::invalid_argument("config registry_prefix must be a string");
        result.registry_prefix.assign(prefix->GetString(), prefix->GetStringLength());
    }
    if (const Value* kubectl = member(config, "kubectl")) {
        if (!kubectl->IsString()) throw std::invalid_argument("config kubectl must be a string");
        result.kubectl.assign(kubectl->GetString(), kubectl->GetStringLength());
        // Until ABI 1.2 this was a path the agent ran itself; the exec
        // service takes names on the host's PATH only.
        if (result.kubectl.empty() || result.kubectl.find('/') != std::string::npos)
            throw std::invalid_argument("config kubectl must be the kubectl binary's name on the host's PATH (such as "
                                        "\"kubectl\"), not a path '" + result.kubectl +
                                        "': it runs through the host's exec service and must be listed in "
                                        "agents.kubernetes_agent.exec.allow");
    }
    if (const Value* args = member(config, "kubectl_args")) {
        if (!args->IsArray()) throw std::invalid_argument("config kubectl_args must be an array of strings");
        for (const auto& arg : args->GetArray()) {
            if (!arg.IsString()) throw std::invalid_argument("config kubectl_args must be an array of strings");
            result.kubectl_args.emplace_back(arg.GetString(), arg.GetStringLength());
        }
    }
    if (const Value* timeout = member(config, "kubectl_timeout_seconds")) {
        if (!timeout->IsInt()) throw std::invalid_argument("config kubectl_timeout_seconds must be an integer");
        result.kubectl_timeout_seconds = timeout->GetInt();
    }
    return result;
}

}  // namespace k8s
