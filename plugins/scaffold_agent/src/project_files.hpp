// The files of a scaffolded project, one function per stack plus the parts
// every stack shares (README, .gitignore, Dockerfile, CI). Each returns
// whole files; nothing is left for the user to fill in before it builds.
#pragma once

#include <devkit/artifacts.hpp>
#include <devkit/text_template.hpp>

#include <vector>

#include "project_spec.hpp"

namespace scaffold {

// Names and flags every template reads: name, name_snake, resource,
// resource_plural, Resource, ResourcePlural, port; flags database, sqlite,
// postgres, docker, tests, github, harness.
devkit::TemplateValues template_values(const ProjectSpec& spec);

// A file when its template renders; media types by extension.
devkit::Artifact file(const std::string& path, std::string_view text, const devkit::TemplateValues& values);

std::vector<devkit::Artifact> python_fastapi_files(const ProjectSpec& spec);
std::vector<devkit::Artifact> node_express_files(const ProjectSpec& spec);
std::vector<devkit::Artifact> go_http_files(const ProjectSpec& spec);

devkit::Artifact dockerfile(const ProjectSpec& spec);
devkit::Artifact dockerignore(const ProjectSpec& spec);
devkit::Artifact gitignore(const ProjectSpec& spec);
devkit::Artifact readme(const ProjectSpec& spec);
// .github/workflows/ci.yml or .harness/pipeline.yaml (none: no file).
std::vector<devkit::Artifact> ci_files(const ProjectSpec& spec);

// Every file of the project, sorted by path.
std::vector<devkit::Artifact> project_files(const ProjectSpec& spec);

}  // namespace scaffold
