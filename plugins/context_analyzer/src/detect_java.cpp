// JVM services: Maven (pom.xml) or Gradle (build.gradle[.kts]).
#include "analyzer.hpp"

namespace ctx {
namespace {

using detail::finding;
using detail::first_match;

// <artifactId> entries inside <dependencies>, and the project's own
// artifactId and version (outside <parent>, <dependencies>, <build>).
struct Pom {
    std::vector<Dependency> dependencies;
    std::string artifact_id, version;
};

std::string element_text(const std::string& line, const std::string& element) {
    const std::string open = "<" + element + ">", close = "</" + element + ">";
    auto start = line.find(open);
    auto end = line.find(close);
    if (start == std::string::npos || end == std::string::npos || end < start) return {};
    return line.substr(start + open.size(), end - start - open.size());
}

Pom read_pom(const SourceFile& file) {
    Pom pom;
    int nested = 0;  // depth inside parent / dependencies / build / profiles / dependencyManagement
    bool in_dependencies = false;
    for (std::size_t i = 0; i < file.lines.size(); ++i) {
        const std::string& line = file.lines[i];
        for (const char* element : {"parent", "dependencies", "build", "profiles", "dependencyManagement", "reporting"}) {
            if (line.find(std::string("<") + element + ">") != std::string::npos) {
                ++nested;
                if (std::string(element) == "dependencies") in_dependencies = true;
            }
            if (line.find(std::string("</") + element + ">") != std::string::npos) {
                --nested;
                if (std::string(element) == "dependencies") in_dependencies = false;
            }
        }
        std::string artifact = element_text(line, "artifactId");
        if (!artifact.empty() && in_dependencies)
            pom.dependencies.push_back({artifact, file.path, static_cast<int>(i + 1)});
        else if (!artifact.empty() && nested == 0 && pom.artifact_id.empty())
            pom.artifact_id = artifact;
        std::string version = element_text(line, "version");
        if (!version.empty() && nested == 0 && pom.version.empty()) pom.version = version;
    }
    return pom;
}

}  // namespace

bool detect_java(const ServiceFiles& files, devkit::ServiceContext& service) {
    const SourceFile* pom_file = files.file("pom.xml");
    const SourceFile* gradle = files.file("build.gradle");
    if (gradle == nullptr) gradle = files.file("build.gradle.kts");
    if (pom_file == nullptr && gradle == nullptr) return false;
    const SourceFile& manifest = pom_file != nullptr ? *pom_file : *gradle;
    service.manifests.push_back(detail::base_name(manifest.path));
    const bool kotlin = !files.with_suffix(".kt").empty();
    service.language = finding(kotlin ? "kotlin" : "java", manifest, 0, service.path);
    static const std::regex java_version(R"re(<(?:java\.version|maven\.compiler\.release|maven\.compiler\.source)>([0-9.]+)<)re");
    static const std::regex gradle_version(R"re((?:JavaVersion\.VERSION_|languageVersion\.set\(JavaLanguageVersion\.of\(|jvmToolchain\()([0-9_]+))re");
    service.language_version = finding(first_match({&manifest}, pom_file != nullptr ? java_version : gradle_version), service.path);

    std::vector<Dependency> dependencies;
    std::string jar;
    if (pom_file != nullptr) {
        Pom pom = read_pom(*pom_file);
        dependencies = pom.dependencies;
        const bool wrapper = files.file("mvnw") != nullptr;
        const std::string mvn = wrapper ? "./mvnw" : "mvn";
        service.package_manager = finding("maven", *pom_file, 0, service.path);
        service.commands["install"] = finding(mvn + " -B -q dependency:go-offline", *pom_file, 0, service.path);
        service.commands["build"] = finding(mvn + " -B -DskipTests package", *pom_file, 0, service.path);
        service.commands["test"] = finding(mvn + " -B test", *pom_file, 0, service.path);
        if (!pom.artifact_id.empty() && !pom.version.empty()) jar = "target/" + pom.artifact_id + "-" + pom.version + ".jar";
    } else {
        static const std::regex gradle_dependency(R"re((?:implementation|api|runtimeOnly)\s*\(?\s*["']([^:"']+):([^:"']+))re");
        for (const auto& match : detail::all_matches({gradle}, gradle_dependency, 2))
            dependencies.push_back({match.value, gradle->path, match.line});
        const bool wrapper = files.file("gradlew") != nullptr;
        const std::string tool = wrapper ? "./gradlew" : "gradle";
        service.package_manager = finding("gradle", *gradle, 0, service.path);
        service.commands["build"] = finding(tool + " --no-daemon bootJar -x test", *gradle, 0, service.path);
        service.commands["test"] = finding(tool + " --no-daemon test", *gradle, 0, service.path);
        jar = "build/libs/*.jar";
    }
    auto dependency = [&dependencies](const char* name) -> const Dependency* {
        for (const auto& entry : dependencies)
            if (entry.name == name) return &entry;
        return nullptr;
    };
    const Dependency* web = dependency("spring-boot-starter-web");
    if (web == nullptr) web = dependency("spring-boot-starter-webflux");
    if (web != nullptr) service.framework = devkit::Finding{"spring-boot", web->file, web->line, ""};
    else if (const Dependency* quarkus = dependency("quarkus-rest")) service.framework = devkit::Finding{"quarkus", quarkus->file, quarkus->line, ""};

    std::vector<const SourceFile*> sources = files.with_suffix(".java");
    for (const SourceFile* file : files.with_suffix(".kt")) sources.push_back(file);
    static const std::regex boot_app(R"re(@SpringBootApplication)re");
    static const std::regex main_method(R"re(public\s+static\s+void\s+main\s*\()re");
    detail::Match main = first_match(sources, boot_app, 0);
    if (main.file == nullptr) main = first_match(sources, main_method, 0);
    if (main.file != nullptr) service.entrypoint = finding(main.file->path, *main.file, main.line, service.path);
    if (!jar.empty()) service.commands["start"] = finding("java -jar " + jar, manifest, 0, service.path);

    std::vector<const SourceFile*> settings;
    for (const SourceFile* file : files.files) {
        const std::string name = detail::base_name(file->path);
        if (name.rfind("application", 0) == 0 &&
            (detail::has_suffix(name, ".properties") || detail::has_suffix(name, ".yml") || detail::has_suffix(name, ".yaml")))
            settings.push_back(file);
    }
    static const std::regex server_port(R"re(^\s*server\.port\s*[=:]\s*(?:\$\{[A-Z_]+:)?([0-9]{2,5}))re");
    static const std::regex yaml_port(R"re(^\s+port:\s*(?:\$\{[A-Z_]+:)?([0-9]{2,5}))re");
    service.port = finding(first_match(settings, server_port), service.path);
    if (!service.port.found()) service.port = finding(first_match(settings, yaml_port), service.path);
    if (!service.port.found() && web != nullptr) {
        service.port = devkit::Finding{"8080", web->file, web->line, "Spring Boot's default port"};
    }
    if (const Dependency* actuator = dependency("spring-boot-starter-actuator"))
        service.health_path = devkit::Finding{"/actuator/health", actuator->file, actuator->line, "Spring Boot Actuator"};
    else {
        static const std::regex mapping(R"re(@(?:Get|Request)Mapping\(\s*(?:value\s*=\s*|path\s*=\s*)?"(/(?:health|healthz|ready|ping|status)/?)")re");
        service.health_path = finding(first_match(sources, mapping), service.path);
    }
    static const std::regex getenv(R"re(System\.getenv\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\))re");
    for (const auto& match : detail::all_matches(sources, getenv)) service.env_vars.push_back(finding(match, service.path));
    static const std::regex placeholder(R"re(\$\{([A-Z_][A-Z0-9_]*)(?::[^}]*)?\})re");
    for (const auto& match : detail::all_matches(settings, placeholder)) service.env_vars.push_back(finding(match, service.path));
    service.backing_services = backing_services(dependencies, service.path);
    return true;
}

}  // namespace ctx
