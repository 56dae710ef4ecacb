// The agent's output judged the way a reviewer and the real tools judge it:
// a varied set of realistic requests, each either refused naming the field
// or answered with objects that the official schemas accept, that the API
// server would accept (requests within limits), that the agent's own review
// finds nothing in, and that do what was asked. Then a set of planted
// problems the review must catch. Both print their score.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "official_validator.hpp"
#include "quantity.hpp"

namespace {

using Value = rapidjson::Value;
using Objects = std::vector<rapidjson::Document>;
using Problems = std::vector<std::string>;

const Value* find_object(const Objects& objects, const std::string& kind, const std::string& name) {
    for (const auto& object : objects)
        if (object["kind"] == kind.c_str() && object["metadata"]["name"] == name.c_str()) return &object;
    return nullptr;
}

std::string text(const Value* value) { return value != nullptr && value->IsString() ? value->GetString() : ""; }

const Value* path(const Value* root, std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
        if (root == nullptr || !root->IsObject() || !root->HasMember(key)) return nullptr;
        root = &(*root)[key];
    }
    return root;
}

void expect(bool condition, const std::string& what, Problems& problems) {
    if (!condition) problems.push_back(what);
}

const Value* first_container(const Value* object) {
    for (const auto& spec : {path(object, {"spec", "template", "spec"}),
                             path(object, {"spec", "jobTemplate", "spec", "template", "spec"})})
        if (spec != nullptr && spec->HasMember("containers") && (*spec)["containers"].Size() > 0)
            return &(*spec)["containers"][0];
    return nullptr;
}

// What the API server checks beyond the schema: every request within its limit.
void expect_requests_within_limits(const Objects& objects, Problems& problems) {
    for (const auto& object : objects) {
        const Value* container = first_container(&object);
        if (container == nullptr) continue;
        for (const char* resource : {"cpu", "memory"}) {
            const std::string request = text(path(container, {"resources", "requests", resource}));
            const std::string limit = text(path(container, {"resources", "limits", resource}));
            if (request.empty() || limit.empty()) continue;
            const auto request_value = k8s::quantity_value(request), limit_value = k8s::quantity_value(limit);
            expect(request_value && limit_value && *request_value <= *limit_value,
                   std::string(object["kind"].GetString()) + " " + resource + " request " + request +
                       " above its limit " + limit,
                   problems);
        }
    }
}

struct RequestCase {
    const char* label;
    const char* task;
    const char* context;
    const char* refused_field;  // the request must be refused naming this field
    std::function<void(const Objects&, Problems&)> check;
};

