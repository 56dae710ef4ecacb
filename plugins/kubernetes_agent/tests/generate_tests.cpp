#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>

#include "support.hpp"

using k8s_test::joined_yaml;
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


}  // namespace

TEST_CASE("a full request yields every object, each valid against its schema subset", "[generate]") {
    const auto generated = k8s::generate(parse_context(k8s_test::full_context), "", k8s::Config{});
    std::vector<std::string> kinds;
    for (const auto& artifact : generated.artifacts) kinds.push_back(artifact.kind);
    CHECK(kinds == std::vector<std::string>{"ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler",
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

TEST_CASE("seed 001's context.environment is the namespace when none is given", "[generate]") {
    // It was ignored: the objects went to namespace default.
    const auto generated =
        k8s::generate(parse_context(R"({"service":"my-service","image":"my-service:1.0","environment":"staging"})"), "", {});
    const auto objects = by_kind(generated);
    CHECK(objects.at("Deployment")["metadata"]["namespace"] == "staging");
    CHECK_THAT(generated.summary, Catch::Contains("from context.environment"));
    // An explicit namespace wins.
    const auto named = by_kind(k8s::generate(
        parse_context(R"({"service":"my-service","image":"my-service:1.0","environment":"staging","namespace":"web"})"),
        "", {}));
    CHECK(named.at("Deployment")["metadata"]["namespace"] == "web");
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

    const auto bare = k8s::generate(parse_context("{}"), "I need a deployment for the billing service", k8s::Config{});
    CHECK(bare.artifacts.size() == 3);
    CHECK_THAT(bare.summary, Catch::Contains("Defaults used") && Catch::Contains("service name 'billing'") &&
                                 Catch::Contains("2 replicas") && Catch::Contains("container port 8080"));
    CHECK(bare.warnings.size() == 1);  // the untagged image
}

TEST_CASE("the environment a free-text task deploys to is the namespace", "[generate][task]") {
    // An outsider's: "... staging environment" gave namespace 'default' and
    // the summary never said staging was not used.
    const std::vector<std::pair<const char*, const char*>> cases = {
        {"Deploy my-service to Kubernetes staging environment", "staging"},
        {"Deploy the orders service to production", "production"},
        {"Deploy the orders service to the Prod cluster", "prod"},
        {"Deploy the orders service in namespace shop to staging", "shop"},  // a namespace named wins
        {"Deploy the orders service", "default"},
        {"Deploy the orders service and run it in test mode", "default"}};
    for (const auto& [task, ns] : cases) {
        CAPTURE(task);
        const auto generated = k8s::generate(parse_context("{}"), task, k8s::Config{});
        CHECK(by_kind(generated).at("Deployment")["metadata"]["namespace"] == ns);
    }
    const auto staged = k8s::generate(parse_context("{}"), "Deploy my-service to Kubernetes staging environment", k8s::Config{});
    CHECK_THAT(staged.summary, Catch::Contains("namespace 'staging' (the environment the task names)"));
    // context.environment (seed 001) wins over the task.
    CHECK(by_kind(k8s::generate(parse_context(R"({"environment":"qa"})"), "Deploy my-service to production", k8s::Config{}))
              .at("Deployment")["metadata"]["namespace"] == "qa");
}

TEST_CASE("words of a free-text task never become names", "[generate][task]") {
    // Found by review: "to" and "called" became the service's name.
    for (const char* task : {"Deploy my application to Kubernetes", "I need a deployment", "Deploy it to prod",
                             "Create manifests for production", "Please deploy for me"}) {
        CAPTURE(task);
        try {
            const auto generated = k8s::generate(parse_context("{}"), task, k8s::Config{});
            FAIL("named '" << generated.artifacts.front().name << "'");
        } catch (const k8s::InputError& error) {
            CHECK_THAT(error.what(), Catch::Contains("context.service"));
        }
    }
    const std::vector<std::pair<const char*, const char*>> named = {
        {"a service called orders-api with image ghcr.io/acme/orders:1.0.0", "orders-api"},
        {"Deploy an app named 'ledger' to Kubernetes", "ledger"},
        {"Deploy the checkout service to Kubernetes", "checkout"},
        {"Deploy the Checkout service", "checkout"},
        {"Deploy orders-api to the cluster", "orders-api"},
        {"manifests for orders-service, please", "orders-service"},
        {"Deploy service \"cart\" to the cluster", "cart"}};
    for (const auto& [task, name] : named) {
        CAPTURE(task);
        const auto generated = k8s::generate(parse_context("{}"), task, k8s::Config{});
        CHECK(generated.artifacts.front().name == name);
    }
    // A name the task gives that is not a DNS label is refused, not mangled.
    CHECK_THROWS_WITH(k8s::generate(parse_context("{}"), "a service called Orders_API", k8s::Config{}),
                      Catch::Contains("Orders_API") && Catch::Contains("context.service"));
    // context.service wins over the task.
    CHECK(k8s::generate(parse_context(R"({"service":"web"})"), "a service called api", k8s::Config{})
              .artifacts.front()
              .name == "web");
}

TEST_CASE("requests alone raise the default limits; contradictions are refused", "[generate][resources]") {
    // Found by review: cpu 1 / 2Gi requests kept the 500m / 256Mi default
    // limits, which the API server refuses.
    const auto objects = by_kind(k8s::generate(
        parse_context(R"({"service":"cruncher","resources":{"requests":{"cpu":"1","memory":"2Gi"}}})"), "",
        k8s::Config{}));
    const auto& resources = objects.at("Deployment")["spec"]["template"]["spec"]["containers"][0]["resources"];
    CHECK(resources["requests"]["cpu"] == "1");
    CHECK(resources["limits"]["cpu"] == "1");
    CHECK(resources["limits"]["memory"] == "2Gi");
    // A limit alone below the default request lowers the request.
    const auto lowered = by_kind(k8s::generate(
        parse_context(R"({"service":"tiny","resources":{"limits":{"cpu":"50m","memory":"64Mi"}}})"), "", k8s::Config{}));
    const auto& small = lowered.at("Deployment")["spec"]["template"]["spec"]["containers"][0]["resources"];
    CHECK(small["requests"]["cpu"] == "50m");
    CHECK(small["requests"]["memory"] == "64Mi");
    // Requests below the defaults keep the default limits.
    const auto kept = by_kind(k8s::generate(
        parse_context(R"({"service":"web","resources":{"requests":{"cpu":"0.2"}}})"), "", k8s::Config{}));
    CHECK(kept.at("Deployment")["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["cpu"] == "500m");
    CHECK_THROWS_WITH(
        k8s::generate(parse_context(R"({"service":"a","resources":{"requests":{"memory":"1Gi"},"limits":{"memory":"512Mi"}}})"),
                      "", k8s::Config{}),
        Catch::Contains("context.resources.limits.memory") && Catch::Contains("512Mi"));
    CHECK_THROWS_AS(k8s::config_from_json(parse_context(
                        R"({"default_resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1"}}})")),
                    std::invalid_argument);
}

TEST_CASE("a StatefulSet claims its storage and has a headless Service", "[generate][statefulset]") {
    // Found by review: a StatefulSet with storage came out a Deployment.
    const auto generated = k8s::generate(
        parse_context(R"({"service":"ledger","image":"ghcr.io/acme/ledger:3.1.0","workload":"StatefulSet","port":5432,
                          "storage":{"size":"20Gi","mount_path":"/var/lib/ledger","storage_class":"fast-ssd"},
                          "autoscaling":{"min":3,"max":5}})"),
        "", k8s::Config{});
    const auto objects = by_kind(generated);
    CHECK_FALSE(objects.count("Deployment"));
    const auto& set = objects.at("StatefulSet");
    CHECK(set["spec"]["serviceName"] == "ledger-headless");
    const auto& claim = set["spec"]["volumeClaimTemplates"][0];
    CHECK(claim["metadata"]["name"] == "data");
    CHECK(claim["spec"]["resources"]["requests"]["storage"] == "20Gi");
    CHECK(claim["spec"]["storageClassName"] == "fast-ssd");
    CHECK(claim["spec"]["accessModes"][0] == "ReadWriteOnce");
    const auto& container = set["spec"]["template"]["spec"]["containers"][0];
    CHECK(container["volumeMounts"][1]["name"] == "data");
    CHECK(container["volumeMounts"][1]["mountPath"] == "/var/lib/ledger");
    CHECK(container["ports"][0]["containerPort"] == 5432);
    CHECK(set["spec"]["template"]["spec"]["securityContext"]["fsGroup"] == 2000);
    bool headless = false;
    for (const auto& artifact : generated.artifacts) {
        if (artifact.name != "ledger-headless") continue;
        const auto service = yaml_object(artifact.content);
        headless = service["spec"]["clusterIP"] == "None" && service["spec"]["ports"][0]["targetPort"] == 5432;
    }
    CHECK(headless);
    CHECK(objects.at("HorizontalPodAutoscaler")["spec"]["scaleTargetRef"]["kind"] == "StatefulSet");
    CHECK_THAT(generated.summary, Catch::Contains("20Gi") && Catch::Contains("ledger-headless"));
    CHECK(k8s::review(joined_yaml(generated)).findings.empty());
    // Storage on a Deployment is refused, not dropped.
    CHECK_THROWS_WITH(k8s::generate(parse_context(R"({"service":"a","workload":"Deployment","storage":{"size":"1Gi"}})"),
                                    "", k8s::Config{}),
                      Catch::Contains("context.storage") && Catch::Contains("StatefulSet"));
}

TEST_CASE("CronJobs and Jobs run to completion without Services or probes", "[generate][jobs]") {
    // Found by review: a requested CronJob came out a Deployment.
    const auto cron = by_kind(k8s::generate(
        parse_context(R"({"service":"reports","image":"ghcr.io/acme/reports:2.0.1","schedule":"0 6 * * 1-5",
                          "env":{"MODE":"weekday"}})"),
        "", k8s::Config{}));
    REQUIRE(cron.count("CronJob"));
    CHECK(cron.size() == 2);  // with the ConfigMap
    CHECK(cron.at("CronJob")["spec"]["schedule"] == "0 6 * * 1-5");
    CHECK(cron.at("CronJob")["spec"]["concurrencyPolicy"] == "Forbid");
    const auto& pod = cron.at("CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    CHECK(pod["restartPolicy"] == "OnFailure");
    CHECK_FALSE(pod["containers"][0].HasMember("livenessProbe"));
    CHECK_FALSE(pod["containers"][0].HasMember("ports"));
    const auto job = by_kind(k8s::generate(parse_context(R"({"service":"migrate","workload":"Job","image":"m:1.0"})"), "",
                                           k8s::Config{}));
    CHECK(job.size() == 1);
    CHECK(job.at("Job")["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure");
    const std::vector<std::pair<const char*, const char*>> refused = {
        {R"({"service":"r","workload":"CronJob"})", "context.schedule"},
        {R"({"service":"r","workload":"CronJob","schedule":"every day"})", "context.schedule"},
        {R"({"service":"r","workload":"CronJob","schedule":"@daily","ingress_host":"r.example.com"})", "context.ingress_host"},
        {R"({"service":"r","workload":"Job","replicas":3})", "context.replicas"},
        {R"({"service":"r","workload":"Deployment","schedule":"@daily"})", "context.schedule"},
        {R"({"service":"r","workload":"DaemonSet"})", "context.workload"}};
    for (const auto& [context, field] : refused) {
        CAPTURE(context);
        CHECK_THROWS_WITH(k8s::generate(parse_context(context), "", k8s::Config{}), Catch::Contains(field));
    }
    // From the task: a CronJob needs its schedule there too.
    const auto from_task = by_kind(k8s::generate(
        parse_context("{}"), "a CronJob named cleanup running image ghcr.io/acme/cleanup:2.0.0 nightly", k8s::Config{}));
    CHECK(from_task.at("CronJob")["spec"]["schedule"] == "@daily");
    CHECK_THROWS_WITH(k8s::generate(parse_context("{}"), "a CronJob named cleanup", k8s::Config{}),
                      Catch::Contains("context.schedule"));
}

TEST_CASE("an Ingress serves its host with the requested TLS secret", "[generate][tls]") {
    // Found by review: a requested TLS secret gave an Ingress without spec.tls.
    const auto objects = by_kind(k8s::generate(
        parse_context(R"({"service":"shop","ingress_host":"shop.example.com","ingress_tls_secret":"shop-tls"})"), "",
        k8s::Config{}));
    const auto& tls = objects.at("Ingress")["spec"]["tls"];
    REQUIRE(tls.Size() == 1);
    CHECK(tls[0]["secretName"] == "shop-tls");
    CHECK(tls[0]["hosts"][0] == "shop.example.com");
    CHECK_THROWS_WITH(k8s::generate(parse_context(R"({"service":"shop","ingress_tls_secret":"shop-tls"})"), "",
                                    k8s::Config{}),
                      Catch::Contains("context.ingress_host"));
    const auto from_task = by_kind(k8s::generate(
        parse_context("{}"), "Deploy the shop service at host shop.example.com over HTTPS", k8s::Config{}));
    CHECK(from_task.at("Ingress")["spec"]["tls"][0]["secretName"] == "shop-tls");
}

TEST_CASE("the requested port is used for the container, probes and Service", "[generate][port]") {
    // Found by review: port 7000 in the task gave containerPort 8080.
    for (const char* task : {"Deploy the inventory service, it listens on 7000", "the inventory service, port: 7000",
                             "the inventory service exposes 7000"}) {
        CAPTURE(task);
        const auto generated = k8s::generate(parse_context(R"({"image":"ghcr.io/acme/inventory:4.0.1"})"), task, k8s::Config{});
        const auto objects = by_kind(generated);
        const auto& container = objects.at("Deployment")["spec"]["template"]["spec"]["containers"][0];
        CHECK(container["ports"][0]["containerPort"] == 7000);
        CHECK(container["livenessProbe"]["httpGet"]["port"] == container["ports"][0]["name"]);
        CHECK(objects.at("Service")["spec"]["ports"][0]["targetPort"] == 7000);
        CHECK(k8s::review(joined_yaml(generated)).findings.empty());
    }
}

TEST_CASE("blue-green writes the blue and green Deployments the workflow swaps", "[generate][blue-green]") {
    const auto generated = k8s::generate(
        parse_context(R"({"service":"search","image":"ghcr.io/acme/search:7.0.0","strategy":"blue_green","replicas":3})"),
        "", k8s::Config{});
    std::map<std::string, rapidjson::Document> by_name;
    for (const auto& artifact : generated.artifacts)
        by_name.emplace(artifact.kind + "/" + artifact.name, yaml_object(artifact.content));
    const auto& blue = by_name.at("Deployment/search-blue");
    const auto& green = by_name.at("Deployment/search-green");
    CHECK(blue["spec"]["replicas"] == 3);
    CHECK(green["spec"]["replicas"] == 0);
    CHECK(blue["spec"]["selector"]["matchLabels"]["color"] == "blue");
    CHECK(green["spec"]["template"]["metadata"]["labels"]["color"] == "green");
    CHECK(blue["spec"]["template"]["spec"]["containers"][0]["name"] == "search");
    CHECK(by_name.at("Service/search")["spec"]["selector"]["color"] == "blue");
    CHECK(k8s::review(joined_yaml(generated)).findings.empty());
    CHECK_THROWS_WITH(k8s::generate(parse_context(R"({"service":"s","strategy":"blue_green","autoscaling":{}})"), "",
                                    k8s::Config{}),
                      Catch::Contains("context.autoscaling"));
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
