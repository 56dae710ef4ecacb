// Review mode: parses a YAML stream with yaml-cpp and checks each object.
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "kubernetes.hpp"

namespace k8s {
namespace {

using Value = rapidjson::Value;

std::string text_of(const Value* value) {
    return value != nullptr && value->IsString() ? std::string(value->GetString(), value->GetStringLength()) : "";
}

// The value at a dotted path ("spec.template.spec"), or null.
const Value* at(const Value& root, const std::string& path) {
    const Value* current = &root;
    std::size_t begin = 0;
    while (current != nullptr && begin <= path.size()) {
        const std::size_t end = path.find('.', begin);
        const std::string key = path.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
        if (!current->IsObject()) return nullptr;
        auto found = current->FindMember(key.c_str());
        current = found == current->MemberEnd() ? nullptr : &found->value;
        if (end == std::string::npos) break;
        begin = end + 1;
    }
    return current;
}

std::map<std::string, std::string> string_map(const Value* value) {
    std::map<std::string, std::string> result;
    if (value == nullptr || !value->IsObject()) return result;
    for (const auto& member : value->GetObject())
        result[std::string(member.name.GetString(), member.name.GetStringLength())] =
            member.value.IsString() ? std::string(member.value.GetString(), member.value.GetStringLength()) : "";
    return result;
}

bool contains_all(const std::map<std::string, std::string>& labels, const std::map<std::string, std::string>& wanted) {
    for (const auto& [key, value] : wanted) {
        auto found = labels.find(key);
        if (found == labels.end() || found->second != value) return false;
    }
    return true;
}

// Where each workload kind keeps its pod spec.
std::string pod_spec_path(const std::string& kind) {
    if (kind == "Pod") return "spec";
    if (kind == "CronJob") return "spec.jobTemplate.spec.template.spec";
    if (kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "ReplicaSet" ||
        kind == "Job" || kind == "ReplicationController")
        return "spec.template.spec";
    return "";
}

// The ports a container declares, by name and by number.
struct ContainerPorts {
    std::map<std::string, int> named;
    std::set<int> numbers;
    void add(const Value& container) {
        const Value* ports = at(container, "ports");
        if (ports == nullptr || !ports->IsArray()) return;
        for (const auto& port : ports->GetArray()) {
            const Value* number = at(port, "containerPort");
            if (number == nullptr || !number->IsInt()) continue;
            numbers.insert(number->GetInt());
            const std::string name = text_of(at(port, "name"));
            if (!name.empty()) named[name] = number->GetInt();
        }
    }
    std::string listed() const {
        std::string list;
        for (int number : numbers) {
            std::string name;
            for (const auto& [key, value] : named)
                if (value == number) name = key;
            list += (list.empty() ? "" : ", ") + (name.empty() ? "" : name + " ") + std::to_string(number);
        }
        return list.empty() ? "none" : list;
    }
};

// What a port reference (a name or a number) lacks among `ports`: an empty
// answer when it resolves. A number the pods do not declare may still be
// served (declaring ports is informational), so that is only a warning; a
// name that is not declared never resolves.
struct PortProblem {
    const char* severity = nullptr;
    std::string message;
};
PortProblem port_problem(const Value& reference, const ContainerPorts& ports, const std::string& what) {
    if (reference.IsString()) {
        const std::string name(reference.GetString(), reference.GetStringLength());
        if (ports.named.count(name)) return {};
        return {"error", what + " '" + name + "' names no container port (declared: " + ports.listed() +
                             "): it never resolves"};
    }
    if (reference.IsInt() && !ports.numbers.empty() && !ports.numbers.count(reference.GetInt()))
        return {"warning", what + " " + std::to_string(reference.GetInt()) + " is not a declared container port (declared: " +
                               ports.listed() + ")"};
    return {};
}

class Reviewer {
  public:
    std::vector<Finding> findings;