const std::vector<RequestCase>& request_cases() {
    static const std::vector<RequestCase> cases = {
        {"no name in the task", "Deploy my application to Kubernetes", "{}", "context.service", nullptr},
        {"a service called orders-api",
         "Create Kubernetes manifests for a service called orders-api, image ghcr.io/acme/orders-api:1.2.0", "{}",
         nullptr,
         [](const Objects& objects, Problems& problems) {
             expect(find_object(objects, "Deployment", "orders-api") != nullptr, "Deployment/orders-api", problems);
             expect(find_object(objects, "Service", "orders-api") != nullptr, "Service/orders-api", problems);
         }},
        {"the full request", "", k8s_test::full_context, nullptr,
         [](const Objects& objects, Problems& problems) {
             expect(objects.size() == 6, "six objects", problems);
         }},
        {"a small request", "", R"({"service":"web","image":"nginx:1.25.3"})", nullptr,
         [](const Objects& objects, Problems& problems) {
             expect(find_object(objects, "Deployment", "web") != nullptr, "Deployment/web", problems);
         }},
        {"a StatefulSet with storage", "",
         R"({"service":"ledger","image":"ghcr.io/acme/ledger:3.1.0","workload":"StatefulSet","port":5432,
             "storage":{"size":"20Gi","mount_path":"/var/lib/ledger"}})",
         nullptr,
         [](const Objects& objects, Problems& problems) {
             const Value* set = find_object(objects, "StatefulSet", "ledger");
             expect(set != nullptr, "StatefulSet/ledger", problems);
             expect(find_object(objects, "Deployment", "ledger") == nullptr, "no Deployment", problems);
             const Value* claims = path(set, {"spec", "volumeClaimTemplates"});
             expect(claims != nullptr && claims->Size() == 1 &&
                        text(path(&(*claims)[0], {"spec", "resources", "requests", "storage"})) == "20Gi",
                    "a 20Gi volume claim template", problems);
             const Value* container = first_container(set);
             bool mounted = false;
             if (container != nullptr && container->HasMember("volumeMounts"))
                 for (const auto& mount : (*container)["volumeMounts"].GetArray())
                     mounted = mounted || mount["mountPath"] == "/var/lib/ledger";
             expect(mounted, "the claim mounted at /var/lib/ledger", problems);
             const std::string governing = text(path(set, {"spec", "serviceName"}));
             const Value* headless = find_object(objects, "Service", governing);
             expect(headless != nullptr && text(path(headless, {"spec", "clusterIP"})) == "None",
                    "a headless governing Service", problems);
         }},
        {"a StatefulSet from the task",
         "Run the ledger-db StatefulSet named ledger-db with image ghcr.io/acme/ledger:3.1.0 and 10Gi of persistent "
         "storage",
         "{}", nullptr,
         [](const Objects& objects, Problems& problems) {
             const Value* set = find_object(objects, "StatefulSet", "ledger-db");
             expect(set != nullptr, "StatefulSet/ledger-db", problems);
             const Value* claims = path(set, {"spec", "volumeClaimTemplates"});
             expect(claims != nullptr && claims->Size() == 1 &&
                        text(path(&(*claims)[0], {"spec", "resources", "requests", "storage"})) == "10Gi",
                    "a 10Gi volume claim template", problems);
         }},
        {"a CronJob", "",
         R"({"service":"report-mailer","image":"ghcr.io/acme/reports:2.0.1","workload":"CronJob","schedule":"0 6 * * 1-5"})",
         nullptr,
         [](const Objects& objects, Problems& problems) {
             const Value* job = find_object(objects, "CronJob", "report-mailer");
             expect(job != nullptr && text(path(job, {"spec", "schedule"})) == "0 6 * * 1-5", "CronJob on 0 6 * * 1-5",
                    problems);
             expect(find_object(objects, "Deployment", "report-mailer") == nullptr, "no Deployment", problems);
             expect(find_object(objects, "Service", "report-mailer") == nullptr, "no Service", problems);
         }},
        {"a CronJob from the task",
         "Create a CronJob named nightly-cleanup that runs image ghcr.io/acme/cleanup:2.0.0 on schedule \"30 2 * * *\"",
         "{}", nullptr,
         [](const Objects& objects, Problems& problems) {
             const Value* job = find_object(objects, "CronJob", "nightly-cleanup");
             expect(job != nullptr && text(path(job, {"spec", "schedule"})) == "30 2 * * *", "CronJob on 30 2 * * *",
                    problems);
         }},
        {"a Job", "", R"({"service":"db-migrate","image":"ghcr.io/acme/migrate:7.0.0","workload":"Job"})", nullptr,
         [](const Objects& objects, Problems& problems) {
             const Value* job = find_object(objects, "Job", "db-migrate");
             expect(job != nullptr, "Job/db-migrate", problems);
             expect(text(path(job, {"spec", "template", "spec", "restartPolicy"})) == "Never" ||
                        text(path(job, {"spec", "template", "spec", "restartPolicy"})) == "OnFailure",
                    "a Job restart policy", problems);
             expect(objects.size() == 1, "the Job alone", problems);
         }},
        {"an Ingress with TLS", "",
         R"({"service":"shop","image":"ghcr.io/acme/shop:5.0.0","ingress_host":"shop.example.com","ingress_tls_secret":"shop-tls"})",
         nullptr,
         [](const Objects& objects, Problems& problems) {
             const Value* tls = path(find_object(objects, "Ingress", "shop"), {"spec", "tls"});
             expect(tls != nullptr && tls->Size() == 1 && (*tls)[0]["secretName"] == "shop-tls" &&
                        (*tls)[0]["hosts"][0] == "shop.example.com",
                    "spec.tls with shop-tls for shop.example.com", problems);
         }},
        {"TLS from the task",
         "Deploy the payments service with image ghcr.io/acme/payments:1.0.0 at host pay.example.com with TLS secret "
         "payments-cert",
         "{}", nullptr,
         [](const Objects& objects, Problems& problems) {
             const Value* tls = path(find_object(objects, "Ingress", "payments"), {"spec", "tls"});
             expect(tls != nullptr && tls->Size() == 1 && (*tls)[0]["secretName"] == "payments-cert",
                    "spec.tls with payments-cert", problems);
         }},
        {"a port from the task", "Deploy the inventory service, image ghcr.io/acme/inventory:4.0.1, it listens on 7000",
         "{}", nullptr,
         [](const Objects& objects, Problems& problems) {
             const Value* container = first_container(find_object(objects, "Deployment", "inventory"));
             expect(container != nullptr && (*container)["ports"][0]["containerPort"] == 7000, "containerPort 7000",
                    problems);
             const Value* service = find_object(objects, "Service", "inventory");
             const Value* target = path(service, {"spec", "ports"});
             expect(target != nullptr && ((*target)[0]["targetPort"] == 7000 || (*target)[0]["targetPort"] == "http"),
                    "targetPort 7000", problems);
         }},
        {"requests above the default limits", "",
         R"({"service":"cruncher","image":"ghcr.io/acme/cruncher:1.0.0","resources":{"requests":{"cpu":"1","memory":"2Gi"}}})",
         nullptr,
         [](const Objects& objects, Problems& problems) {
             const Value* container = first_container(find_object(objects, "Deployment", "cruncher"));
             expect(text(path(container, {"resources", "requests", "cpu"})) == "1", "cpu request 1", problems);
             expect(text(path(container, {"resources", "requests", "memory"})) == "2Gi", "memory request 2Gi", problems);
         }},
        {"a request above its limit", "",
         R"({"service":"cruncher","image":"ghcr.io/acme/cruncher:1.0.0","resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1"}}})",
         "context.resources.limits.cpu", nullptr},
        {"an unsupported workload", "", R"({"service":"agent","image":"ghcr.io/acme/agent:1.0.0","workload":"DaemonSet"})",
         "context.workload", nullptr},
        {"blue-green", "", R"({"service":"search","image":"ghcr.io/acme/search:7.0.0","strategy":"blue_green"})", nullptr,
         [](const Objects& objects, Problems& problems) {
             const Value* blue = find_object(objects, "Deployment", "search-blue");
             const Value* green = find_object(objects, "Deployment", "search-green");
             expect(blue != nullptr && green != nullptr, "Deployments search-blue and search-green", problems);
             expect(text(path(blue, {"spec", "template", "metadata", "labels", "color"})) == "blue" &&
                        text(path(green, {"spec", "template", "metadata", "labels", "color"})) == "green",
                    "color labels on the pods", problems);
             expect(text(path(find_object(objects, "Service", "search"), {"spec", "selector", "color"})) == "blue",
                    "the Service selects the live colour", problems);
         }},
    };
    return cases;
}


}  // namespace

