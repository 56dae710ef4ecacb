// The plan: per environment, in order, the commands that read the live
// state (so a rollback knows what to restore), change it, and watch the
// change become healthy, each change with the command that undoes it.
#include <regex>

#include "deployment.hpp"

namespace deploy {
namespace {

using Argv = std::vector<std::string>;

struct Builder {
    const Request& request;
    const Config& config;
    const Environment& environment;
    EnvironmentPlan& out;

    Argv kubectl(std::initializer_list<std::string> args) const {
        Argv argv{config.kubectl};
        argv.insert(argv.end(), config.kubectl_args.begin(), config.kubectl_args.end());
        if (!environment.kube_context.empty()) argv.insert(argv.end(), {"--context", environment.kube_context});
        argv.insert(argv.end(), {"--namespace", environment.namespace_});
        argv.insert(argv.end(), args);
        return argv;
    }
    Argv helm(std::initializer_list<std::string> args) const {
        Argv argv{config.helm};
        argv.insert(argv.end(), config.helm_args.begin(), config.helm_args.end());
        if (!environment.kube_context.empty()) argv.insert(argv.end(), {"--kube-context", environment.kube_context});
        argv.insert(argv.end(), {"--namespace", environment.namespace_});
        argv.insert(argv.end(), args);
        return argv;
    }
    std::string fact(const std::string& name) const { return environment.name + "." + name; }
    std::string ref(const std::string& name) const { return "${" + fact(name) + "}"; }
    std::string timeout() const { return std::to_string(request.rollout_timeout_seconds) + "s"; }

    Step& add(const std::string& action, const std::string& description, Argv argv, double timeout_seconds = 60) {
        Step step;
        step.id = environment.name + "." + std::to_string(out.steps.size() + 1);
        step.environment = environment.name;
        step.action = action;
        step.description = description;
        step.argv = std::move(argv);
        step.timeout_seconds = timeout_seconds;
        // The first step of a gated environment waits for the person, so
        // nothing at all runs there before the approval.
        if (environment.approval && out.steps.empty()) {
            step.approval = "deploy " + request.service + " to " + environment.name;
            step.approval_reason = "rolls " + request.image + " out to " + environment.name +
                                   (environment.production ? " (production)" : " (approval gate)") + " with " +
                                   request.tool + ", " + request.strategy;
        }
        out.steps.push_back(std::move(step));
        return out.steps.back();
    }
    void gate_change(Step& step, const std::string& what) const {
        if (!environment.approval || !step.approval.empty()) return;
        step.approval = what + " in " + environment.name;
        step.approval_reason = what + " in " + environment.name +
                               (environment.production ? " (production)" : " (approval gate)");
    }

    Step& read_image(const std::string& deployment, const std::string& fact_name) {
        Step& step = add("read", "read the image deployment/" + deployment + " runs now (restored on rollback)",
                         kubectl({"get", "deployment", deployment, "--output",
                                  "jsonpath={.spec.template.spec.containers[?(@.name==\"" + request.container + "\")].image}"}));
        step.fact = fact(fact_name);
        return step;
    }
    Step& set_image(const std::string& deployment, const std::string& previous_fact, const std::string& what) {
        Step& step = add("change", what,
                         kubectl({"set", "image", "deployment/" + deployment, request.container + "=" + request.image}));
        step.undo.push_back({kubectl({"set", "image", "deployment/" + deployment,
                                      request.container + "=" + ref(previous_fact)}), "", false});
        step.undo.push_back({kubectl({"rollout", "status", "deployment/" + deployment, "--timeout=" + timeout()}), "", false});
        return step;
    }
    void watch(const std::string& deployment) {
        add("watch", "wait until every pod of deployment/" + deployment + " runs the new image (health check)",
            kubectl({"rollout", "status", "deployment/" + deployment, "--timeout=" + timeout()}),
            request.rollout_timeout_seconds + 30);
        out.health_checks.push_back("kubectl rollout status deployment/" + deployment + " succeeds within " + timeout());
    }

