// Review mode: what a project's files lack against the bar the scaffolds
// meet (a multi-stage Dockerfile running as non-root with a HEALTHCHECK and
// pinned base images, a .gitignore, a README, tests, a dependency manifest,
// CI, no committed secrets).
#pragma once

#include <string>
#include <vector>

namespace scaffold {

struct ProjectFile {
    std::string path;
    std::string content;
};

struct Finding {
    std::string rule;
    std::string severity;  // error | warning
    std::string file;      // "" for the project as a whole
    std::string message;
    std::string fix;
};

std::vector<Finding> review_project(const std::vector<ProjectFile>& files);

}  // namespace scaffold