TEST_CASE("varied requests come out fully correct", "[quality]") {
    const auto& cases = request_cases();
    std::vector<Problems> problems(cases.size());
    std::string groups = "{";
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const RequestCase& c = cases[i];
        try {
            const k8s::Generated generated = k8s::generate(k8s_test::parse_context(c.context), c.task, k8s::Config{});
            if (c.refused_field != nullptr) {
                problems[i].push_back(std::string("not refused (expected a refusal naming ") + c.refused_field + ")");
                continue;
            }
            Objects objects;
            for (const auto& artifact : generated.artifacts) objects.push_back(k8s_test::yaml_object(artifact.content));
            c.check(objects, problems[i]);
            expect_requests_within_limits(objects, problems[i]);
            for (const auto& finding : k8s::review(k8s_test::joined_yaml(generated)).findings)
                problems[i].push_back("review: " + finding.object + " " + finding.field + ": " + finding.message);
            groups += std::string(groups.size() > 1 ? "," : "") + "\"" + std::to_string(i) +
                      "\":" + k8s_test::as_json_array(generated);
        } catch (const k8s::InputError& error) {
            const std::string message = error.what();
            if (c.refused_field == nullptr)
                problems[i].push_back("refused: " + message);
            else if (message.find(c.refused_field) == std::string::npos)
                problems[i].push_back("refused without naming " + std::string(c.refused_field) + ": " + message);
        }
    }
    const k8s_test::Validation official = k8s_test::validate_officially(groups + "}");
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const std::string prefix = std::to_string(i) + ": ";
        std::size_t at = 0;
        while ((at = official.output.find(prefix, at)) != std::string::npos) {
            if (at == 0 || official.output[at - 1] == '\n')
                problems[i].push_back("official schema: " + official.output.substr(at, official.output.find('\n', at) - at));
            ++at;
        }
    }
    std::size_t correct = 0;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        CAPTURE(cases[i].label, cases[i].task, cases[i].context);
        for (const auto& problem : problems[i]) FAIL_CHECK(problem);
        correct += problems[i].empty();
    }
    WARN("Kubernetes requests fully correct: " << correct << " of " << cases.size());
    CHECK(cases.size() >= 13);
}

