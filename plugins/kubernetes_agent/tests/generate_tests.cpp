#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>

#include "support.hpp"

using k8s_test::labels;
using k8s_test::parse_context;
using k8s_test::schema_for;
using k8s_test::yaml_object;
using textkit::testing::schema_violation;

namespace {

std::map<std::string, rapidjson::Document> by_kind(const k8s::Generated& generated) {
    std::map<std::string, rapidjson::Document> objects;
    for (const auto& artifact : generated.artifacts) objects.emplace(artifact.kind, yaml_object(artifact.content));
    return objects;
}

std::string joined_yaml(const k8s::Generated& generated) {
    std::string all;
    for (const auto& artifact : generated.artifacts) all += "---\n" + artifact.content;
    return all;
}

}  // namespace

TEST_CASE("a full request yields every object, each valid against its schema subset", "[generate]") {
    const auto generated = k8s::generate(parse_context(k8s_test::full_context), "", k8s::Config{});
    std::vector<std::string> kinds;
    for (const auto& artifact : generated.artifacts) kinds.push_back(artifact.kind);
    CHECK(kinds == std::vector<std::string>{"Deployment", "Service", "ConfigMap", "HorizontalPodAutoscaler",
                                            "PodDisruptionBudget", "Ingress"});
    for (const auto& artifact : generated.artifacts) {
        CAPTURE(artifact.path, artifact.content);
        CHECK(artifact.path.rfind("payments-api/", 0) == 0);
        const auto object = yaml_object(artifact.content);  // round trip through yaml-cpp
        CHECK(schema_violation(schema_for(artifact.kind), object) == "");
        CHECK(object["kind"] == artifact.kind.c_str());
        CHECK(object["metadata"]["name"] == artifact.name.c_str());
        CHECK(object["metadata"]["namespace"] == "payments");
        CHECK(object["metadata"]["labels"]["app.kubernetes.io/name"] == "payments-api");
        CHECK(object["metadata"]["labels"]["app.kubernetes.io/instance"] == "payments-api");
        // Emitting the parsed object again gives the same YAML.
        CHECK(k8s::to_yaml(object) == artifact.content);
    }
    CHECK(generated.warnings.empty());
}

TEST_CASE("the Deployment has probes, resources, a restricted securityContext and a matching selector",
          "[generate]") {
    const auto objects = by_kind(k8s::generate(parse_context(k8s_test::full_context), "", k8s::Config{}));
    const auto& deployment = objects.at("Deployment");
    CHECK(deployment["apiVersion"] == "apps/v1");
    const auto& spec = deployment["spec"];
    CHECK(spec["replicas"] == 3);
    const auto selector = labels(spec["selector"]["matchLabels"]);
    const auto template_labels = labels(spec["template"]["metadata"]["labels"]);
    for (const auto& [key, value] : selector) CHECK(template_labels.at(key) == value);
    CHECK(selector.size() == 2);

    const auto& pod = spec["template"]["spec"];
    CHECK(pod["securityContext"]["runAsNonRoot"] == true);
    REQUIRE(pod["containers"].Size() == 1);
    const auto& container = pod["containers"][0];
    CHECK(container["image"] == "ghcr.io/acme/payments-api:2.4.1");
    CHECK(container["ports"][0]["containerPort"] == 9000);
    for (const char* probe : {"livenessProbe", "readinessProbe"}) {
        CHECK(container[probe]["httpGet"]["path"] == "/health/ready");
        CHECK(container[probe]["httpGet"]["port"] == "http");
    }
    CHECK(container["resources"]["requests"]["cpu"] == "250m");
    CHECK(container["resources"]["requests"]["memory"] == "256Mi");
    CHECK(container["resources"]["limits"]["cpu"] == "1");  // quoted, so still a string
    CHECK(container["resources"]["limits"]["memory"] == "512Mi");
    const auto& security = container["securityContext"];
    CHECK(security["runAsNonRoot"] == true);
    CHECK(security["allowPrivilegeEscalation"] == false);
    CHECK(security["readOnlyRootFilesystem"] == true);
    CHECK(security["capabilities"]["drop"][0] == "ALL");
    CHECK(container["envFrom"][0]["configMapRef"]["name"] == "payments-api-config");
    REQUIRE(container["env"].Size() == 2);
    CHECK(container["env"][0]["name"] == "DATABASE_URL");
    CHECK(container["env"][0]["valueFrom"]["secretKeyRef"]["name"] == "payments-db");
    CHECK(container["env"][0]["valueFrom"]["secretKeyRef"]["key"] == "url");
}