    void add(const char* severity, const std::string& object, const std::string& field, const std::string& message) {
        findings.push_back(Finding{severity, object, field, message});
    }

    void check_container(const std::string& object, const std::string& kind, const Value& pod_spec,
                         const Value& container, const std::string& path, bool init) {
        const std::string name = text_of(at(container, "name"));
        const std::string who = "container '" + name + "'";
        // Image tag.
        const std::string image = text_of(at(container, "image"));
        if (image.empty()) {
            add("error", object, path + ".image", who + " has no image");
        } else if (image.find('@') == std::string::npos) {
            const auto slash = image.rfind('/');
            const auto colon = image.find(':', slash == std::string::npos ? 0 : slash);
            const std::string tag = colon == std::string::npos ? "" : image.substr(colon + 1);
            if (tag.empty())
                add("warning", object, path + ".image",
                    who + " image '" + image + "' has no tag (so :latest): pin a version or digest");
            else if (tag == "latest")
                add("warning", object, path + ".image",
                    who + " image '" + image + "' uses the latest tag: pin a version or digest");
        }
        // Resources.
        const Value* resources = at(container, "resources");
        const Value* requests = resources ? at(*resources, "requests") : nullptr;
        const Value* limits = resources ? at(*resources, "limits") : nullptr;
        const bool has_requests = requests && requests->IsObject() && !requests->ObjectEmpty();
        const bool has_limits = limits && limits->IsObject() && !limits->ObjectEmpty();
        if (!has_requests && !has_limits)
            add("warning", object, path + ".resources", who + " sets no resource requests or limits");
        else if (!has_requests)
            add("warning", object, path + ".resources.requests", who + " sets no resource requests");
        else if (!has_limits)
            add("warning", object, path + ".resources.limits", who + " sets no resource limits");
        // Probes: long-running workloads only, not init containers.
        if (!init && kind != "Job" && kind != "CronJob") {
            if (at(container, "livenessProbe") == nullptr)
                add("warning", object, path + ".livenessProbe", who + " has no liveness probe");
            if (at(container, "readinessProbe") == nullptr)
                add("warning", object, path + ".readinessProbe", who + " has no readiness probe");
        }
        // Probes must reach a port the container has.
        ContainerPorts own_ports;
        own_ports.add(container);
        for (const char* probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
            for (const char* handler : {"httpGet", "tcpSocket", "grpc"}) {
                const Value* handler_value = at(container, std::string(probe) + "." + handler);
                const Value* port = handler_value ? at(*handler_value, "port") : nullptr;
                if (port == nullptr) continue;
                const PortProblem problem = port_problem(*port, own_ports, who + " " + probe + " port");
                if (problem.severity != nullptr)
                    add(problem.severity, object, path + "." + probe + "." + handler + ".port", problem.message);
            }
        }
        // Security context.
        const Value* privileged = at(container, "securityContext.privileged");
        if (privileged && privileged->IsBool() && privileged->GetBool())
            add("error", object, path + ".securityContext.privileged",
                who + " runs privileged: it has full access to the node");
        const Value* own_non_root = at(container, "securityContext.runAsNonRoot");
        const Value* pod_non_root = at(pod_spec, "securityContext.runAsNonRoot");
        const Value* non_root = own_non_root ? own_non_root : pod_non_root;
        if (non_root == nullptr || !non_root->IsBool())
            add("warning", object, path + ".securityContext.runAsNonRoot",
                who + " does not set runAsNonRoot (here or in the pod's securityContext): it may run as root");
        else if (!non_root->GetBool())
            add("error", object,
                own_non_root ? path + ".securityContext.runAsNonRoot"
                             : pod_spec_path(kind) + ".securityContext.runAsNonRoot",
                who + " sets runAsNonRoot: false");
        const Value* own_user = at(container, "securityContext.runAsUser");
        const Value* pod_user = at(pod_spec, "securityContext.runAsUser");
        const Value* user = own_user ? own_user : pod_user;
        if (user && user->IsNumber() && user->GetDouble() == 0)
            add("error", object,
                own_user ? path + ".securityContext.runAsUser" : pod_spec_path(kind) + ".securityContext.runAsUser",
                who + " runs as user 0 (root)");
    }