namespace {

// A clean set: the review finds nothing in it. Each planted problem is one
// edit of it.
const char* clean_set = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: {app.kubernetes.io/name: api}
spec:
  replicas: 2
  selector:
    matchLabels: {app.kubernetes.io/name: api}
  template:
    metadata:
      labels: {app.kubernetes.io/name: api}
    spec:
      securityContext: {runAsNonRoot: true}
      containers:
        - name: api
          image: ghcr.io/acme/api:1.0.0
          ports:
            - {name: http, containerPort: 8080}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {cpu: 500m, memory: 256Mi}
          livenessProbe:
            httpGet: {path: /healthz, port: http}
          readinessProbe:
            httpGet: {path: /healthz, port: 8080}
---
apiVersion: v1
kind: Service
metadata:
  name: api
  labels: {app.kubernetes.io/name: api}
spec:
  selector: {app.kubernetes.io/name: api}
  ports:
    - {name: http, port: 80, targetPort: 8080}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: api
  labels: {app.kubernetes.io/name: api}
spec:
  minAvailable: 1
  selector:
    matchLabels: {app.kubernetes.io/name: api}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
  labels: {app.kubernetes.io/name: api}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 4
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  labels: {app.kubernetes.io/name: api}
spec:
  rules:
    - host: api.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: {name: api, port: {number: 80}}
)";

struct Planted {
    const char* problem;
    const char* replace;
    const char* with;
    const char* object;  // the finding must name this object and field
    const char* field;
};

const std::vector<Planted>& planted_problems() {
    static const std::vector<Planted> cases = {
        {"latest image tag", "api:1.0.0", "api:latest", "Deployment/api", "spec.template.spec.containers[0].image"},
        {"no resources", "          resources:\n            requests: {cpu: 100m, memory: 128Mi}\n            limits: {cpu: 500m, memory: 256Mi}\n",
         "", "Deployment/api", "spec.template.spec.containers[0].resources"},
        {"no liveness probe", "          livenessProbe:\n            httpGet: {path: /healthz, port: http}\n", "",
         "Deployment/api", "spec.template.spec.containers[0].livenessProbe"},
        {"privileged container", "          image: ghcr.io/acme/api:1.0.0\n",
         "          image: ghcr.io/acme/api:1.0.0\n          securityContext: {privileged: true}\n", "Deployment/api",
         "spec.template.spec.containers[0].securityContext.privileged"},
        {"root user", "securityContext: {runAsNonRoot: true}", "securityContext: {runAsNonRoot: true, runAsUser: 0}",
         "Deployment/api", "spec.template.spec.securityContext.runAsUser"},
        {"selector not matching the template", "    matchLabels: {app.kubernetes.io/name: api}\n  template:",
         "    matchLabels: {app.kubernetes.io/name: api-v2}\n  template:", "Deployment/api", "spec.selector.matchLabels"},
        {"Service selecting no pods", "  selector: {app.kubernetes.io/name: api}\n  ports:",
         "  selector: {app.kubernetes.io/name: apl}\n  ports:", "Service/api", "spec.selector"},
        {"probe port not a container port", "httpGet: {path: /healthz, port: http}",
         "httpGet: {path: /healthz, port: health}", "Deployment/api",
         "spec.template.spec.containers[0].livenessProbe.httpGet.port"},
        {"Service targetPort not a container port", "targetPort: 8080", "targetPort: 9090", "Service/api",
         "spec.ports[0].targetPort"},
        {"PodDisruptionBudget selecting no pods", "  minAvailable: 1\n  selector:\n    matchLabels: {app.kubernetes.io/name: api}",
         "  minAvailable: 1\n  selector:\n    matchLabels: {app.kubernetes.io/name: apj}", "PodDisruptionBudget/api",
         "spec.selector"},
        {"HPA targeting a missing Deployment", "kind: Deployment, name: api}", "kind: Deployment, name: api-server}",
         "HorizontalPodAutoscaler/api", "spec.scaleTargetRef"},
        {"Ingress backend naming a missing Service", "service: {name: api,", "service: {name: api-svc,", "Ingress/api",
         "spec.rules[0].http.paths[0].backend.service.name"},
        {"no app label", "kind: Service\nmetadata:\n  name: api\n  labels: {app.kubernetes.io/name: api}",
         "kind: Service\nmetadata:\n  name: api\n  labels: {team: search}", "Service/api", "metadata.labels"},
    };
    return cases;
}

}  // namespace

TEST_CASE("the review finds nothing in the clean set and catches each planted problem", "[quality][review]") {
    const k8s::Review clean = k8s::review(clean_set);
    for (const auto& finding : clean.findings) FAIL_CHECK(finding.object + " " + finding.field + ": " + finding.message);
    std::size_t caught = 0, planted = 0;
    for (const auto& p : planted_problems()) {
        ++planted;
        CAPTURE(p.problem);
        std::string manifests = clean_set;
        const auto at = manifests.find(p.replace);
        REQUIRE(at != std::string::npos);
        manifests.replace(at, std::string(p.replace).size(), p.with);
        bool found = false;
        for (const auto& finding : k8s::review(manifests).findings)
            found = found || (finding.object == p.object && finding.field == p.field);
        CHECK(found);
        caught += found;
    }
    WARN("planted review problems caught: " << caught << " of " << planted);
    CHECK(planted >= 12);
}