TEST_CASE("Service, HPA, PDB, ConfigMap and Ingress point at the Deployment's pods", "[generate]") {
    const auto objects = by_kind(k8s::generate(parse_context(k8s_test::full_context), "", k8s::Config{}));
    const auto template_labels = labels(objects.at("Deployment")["spec"]["template"]["metadata"]["labels"]);

    const auto& service = objects.at("Service");
    CHECK(service["spec"]["type"] == "ClusterIP");
    for (const auto& [key, value] : labels(service["spec"]["selector"])) CHECK(template_labels.at(key) == value);
    CHECK(service["spec"]["ports"][0]["targetPort"] == 9000);
    const int service_port = service["spec"]["ports"][0]["port"].GetInt();

    const auto& hpa = objects.at("HorizontalPodAutoscaler");
    CHECK(hpa["apiVersion"] == "autoscaling/v2");
    CHECK(hpa["spec"]["scaleTargetRef"]["kind"] == "Deployment");
    CHECK(hpa["spec"]["scaleTargetRef"]["name"] == "payments-api");
    CHECK(hpa["spec"]["minReplicas"] == 3);
    CHECK(hpa["spec"]["maxReplicas"] == 12);
    CHECK(hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu");
    CHECK(hpa["spec"]["metrics"][0]["resource"]["target"]["type"] == "Utilization");
    CHECK(hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 65);

    const auto& pdb = objects.at("PodDisruptionBudget");
    CHECK(pdb["spec"]["minAvailable"] == 1);
    for (const auto& [key, value] : labels(pdb["spec"]["selector"]["matchLabels"]))
        CHECK(template_labels.at(key) == value);

    const auto& config_map = objects.at("ConfigMap");
    CHECK(config_map["data"]["HTTP_PORT"] == "9000");  // a string, not a number, after the round trip
    CHECK(config_map["data"]["FEATURE_X"] == "true");
    CHECK(config_map["data"]["TIMEOUT_SECONDS"] == "30");
    CHECK(config_map["data"]["LOG_LEVEL"] == "info");

    const auto& ingress = objects.at("Ingress");
    const auto& rule = ingress["spec"]["rules"][0];
    CHECK(rule["host"] == "payments.acme.example.com");
    CHECK(rule["http"]["paths"][0]["pathType"] == "Prefix");
    CHECK(rule["http"]["paths"][0]["backend"]["service"]["name"] == "payments-api");
    CHECK(rule["http"]["paths"][0]["backend"]["service"]["port"]["number"] == service_port);
}

TEST_CASE("HPA only with autoscaling, Ingress only with a host, ConfigMap only with env", "[generate]") {
    const auto generated = k8s::generate(
        parse_context(R"({"service":"worker","image":"registry.acme.io/worker:1.0.3","replicas":1})"), "",
        k8s::Config{});
    std::vector<std::string> kinds;
    for (const auto& artifact : generated.artifacts) kinds.push_back(artifact.kind);
    CHECK(kinds == std::vector<std::string>{"Deployment", "Service", "PodDisruptionBudget"});
    const auto objects = by_kind(generated);
    for (const auto& [kind, object] : objects) CHECK(schema_violation(schema_for(kind), object) == "");
    // One replica: a budget of minAvailable 1 would block node drains.
    CHECK(objects.at("PodDisruptionBudget")["spec"]["maxUnavailable"] == 1);
    CHECK_FALSE(objects.at("PodDisruptionBudget")["spec"].HasMember("minAvailable"));
    CHECK(std::any_of(generated.warnings.begin(), generated.warnings.end(),
                      [](const std::string& w) { return w.find("one replica") != std::string::npos; }));
    CHECK_THAT(generated.summary, Catch::Contains("container port 8080") && Catch::Contains("/healthz") &&
                                      Catch::Contains("namespace 'default'") && Catch::Contains("No Ingress"));

    const auto with_scaling = k8s::generate(
        parse_context(R"({"service":"worker","image":"worker:1.0.3","autoscaling":{"max":5}})"), "", k8s::Config{});
    const auto scaled = by_kind(with_scaling);
    REQUIRE(scaled.count("HorizontalPodAutoscaler"));
    CHECK(scaled.at("HorizontalPodAutoscaler")["spec"]["minReplicas"] == 2);
    CHECK(scaled.at("HorizontalPodAutoscaler")["spec"]["maxReplicas"] == 5);
    CHECK(scaled.at("HorizontalPodAutoscaler")["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] ==
          70);
    CHECK_FALSE(scaled.count("Ingress"));
}

TEST_CASE("defaults come from the config and images get the registry prefix", "[generate]") {
    k8s::Config config = k8s::config_from_json(parse_context(
        R"({"default_resources":{"requests":{"cpu":"50m","memory":"64Mi"},"limits":{"cpu":"200m","memory":"128Mi"}},
            "registry_prefix":"registry.acme.io/team/"})"));
    const auto generated = k8s::generate(parse_context(R"({"service":"web","image":"web:3.1.0"})"), "", config);
    const auto objects = by_kind(generated);
    const auto& container = objects.at("Deployment")["spec"]["template"]["spec"]["containers"][0];
    CHECK(container["image"] == "registry.acme.io/team/web:3.1.0");
    CHECK(container["resources"]["requests"]["cpu"] == "50m");
    CHECK(container["resources"]["limits"]["memory"] == "128Mi");
    CHECK_THAT(generated.summary, Catch::Contains("requests cpu 50m"));

    // Images that name a registry keep it.
    const auto kept = by_kind(k8s::generate(
        parse_context(R"({"service":"web","image":"quay.io/acme/web:3.1.0","resources":{"limits":{"cpu":"2"}}})"),
        "", config));
    const auto& kept_container = kept.at("Deployment")["spec"]["template"]["spec"]["containers"][0];
    CHECK(kept_container["image"] == "quay.io/acme/web:3.1.0");
    CHECK(kept_container["resources"]["limits"]["cpu"] == "2");
    CHECK(kept_container["resources"]["limits"]["memory"] == "128Mi");
}

TEST_CASE("latest and untagged images are warned about", "[generate]") {
    for (const char* image : {"nginx:latest", "nginx", "ghcr.io/acme/api"}) {
        CAPTURE(image);
        rapidjson::Document context(rapidjson::kObjectType);
        context.AddMember("service", "web", context.GetAllocator());
        context.AddMember("image", rapidjson::StringRef(image), context.GetAllocator());
        const auto generated = k8s::generate(context, "", k8s::Config{});
        REQUIRE(generated.warnings.size() == 1);
        CHECK_THAT(generated.warnings[0], Catch::Contains(image));
    }
    const auto pinned = k8s::generate(
        parse_context(R"({"service":"web","image":"nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})"),
        "", k8s::Config{});
    CHECK(pinned.warnings.empty());
}

TEST_CASE("a free-text task alone gives manifests with the defaults stated", "[generate]") {
    const auto generated = k8s::generate(
        parse_context("{}"),
        "Create Kubernetes manifests for orders-service using image ghcr.io/acme/orders:1.8.2 on port 3000 with 4 "
        "replicas in namespace shop",
        k8s::Config{});
    const auto objects = by_kind(generated);
    const auto& deployment = objects.at("Deployment");
    CHECK(deployment["metadata"]["name"] == "orders-service");
    CHECK(deployment["metadata"]["namespace"] == "shop");
    CHECK(deployment["spec"]["replicas"] == 4);
    CHECK(deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "ghcr.io/acme/orders:1.8.2");
    CHECK(deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] == 3000);
    CHECK_THAT(generated.summary, Catch::Contains("Read from the task") && Catch::Contains("/healthz"));

    const auto bare = k8s::generate(parse_context("{}"), "I need a deployment", k8s::Config{});
    CHECK(bare.artifacts.size() == 3);
    CHECK_THAT(bare.summary, Catch::Contains("Defaults used") && Catch::Contains("service name 'app'") &&
                                 Catch::Contains("2 replicas") && Catch::Contains("container port 8080"));
    CHECK(bare.warnings.size() == 1);  // the untagged image
}

