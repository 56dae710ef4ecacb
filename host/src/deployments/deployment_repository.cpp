#include "deployments/deployment_repository.hpp"

namespace agenthost::deployments {
namespace {

OperationRecord operation_from(const soci::row& row) {
    OperationRecord operation;
    operation.id = row.get<std::string>(0);
    operation.tenant = row.get<std::string>(1);
    operation.project_id = row.get<std::string>(2);
    operation.operation = row.get<std::string>(3);
    operation.workflow_id = row.get<std::string>(4);
    operation.created_at_ms = row.get<long long>(5);
    return operation;
}

constexpr const char* kOperationColumns = "id, tenant, project_id, operation, workflow_id, created_at_ms";

}  // namespace

std::optional<ProjectRecord> find_project(soci::session& session, const std::string& tenant, const std::string& id) {
    ProjectRecord project;
    soci::indicator present = soci::i_null;
    session << "SELECT repository, repository_kind, thread_id, created_at_ms FROM deployment_projects "
               "WHERE tenant = :t AND id = :i",
        soci::use(tenant), soci::use(id), soci::into(project.repository, present), soci::into(project.repository_kind),
        soci::into(project.thread_id), soci::into(project.created_at_ms);
    if (!session.got_data()) return std::nullopt;
    project.tenant = tenant;
    project.id = id;
    return project;
}

void insert_project(soci::session& session, const ProjectRecord& project) {
    // Two first operations of a new project may race: the first row stays.
    session << "INSERT INTO deployment_projects (tenant, id, repository, repository_kind, thread_id, created_at_ms) "
               "VALUES (:t, :i, :r, :k, :th, :c) ON CONFLICT (tenant, id) DO NOTHING",
        soci::use(project.tenant), soci::use(project.id), soci::use(project.repository),
        soci::use(project.repository_kind), soci::use(project.thread_id), soci::use(project.created_at_ms);
}

std::optional<OperationRecord> find_operation(soci::session& session, const std::string& id) {
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT " << kOperationColumns << " FROM deployment_operations WHERE id = :i", soci::use(id));
    for (const auto& row : rows) return operation_from(row);
    return std::nullopt;
}

std::vector<OperationRecord> project_operations(soci::session& session, const std::string& tenant,
                                                const std::string& project_id, int limit) {
    std::vector<OperationRecord> out;
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT " << kOperationColumns
                         << " FROM deployment_operations WHERE tenant = :t AND project_id = :p "
                            "ORDER BY created_at_ms DESC, id DESC LIMIT :l",
         soci::use(tenant), soci::use(project_id), soci::use(limit));
    for (const auto& row : rows) out.push_back(operation_from(row));
    return out;
}

void insert_operation(soci::session& session, const OperationRecord& operation) {
    session << "INSERT INTO deployment_operations (id, tenant, project_id, operation, workflow_id, created_at_ms) "
               "VALUES (:i, :t, :p, :o, :w, :c)",
        soci::use(operation.id), soci::use(operation.tenant), soci::use(operation.project_id),
        soci::use(operation.operation), soci::use(operation.workflow_id), soci::use(operation.created_at_ms);
}

std::optional<LockRecord> find_lock(soci::session& session, const std::string& tenant, const std::string& project_id) {
    LockRecord lock;
    session << "SELECT operation_id, acquired_at_ms FROM deployment_locks WHERE tenant = :t AND project_id = :p",
        soci::use(tenant), soci::use(project_id), soci::into(lock.operation_id), soci::into(lock.acquired_at_ms);
    if (!session.got_data()) return std::nullopt;
    return lock;
}

bool take_lock(soci::session& session, const std::string& tenant, const std::string& project_id,
               const std::string& operation_id, const std::optional<std::string>& stale, long long now_ms) {
    if (stale) {
        // Compare-and-set: only over the holder the caller judged finished.
        session << "UPDATE deployment_locks SET operation_id = :o, acquired_at_ms = :a "
                   "WHERE tenant = :t AND project_id = :p AND operation_id = :s",
            soci::use(operation_id), soci::use(now_ms), soci::use(tenant), soci::use(project_id), soci::use(*stale);
    } else {
        session << "INSERT INTO deployment_locks (tenant, project_id, operation_id, acquired_at_ms) "
                   "VALUES (:t, :p, :o, :a) ON CONFLICT (tenant, project_id) DO NOTHING",
            soci::use(tenant), soci::use(project_id), soci::use(operation_id), soci::use(now_ms);
    }
    auto lock = find_lock(session, tenant, project_id);
    return lock && lock->operation_id == operation_id;
}

bool release_lock(soci::session& session, const std::string& tenant, const std::string& project_id,
                  const std::optional<std::string>& operation_id) {
    auto before = find_lock(session, tenant, project_id);
    if (!before || (operation_id && before->operation_id != *operation_id)) return false;
    session << "DELETE FROM deployment_locks WHERE tenant = :t AND project_id = :p AND operation_id = :o",
        soci::use(tenant), soci::use(project_id), soci::use(before->operation_id);
    return true;
}

}  // namespace agenthost::deployments
