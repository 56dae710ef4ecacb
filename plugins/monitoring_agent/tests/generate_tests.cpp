// Generate mode: burn-rate figures, rule annotations, dashboard queries,
// Prometheus Operator objects and the reading of the request.
#include <catch2/catch.hpp>

#include <set>

#include "rules.hpp"
#include "support.hpp"

using monitoring_test::artifact;
using monitoring_test::spec;
using textkit::testing::parse_json;

TEST_CASE("burn rates match the SRE workbook's table for a 30-day SLO", "[slo]") {
    // Workbook, "Alerting on SLOs", table 5-8: 2% of budget in 1h -> 14.4,
    // 5% in 6h -> 6, 10% in 1d -> 3, 10% in 3d -> 1.
    const auto windows = monitoring::burn_windows(30);
    REQUIRE(windows.size() == 4);
    const char* pairs[][2] = {{"1h", "5m"}, {"6h", "30m"}, {"1d", "2h"}, {"3d", "6h"}};
    const double factors[] = {14.4, 6, 3, 1};
    const char* severities[] = {"page", "page", "ticket", "ticket"};
    for (int i = 0; i < 4; ++i) {
        CHECK(windows[i].long_window == pairs[i][0]);
        CHECK(windows[i].short_window == pairs[i][1]);
        CHECK(windows[i].factor == Approx(factors[i]));
        CHECK(windows[i].severity == severities[i]);
    }
    // 99.9%: the error-ratio thresholds are 1.44%, 0.6%, 0.3% and 0.1%.
    const auto s = spec(R"({"service":"api","slo":{"availability":99.9}})");
    const double thresholds[] = {0.0144, 0.006, 0.003, 0.001};
    for (int i = 0; i < 4; ++i) CHECK(windows[i].threshold(s) == Approx(thresholds[i]));
    // A 28-day window scales the factors: 2% of 672 h in 1 h is 13.44.
    CHECK(monitoring::burn_windows(28)[0].factor == Approx(13.44));
    CHECK(monitoring::burn_windows(28)[3].factor == Approx(0.9333).epsilon(0.001));
}

TEST_CASE("the burn-rate alerts hold the workbook thresholds for the SLO", "[slo]") {
    const auto s = spec(R"({"service":"checkout","slo":{"availability":99.9}})");
    const YAML::Node rules = YAML::Load(monitoring::rules_yaml(s));
    std::map<std::string, std::string> by_window;
    for (const auto& rule : rules["groups"][1]["rules"])
        if (rule["alert"].as<std::string>() == "ErrorBudgetBurn")
            by_window[rule["labels"]["long_window"].as<std::string>()] = rule["expr"].as<std::string>();
    REQUIRE(by_window.size() == 4);
    CHECK_THAT(by_window["1h"], Catch::Contains("ratio_rate1h{job=\"checkout\"} > (14.4 * 0.001)") &&
                                    Catch::Contains("ratio_rate5m{job=\"checkout\"} > (14.4 * 0.001)"));
    CHECK_THAT(by_window["6h"], Catch::Contains("ratio_rate6h{job=\"checkout\"} > (6 * 0.001)") &&
                                    Catch::Contains("ratio_rate30m{job=\"checkout\"} > (6 * 0.001)"));
    CHECK_THAT(by_window["1d"], Catch::Contains("(3 * 0.001)") && Catch::Contains("ratio_rate2h"));
    CHECK_THAT(by_window["3d"], Catch::Contains("(1 * 0.001)") && Catch::Contains("ratio_rate6h"));
}

TEST_CASE("every alert has a summary, a description and a runbook URL", "[rules]") {
    const auto s = spec(R"({"service":"orders","kind":"worker","runbook_base_url":"https://wiki.acme.io/runbooks/orders"})");
    const YAML::Node rules = YAML::Load(monitoring::rules_yaml(s));
    std::set<std::string> names;
    for (const auto& group : rules["groups"])
        for (const auto& rule : group["rules"]) {
            if (!rule["alert"]) continue;
            names.insert(rule["alert"].as<std::string>());
            INFO(rule["alert"].as<std::string>());
            CHECK(!rule["annotations"]["summary"].as<std::string>().empty());
            CHECK(!rule["annotations"]["description"].as<std::string>().empty());
            CHECK_THAT(rule["annotations"]["runbook_url"].as<std::string>(),
                       Catch::StartsWith("https://wiki.acme.io/runbooks/orders#"));
            CHECK(rule["labels"]["severity"]);
        }
    CHECK(names == std::set<std::string>{"ErrorBudgetBurn", "HighErrorRate", "LatencyObjectiveBreach", "HighSaturation",
                                         "TargetDown"});
    // A worker's conventional metrics.
    CHECK_THAT(monitoring::rules_yaml(s), Catch::Contains("worker_jobs_total{job=\"orders\",status=~\"failed|error\"}"));
}

TEST_CASE("every dashboard query reads one of the service's metrics", "[dashboard]") {
    const auto s = spec(R"({"service":"search","metrics":{"requests":"search_requests_total","error_label":"outcome",
        "error_regex":"error|timeout","duration":"search_latency_seconds","saturation_used":"search_pool_busy",
        "saturation_limit":"search_pool_size"}})");
    const auto dashboard = parse_json(monitoring::dashboard_json(s));
    CHECK(dashboard["uid"] == "search-slo");
    std::set<std::string> titles;
    REQUIRE(dashboard["panels"].Size() >= 7);
    const std::string metrics[] = {"search_requests_total", "search_latency_seconds_bucket", "search_pool_busy"};
    for (const auto& panel : dashboard["panels"].GetArray()) {
        titles.insert(panel["title"].GetString());
        REQUIRE(panel["targets"].Size() >= 1);
        for (const auto& target : panel["targets"].GetArray()) {
            const std::string expr = target["expr"].GetString();
            INFO(panel["title"].GetString() << ": " << expr);
            CHECK(std::any_of(std::begin(metrics), std::end(metrics),
                              [&expr](const std::string& m) { return expr.find(m) != std::string::npos; }));
            CHECK_THAT(expr, Catch::Contains("job=\"search\""));
        }
    }
    // RED, availability, error budget and burn rate are all there.
    auto has = [&titles](const std::string& word) {
        return std::any_of(titles.begin(), titles.end(), [&word](const std::string& t) { return t.find(word) != std::string::npos; });
    };
    for (const char* word : {"Request rate", "Error ratio", "Latency", "Availability", "Error budget", "Burn rate",
                             "Saturation"})
        CHECK(has(word));
}