TEST_CASE("bad input is rejected naming the field", "[generate]") {
    const std::vector<std::pair<const char*, const char*>> cases = {
        {R"({"service":"Payments_API"})", "context.service"},
        {R"({"service":"-api"})", "context.service"},
        {R"({"service":"api","port":70000})", "context.port"},
        {R"({"service":"api","replicas":0})", "context.replicas"},
        {R"({"service":"api","env":{"1BAD NAME":"x"}})", "context.env"},
        {R"({"service":"api","secret_env":[{"name":"X","secret":"s"}]})", "context.secret_env[0].key"},
        {R"({"service":"api","autoscaling":{"min":5,"max":2}})", "context.autoscaling.max"},
        {R"({"service":"api","ingress_host":"not a host"})", "context.ingress_host"},
        {R"({"service":"api","resources":{"limits":{"cpu":"lots"}}})", "context.resources.limits.cpu"},
        {R"({"service":"api","namespace":"Prod"})", "context.namespace"}};
    for (const auto& [context, field] : cases) {
        CAPTURE(context);
        try {
            k8s::generate(parse_context(context), "", k8s::Config{});
            FAIL("no error");
        } catch (const k8s::InputError& error) {
            CHECK_THAT(error.what(), Catch::Contains(field));
        }
    }
}

