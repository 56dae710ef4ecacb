// Head sampling as OTEL_TRACES_SAMPLER describes it: always_on, always_off,
// traceidratio, and their parentbased_* forms that follow the caller's
// sampled flag when there is a caller.
#pragma once

#include "telemetry/trace_context.hpp"

#include <string>

namespace agenthost::telemetry {

class Sampler {
  public:
    // parentbased_always_on, the specification's default.
    Sampler() = default;

    // `name` and `arg` as in OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG.
    // An unknown name or a ratio outside [0, 1] gives the default and a
    // reason in `problem` (the host logs it and goes on).
    static Sampler parse(const std::string& name, const std::string& arg, std::string& problem);

    // Whether a new span in trace `trace_id` is recorded; `parent` is the
    // caller's context (remote or local), or null for a root span.
    bool sample(const TraceContext* parent, const TraceId& trace_id) const;

    std::string describe() const;

  private:
    enum class Root { always_on, always_off, ratio };
    Root root_ = Root::always_on;
    bool parent_based_ = true;
    double ratio_ = 1.0;
};

}  // namespace agenthost::telemetry
