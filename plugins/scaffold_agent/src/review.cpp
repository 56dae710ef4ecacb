#include "review.hpp"

#include <devkit/text.hpp>

#include <regex>
#include <sstream>

namespace scaffold {
namespace {

bool any_path(const std::vector<ProjectFile>& files, const std::regex& pattern) {
    for (const auto& f : files)
        if (std::regex_search(f.path, pattern)) return true;
    return false;
}

std::string base_name(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Dockerfile instructions, continuation lines joined, comments dropped.
std::vector<std::string> instructions(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line, current;
    while (std::getline(in, line)) {
        const auto first = line.find_first_not_of(" \t");
        if (current.empty() && (first == std::string::npos || line[first] == '#')) continue;
        if (!line.empty() && line.back() == '\\') {
            current += line.substr(0, line.size() - 1) + " ";
            continue;
        }
        out.push_back(current + line);
        current.clear();
    }
    if (!current.empty()) out.push_back(current);
    return out;
}

void review_dockerfile(const ProjectFile& file, std::vector<Finding>& out) {
    int stages = 0;
    bool user = false, healthcheck = false, root_user = false;
    for (const auto& instruction : instructions(file.content)) {
        std::smatch m;
        const std::string upper_word = devkit::lower(instruction.substr(0, instruction.find_first_of(" \t")));
        if (upper_word == "from") {
            ++stages;
            user = false;  // USER applies to the stage it is in
            root_user = false;
            static const std::regex image(R"(^\s*from\s+(?:--platform=\S+\s+)?(\S+))", std::regex::icase);
            if (std::regex_search(instruction, m, image)) {
                const std::string ref = m[1].str();
                const bool digest = ref.find('@') != std::string::npos;
                const auto colon = ref.rfind(':');
                const bool tagged = colon != std::string::npos && ref.find('/', colon) == std::string::npos;
                if (!digest && ref != "scratch" && (!tagged || devkit::ends_with(ref, ":latest")) &&
                    ref.find('$') == std::string::npos)
                    out.push_back({"unpinned-base-image", "warning", file.path, "FROM " + ref + " floats",
                                   "pin a version tag (python:3.12-slim) or a digest, so builds repeat"});
            }
        } else if (upper_word == "user") {
            user = true;
            static const std::regex root(R"(^\s*user\s+(root|0)(:\S+)?\s*$)", std::regex::icase);
            root_user = std::regex_search(instruction, root);
        } else if (upper_word == "healthcheck") {
            healthcheck = devkit::lower(instruction).find("none") == std::string::npos;
        } else if (upper_word == "add") {
            static const std::regex remote(R"(^\s*add\s+(--\S+\s+)*(https?://|\S+\.(tar|tgz|gz|xz|bz2)\b))",
                                           std::regex::icase);
            if (!std::regex_search(instruction, remote))
                out.push_back({"add-instead-of-copy", "warning", file.path, "ADD copies local files",
                               "use COPY: ADD also unpacks archives and fetches URLs, which surprises"});
        }
    }
    if (stages == 0) {
        out.push_back({"dockerfile-no-from", "error", file.path, "no FROM instruction", "start with FROM <image>:<tag>"});
        return;
    }
    if (stages == 1)
        out.push_back({"single-stage-build", "warning", file.path,
                       "one stage: build tools and sources ship in the runtime image",
                       "build in a first stage (FROM ... AS build) and COPY --from=build only what runs"});
    if (!user || root_user)
        out.push_back({"runs-as-root", "error", file.path, "the runtime stage runs as root",
                       "create an unprivileged user and end the stage with USER <uid> (e.g. USER 10001)"});
    if (!healthcheck)
        out.push_back({"no-healthcheck", "warning", file.path, "no HEALTHCHECK",
                       "add HEALTHCHECK CMD probing the service's /health endpoint"});
}

}  // namespace

std::vector<Finding> review_project(const std::vector<ProjectFile>& files) {
    std::vector<Finding> out;
    bool dockerfile_seen = false;
    for (const auto& f : files) {
        const std::string name = base_name(f.path);
        if (name == "Dockerfile" || devkit::ends_with(name, ".Dockerfile") || devkit::ends_with(name, ".dockerfile")) {
            dockerfile_seen = true;
            review_dockerfile(f, out);
        }
        if (name == ".env" || devkit::ends_with(name, ".pem") || name == "id_rsa" ||
            (devkit::ends_with(name, ".key") && f.content.find("PRIVATE KEY") != std::string::npos))
            out.push_back({"committed-secret", "error", f.path, f.path + " holds secrets and is in the project",
                           "remove it, rotate what it held, and list it in .gitignore"});
    }
    if (!any_path(files, std::regex(R"((^|/)\.gitignore$)")))
        out.push_back({"no-gitignore", "warning", "", "no .gitignore",
                       "add one for the toolchain's outputs (__pycache__/, node_modules/, bin/) and .env"});
    if (!any_path(files, std::regex(R"((^|/)README(\.md|\.rst|\.txt)?$)", std::regex::icase)))
        out.push_back({"no-readme", "warning", "", "no README", "say how to run, test and deploy it"});
    if (!any_path(files, std::regex(R"((^|/)(requirements[^/]*\.txt|pyproject\.toml|setup\.py|package\.json|go\.mod|Cargo\.toml|pom\.xml|build\.gradle(\.kts)?|Gemfile)$)")))
        out.push_back({"no-dependency-manifest", "error", "", "no dependency manifest",
                       "declare dependencies (requirements.txt / pyproject.toml, package.json, go.mod)"});
    if (!any_path(files, std::regex(R"((^|/)(tests?/|__tests__/|spec/)|(^|/)test_[^/]*\.py$|_test\.(py|go)$|\.(test|spec)\.[jt]s$)")))
        out.push_back({"no-tests", "warning", "", "no tests", "add tests the CI runs, starting with the health endpoint"});
    if (!any_path(files, std::regex(R"((^|/)\.github/workflows/[^/]+\.ya?ml$|(^|/)\.harness/|\.gitlab-ci\.yml$|Jenkinsfile$)")))
        out.push_back({"no-ci", "warning", "", "no CI definition",
                       "add a workflow that runs the tests on every push (.github/workflows/ci.yml)"});
    if (!dockerfile_seen && any_path(files, std::regex(R"((^|/)docker-compose\.ya?ml$)")))
        out.push_back({"compose-without-dockerfile", "warning", "", "docker-compose without a Dockerfile",
                       "add the Dockerfile the compose file builds"});
    return out;
}

}  // namespace scaffold
