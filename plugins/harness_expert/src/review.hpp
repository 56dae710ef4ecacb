// Review of an existing Harness pipeline's YAML.
#ifndef HARNESS_EXPERT_REVIEW_HPP
#define HARNESS_EXPERT_REVIEW_HPP

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace harness_expert {

struct Finding {
    std::string severity;  // "error", "warning" or "info"
    std::string stage;     // the stage's identifier (or name); empty for pipeline-level findings
    std::string field;     // path from the document root, e.g. "pipeline.stages[1].stage.identifier"
    std::string message;
};

struct Review {
    std::string pipeline_identifier;
    std::size_t stage_count = 0;
    std::vector<Finding> findings;
};

// Parses `yaml` with yaml-cpp and checks it. Throws InputError (settings.hpp)
// naming line and column when it does not parse, or when it is not a mapping.
// Checks: required pipeline fields (name, identifier, projectIdentifier,
// orgIdentifier, stages); identifiers breaking Harness's rule (every
// `identifier`/`*Identifier` value that is not an expression); duplicate
// stage identifiers in the pipeline and duplicate step/step group identifiers
// within a stage (errors), step identifiers repeated across stages (info);
// Deployment stages without a deploymentType, service or environment (errors)
// or without rollbackSteps (warning); prod/production stages
// with no approval step before their first deploy step and no Approval stage
// since the previous Deployment stage (error).
// `on_stage(name, index, count)` is called per stage.
Review review_pipeline(std::string_view yaml,
                       const std::function<void(const std::string&, std::size_t, std::size_t)>& on_stage = {});

}  // namespace harness_expert

#endif