TEST_CASE("the Prometheus Operator objects come on request and carry the same rules", "[kubernetes]") {
    const auto plain = monitoring::generate(spec(R"({"service":"billing"})"));
    CHECK(plain.artifacts.size() == 3);
    const auto s = spec(R"({"service":"billing","kubernetes":true,"namespace":"observability"})");
    const auto generated = monitoring::generate(s);
    REQUIRE(generated.artifacts.size() == 5);
    const YAML::Node monitor = YAML::Load(artifact(generated, "servicemonitor.yaml").content);
    CHECK(monitor["apiVersion"].as<std::string>() == "monitoring.coreos.com/v1");
    CHECK(monitor["kind"].as<std::string>() == "ServiceMonitor");
    CHECK(monitor["metadata"]["namespace"].as<std::string>() == "observability");
    CHECK(monitor["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"].as<std::string>() == "billing");
    CHECK(monitor["spec"]["endpoints"][0]["path"].as<std::string>() == "/metrics");
    const YAML::Node rule = YAML::Load(artifact(generated, "prometheusrule.yaml").content);
    CHECK(rule["kind"].as<std::string>() == "PrometheusRule");
    const YAML::Node file = YAML::Load(artifact(generated, "billing.rules.yaml").content);
    CHECK(YAML::Dump(rule["spec"]["groups"]) == YAML::Dump(file["groups"]));
}

TEST_CASE("a free-text task gives the service, its kind and its objectives", "[spec]") {
    auto s = spec("{}", "Set up Prometheus alerting for the checkout service with a 99.95% availability SLO and p99 "
                        "under 250ms");
    CHECK(s.service == "checkout");
    CHECK(s.kind == monitoring::Kind::http);
    CHECK(s.availability == Approx(99.95));
    CHECK(s.latency_p99_seconds == Approx(0.25));
    CHECK(s.defaults_used.size() == 1);  // only the runbook location
    s = spec("{}", "Monitoring for the billing worker that consumes the invoice queue");
    CHECK(s.service == "billing");
    CHECK(s.kind == monitoring::Kind::worker);
    CHECK(s.metrics.requests == "worker_jobs_total");
    s = spec("{}", "alerts please");
    CHECK(s.service == "app");
    CHECK_THAT(monitoring::generate(s).summary, Catch::Contains("Defaults used") && Catch::Contains("service 'app'"));
}

TEST_CASE("bad input is refused naming the field", "[spec]") {
    const std::pair<const char*, const char*> cases[] = {
        {R"({"service":"Bad Name"})", "context.service"},
        {R"({"service":7})", "context.service"},
        {R"({"kind":"mainframe"})", "context.kind"},
        {R"({"slo":{"availability":100}})", "context.slo.availability"},
        {R"({"slo":{"availability":"high"}})", "context.slo.availability"},
        {R"({"slo":{"window_days":7.5}})", "context.slo.window_days"},
        {R"({"slo":[]})", "context.slo"},
        {R"({"metrics":{"requests":"http-requests"}})", "context.metrics.requests"},
        {R"({"metrics":{"error_regex":"5(.."}})", "context.metrics.error_regex"},
        {R"({"metrics":{"duration":"a\"b"}})", "context.metrics.duration"},
        {R"x({"runbook_base_url":"javascript:alert(1)"})x", "context.runbook_base_url"},
        {R"({"namespace":"Not_A_Label"})", "context.namespace"},
        {R"({"kubernetes":"yes"})", "context.kubernetes"}};
    for (const auto& [context, field] : cases) {
        INFO(context);
        CHECK_THROWS_WITH(monitoring::generate(spec(context)), Catch::StartsWith(field));
    }
    // A matcher no usual failure value satisfies cannot be unit-tested.
    CHECK_THROWS_WITH(monitoring::generate(spec(R"({"metrics":{"error_regex":"zzz"}})")),
                      Catch::StartsWith("context.metrics.error_regex"));
}
