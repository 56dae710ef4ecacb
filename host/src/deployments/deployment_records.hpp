// Seed 000's deployment projects and operations as stored (migration 15).
#pragma once

#include <string>

namespace agenthost::deployments {

struct ProjectRecord {
    std::string tenant;
    std::string id;
    std::string repository;       // a git URL or a local path
    std::string repository_kind;  // repo_url | path
    std::string thread_id;        // whose memory the project's agents share
    long long created_at_ms = 0;
};

struct OperationRecord {
    std::string id;
    std::string tenant;
    std::string project_id;
    std::string operation;  // analyze | generate | plan | apply | destroy
    std::string workflow_id;
    long long created_at_ms = 0;
};

struct LockRecord {
    std::string operation_id;
    long long acquired_at_ms = 0;
};

}  // namespace agenthost::deployments
