// Service discovery and what the repository already has.
#include <devkit/kubernetes_conventions.hpp>

#include <algorithm>
#include <set>

#include "analyzer.hpp"

namespace ctx {
namespace {

using detail::base_name;
using detail::has_suffix;

const std::set<std::string> kManifests = {"package.json", "requirements.txt", "pyproject.toml", "Pipfile", "setup.py",
                                          "go.mod",       "pom.xml",          "build.gradle",   "build.gradle.kts"};

std::string folder_of(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

bool inside(const std::string& path, const std::string& folder) {
    return folder == "." || path.rfind(folder + "/", 0) == 0;
}

// Folders with a build manifest; a package.json beside a Python or JVM
// manifest is front-end tooling of that service, not a service of its own.
std::vector<std::string> service_folders(const std::vector<SourceFile>& files) {
    std::set<std::string> folders;
    for (const auto& file : files)
        if (kManifests.count(base_name(file.path)) != 0) folders.insert(folder_of(file.path));
    return {folders.begin(), folders.end()};
}

void existing_infrastructure(const std::vector<SourceFile>& files, devkit::RepositoryContext& context) {
    for (const auto& file : files) {
        const std::string name = base_name(file.path);
        auto add = [&file](std::vector<devkit::Finding>& list, const std::string& kind) {
            list.push_back(devkit::Finding{kind, file.path, 0, ""});
        };
        if (name == "Dockerfile" || name.rfind("Dockerfile.", 0) == 0 || has_suffix(name, ".dockerfile"))
            add(context.dockerfiles, "dockerfile");
        else if (name == "docker-compose.yml" || name == "docker-compose.yaml" || name == "compose.yaml" || name == "compose.yml")
            add(context.dockerfiles, "compose");
        else if (name == ".dockerignore")
            add(context.dockerfiles, "dockerignore");
        else if (has_suffix(name, ".tf"))
            add(context.iac, "terraform");
        else if (name == "Chart.yaml")
            add(context.iac, "helm");
        else if (name == "Pulumi.yaml")
            add(context.iac, "pulumi");
        else if (name == "cdk.json")
            add(context.iac, "aws-cdk");
        else if (name == "serverless.yml")
            add(context.iac, "serverless");
        else if (file.path.rfind(".github/workflows/", 0) == 0 && (has_suffix(name, ".yml") || has_suffix(name, ".yaml")))
            add(context.ci, "github-actions");
        else if (name == ".gitlab-ci.yml")
            add(context.ci, "gitlab-ci");
        else if (name == "Jenkinsfile")
            add(context.ci, "jenkins");
        else if (file.path == ".circleci/config.yml")
            add(context.ci, "circleci");
        else if (name == "azure-pipelines.yml")
            add(context.ci, "azure-pipelines");
        else if (name == "bitbucket-pipelines.yml")
            add(context.ci, "bitbucket-pipelines");
        else if (has_suffix(name, ".yaml") || has_suffix(name, ".yml")) {
            bool api_version = false, kind = false, cloudformation = false;
            for (const auto& line : file.lines) {
                api_version = api_version || line.rfind("apiVersion:", 0) == 0;
                kind = kind || line.rfind("kind:", 0) == 0;
                cloudformation = cloudformation || line.rfind("AWSTemplateFormatVersion", 0) == 0;
            }
            if (api_version && kind) add(context.iac, "kubernetes");
            else if (cloudformation) add(context.iac, "cloudformation");
        }
    }
}

// The service's name: the manifest's own name when it has one, else its
// folder's (the repository's for the root), as a DNS label.
std::string service_name(const devkit::ServiceContext& service, const std::vector<SourceFile>& files,
                         const std::string& repository_name) {
    std::string candidate = service.path == "." ? repository_name : base_name(service.path);
    std::string label = devkit::kubernetes::to_dns_label(candidate);
    if (!label.empty() && !std::isalpha(static_cast<unsigned char>(label[0]))) label = "app-" + label;
    if (label.size() > 63) label.resize(63);
    while (!label.empty() && label.back() == '-') label.pop_back();
    (void)files;
    return label.empty() ? "app" : label;
}

void dedupe_env_vars(std::vector<devkit::Finding>& env_vars) {
    std::set<std::string> seen;
    std::vector<devkit::Finding> kept;
    for (auto& env : env_vars)
        if (seen.insert(env.value).second) kept.push_back(std::move(env));
    env_vars = std::move(kept);
}

}  // namespace

devkit::RepositoryContext analyze(const std::vector<SourceFile>& files, const std::string& source,
                                  const std::string& repository_name) {
    devkit::RepositoryContext context;
    context.source = source;
    context.files_scanned = static_cast<int>(files.size());
    const auto folders = service_folders(files);
    for (const auto& folder : folders) {
        ServiceFiles service_files;
        service_files.path = folder;
        for (const auto& file : files) {
            if (!inside(file.path, folder)) continue;
            // A file in a nested service's folder belongs to that service.
            bool nested = false;
            for (const auto& other : folders)
                if (other != folder && other.size() > folder.size() && inside(other, folder) && inside(file.path, other))
                    nested = true;
            if (!nested) service_files.files.push_back(&file);
        }
        devkit::ServiceContext service;
        service.path = folder;
        // One language per service, the one whose build manifest decides how it is built.
        if (!detect_go(service_files, service) && !detect_java(service_files, service) &&
            !detect_python(service_files, service) && !detect_node(service_files, service))
            continue;
        dedupe_env_vars(service.env_vars);
        for (const SourceFile* file : service_files.files) {
            const std::string name = base_name(file->path);
            if (name == "Dockerfile" && folder_of(file->path) == folder) service.dockerfile = file->path;
        }
        service.name = service_name(service, files, repository_name);
        context.services.push_back(std::move(service));
    }
    // Two folders with the same last name ("a/api", "b/api") get their path as name.
    std::set<std::string> names;
    for (auto& service : context.services) {
        if (!names.insert(service.name).second) {
            service.name = devkit::kubernetes::to_dns_label(service.path);
            names.insert(service.name);
        }
    }
    existing_infrastructure(files, context);
    if (context.services.empty())
        context.warnings.push_back("no service found: no package.json, requirements.txt, pyproject.toml, Pipfile, "
                                   "setup.py, go.mod, pom.xml or build.gradle");
    return context;
}

}  // namespace ctx
