// The SQL for seed 004's processing requests: a pipeline is a row here plus
// one run per agent (pipeline_id, pipeline_step), so every step is a durable,
// recoverable run like any other.
#pragma once

#include "store/database.hpp"
#include "store/records.hpp"

#include <optional>
#include <string>
#include <vector>

namespace agenthost::store {

struct PipelinePage {
    std::vector<PipelineRecord> pipelines;
    size_t total = 0;
};

class PipelineRepository {
  public:
    void insert(soci::session& session, const PipelineRecord& pipeline) const;
    // Sets the pipeline's status from its runs once none is left to run:
    // completed when all succeeded, failed otherwise. Returns true when it
    // finished just now.
    bool settle(soci::session& session, const std::string& pipeline_id) const;
    std::optional<PipelineRecord> find(soci::session& session, const std::string& id) const;
    // Newest first; only `tenant`'s pipelines when it is given.
    PipelinePage list(soci::session& session, size_t offset, size_t limit, const std::string* tenant = nullptr) const;
};

}  // namespace agenthost::store