    void check_workload(const std::string& object, const std::string& kind, const Value& document) {
        const std::string spec_path = pod_spec_path(kind);
        const Value* pod_spec = at(document, spec_path);
        if (pod_spec == nullptr || !pod_spec->IsObject()) {
            add("error", object, spec_path, "has no pod spec");
            return;
        }
        for (const char* group : {"initContainers", "containers"}) {
            const Value* containers = at(*pod_spec, group);
            if (containers == nullptr || !containers->IsArray()) {
                if (std::string(group) == "containers") add("error", object, spec_path + ".containers", "has no containers");
                continue;
            }
            for (rapidjson::SizeType i = 0; i < containers->Size(); ++i) {
                if (!(*containers)[i].IsObject()) continue;
                check_container(object, kind, *pod_spec, (*containers)[i],
                                spec_path + "." + group + "[" + std::to_string(i) + "]",
                                std::string(group) == "initContainers");
            }
        }
        if (kind == "Pod" || kind == "CronJob") return;
        // The selector must match the pod template's labels.
        const Value* match_labels = at(document, "spec.selector.matchLabels");
        const auto template_labels = string_map(at(document, "spec.template.metadata.labels"));
        if (kind == "Job") return;  // Jobs generate their selector
        if (kind == "ReplicationController") {
            const auto selector = string_map(at(document, "spec.selector"));
            if (!selector.empty() && !contains_all(template_labels, selector))
                add("error", object, "spec.selector", "selector does not match the pod template's labels");
            return;
        }
        if (match_labels == nullptr || !match_labels->IsObject() || match_labels->ObjectEmpty()) {
            if (at(document, "spec.selector.matchExpressions") == nullptr)
                add("error", object, "spec.selector", "has no selector (apps/v1 requires spec.selector.matchLabels)");
        } else if (!contains_all(template_labels, string_map(match_labels))) {
            add("error", object, "spec.selector.matchLabels",
                "selector does not match the pod template's labels (spec.template.metadata.labels): the API "
                "server rejects it");
        }
    }
};

// A workload's pods: their labels and the ports their containers declare.
struct Pods {
    std::string object;
    std::map<std::string, std::string> labels;
    ContainerPorts ports;
};

struct Named {
    std::string kind, name, object;
    const Value* document;
};

const Named* find_named(const std::vector<Named>& objects, const std::string& kind, const std::string& name) {
    for (const auto& object : objects)
        if (object.kind == kind && object.name == name) return &object;
    return nullptr;
}

// The pods a selector picks, and the ports all of them declare.
std::vector<const Pods*> selected(const std::vector<Pods>& pods, const std::map<std::string, std::string>& selector) {
    std::vector<const Pods*> matched;
    for (const auto& workload : pods)
        if (contains_all(workload.labels, selector)) matched.push_back(&workload);
    return matched;
}

void check_service(Reviewer& reviewer, const Named& service, const std::vector<Pods>& pods) {
    const auto selector = string_map(at(*service.document, "spec.selector"));
    if (selector.empty()) return;  // selector-less Services are managed by hand
    const auto matched = selected(pods, selector);
    if (matched.empty()) {
        reviewer.add("error", service.object, "spec.selector",
                     "selector matches the pod labels of no workload in these manifests: the Service would have "
                     "no endpoints");
        return;
    }
    ContainerPorts ports;
    for (const Pods* workload : matched) {
        ports.named.insert(workload->ports.named.begin(), workload->ports.named.end());
        ports.numbers.insert(workload->ports.numbers.begin(), workload->ports.numbers.end());
    }
    const Value* service_ports = at(*service.document, "spec.ports");
    if (service_ports == nullptr || !service_ports->IsArray()) return;
    for (rapidjson::SizeType i = 0; i < service_ports->Size(); ++i) {
        const Value& port = (*service_ports)[i];
        const Value* target = at(port, "targetPort");
        if (target == nullptr) target = at(port, "port");  // targetPort defaults to port
        if (target == nullptr) continue;
        const PortProblem problem = port_problem(*target, ports, "targetPort");
        if (problem.severity != nullptr)
            reviewer.add(problem.severity, service.object, "spec.ports[" + std::to_string(i) + "].targetPort",
                         problem.message + " of the pods it selects: traffic would not reach them");
    }
}

void check_backend(Reviewer& reviewer, const Named& ingress, const Value& backend, const std::string& path,
                   const std::vector<Named>& objects) {
    const Value* service = at(backend, "service");
    if (service == nullptr || !service->IsObject()) return;  // resource backends are not checked
    const std::string name = text_of(at(*service, "name"));
    const Named* target = find_named(objects, "Service", name);
    if (target == nullptr) {
        reviewer.add("error", ingress.object, path + ".service.name",
                     "backend Service '" + name + "' is not in these manifests: the Ingress would answer 503");
        return;
    }
    const Value* number = at(*service, "port.number");
    const std::string port_name = text_of(at(*service, "port.name"));
    const Value* ports = at(*target->document, "spec.ports");
    bool found = false;
    if (ports != nullptr && ports->IsArray())
        for (const auto& port : ports->GetArray())
            found = found || (number != nullptr && number->IsInt() && at(port, "port") != nullptr &&
                              at(port, "port")->IsInt() && at(port, "port")->GetInt() == number->GetInt()) ||
                    (!port_name.empty() && text_of(at(port, "name")) == port_name);
    if ((number != nullptr || !port_name.empty()) && !found)
        reviewer.add("error", ingress.object, path + ".service.port",
                     "backend port " + (port_name.empty() ? std::to_string(number->IsInt() ? number->GetInt() : 0) : port_name) +
                         " is not a port of Service '" + name + "'");
}

// References between objects: Services, PodDisruptionBudgets,
// HorizontalPodAutoscalers and Ingresses must point at something here.
void check_references(Reviewer& reviewer, const std::vector<Named>& objects, const std::vector<Pods>& pods) {
    for (const auto& object : objects) {
        const Value& document = *object.document;
        if (object.kind == "Service") {
            check_service(reviewer, object, pods);
        } else if (object.kind == "PodDisruptionBudget") {
            const auto selector = string_map(at(document, "spec.selector.matchLabels"));
            if (!selector.empty() && selected(pods, selector).empty())
                reviewer.add("error", object.object, "spec.selector",
                             "selector matches the pod labels of no workload in these manifests: the budget protects "
                             "nothing");
        } else if (object.kind == "HorizontalPodAutoscaler") {
            const std::string kind = text_of(at(document, "spec.scaleTargetRef.kind"));
            const std::string name = text_of(at(document, "spec.scaleTargetRef.name"));
            if (!kind.empty() && find_named(objects, kind, name) == nullptr)
                reviewer.add("error", object.object, "spec.scaleTargetRef",
                             "scales " + kind + "/" + name + ", which is not in these manifests");
        } else if (object.kind == "Ingress") {
            if (const Value* fallback = at(document, "spec.defaultBackend"))
                check_backend(reviewer, object, *fallback, "spec.defaultBackend", objects);
            const Value* rules = at(document, "spec.rules");
            if (rules == nullptr || !rules->IsArray()) continue;
            for (rapidjson::SizeType r = 0; r < rules->Size(); ++r) {
                const Value* paths = at((*rules)[r], "http.paths");
                if (paths == nullptr || !paths->IsArray()) continue;
                for (rapidjson::SizeType p = 0; p < paths->Size(); ++p) {
                    const Value* backend = at((*paths)[p], "backend");
                    if (backend != nullptr)
                        check_backend(reviewer, object, *backend,
                                      "spec.rules[" + std::to_string(r) + "].http.paths[" + std::to_string(p) + "].backend",
                                      objects);
                }
            }
        }
    }
}

}  // namespace

Review review(std::string_view manifests) {
    std::vector<rapidjson::Document> documents;
    try {
        documents = yaml_documents(manifests);
    } catch (const YamlError& error) {
        throw InputError("context.manifests is not valid YAML: line " + std::to_string(error.line) + ", column " +
                         std::to_string(error.column) + ": " + error.what());
    }
    // Expand kind: List.
    std::vector<const Value*> objects;
    for (const auto& document : documents) {
        if (document.IsObject() && text_of(at(document, "kind")) == "List" && at(document, "items") &&
            at(document, "items")->IsArray()) {
            for (const auto& item : at(document, "items")->GetArray()) objects.push_back(&item);
        } else {
            objects.push_back(&document);
        }
    }

    Reviewer reviewer;
    std::vector<Pods> pods;
    std::vector<Named> named;  // every object, for references by kind and name
    for (std::size_t i = 0; i < objects.size(); ++i) {
        const Value& document = *objects[i];
        if (!document.IsObject()) {
            reviewer.add("error", "document " + std::to_string(i + 1), "", "is not a Kubernetes object (a mapping)");
            continue;
        }
        const std::string kind = text_of(at(document, "kind"));
        const std::string name = text_of(at(document, "metadata.name"));
        const std::string object = (kind.empty() ? "?" : kind) + "/" + (name.empty() ? "?" : name);
        named.push_back({kind, name, object, &document});
        if (kind.empty()) reviewer.add("error", object, "kind", "has no kind");
        if (name.empty() && at(document, "metadata.generateName") == nullptr)
            reviewer.add("error", object, "metadata.name", "has no name");
        const auto labels = string_map(at(document, "metadata.labels"));
        if (!labels.count("app.kubernetes.io/name") && !labels.count("app"))
            reviewer.add("warning", object, "metadata.labels",
                         "has no app label (app.kubernetes.io/name, or app): tools cannot group it with its app");
        const std::string spec_path = pod_spec_path(kind);
        if (!spec_path.empty()) {
            reviewer.check_workload(object, kind, document);
            if (kind != "CronJob") {
                Pods workload{object, kind == "Pod" ? labels : string_map(at(document, "spec.template.metadata.labels")),
                              {}};
                const Value* pod_spec = at(document, spec_path);
                const Value* containers = pod_spec ? at(*pod_spec, "containers") : nullptr;
                if (containers != nullptr && containers->IsArray())
                    for (const auto& container : containers->GetArray())
                        if (container.IsObject()) workload.ports.add(container);
                pods.push_back(std::move(workload));
            }
            if (kind != "Pod" && kind != "CronJob") {
                const auto template_labels = string_map(at(document, "spec.template.metadata.labels"));
                if (!template_labels.count("app.kubernetes.io/name") && !template_labels.count("app"))
                    reviewer.add("warning", object, "spec.template.metadata.labels",
                                 "the pod template has no app label (app.kubernetes.io/name, or app)");
            }
        }
    }
    check_references(reviewer, named, pods);

    Review result;
    result.findings = std::move(reviewer.findings);
    result.objects = objects.size();
    std::size_t errors = 0;
    for (const auto& finding : result.findings) errors += finding.severity == "error";
    std::ostringstream summary;
    summary << "Reviewed " << result.objects << " objects: " << result.findings.size() << " findings (" << errors
            << " errors, " << result.findings.size() - errors << " warnings).";
    if (result.findings.empty()) summary << " Nothing to report.";
    result.summary = summary.str();
    return result;
}

}  // namespace k8s
