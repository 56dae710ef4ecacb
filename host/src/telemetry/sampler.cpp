#include "telemetry/sampler.hpp"

#include <cmath>
#include <cstdlib>

namespace agenthost::telemetry {

Sampler Sampler::parse(const std::string& name, const std::string& arg, std::string& problem) {
    Sampler sampler;
    std::string root = name;
    if (root.empty()) return sampler;
    sampler.parent_based_ = root.rfind("parentbased_", 0) == 0;
    if (sampler.parent_based_) root = root.substr(12);
    if (root == "always_on") {
        sampler.root_ = Root::always_on;
    } else if (root == "always_off") {
        sampler.root_ = Root::always_off;
    } else if (root == "traceidratio") {
        sampler.root_ = Root::ratio;
        sampler.ratio_ = 1.0;  // the specification's default argument
        if (!arg.empty()) {
            char* end = nullptr;
            double ratio = std::strtod(arg.c_str(), &end);
            if (end == arg.c_str() || *end != '\0' || !std::isfinite(ratio) || ratio < 0 || ratio > 1)
                problem = "OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got '" + arg + "'; using 1";
            else
                sampler.ratio_ = ratio;
        }
    } else {
        problem = "unknown OTEL_TRACES_SAMPLER '" + name + "'; using parentbased_always_on";
        return Sampler();
    }
    return sampler;
}

bool Sampler::sample(const TraceContext* parent, const TraceId& trace_id) const {
    if (parent_based_ && parent != nullptr && parent->valid()) return parent->sampled;
    switch (root_) {
        case Root::always_on: return true;
        case Root::always_off: return false;
        case Root::ratio: {
            if (ratio_ >= 1.0) return true;
            if (ratio_ <= 0.0) return false;
            // The trace id's last 8 bytes as a number, against the ratio's
            // share of their range: every host decides one trace alike.
            std::uint64_t value = 0;
            for (size_t i = 8; i < 16; ++i) value = (value << 8) | trace_id[i];
            return static_cast<double>(value) < ratio_ * 18446744073709551616.0;
        }
    }
    return true;
}

std::string Sampler::describe() const {
    std::string root = root_ == Root::always_on    ? "always_on"
                       : root_ == Root::always_off ? "always_off"
                                                   : "traceidratio(" + std::to_string(ratio_) + ")";
    return parent_based_ ? "parentbased_" + root : root;
}

}  // namespace agenthost::telemetry
