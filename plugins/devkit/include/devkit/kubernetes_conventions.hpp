// What kubernetes_agent creates and the deploy pipelines harness_expert writes
// act on, in one place so the two agents agree: names, labels, the container
// name, and the objects of the canary and blue-green strategies.
#pragma once

#include <string>
#include <string_view>

namespace devkit::kubernetes {

// Every object of a service carries these; selectors use both.
inline constexpr std::string_view name_label = "app.kubernetes.io/name";
inline constexpr std::string_view instance_label = "app.kubernetes.io/instance";

// The pods' one container is named after the service, so
// `kubectl set image deployment/<service> <service>=IMAGE` finds it.
inline std::string container_name(std::string_view service) { return std::string(service); }

// Blue-green: Deployments <service>-blue and <service>-green whose pods carry
// color=<colour> (and the service's selector labels); the Service <service>
// selects the live colour through its color selector, and a deploy swaps it.
inline constexpr std::string_view color_label = "color";
inline constexpr std::string_view blue = "blue";
inline constexpr std::string_view green = "green";
inline std::string color_deployment(std::string_view service, std::string_view color) {
    return std::string(service) + "-" + std::string(color);
}

// Canary: a Deployment <service>-canary, a copy of <service> whose pods keep
// the container name and the Service's selector labels (so they take a share
// of its traffic) and add track=canary, which its own selector also holds so
// the primary's ReplicaSets never count them.
inline constexpr std::string_view track_label = "track";
inline constexpr std::string_view canary_track = "canary";
inline std::string canary_deployment(std::string_view service) { return std::string(service) + "-canary"; }

// A DNS-1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters
// (namespaces; object names also start with a letter here).
bool is_dns_label(std::string_view name);

// A DNS-1123 label derived from a free-form name ("QA_env" -> "qa-env",
// "Pre Prod!" -> "pre-prod"): lower-cased, every run of other characters
// one '-', no '-' at either end, cut to 63. Empty when nothing is left.
std::string to_dns_label(std::string_view name);

}  // namespace devkit::kubernetes
