// The real tool accepts what the agent writes: `promtool check rules` on
// the rule file and on the PrometheusRule's groups, `promtool test rules`
// on the generated unit tests, for several kinds of service and SLOs; and
// those unit tests fail when a burn-rate threshold is wrong.
#include <catch2/catch.hpp>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include "rules.hpp"
#include "support.hpp"
#include "toolchain.hpp"

namespace {

bool have_promtool() {
    if (std::system("command -v promtool >/dev/null 2>&1") == 0) return true;
    WARN("promtool not installed (tools/install-deps promtool): the generated rules were not checked by it");
    return false;
}

std::string run(const std::string& command, int& status) {
    std::string output;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    char buffer[4096];
    while (pipe != nullptr && std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
    status = pipe == nullptr ? -1 : pclose(pipe);
    return output;
}

struct TempDir {
    TempDir() {
        char pattern[] = "/tmp/monitoring-agent-XXXXXX";
        path = mkdtemp(pattern);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    std::string write(const std::string& name, const std::string& content) const {
        std::ofstream(path + "/" + name) << content;
        return path + "/" + name;
    }
    std::string path;
};

void check_with_promtool(const monitoring::ServiceSpec& spec) {
    const auto generated = monitoring::generate(spec);
    TempDir dir;
    for (const auto& artifact : generated.artifacts)
        dir.write(std::filesystem::path(artifact.path).filename().string(), artifact.content);
    int status = 0;
    std::string output = run("promtool check rules " + dir.path + "/" + spec.service + ".rules.yaml", status);
    INFO(output);
    CHECK(status == 0);
    output = run("cd " + dir.path + " && promtool test rules " + spec.service + ".rules.test.yaml", status);
    INFO(output);
    CHECK(status == 0);
    if (spec.kubernetes) {
        YAML::Node groups(YAML::NodeType::Map);
        groups["groups"] = YAML::Load(monitoring_test::artifact(generated, "prometheusrule.yaml").content)["spec"]["groups"];
        output = run("promtool check rules " + dir.write("operator.rules.yaml", monitoring::emit_yaml(groups)), status);
        INFO(output);
        CHECK(status == 0);
    }
}

}  // namespace

TEST_CASE("promtool accepts the rules and their unit tests pass", "[promtool]") {
    if (!have_promtool()) return;
    const char* contexts[] = {
        R"({"service":"checkout","kubernetes":true})",
        R"({"service":"orders","kind":"worker","slo":{"availability":99.5,"window_days":28,"latency_p99_ms":2000}})",
        R"({"service":"ledger-db","kind":"database","slo":{"availability":99.99,"latency_p99_ms":25}})",
        R"({"service":"search","slo":{"availability":95},"error_rate_threshold":0.2,"saturation_threshold":0.75,
            "metrics":{"requests":"search_requests_total","error_label":"outcome","error_regex":"error|timeout",
                       "duration":"search_latency_seconds","saturation_used":"search_pool_busy",
                       "saturation_limit":"search_pool_size"}})"};
    for (const char* context : contexts) {
        INFO(context);
        check_with_promtool(monitoring_test::spec(context));
    }
}

TEST_CASE("the generated unit tests catch a wrong burn-rate threshold", "[promtool]") {
    if (!have_promtool()) return;
    const auto spec = monitoring_test::spec(R"({"service":"checkout"})");
    const auto generated = monitoring::generate(spec);
    TempDir dir;
    // The page threshold ten times too high: the fast burn no longer pages.
    const std::string broken =
        std::regex_replace(monitoring_test::artifact(generated, ".rules.yaml").content, std::regex("\\(14\\.4 \\* "), "(144 * ");
    REQUIRE(broken != monitoring_test::artifact(generated, ".rules.yaml").content);
    dir.write("checkout.rules.yaml", broken);
    dir.write("checkout.rules.test.yaml", monitoring_test::artifact(generated, ".rules.test.yaml").content);
    int status = 0;
    const std::string output = run("cd " + dir.path + " && promtool test rules checkout.rules.test.yaml", status);
    INFO(output);
    CHECK(status != 0);
    CHECK_THAT(output, Catch::Contains("ErrorBudgetBurn"));
}

TEST_CASE("the ServiceMonitor and PrometheusRule pass the Prometheus Operator's CRD schemas", "[promtool][kubernetes]") {
    DEVKIT_SKIP_UNLESS(std::filesystem::exists(std::string(DEVKIT_NODE_MODULES) + "/@kubernetes-models/prometheus-operator"),
                       "@kubernetes-models/prometheus-operator not installed (tools/install-deps runs npm ci)");
    devkit::testing::Scratch dir("monitoring-crd");
    for (const char* context : {R"({"service":"billing","kubernetes":true,"namespace":"observability"})",
                                R"({"service":"ledger","kind":"worker","kubernetes":true,"availability":99.5})",
                                R"({"service":"orders-db","kind":"database","kubernetes":true})"}) {
        const auto generated = monitoring::generate(monitoring_test::spec(context));
        std::string objects = monitoring_test::artifact(generated, "servicemonitor.yaml").content + "\n---\n" +
                              monitoring_test::artifact(generated, "prometheusrule.yaml").content;
        dir.write("objects.yaml", objects);
        auto checked = devkit::testing::validate_kubernetes_objects(dir.str() + "/objects.yaml");
        INFO(context << "\n" << checked.output);
        CHECK(checked.exit_code == 0);
        CHECK_THAT(checked.output, Catch::Matchers::Contains("validated 2 objects"));
    }
    // The check is real: a ServiceMonitor whose endpoint interval is a number
    // and an alerting rule without an expression are refused.
    dir.write("broken.yaml",
              "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: x}\n"
              "spec:\n  selector: {matchLabels: {app: x}}\n  endpoints: [{port: http, interval: 30}]\n---\n"
              "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: x}\n"
              "spec:\n  groups: [{name: g, rules: [{alert: NoExpression, for: 5m}]}]\n");
    auto refused = devkit::testing::validate_kubernetes_objects(dir.str() + "/broken.yaml");
    INFO(refused.output);
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.output, Catch::Matchers::Contains("ServiceMonitor/x") && Catch::Matchers::Contains("PrometheusRule/x"));
}

