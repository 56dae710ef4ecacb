// SQL for deployment projects, operations and project locks, on a session
// the caller holds (reads: Store::read; writes: the commit queue).
#pragma once

#include "deployments/deployment_records.hpp"

#include <soci/soci.h>

#include <optional>
#include <vector>

namespace agenthost::deployments {

std::optional<ProjectRecord> find_project(soci::session& session, const std::string& tenant, const std::string& id);
void insert_project(soci::session& session, const ProjectRecord& project);
std::optional<OperationRecord> find_operation(soci::session& session, const std::string& id);
std::vector<OperationRecord> project_operations(soci::session& session, const std::string& tenant,
                                                const std::string& project_id, int limit);
void insert_operation(soci::session& session, const OperationRecord& operation);

std::optional<LockRecord> find_lock(soci::session& session, const std::string& tenant, const std::string& project_id);
// Takes the lock for `operation_id` when nobody holds it, or when `stale`
// (the holder seen before) still holds it; true when it is now ours.
bool take_lock(soci::session& session, const std::string& tenant, const std::string& project_id,
               const std::string& operation_id, const std::optional<std::string>& stale, long long now_ms);
// Removes the lock (held by `operation_id` when given); true when one was removed.
bool release_lock(soci::session& session, const std::string& tenant, const std::string& project_id,
                  const std::optional<std::string>& operation_id);

}  // namespace agenthost::deployments
