#include "generate.hpp"

#include <yaml-cpp/yaml.h>

#include <set>
#include <string_view>
#include <utility>

#include <devkit/kubernetes_conventions.hpp>

#include "identifiers.hpp"

namespace harness_expert {
namespace {

YAML::Node map() { return YAML::Node(YAML::NodeType::Map); }
YAML::Node sequence() { return YAML::Node(YAML::NodeType::Sequence); }

std::string emit(const YAML::Node& document) {
    YAML::Emitter out;
    out.SetIndent(2);
    out << document;
    if (!out.good()) throw std::runtime_error("YAML emitter failed: " + out.GetLastError());
    return std::string(out.c_str()) + "\n";
}

std::string join(const std::vector<std::string>& items, const std::string& separator = ", ") {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
    return out;
}

bool needs_approval(const Settings& settings, const std::string& environment) {
    return settings.prod_approval && is_production_name(environment);
}

// ---- Harness ------------------------------------------------------------

struct StepBuilder {
    IdentifierScope& scope;
    std::string stage_id;

    YAML::Node operator()(const std::string& name, const std::string& base_identifier, const std::string& type,
                          const std::string& timeout, YAML::Node spec) const {
        YAML::Node step = map();
        step["name"] = name;
        step["identifier"] = scope.claim(stage_id + "_" + base_identifier);
        step["type"] = type;
        step["timeout"] = timeout;
        step["spec"] = spec;
        YAML::Node wrapper = map();
        wrapper["step"] = step;
        return wrapper;
    }
};

YAML::Node rolling_spec() {
    YAML::Node spec = map();
    spec["skipDryRun"] = false;
    spec["pruningEnabled"] = false;
    return spec;
}

YAML::Node wait_spec(const std::string& duration) {
    YAML::Node spec = map();
    spec["duration"] = duration;
    return spec;
}

YAML::Node approval_step(const StepBuilder& step, const Settings& settings, const std::string& environment) {
    YAML::Node spec = map();
    spec["approvalMessage"] = "Approve the " + std::string(to_string(settings.strategy)) + " deployment of " +
                              settings.service + " to " + environment + ".";
    spec["includePipelineExecutionHistory"] = true;
    YAML::Node approvers = map();
    YAML::Node groups = sequence();
    groups.push_back("_project_all_users");
    approvers["userGroups"] = groups;
    approvers["minimumCount"] = 1;
    approvers["disallowPipelineExecutor"] = false;
    spec["approvers"] = approvers;
    spec["approverInputs"] = sequence();
    return step("Approve " + environment, "approval", "HarnessApproval", "1d", spec);
}

void add_strategy_steps(const StepBuilder& step, Strategy strategy, YAML::Node& steps, YAML::Node& rollback) {
    switch (strategy) {
        case Strategy::rolling:
            steps.push_back(step("Rollout Deployment", "rolloutDeployment", "K8sRollingDeploy", "10m", rolling_spec()));
            {
                YAML::Node spec = map();
                spec["pruningEnabled"] = false;
                rollback.push_back(
                    step("Rollback Rollout Deployment", "rollbackRolloutDeployment", "K8sRollingRollback", "10m", spec));
            }
            break;
        case Strategy::canary: {
            YAML::Node canary = map();
            YAML::Node selection = map();
            selection["type"] = "Count";
            YAML::Node count = map();
            count["count"] = 1;
            selection["spec"] = count;
            canary["instanceSelection"] = selection;
            canary["skipDryRun"] = false;
            steps.push_back(step("Canary Deployment", "canaryDeployment", "K8sCanaryDeploy", "10m", canary));
            steps.push_back(step("Verify Canary", "verifyCanary", "Wait", "15m", wait_spec("10m")));
            steps.push_back(step("Canary Delete", "canaryDelete", "K8sCanaryDelete", "10m", map()));
            steps.push_back(step("Rolling Deployment", "rollingDeployment", "K8sRollingDeploy", "10m", rolling_spec()));
            rollback.push_back(step("Canary Delete", "rollbackCanaryDelete", "K8sCanaryDelete", "10m", map()));
            YAML::Node spec = map();
            spec["pruningEnabled"] = false;
            rollback.push_back(
                step("Rolling Rollback", "rollbackRollingDeployment", "K8sRollingRollback", "10m", spec));
            break;
        }
        case Strategy::blue_green: {
            steps.push_back(step("Stage Deployment", "stageDeployment", "K8sBlueGreenDeploy", "10m", rolling_spec()));
            steps.push_back(step("Verify Stage", "verifyStage", "Wait", "15m", wait_spec("10m")));
            YAML::Node swap = map();
            swap["skipDryRun"] = false;
            steps.push_back(
                step("Swap primary with stage service", "bgSwapServices", "K8sBGSwapServices", "10m", swap));
            YAML::Node back = map();
            back["skipDryRun"] = false;
            rollback.push_back(
                step("Swap primary with stage service", "rollbackBgSwapServices", "K8sBGSwapServices", "10m", back));
            break;
        }
    }
}

YAML::Node harness_stage(IdentifierScope& scope, const Settings& settings, const std::string& environment,
                         const std::string& stage_id, const std::string& service_ref, bool approval) {
    YAML::Node stage = map();
    stage["name"] = environment;
    stage["identifier"] = stage_id;
    stage["description"] = "Deploy " + settings.service + " to " + environment + " (" +
                           std::string(to_string(settings.strategy)) + ")";
    stage["type"] = "Deployment";

    YAML::Node spec = map();
    spec["deploymentType"] = "Kubernetes";
    YAML::Node service = map();
    service["serviceRef"] = service_ref;
    spec["service"] = service;
    YAML::Node env = map();
    env["environmentRef"] = stage_id;
    env["deployToAll"] = false;
    YAML::Node infrastructures = sequence();
    YAML::Node infrastructure = map();
    infrastructure["identifier"] = scope.claim(stage_id + "_k8s");
    infrastructures.push_back(infrastructure);
    env["infrastructureDefinitions"] = infrastructures;
    spec["environment"] = env;

    const StepBuilder step{scope, stage_id};
    YAML::Node steps = sequence();
    YAML::Node rollback = sequence();
    if (approval) steps.push_back(approval_step(step, settings, environment));
    add_strategy_steps(step, settings.strategy, steps, rollback);
    YAML::Node execution = map();
    execution["steps"] = steps;
    execution["rollbackSteps"] = rollback;
    spec["execution"] = execution;
    stage["spec"] = spec;

    YAML::Node failure = map();
    YAML::Node on_failure = map();
    YAML::Node errors = sequence();
    errors.push_back("AllErrors");
    on_failure["errors"] = errors;
    YAML::Node action = map();
    action["type"] = "StageRollback";
    on_failure["action"] = action;
    failure["onFailure"] = on_failure;
    YAML::Node failures = sequence();
    failures.push_back(failure);
    stage["failureStrategies"] = failures;

    YAML::Node wrapper = map();
    wrapper["stage"] = stage;
    return wrapper;
}

Artifact harness_pipeline(const Settings& settings, const StageCallback& on_stage, std::vector<std::string>& warnings) {
    IdentifierScope scope;
    YAML::Node pipeline = map();
    const std::string name = "Deploy " + settings.service;
    pipeline["name"] = name;
    const std::string pipeline_id = scope.claim("deploy_" + settings.service);
    pipeline["identifier"] = pipeline_id;
    pipeline["projectIdentifier"] = to_identifier(settings.project);
    pipeline["orgIdentifier"] = to_identifier(settings.org);
    if (to_identifier(settings.project) != settings.project)
        warnings.push_back("project \"" + settings.project + "\" is not a valid Harness identifier; used \"" +
                           to_identifier(settings.project) + "\"");
    if (to_identifier(settings.org) != settings.org)
        warnings.push_back("org \"" + settings.org + "\" is not a valid Harness identifier; used \"" +
                           to_identifier(settings.org) + "\"");
    pipeline["tags"] = map();

    const std::string service_ref = to_identifier(settings.service);
    if (service_ref != settings.service)
        warnings.push_back("service \"" + settings.service + "\" is referenced as Harness service \"" + service_ref +
                           "\" (identifiers allow only letters, digits, _ and $)");

    YAML::Node stages = sequence();
    IdentifierScope stage_ids;  // the environment identifiers, deduplicated
    for (std::size_t i = 0; i < settings.environments.size(); ++i) {
        const std::string& environment = settings.environments[i];
        if (on_stage) on_stage(environment, i, settings.environments.size());
        std::string stage_id = stage_ids.claim(environment);
        // Keep stage identifiers clear of the pipeline's and the steps'.
        stage_id = scope.claim(stage_id);
        if (stage_id != environment)
            warnings.push_back("environment \"" + environment + "\" has the identifier \"" + stage_id + "\"");
        stages.push_back(harness_stage(scope, settings, environment, stage_id, service_ref,
                                       needs_approval(settings, environment)));
    }
    pipeline["stages"] = stages;

    YAML::Node variables = sequence();
    YAML::Node image = map();
    image["name"] = "image";
    image["type"] = "String";
    image["description"] = "Container image to deploy; reference it as <+pipeline.variables.image> in the service's artifact source";
    image["value"] = settings.image.empty() ? std::string("<+input>") : settings.image;
    variables.push_back(image);
    pipeline["variables"] = variables;

    YAML::Node document = map();
    document["pipeline"] = pipeline;
    return Artifact{".harness/" + pipeline_id + ".yaml", emit(document)};
}

// ---- GitHub Actions -----------------------------------------------------

// The registry host of an image reference ("docker.io" when it has none).
std::string registry_of(const std::string& image) {
    const auto slash = image.find('/');
    if (slash == std::string::npos) return "docker.io";
    const std::string first = image.substr(0, slash);
    return first.find('.') != std::string::npos || first.find(':') != std::string::npos || first == "localhost"
               ? first
               : "docker.io";
}

// The image reference without its tag or digest.
std::string repository_of(const std::string& image) {
    std::string out = image.substr(0, image.find('@'));
    const auto slash = out.rfind('/');
    const auto colon = out.rfind(':');
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) out.resize(colon);
    return out;
}

YAML::Node gha_step(const std::string& name, const std::string& run) {
    YAML::Node step = map();
    step["name"] = name;
    step["run"] = run;
    return step;
}

YAML::Node gha_uses(const std::string& name, const std::string& uses, YAML::Node with = YAML::Node()) {
    YAML::Node step = map();
    step["name"] = name;
    step["uses"] = uses;
    if (with.IsDefined() && !with.IsNull()) step["with"] = with;
    return step;
}

// The shell of the deploy steps. They act on the objects kubernetes_agent
// writes (devkit/kubernetes_conventions.hpp): Deployment $APP whose
// container is $APP, or for blue-green $APP-blue and $APP-green behind
// Service $APP's color selector.
const char* record_revision =
    "# What runs now, so a failed deploy rolls back to exactly this and a deploy\n"
    "# that changed nothing rolls nothing back.\n"
    "REVISION=$(kubectl -n \"$NAMESPACE\" get deployment/\"$APP\" -o jsonpath='{.metadata.annotations.deployment\\.kubernetes\\.io/revision}')\n"
    "echo \"ROLLBACK_REVISION=$REVISION\" >> \"$GITHUB_ENV\"\n";

const char* rolling_deploy =
    "kubectl -n \"$NAMESPACE\" set image deployment/\"$APP\" \"$APP=$IMAGE_REF\"\n"
    "kubectl -n \"$NAMESPACE\" rollout status deployment/\"$APP\" --timeout=10m\n";

// A copy of the Deployment that keeps the container name and the labels the
// Service selects, adds the canary track to its pods and its own selector,
// and drops what belongs to the original object.
const char* canary_deploy =
    "kubectl -n \"$NAMESPACE\" get deployment/\"$APP\" -o json \\\n"
    "  | kubectl patch --local -f - --type merge -o json -p '{\"metadata\":{\"name\":\"'\"$APP-canary\"'\",\"resourceVersion\":null,\"uid\":null,\"creationTimestamp\":null,\"generation\":null,\"managedFields\":null,\"annotations\":null},\"status\":null,\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"{track}\":\"{canary}\"}},\"template\":{\"metadata\":{\"labels\":{\"{track}\":\"{canary}\"}}}}}' \\\n"
    "  | kubectl -n \"$NAMESPACE\" apply -f -\n"
    "kubectl -n \"$NAMESPACE\" set image deployment/\"$APP-canary\" \"$APP=$IMAGE_REF\"\n"
    "kubectl -n \"$NAMESPACE\" rollout status deployment/\"$APP-canary\" --timeout=10m\n";

const char* guarded_undo =
    "if [ -n \"${ROLLBACK_REVISION:-}\" ]; then\n"
    "  NOW=$(kubectl -n \"$NAMESPACE\" get deployment/\"$APP\" -o jsonpath='{.metadata.annotations.deployment\\.kubernetes\\.io/revision}')\n"
    "  if [ \"$NOW\" != \"$ROLLBACK_REVISION\" ]; then\n"
    "    kubectl -n \"$NAMESPACE\" rollout undo deployment/\"$APP\" --to-revision=\"$ROLLBACK_REVISION\"\n"
    "  else\n"
    "    echo \"deployment/$APP still runs revision $NOW: nothing to roll back\"\n"
    "  fi\n"
    "fi\n";

const char* blue_green_stage =
    "LIVE=$(kubectl -n \"$NAMESPACE\" get service \"$APP\" -o jsonpath='{.spec.selector.{color}}')\n"
    "case \"$LIVE\" in\n"
    "  blue) IDLE=green ;;\n"
    "  green) IDLE=blue ;;\n"
    "  *) echo \"::error::Service $APP selects no color (blue or green): create it with kubernetes_agent's blue_green strategy\"; exit 1 ;;\n"
    "esac\n"
    "echo \"LIVE=$LIVE\" >> \"$GITHUB_ENV\"\n"
    "echo \"IDLE=$IDLE\" >> \"$GITHUB_ENV\"\n"
    "REPLICAS=$(kubectl -n \"$NAMESPACE\" get deployment/\"$APP-$LIVE\" -o jsonpath='{.spec.replicas}')\n"
    "kubectl -n \"$NAMESPACE\" set image deployment/\"$APP-$IDLE\" \"$APP=$IMAGE_REF\"\n"
    "kubectl -n \"$NAMESPACE\" scale deployment/\"$APP-$IDLE\" --replicas=\"$REPLICAS\"\n"
    "kubectl -n \"$NAMESPACE\" rollout status deployment/\"$APP-$IDLE\" --timeout=10m\n";

const char* blue_green_swap =
    "kubectl -n \"$NAMESPACE\" patch service \"$APP\" -p '{\"spec\":{\"selector\":{\"{color}\":\"'\"$IDLE\"'\"}}}'\n"
    "echo \"SWAPPED=true\" >> \"$GITHUB_ENV\"\n"
    "test \"$(kubectl -n \"$NAMESPACE\" get service \"$APP\" -o jsonpath='{.spec.selector.{color}}')\" = \"$IDLE\"\n";

// The scripts above with devkit's label names in place of {track},
// {canary} and {color}.
std::string with_conventions(std::string script) {
    namespace conventions = devkit::kubernetes;
    for (const auto& [token, value] : {std::pair<std::string, std::string_view>{"{track}", conventions::track_label},
                                       {"{canary}", conventions::canary_track},
                                       {"{color}", conventions::color_label}})
        for (auto at = script.find(token); at != std::string::npos; at = script.find(token, at + value.size()))
            script.replace(at, token.size(), value);
    return script;
}

YAML::Node run_step(const std::string& name, const char* script) { return gha_step(name, with_conventions(script)); }

void add_deploy_steps(const Settings& settings, YAML::Node& steps) {
    switch (settings.strategy) {
        case Strategy::rolling:
            steps.push_back(run_step("Record the running revision", record_revision));
            steps.push_back(run_step("Rolling deploy", rolling_deploy));
            break;
        case Strategy::canary:
            steps.push_back(run_step("Record the running revision", record_revision));
            steps.push_back(run_step("Canary deploy", canary_deploy));
            steps.push_back(run_step("Verify canary",
                                     "sleep \"$CANARY_VERIFY_SECONDS\"\n"
                                     "kubectl -n \"$NAMESPACE\" rollout status deployment/\"$APP-canary\" --timeout=1m\n"));
            steps.push_back(run_step("Delete canary",
                                     "kubectl -n \"$NAMESPACE\" delete deployment/\"$APP-canary\" --ignore-not-found\n"));
            steps.push_back(run_step("Rolling deploy", rolling_deploy));
            break;
        case Strategy::blue_green:
            steps.push_back(run_step("Stage deployment (idle colour)", blue_green_stage));
            steps.push_back(run_step("Swap services", blue_green_swap));
            break;
    }
    YAML::Node rollback;
    if (settings.strategy == Strategy::blue_green) {
        // Only a swap that happened is swapped back.
        rollback = run_step(
            "Roll back (swap back)",
            "if [ \"${SWAPPED:-}\" = true ]; then\n"
            "  kubectl -n \"$NAMESPACE\" patch service \"$APP\" -p '{\"spec\":{\"selector\":{\"{color}\":\"'\"$LIVE\"'\"}}}'\n"
            "fi\n");
    } else {
        rollback = gha_step("Roll back",
                            std::string(settings.strategy == Strategy::canary
                                            ? "kubectl -n \"$NAMESPACE\" delete deployment/\"$APP-canary\" --ignore-not-found\n"
                                            : "") +
                                guarded_undo);
    }
    rollback["if"] = "failure()";
    steps.push_back(rollback);
}

// The Kubernetes namespace an environment deploys to: its name as a
// DNS-1123 label ("QA_env" -> "qa-env").
std::string kubernetes_namespace(const std::string& environment) {
    const std::string name = devkit::kubernetes::to_dns_label(environment);
    if (name.empty())
        throw InputError("context.environments \"" + environment +
                         "\" gives no Kubernetes namespace (a DNS-1123 label): use letters and digits");
    return name;
}

Artifact github_workflow(const Settings& settings, const StageCallback& on_stage, std::vector<std::string>& warnings,
                         std::vector<std::pair<std::string, std::string>>& namespaces) {
    YAML::Node workflow = map();
    workflow["name"] = "Deploy " + settings.service;
    YAML::Node on = map();
    YAML::Node push = map();
    YAML::Node branches = sequence();
    branches.push_back("main");
    push["branches"] = branches;
    on["push"] = push;
    on["workflow_dispatch"] = map();
    workflow["on"] = on;

    std::string image = settings.image;
    if (image.empty()) {
        image = "ghcr.io/${{ github.repository_owner }}/" + settings.service;
        warnings.push_back("no image given: the workflow builds and pushes " + image);
    }
    const std::string registry = registry_of(image);
    const std::string repository = repository_of(image);

    // kubectl acts on Kubernetes names: DNS-1123 labels, derived from the
    // service and environment names when those are not already.
    const std::string app = devkit::kubernetes::to_dns_label(settings.service);
    if (app.empty())
        throw InputError("context.service \"" + settings.service +
                         "\" gives no Kubernetes name (a DNS-1123 label): use letters and digits");
    if (app != settings.service)
        warnings.push_back("service \"" + settings.service + "\" is the Kubernetes name \"" + app +
                           "\" (DNS-1123 label) in the workflow");
    YAML::Node env = map();
    env["APP"] = app;
    if (settings.strategy == Strategy::canary) env["CANARY_VERIFY_SECONDS"] = "600";
    env["IMAGE"] = repository;
    env["IMAGE_REF"] = repository + ":${{ github.sha }}";
    workflow["env"] = env;

    YAML::Node concurrency = map();
    concurrency["group"] = "deploy-" + settings.service;
    concurrency["cancel-in-progress"] = false;
    workflow["concurrency"] = concurrency;

    YAML::Node jobs = map();
    YAML::Node build = map();
    build["name"] = "Build and push";
    build["runs-on"] = "ubuntu-latest";
    YAML::Node permissions = map();
    permissions["contents"] = "read";
    permissions["packages"] = "write";
    build["permissions"] = permissions;
    YAML::Node build_steps = sequence();
    build_steps.push_back(gha_uses("Check out", "actions/checkout@v4"));
    YAML::Node login = map();
    login["registry"] = registry;
    if (registry == "ghcr.io") {
        login["username"] = "${{ github.actor }}";
        login["password"] = "${{ secrets.GITHUB_TOKEN }}";
    } else {
        login["username"] = "${{ secrets.REGISTRY_USERNAME }}";
        login["password"] = "${{ secrets.REGISTRY_PASSWORD }}";
    }
    build_steps.push_back(gha_uses("Log in to the registry", "docker/login-action@v3", login));
    YAML::Node push_with = map();
    push_with["context"] = ".";
    push_with["push"] = true;
    push_with["tags"] = "${{ env.IMAGE_REF }}";
    build_steps.push_back(gha_uses("Build and push the image", "docker/build-push-action@v6", push_with));
    build["steps"] = build_steps;

    std::set<std::string> job_ids;
    const std::string build_id = "build";
    job_ids.insert(build_id);
    jobs[build_id] = build;

    std::string previous = build_id;
    for (std::size_t i = 0; i < settings.environments.size(); ++i) {
        const std::string& environment = settings.environments[i];
        if (on_stage) on_stage(environment, i, settings.environments.size());
        const std::string base = to_job_id("deploy-" + environment);
        std::string id = base;
        for (int n = 2; !job_ids.insert(id).second; ++n) id = base + "-" + std::to_string(n);
        YAML::Node job = map();
        job["name"] = "Deploy to " + environment;
        job["needs"] = previous;
        job["runs-on"] = "ubuntu-latest";
        YAML::Node gh_env = map();
        gh_env["name"] = environment;
        job["environment"] = gh_env;
        YAML::Node job_env = map();
        const std::string namespace_name = kubernetes_namespace(environment);
        for (const auto& [other, taken] : namespaces)
            if (taken == namespace_name)
                warnings.push_back("environments \"" + other + "\" and \"" + environment +
                                   "\" both deploy to the Kubernetes namespace \"" + namespace_name + "\"");
        namespaces.emplace_back(environment, namespace_name);
        job_env["NAMESPACE"] = namespace_name;
        job["env"] = job_env;
        YAML::Node steps = sequence();
        steps.push_back(gha_uses("Check out", "actions/checkout@v4"));
        steps.push_back(gha_uses("Set up kubectl", "azure/setup-kubectl@v4"));
        steps.push_back(gha_step("Configure cluster access",
                                 "mkdir -p ~/.kube\n"
                                 "echo \"$KUBE_CONFIG\" | base64 -d > ~/.kube/config\n"));
        steps[steps.size() - 1]["env"]["KUBE_CONFIG"] = "${{ secrets.KUBE_CONFIG }}";
        add_deploy_steps(settings, steps);
        job["steps"] = steps;
        jobs[id] = job;
        previous = id;
    }
    workflow["jobs"] = jobs;

    if (settings.prod_approval) {
        for (const auto& environment : settings.environments)
            if (is_production_name(environment))
                warnings.push_back("add required reviewers to the GitHub environment \"" + environment +
                                   "\" (Settings > Environments): GitHub environments carry the approval");
    }
    return Artifact{".github/workflows/deploy-" + to_job_id(settings.service) + ".yml", emit(workflow)};
}

}  // namespace

