// Generate mode: reads the context, then the free-text task, then the
// defaults into a Spec (objects.cpp builds the objects from it), refusing
// whatever it cannot honour rather than writing something else.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <utility>

#include <devkit/kubernetes_conventions.hpp>

#include "kubernetes.hpp"
#include "quantity.hpp"
#include "spec.hpp"
#include "task_text.hpp"

namespace k8s {
namespace {

using Value = rapidjson::Value;

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

// One group of context.resources as given: absent values stay empty.
struct GivenCpuMemory {
    std::optional<std::string> cpu, memory;
};

GivenCpuMemory read_cpu_memory(const Value& context, const char* group) {
    GivenCpuMemory given;
    const Value* resources = member(context, "resources");
    if (resources == nullptr) return given;
    if (!resources->IsObject()) throw InputError("context.resources must be an object");
    const Value* values = member(*resources, group);
    if (values == nullptr) return given;
    const std::string path = std::string("context.resources.") + group;
    if (!values->IsObject()) throw InputError(path + " must be an object");
    given.cpu = string_field(*values, "cpu", path + ".cpu");
    if (given.cpu && !std::regex_match(*given.cpu, quantity_cpu))
        throw InputError(path + ".cpu '" + *given.cpu + "' is not a CPU quantity");
    given.memory = string_field(*values, "memory", path + ".memory");
    if (given.memory && !std::regex_match(*given.memory, quantity_memory))
        throw InputError(path + ".memory '" + *given.memory + "' is not a memory quantity");
    return given;
}

// Requests and limits the API server accepts (every request within its
// limit) from what was given and the defaults: a request alone raises the
// default limit to it, a limit alone lowers the default request to it, and
// a request above its own limit is refused naming `path`.limits.
void settle_resource(const std::optional<std::string>& request, const std::optional<std::string>& limit,
                     std::string& request_out, std::string& limit_out, const std::string& path, const char* name,
                     std::vector<std::string>& notes) {
    if (request) request_out = *request;
    if (limit) limit_out = *limit;
    const auto request_value = quantity_value(request_out), limit_value = quantity_value(limit_out);
    if (!request_value || !limit_value || *request_value <= *limit_value) return;
    if (request && limit)
        throw InputError(path + ".limits." + name + " (" + *limit + ") is below " + path + ".requests." + name + " (" +
                         *request + "): the API server refuses a request above its limit");
    if (request) {
        notes.push_back(std::string(name) + " limit raised to the request " + request_out + " (the default " +
                        limit_out + " is below it)");
        limit_out = request_out;
    } else if (limit) {
        notes.push_back(std::string(name) + " request lowered to the limit " + limit_out + " (the default " +
                        request_out + " is above it)");
        request_out = limit_out;
    } else {
        throw InputError(path + ": the " + name + " request " + request_out + " is above the limit " + limit_out);
    }
}

Resources settle_resources(const Value& context, const char* path, const Resources& defaults,
                           std::vector<std::string>& notes) {
    const GivenCpuMemory requests = read_cpu_memory(context, "requests");
    const GivenCpuMemory limits = read_cpu_memory(context, "limits");
    Resources settled = defaults;
    settle_resource(requests.cpu, limits.cpu, settled.requests.cpu, settled.limits.cpu, path, "cpu", notes);
    settle_resource(requests.memory, limits.memory, settled.requests.memory, settled.limits.memory, path, "memory",
                    notes);
    return settled;
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

std::string scalar_text(const Value& value) {
    if (value.IsString()) return std::string(value.GetString(), value.GetStringLength());
    if (value.IsBool()) return value.GetBool() ? "true" : "false";
    if (value.IsInt64()) return std::to_string(value.GetInt64());
    if (value.IsUint64()) return std::to_string(value.GetUint64());
    std::ostringstream text;
    text << value.GetDouble();
    return text.str();
}

std::string workload_kind(Workload workload) {
    switch (workload) {
        case Workload::stateful_set: return "StatefulSet";
        case Workload::cron_job: return "CronJob";
        case Workload::job: return "Job";
        case Workload::deployment: break;
    }
    return "Deployment";
}

Workload read_workload(const std::string& kind, const std::string& path) {
    if (kind == "Deployment") return Workload::deployment;
    if (kind == "StatefulSet") return Workload::stateful_set;
    if (kind == "CronJob") return Workload::cron_job;
    if (kind == "Job") return Workload::job;
    throw InputError(path + " '" + kind +
                     "' is not supported: this agent writes a Deployment, StatefulSet, CronJob or Job");
}

// A cron schedule of five fields, or one of the macros CronJobs accept.
void check_schedule(const std::string& schedule, const std::string& path) {
    static const std::regex five_fields("^[-0-9*/,A-Za-z?]+( [-0-9*/,A-Za-z?]+){4}$");
    static const std::regex macro("^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$");
    if (!std::regex_match(schedule, five_fields) && !std::regex_match(schedule, macro))
        throw InputError(path + " '" + schedule +
                         "' is not a cron schedule: five fields (minute hour day-of-month month day-of-week) or "
                         "@hourly, @daily, @weekly, @monthly, @yearly");
}

void read_storage(const Value& context, VolumeStorage& storage) {
    const Value* given = member(context, "storage");
    if (given == nullptr) return;
    if (!given->IsObject()) throw InputError("context.storage must be an object {size, mount_path, storage_class}");
    if (auto size = string_field(*given, "size", "context.storage.size")) {
        if (!std::regex_match(*size, quantity_memory) || !quantity_value(*size) || *quantity_value(*size) <= 0)
            throw InputError("context.storage.size '" + *size + "' is not a storage quantity such as 10Gi");
        storage.size = *size;
    }
    if (auto path = string_field(*given, "mount_path", "context.storage.mount_path")) {
        if (path->empty() || path->front() != '/' || *path == "/" || *path == "/tmp")
            throw InputError("context.storage.mount_path '" + *path + "' must be an absolute path other than / and /tmp");
        storage.mount_path = *path;
    }
    if (auto storage_class = string_field(*given, "storage_class", "context.storage.storage_class")) {
        if (storage_class->size() > 253 || !std::regex_match(*storage_class, dns_subdomain))
            throw InputError("context.storage.storage_class '" + *storage_class + "' is not a StorageClass name");
        storage.storage_class = *storage_class;
    }
}

// Fields that mean nothing for the chosen workload are refused, naming them.
void refuse_for_workload(const Value& context, const Spec& spec) {
    const std::string kind = workload_kind(spec.workload);
    std::vector<const char*> refused;
    if (!serves(spec)) refused = {"port", "health_path", "autoscaling", "ingress_host", "ingress_tls_secret", "strategy"};
    if (spec.workload == Workload::cron_job || spec.workload == Workload::job) refused.push_back("replicas");
    if (spec.workload != Workload::stateful_set) refused.push_back("storage");
    if (spec.workload != Workload::cron_job) refused.push_back("schedule");
    for (const char* field : refused)
        if (member(context, field) != nullptr)
            throw InputError(std::string("context.") + field + " does not apply to a " + kind +
                             (std::string(field) == "storage" ? ": persistent storage needs context.workload StatefulSet"
                              : std::string(field) == "schedule" ? ": a schedule needs context.workload CronJob"
                                                                 : ""));
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
    } else if (from_task.service) {
        if (from_task.service->size() > 63 || !std::regex_match(*from_task.service, dns_label))
            throw InputError("the task names the service '" + *from_task.service +
                             "', which is not a DNS-1123 label (lower-case letters, digits and '-', starting with a "
                             "letter): set context.service");
        spec.service = *from_task.service;
        from_text.push_back("service name '" + spec.service + "'");
    } else {
        throw InputError("the task does not name the service clearly (say \"a service called orders-api\"): set "
                         "context.service to its name, a DNS-1123 label such as orders-api");
    }

    // ---- The workload -------------------------------------------------
    if (auto kind = string_field(context, "workload", "context.workload")) {
        spec.workload = read_workload(*kind, "context.workload");
    } else if (from_task.workload) {
        spec.workload = read_workload(*from_task.workload, "the workload the task asks for (context.workload)");
        from_text.push_back("workload " + *from_task.workload);
    } else if (member(context, "storage") != nullptr || from_task.persistent) {
        spec.workload = Workload::stateful_set;
        from_text.push_back("workload StatefulSet (persistent storage asked for)");
    } else if (member(context, "schedule") != nullptr) {
        spec.workload = Workload::cron_job;
    }
    refuse_for_workload(context, spec);
    if (spec.workload == Workload::stateful_set) {
        spec.storage.emplace();
        read_storage(context, *spec.storage);
        if (member(context, "storage") == nullptr && from_task.storage_size) {
            spec.storage->size = *from_task.storage_size;
            from_text.push_back("storage " + spec.storage->size);
        } else if (member(context, "storage") == nullptr) {
            defaults.push_back("storage 1Gi at /data (set context.storage)");
        }
    } else if (spec.workload == Workload::deployment && from_task.persistent && member(context, "workload") != nullptr) {
        throw InputError("the task asks for persistent storage, which a Deployment cannot give each pod: set "
                         "context.workload to StatefulSet");
    }
    if (spec.workload == Workload::cron_job) {
        if (auto schedule = string_field(context, "schedule", "context.schedule")) {
            spec.schedule = *schedule;
        } else if (from_task.schedule) {
            spec.schedule = *from_task.schedule;
            from_text.push_back("schedule '" + spec.schedule + "'");
        } else {
            throw InputError("a CronJob needs a schedule: set context.schedule (such as \"0 3 * * *\" or @daily)");
        }
        check_schedule(spec.schedule, "context.schedule");
    }
    if (auto strategy = string_field(context, "strategy", "context.strategy")) {
        if (*strategy != "rolling" && *strategy != "blue_green" && *strategy != "blue-green")
            throw InputError("context.strategy '" + *strategy + "' is not supported: rolling or blue_green");
        spec.blue_green = *strategy != "rolling";
    } else if (from_task.blue_green && spec.workload == Workload::deployment) {
        spec.blue_green = true;
        from_text.push_back("blue-green strategy");
    }

    // ---- The container ------------------------------------------------
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

    if (serves(spec)) {
        if (auto port = int_field(context, "port", "context.port", 1, 65535)) {
            spec.port = *port;
        } else if (from_task.port) {
            if (*from_task.port < 1 || *from_task.port > 65535)
                throw InputError("the task's port " + std::to_string(*from_task.port) +
                                 " is not from 1 to 65535: set context.port");
            spec.port = *from_task.port;
            from_text.push_back("port " + std::to_string(spec.port));
        } else {
            defaults.push_back("container port 8080");
        }
    }
    if (spec.workload == Workload::deployment || spec.workload == Workload::stateful_set) {
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
    }

    if (auto path = string_field(context, "health_path", "context.health_path")) {
        if (path->empty() || path->front() != '/') throw InputError("context.health_path must start with '/'");
        spec.health_path = *path;
    } else if (serves(spec)) {
        defaults.push_back("health path /healthz for both probes");
    }

    if (auto ns = string_field(context, "namespace", "context.namespace")) {
        check_name(*ns, "context.namespace");
        spec.namespace_ = *ns;
    } else if (auto environment = string_field(context, "environment", "context.environment");
               environment && std::regex_match(*environment, dns_label)) {
        // Seed 001's request names the environment ({"environment":
        // "staging"}); its namespace is the usual home of that environment.
        spec.namespace_ = *environment;
        defaults.push_back("namespace '" + spec.namespace_ + "' from context.environment");
    } else if (from_task.namespace_ && std::regex_match(*from_task.namespace_, dns_label)) {
        spec.namespace_ = *from_task.namespace_;
        from_text.push_back("namespace '" + spec.namespace_ + "'");
    } else if (from_task.environment) {
        spec.namespace_ = *from_task.environment;
        from_text.push_back("namespace '" + spec.namespace_ + "' (the environment the task names)");
    } else {
        defaults.push_back("namespace 'default'");
    }

    std::vector<std::string> resource_notes;
    spec.resources = settle_resources(context, "context.resources", config.default_resources, resource_notes);
    if (member(context, "resources") == nullptr)
        defaults.push_back("resources from the config: requests cpu " + spec.resources.requests.cpu + ", memory " +
                           spec.resources.requests.memory + "; limits cpu " + spec.resources.limits.cpu +
                           ", memory " + spec.resources.limits.memory);
    for (const auto& note : resource_notes) defaults.push_back(note);

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

    // ---- Scaling and traffic ------------------------------------------
    if (const Value* scaling = member(context, "autoscaling")) {
        if (!scaling->IsObject()) throw InputError("context.autoscaling must be an object {min, max, cpu_percent}");
        if (spec.blue_green)
            throw InputError("context.autoscaling is not supported with the blue_green strategy: a "
                             "HorizontalPodAutoscaler scales one Deployment, and the live colour changes on every deploy");
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
    } else if (from_task.ingress_host && std::regex_match(*from_task.ingress_host, dns_subdomain) && serves(spec)) {
        spec.ingress_host = *from_task.ingress_host;
        from_text.push_back("ingress host '" + *spec.ingress_host + "'");
    }
    if (auto secret = string_field(context, "ingress_tls_secret", "context.ingress_tls_secret")) {
        if (secret->size() > 253 || !std::regex_match(*secret, dns_subdomain))
            throw InputError("context.ingress_tls_secret '" + *secret + "' is not a valid Secret name");
        spec.tls_secret = *secret;
    } else if (from_task.tls && serves(spec)) {
        spec.tls_secret = from_task.tls_secret.value_or(spec.service + "-tls");
        from_text.push_back("TLS with the Secret '" + *spec.tls_secret + "'");
    }
    if (spec.tls_secret && !spec.ingress_host)
        throw InputError("TLS needs an Ingress: set context.ingress_host as well as context.ingress_tls_secret");

    // ---- Emit ---------------------------------------------------------
    generated.artifacts = build_objects(spec);

    std::ostringstream summary;
    summary << "Generated " << generated.artifacts.size() << " objects for service '" << spec.service
            << "' in namespace '" << spec.namespace_ << "': ";
    for (std::size_t i = 0; i < generated.artifacts.size(); ++i)
        summary << (i ? ", " : "") << generated.artifacts[i].kind << "/" << generated.artifacts[i].name;
    summary << ".";
    const std::string hardening = " non-root with a read-only root filesystem, no privilege escalation and all "
                                  "capabilities dropped (an emptyDir is mounted at /tmp)";
    switch (spec.workload) {
        case Workload::deployment:
        case Workload::stateful_set:
            summary << " The " << workload_kind(spec.workload) << " runs " << spec.image << " with "
                    << lowest_replicas(spec)
                    << (spec.autoscaling ? " to " + std::to_string(spec.max_replicas) + " replicas (HPA on " +
                                               std::to_string(spec.cpu_percent) + "% CPU)"
                                         : std::string(" replicas"))
                    << ", liveness and readiness probes on " << spec.health_path << " port " << spec.port
                    << ", requests and limits," << hardening << "; the Service exposes port " << service_port
                    << " (ClusterIP) to container port " << spec.port << "; the PodDisruptionBudget keeps "
                    << (lowest_replicas(spec) >= 2 ? "at least one pod available"
                                                   : "at most one pod disrupted (one replica)")
                    << ".";
            break;
        case Workload::cron_job:
            summary << " The CronJob runs " << spec.image << " on the schedule '" << spec.schedule
                    << "' (concurrencyPolicy Forbid, 3 retries per run), with requests and limits," << hardening << ".";
            break;
        case Workload::job:
            summary << " The Job runs " << spec.image
                    << " once (3 retries, removed a day after it finishes), with requests and limits," << hardening
                    << ".";
            break;
    }
    if (spec.storage)
        summary << " Each pod claims " << spec.storage->size << " (ReadWriteOnce"
                << (spec.storage->storage_class ? ", StorageClass " + *spec.storage->storage_class : std::string())
                << ") mounted at " << spec.storage->mount_path << ", through the headless Service "
                << headless_service_name(spec) << ".";
    if (spec.blue_green)
        summary << " Blue-green: " << devkit::kubernetes::color_deployment(spec.service, devkit::kubernetes::blue)
                << " is live with " << spec.replicas << " replicas and "
                << devkit::kubernetes::color_deployment(spec.service, devkit::kubernetes::green)
                << " waits at 0; the Service selects color=blue, and a deploy (harness_expert's blue-green workflow) "
                   "updates and scales the idle colour, then switches the Service's color selector.";
    if (!spec.env.empty()) summary << " The " << spec.env.size() << " env values go into a ConfigMap loaded with envFrom.";
    if (!spec.secret_env.empty())
        summary << " " << spec.secret_env.size() << " variables come from Secrets (secretKeyRef); the Secrets themselves are not generated.";
    if (spec.ingress_host)
        summary << " The Ingress routes " << *spec.ingress_host << "/ (Prefix) to the Service"
                << (spec.tls_secret ? ", with TLS from the Secret " + *spec.tls_secret + " (not generated)"
                                    : std::string(", without TLS (give context.ingress_tls_secret)"))
                << ", and without an ingressClassName: add one for your controller.";
    else if (serves(spec))
        summary << " No Ingress: give context.ingress_host for one.";
    if (serves(spec) && !spec.autoscaling && !spec.blue_green)
        summary << " No HorizontalPodAutoscaler: give context.autoscaling for one.";
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
            std::vector<std::string> notes;
            result.default_resources =
                settle_resources(wrapper, "config default_resources", result.default_resources, notes);
        } catch (const InputError& error) {
            std::string message = error.what();
            const std::string context_path = "context.resources";
            if (message.rfind(context_path, 0) == 0) message.replace(0, context_path.size(), "config default_resources");
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
