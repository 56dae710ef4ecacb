#include <catch2/catch.hpp>

#include <string>

#include "support.hpp"

namespace {

// Each object carries problems the review must name with object and field.
const char* bad_manifests = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: legacy
  labels:
    app.kubernetes.io/name: legacy
spec:
  replicas: 2
  selector:
    matchLabels:
      app: legacy
  template:
    metadata:
      labels:
        app: legacy-web
    spec:
      containers:
        - name: web
          image: acme/legacy:latest
          securityContext:
            privileged: true
            runAsUser: 0
        - name: sidecar
          image: busybox
          resources:
            requests: {cpu: 10m, memory: 16Mi}
            limits: {cpu: 50m, memory: 32Mi}
          livenessProbe: {exec: {command: [true]}}
          readinessProbe: {exec: {command: [true]}}
          securityContext:
            runAsNonRoot: false
---
apiVersion: v1
kind: Service
metadata:
  name: orphan
spec:
  selector:
    app: nothing-here
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: legacy
  labels:
    app: legacy
spec:
  selector:
    app: legacy-web
  ports:
    - port: 80
)";

const k8s::Finding* find(const k8s::Review& review, const std::string& object, const std::string& field) {
    for (const auto& finding : review.findings)
        if (finding.object == object && finding.field == field) return &finding;
    return nullptr;
}

}  // namespace

TEST_CASE("review finds each problem with its object and field", "[review]") {
    const k8s::Review review = k8s::review(bad_manifests);
    CHECK(review.objects == 3);
    struct Expected {
        const char* object;
        const char* field;
        const char* severity;
        const char* says;
    };
    const Expected expected[] = {
        {"Deployment/legacy", "spec.template.spec.containers[0].image", "warning", "latest"},
        {"Deployment/legacy", "spec.template.spec.containers[1].image", "warning", "no tag"},
        {"Deployment/legacy", "spec.template.spec.containers[0].resources", "warning", "no resource"},
        {"Deployment/legacy", "spec.template.spec.containers[0].livenessProbe", "warning", "liveness"},
        {"Deployment/legacy", "spec.template.spec.containers[0].readinessProbe", "warning", "readiness"},
        {"Deployment/legacy", "spec.template.spec.containers[0].securityContext.privileged", "error", "privileged"},
        {"Deployment/legacy", "spec.template.spec.containers[0].securityContext.runAsUser", "error", "user 0"},
        {"Deployment/legacy", "spec.template.spec.containers[0].securityContext.runAsNonRoot", "warning",
         "runAsNonRoot"},
        {"Deployment/legacy", "spec.template.spec.containers[1].securityContext.runAsNonRoot", "error",
         "runAsNonRoot: false"},
        {"Deployment/legacy", "spec.selector.matchLabels", "error", "does not match"},
        {"Service/orphan", "spec.selector", "error", "no workload"},
        {"Service/orphan", "metadata.labels", "warning", "app label"},
    };
    for (const auto& want : expected) {
        CAPTURE(want.object, want.field);
        const k8s::Finding* finding = find(review, want.object, want.field);
        REQUIRE(finding != nullptr);
        CHECK(finding->severity == want.severity);
        CHECK_THAT(finding->message, Catch::Contains(want.says));
    }
    // The sidecar is otherwise fine; the matching Service is fine.
    CHECK(find(review, "Deployment/legacy", "spec.template.spec.containers[1].resources") == nullptr);
    CHECK(find(review, "Deployment/legacy", "spec.template.spec.containers[1].livenessProbe") == nullptr);
    CHECK(find(review, "Service/legacy", "spec.selector") == nullptr);
    CHECK(find(review, "Service/legacy", "metadata.labels") == nullptr);
    CHECK(review.findings.size() == std::size(expected));
    CHECK_THAT(review.summary, Catch::Contains("3 objects") && Catch::Contains(std::to_string(review.findings.size()) + " findings"));
}

TEST_CASE("a YAML syntax error is invalid input with line and column", "[review]") {
    try {
        k8s::review("apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n");
        FAIL("no error");
    } catch (const k8s::InputError& error) {
        CHECK_THAT(error.what(), Catch::Contains("line ") && Catch::Contains("column "));
    }
}

TEST_CASE("YAML that hangs yaml-cpp is refused as invalid input, at once", "[review]") {
    // Found by the kubernetes_review fuzzer: a top-level ',' made
    // YAML::LoadAll loop forever, allocating gigabytes.
    for (const char* text : {",", "apiVersion: v1\nkind: Service\n---\n[80],\n"}) {
        INFO(text);
        CHECK_THROWS_AS(k8s::review(text), k8s::InputError);
    }
}

TEST_CASE("an empty stream reviews no objects", "[review]") {
    const auto review = k8s::review("---\n");
    CHECK(review.objects == 0);
    CHECK(review.findings.empty());
}
