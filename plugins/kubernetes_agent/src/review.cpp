// Review mode: parses a YAML stream with yaml-cpp and checks each object.
#include <map>
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
    struct PodLabels {
        std::string object;
        std::map<std::string, std::string> labels;
    };
    std::vector<PodLabels> pods;
    std::vector<std::pair<std::string, const Value*>> services;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        const Value& document = *objects[i];
        if (!document.IsObject()) {
            reviewer.add("error", "document " + std::to_string(i + 1), "", "is not a Kubernetes object (a mapping)");
            continue;
        }
        const std::string kind = text_of(at(document, "kind"));
        const std::string name = text_of(at(document, "metadata.name"));
        const std::string object = (kind.empty() ? "?" : kind) + "/" + (name.empty() ? "?" : name);
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
            if (kind == "Pod")
                pods.push_back({object, labels});
            else if (kind != "CronJob")
                pods.push_back({object, string_map(at(document, "spec.template.metadata.labels"))});
            if (kind != "Pod" && kind != "CronJob") {
                const auto template_labels = string_map(at(document, "spec.template.metadata.labels"));
                if (!template_labels.count("app.kubernetes.io/name") && !template_labels.count("app"))
                    reviewer.add("warning", object, "spec.template.metadata.labels",
                                 "the pod template has no app label (app.kubernetes.io/name, or app)");
            }
        }
        if (kind == "Service") services.emplace_back(object, &document);
    }
    for (const auto& [object, document] : services) {
        const auto selector = string_map(at(*document, "spec.selector"));
        if (selector.empty()) continue;  // selector-less Services are managed by hand
        bool matched = false;
        for (const auto& pod : pods) matched = matched || contains_all(pod.labels, selector);
        if (!matched)
            reviewer.add("error", object, "spec.selector",
                         "selector matches the pod labels of no workload in these manifests: the Service would have "
                         "no endpoints");
    }

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