TEST_CASE("review finds nothing in generated manifests", "[generate][review]") {
    const auto full = k8s::generate(parse_context(k8s_test::full_context), "", k8s::Config{});
    const auto review = k8s::review(joined_yaml(full));
    CHECK(review.objects == 6);
    for (const auto& finding : review.findings) FAIL_CHECK(finding.object + " " + finding.field + ": " + finding.message);
    CHECK(review.findings.empty());
    const auto small = k8s::generate(parse_context(R"({"service":"web","image":"nginx:1.25.3"})"), "", k8s::Config{});
    CHECK(k8s::review(joined_yaml(small)).findings.empty());
}

TEST_CASE("YAML conversion keeps quoted scalars strings and types plain ones", "[yaml]") {
    const auto object = yaml_object("a: \"8080\"\nb: 8080\nc: 'true'\nd: true\ne: ~\nf: 1.5\ng: 500m\nh: yes\n");
    CHECK(object["a"] == "8080");
    CHECK(object["b"] == 8080);
    CHECK(object["c"] == "true");
    CHECK(object["d"] == true);
    CHECK(object["e"].IsNull());
    CHECK(object["f"] == 1.5);
    CHECK(object["g"] == "500m");
    CHECK(object["h"] == true);
    rapidjson::Document strings;
    strings.Parse(R"({"x":"1","y":"no","z":"","w":"a: b"})");
    const auto back = yaml_object(k8s::to_yaml(strings));
    CHECK(back["x"] == "1");
    CHECK(back["y"] == "no");
    CHECK(back["z"] == "");
    CHECK(back["w"] == "a: b");
}

TEST_CASE("the schema subsets reject objects missing required API fields", "[schema]") {
    const auto generated = k8s::generate(parse_context(k8s_test::full_context), "", k8s::Config{});
    auto objects = by_kind(generated);
    auto& deployment = objects.at("Deployment");
    deployment["spec"]["template"]["spec"]["containers"][0].RemoveMember("image");
    CHECK(schema_violation(schema_for("Deployment"), deployment) != "");
    deployment["spec"].RemoveMember("selector");
    CHECK(schema_violation(schema_for("Deployment"), deployment) != "");
    objects.at("Service")["spec"]["ports"][0].RemoveMember("port");
    CHECK(schema_violation(schema_for("Service"), objects.at("Service")) != "");
    objects.at("HorizontalPodAutoscaler")["spec"].RemoveMember("maxReplicas");
    CHECK(schema_violation(schema_for("HorizontalPodAutoscaler"), objects.at("HorizontalPodAutoscaler")) != "");
    objects.at("PodDisruptionBudget")["spec"].AddMember("maxUnavailable", 1, objects.at("PodDisruptionBudget").GetAllocator());
    CHECK(schema_violation(schema_for("PodDisruptionBudget"), objects.at("PodDisruptionBudget")) != "");
    objects.at("Ingress")["spec"]["rules"][0]["http"]["paths"][0].RemoveMember("pathType");
    CHECK(schema_violation(schema_for("Ingress"), objects.at("Ingress")) != "");
    objects.at("ConfigMap")["data"]["HTTP_PORT"].SetInt(9000);
    CHECK(schema_violation(schema_for("ConfigMap"), objects.at("ConfigMap")) != "");
}