TEST_CASE("every Grafana panel's query is PromQL that promtool parses", "[promtool][dashboard]") {
    if (!have_promtool()) return;
    for (const char* context : {R"({"service":"search","metrics":{"requests":"search_requests_total","error_label":"outcome",
                                   "error_regex":"error|timeout","duration":"search_latency_seconds",
                                   "saturation_used":"search_pool_busy","saturation_limit":"search_pool_size"}})",
                                R"({"service":"ledger","kind":"worker","slo":{"availability":99.5}})",
                                R"({"service":"orders-db","kind":"database"})"}) {
        const auto dashboard = textkit::testing::parse_json(monitoring::dashboard_json(monitoring_test::spec(context)));
        // Each query becomes a recording rule: `promtool check rules` parses
        // its expression with Prometheus's own PromQL parser.
        YAML::Node rules(YAML::NodeType::Sequence);
        int n = 0;
        for (const auto& panel : dashboard["panels"].GetArray())
            for (const auto& target : panel["targets"].GetArray()) {
                YAML::Node rule;
                rule["record"] = "dashboard:query" + std::to_string(++n);
                rule["expr"] = target["expr"].GetString();
                rules.push_back(rule);
            }
        YAML::Node group;
        group["name"] = "dashboard";
        group["rules"] = rules;
        YAML::Node file;
        file["groups"].push_back(group);
        TempDir dir;
        int status = 0;
        std::string output = run("promtool check rules " + dir.write("dashboard.rules.yaml", YAML::Dump(file)), status);
        INFO(context << "\n" << YAML::Dump(file) << "\n" << output);
        CHECK(n >= 7);
        CHECK(status == 0);
    }
    // A query that is not PromQL is refused, so the check means something.
    TempDir dir;
    int status = 0;
    std::string output = run("promtool check rules " + dir.write("bad.rules.yaml", "groups: [{name: g, rules: [{record: "
                                                                                    "x, expr: 'sum(rate(x[5m])'}]}]\n"),
                             status);
    INFO(output);
    CHECK(status != 0);
}
