// Kubernetes resource quantities ("500m", "1.5", "256Mi", "2G"): read into
// base units so requests and limits can be compared the way the API server
// compares them.
#ifndef KUBERNETES_AGENT_QUANTITY_HPP
#define KUBERNETES_AGENT_QUANTITY_HPP

#include <optional>
#include <string_view>

namespace k8s {

// The quantity in base units (cores for CPU, bytes for memory), or nothing
// when the text is not a quantity this agent accepts (a decimal number with
// an optional m, k, M, G, T, P, E or Ki..Ei suffix).
std::optional<long double> quantity_value(std::string_view text);

}  // namespace k8s

#endif