    void rolling() {
        read_image(request.service, "previous_image");
        set_image(request.service, "previous_image", "set deployment/" + request.service + " to " + request.image);
        watch(request.service);
    }
    void canary() {
        const std::string canary = request.service + "-canary";
        read_image(canary, "canary_image");
        read_image(request.service, "primary_image");
        set_image(canary, "canary_image", "set the canary deployment/" + canary + " to " + request.image);
        watch(canary);
        Step& promote = set_image(request.service, "primary_image",
                                  "promote: set deployment/" + request.service + " to " + request.image);
        gate_change(promote, "promote the canary of " + request.service + " to every pod");
        watch(request.service);
    }
    void blue_green() {
        add("read", "read which slot (blue or green) service/" + request.service + " sends traffic to",
            kubectl({"get", "service", request.service, "--output", "jsonpath={.spec.selector.slot}"}))
            .fact = fact("live_slot");
        const std::string idle = request.service + "-" + ref("idle_slot");
        read_image(idle, "idle_image");
        set_image(idle, "idle_image", "set the idle slot's deployment/" + idle + " to " + request.image);
        watch(idle);
        auto selector = [&](const std::string& slot) { return "{\"spec\":{\"selector\":{\"slot\":\"" + slot + "\"}}}"; };
        Step& swap = add("change", "switch service/" + request.service + " to the idle slot",
                         kubectl({"patch", "service", request.service, "--type", "merge", "--patch", selector(ref("idle_slot"))}));
        swap.undo.push_back({kubectl({"patch", "service", request.service, "--type", "merge", "--patch",
                                      selector(ref("live_slot"))}), "", false});
        gate_change(swap, "switch traffic of " + request.service + " to the new slot");
    }
    // Harness runs its own pipeline; the agent starts it per environment with
    // the release as runtime inputs, watches the execution, and on failure
    // aborts it and runs the pipeline again with the image this thread last
    // deployed there (from the deployment records), when there is one.
    void harness_pipeline() {
        auto release = [&](const std::string& image) {
            return Argv{kHarnessCall, "execute", request.service, image, request.strategy, environment.name,
                        environment.namespace_};
        };
        Step& previous = add("read", "read the image this thread last deployed to " + environment.name +
                                         " (run again on rollback)",
                             {kHarnessCall, "previous-image", request.service, environment.name});
        previous.fact = fact("previous_image");
        previous.missing_ok = true;
        Step& run = add("change", "run the Harness pipeline for " + request.image + " in " + environment.name,
                        release(request.image));
        run.fact = fact("execution");
        run.undo.push_back({{kHarnessCall, "abort", ref("execution")}, "", false});
        Argv again = release(ref("previous_image"));
        again[1] = "execute-and-watch";
        run.undo.push_back({again, fact("previous_image"), false});
        add("watch", "wait until the Harness execution succeeds (health check)", {kHarnessCall, "watch", ref("execution")},
            request.rollout_timeout_seconds + 30);
        out.health_checks.push_back("the Harness pipeline's execution ends in Success within " + timeout());
    }
    void helm_upgrade() {
        Step& status = add("read", "read the release's current revision (restored on rollback)",
                           helm({"status", request.release, "--output", "json"}));
        status.fact = fact("revision");
        status.missing_ok = true;
        std::string repository = request.image.substr(0, request.image.rfind(':'));
        std::string tag = request.image.substr(request.image.rfind(':') + 1);
        Step& upgrade = add("change",
                            "upgrade (or install) release " + request.release + " with " + request.chart + " at " +
                                request.image + ", waiting until it is ready (health check)",
                            helm({"upgrade", "--install", request.release, request.chart, "--set",
                                  "image.repository=" + repository, "--set", "image.tag=" + tag, "--wait",
                                  "--timeout", timeout()}),
                            request.rollout_timeout_seconds + 60);
        // A failed upgrade still records a revision: undo it either way.
        upgrade.changes_on_failure = true;
        upgrade.undo.push_back({helm({"rollback", request.release, ref("revision"), "--wait", "--timeout", timeout()}),
                                fact("revision"), false});
        upgrade.undo.push_back({helm({"uninstall", request.release, "--wait"}), fact("revision"), true});
        out.health_checks.push_back("helm upgrade --wait: every resource of release " + request.release +
                                    " is ready within " + timeout());
    }
};

}  // namespace

Plan plan_for(const Request& request, const Config& config) {
    Plan plan;
    plan.binary = request.tool == "helm" ? config.helm : request.tool == "harness" ? "harness" : config.kubectl;
    for (const auto& environment : request.environments) {
        EnvironmentPlan out;
        out.environment = environment;
        if (environment.approval)
            out.gates.push_back(std::string("a person approves before the first step") +
                                (request.strategy == "rolling" ? "" : " and before each later change") +
                                (environment.production ? " (production)" : ""));
        if (&environment != &request.environments.front())
            out.gates.push_back("the previous environment's health checks passed");
        Builder builder{request, config, environment, out};
        if (request.tool == "harness")
            builder.harness_pipeline();
        else if (request.tool == "helm")
            builder.helm_upgrade();
        else if (request.strategy == "canary")
            builder.canary();
        else if (request.strategy == "blue-green")
            builder.blue_green();
        else
            builder.rolling();
        plan.environments.push_back(std::move(out));
    }
    return plan;
}

std::string with_facts(const std::string& text, const rapidjson::Value& facts) {
    std::string out;
    size_t at = 0;
    while (true) {
        size_t open = text.find("${", at);
        size_t close = open == std::string::npos ? std::string::npos : text.find('}', open);
        if (close == std::string::npos) break;
        std::string name = text.substr(open + 2, close - open - 2);
        auto found = facts.IsObject() ? facts.FindMember(name.c_str()) : facts.MemberEnd();
        out += text.substr(at, open - at);
        if (facts.IsObject() && found != facts.MemberEnd() && found->value.IsString())
            out += found->value.GetString();
        else
            out += text.substr(open, close - open + 1);
        at = close + 1;
    }
    return out + text.substr(at);
}

std::string command_line(const std::vector<std::string>& argv) {
    static const std::regex plain("^[A-Za-z0-9_./:=@%+,-]+$");
    std::string line;
    if (!argv.empty() && argv.front() == kHarnessCall) {
        // "harness execute api ghcr.io/acme/api:2.0.0 rolling prod default"
        line = "harness";
        for (size_t i = 1; i < argv.size(); ++i) line += " " + argv[i];
        return line;
    }
    for (const auto& arg : argv) {
        if (!line.empty()) line += ' ';
        if (std::regex_match(arg, plain)) {
            line += arg;
            continue;
        }
        line += '\'';
        for (char c : arg) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
        line += '\'';
    }
    return line;
}

}  // namespace deploy