std::vector<std::string> harness_step_types(Strategy strategy) {
    switch (strategy) {
        case Strategy::canary: return {"K8sCanaryDeploy", "Wait", "K8sCanaryDelete", "K8sRollingDeploy"};
        case Strategy::blue_green: return {"K8sBlueGreenDeploy", "Wait", "K8sBGSwapServices"};
        case Strategy::rolling: break;
    }
    return {"K8sRollingDeploy"};
}

std::vector<std::string> harness_rollback_step_types(Strategy strategy) {
    switch (strategy) {
        case Strategy::canary: return {"K8sCanaryDelete", "K8sRollingRollback"};
        case Strategy::blue_green: return {"K8sBGSwapServices"};
        case Strategy::rolling: break;
    }
    return {"K8sRollingRollback"};
}

Generated generate(const Settings& settings, const StageCallback& on_stage) {
    Generated out;
    const bool github = settings.target == Target::github_actions;
    out.artifacts.push_back(github ? github_workflow(settings, on_stage, out.warnings, out.namespaces)
                                   : harness_pipeline(settings, on_stage, out.warnings));

    std::vector<std::string> approved;
    for (const auto& environment : settings.environments)
        if (needs_approval(settings, environment)) approved.push_back(environment);

    std::string summary = std::string(github ? "GitHub Actions workflow" : "Harness pipeline") + " " +
                          out.artifacts[0].path + " deploys " + settings.service + " with a " +
                          std::string(to_string(settings.strategy)) + " strategy to " +
                          join(settings.environments, " -> ") + ".";
    if (!approved.empty()) {
        // "prod starts", "staging and prod start": the verb agrees with the list.
        const bool one = approved.size() == 1;
        summary += github ? " " + join(approved) + (one ? " deploys" : " deploy") +
                                " through GitHub environments that carry the approval."
                          : " " + join(approved) + (one ? " starts" : " start") + " with a HarnessApproval step.";
    } else {
        summary += " No environment needs approval.";
    }
    if (github) {
        std::vector<std::string> derived, names;
        for (const auto& [environment, namespace_name] : out.namespaces) {
            names.push_back(namespace_name);
            if (environment != namespace_name) derived.push_back(environment + " -> " + namespace_name);
        }
        summary += " Kubernetes namespaces: " + join(names) + ".";
        if (!derived.empty())
            summary += " Environment names that are not DNS-1123 labels got namespaces derived from them: " +
                       join(derived) + ".";
        const std::string app = devkit::kubernetes::to_dns_label(settings.service);
        summary += settings.strategy == Strategy::blue_green
                       ? " The jobs act on what kubernetes_agent writes with strategy blue_green: Deployments " +
                             devkit::kubernetes::color_deployment(app, devkit::kubernetes::blue) + " and " +
                             devkit::kubernetes::color_deployment(app, devkit::kubernetes::green) + " (container " +
                             devkit::kubernetes::container_name(app) + ") behind Service " + app +
                             ", whose color selector each deploy switches to the updated colour."
                       : " The jobs act on what kubernetes_agent writes: Deployment " + app + " with container " +
                             devkit::kubernetes::container_name(app) + ".";
        summary += " A failed deploy rolls back only what it changed.";
    }
    if (!github) summary += " Org " + to_identifier(settings.org) + ", project " + to_identifier(settings.project) + ".";
    if (!settings.inferred_from_task.empty()) summary += " From the task: " + join(settings.inferred_from_task, "; ") + ".";
    if (!settings.defaults_applied.empty()) summary += " Defaults: " + join(settings.defaults_applied, "; ") + ".";
    out.summary = summary;

    if (!github) {
        out.warnings.push_back("the pipeline references Harness service \"" + to_identifier(settings.service) +
                               "\", environments and infrastructure definitions (<environment>_k8s) that must exist "
                               "in project " + to_identifier(settings.project));
        if (settings.image.empty())
            out.warnings.push_back("no image given: pipeline variable image is a runtime input (<+input>)");
    }
    return out;
}

}  // namespace harness_expert
