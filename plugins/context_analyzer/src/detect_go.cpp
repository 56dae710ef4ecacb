// Go services: go.mod.
#include "analyzer.hpp"

namespace ctx {
namespace {
using detail::finding;
using detail::first_match;
}  // namespace

bool detect_go(const ServiceFiles& files, devkit::ServiceContext& service) {
    const SourceFile* manifest = files.file("go.mod");
    if (manifest == nullptr) return false;
    service.manifests.push_back("go.mod");
    service.language = finding("go", *manifest, 0, service.path);
    static const std::regex go_directive(R"re(^go\s+([0-9]+\.[0-9]+))re");
    service.language_version = finding(first_match({manifest}, go_directive), service.path);
    service.package_manager = finding("go modules", *manifest, 0, service.path);
    if (files.file("go.sum") != nullptr) service.lock_files.push_back("go.sum");
    service.commands["install"] = finding("go mod download", *manifest, 0, service.path);

    std::vector<Dependency> dependencies;
    static const std::regex require_line(R"re(^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]+/[^\s]+)\s+v[0-9])re");
    for (std::size_t i = 0; i < manifest->lines.size(); ++i) {
        std::smatch match;
        if (std::regex_search(manifest->lines[i], match, require_line))
            dependencies.push_back({match[1].str(), manifest->path, static_cast<int>(i + 1)});
    }
    const auto sources = files.with_suffix(".go");
    for (const auto& [module, name] : std::vector<std::pair<std::string, std::string>>{
             {"github.com/gin-gonic/gin", "gin"}, {"github.com/labstack/echo", "echo"},
             {"github.com/gofiber/fiber", "fiber"}, {"github.com/go-chi/chi", "chi"}, {"github.com/gorilla/mux", "gorilla/mux"}}) {
        for (const auto& dependency : dependencies)
            if (dependency.name.rfind(module, 0) == 0) {
                service.framework = devkit::Finding{name, dependency.file, dependency.line, ""};
                break;
            }
        if (service.framework.found()) break;
    }
    if (!service.framework.found()) {
        static const std::regex net_http(R"re(^\s*(?:import\s+)?"net/http")re");
        service.framework = finding(first_match(sources, net_http, 0), service.path);
        if (service.framework.found()) service.framework.value = "net/http";
    }

    // The main package: the folder of the file with func main().
    static const std::regex main_func(R"re(^func\s+main\(\)\s*\{)re");
    detail::Match main = first_match(sources, main_func, 0);
    std::string package_dir = ".";
    if (main.file != nullptr) {
        service.entrypoint = finding(main.file->path, *main.file, main.line, service.path);
        std::string relative = service.path == "." ? main.file->path : main.file->path.substr(service.path.size() + 1);
        auto slash = relative.rfind('/');
        if (slash != std::string::npos) package_dir = "./" + relative.substr(0, slash);
        service.commands["build"] = finding("CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/app " + package_dir,
                                            *main.file, main.line, service.path);
        service.commands["start"] = finding("/out/app", *main.file, main.line, service.path);
    }
    service.commands["test"] = finding("go test ./...", *manifest, 0, service.path);

    static const std::regex listen(R"re((?:ListenAndServe(?:TLS)?|\.Run|\.Listen|\.Start)\(\s*"[^":]*:([0-9]{2,5})")re");
    static const std::regex addr(R"re(Addr:\s*"[^":]*:([0-9]{2,5})")re");
    static const std::regex port_default(R"re(port\s*(?::=|=)\s*"([0-9]{2,5})")re");
    for (const std::regex* pattern : {&listen, &addr, &port_default}) {
        service.port = finding(first_match(sources, *pattern), service.path);
        if (service.port.found()) break;
    }
    static const std::regex health(R"re((?:HandleFunc|Handle|\.GET|\.Get|\.HEAD)\(\s*"(/(?:health|healthz|ready|readyz|livez|ping|status)/?)")re");
    service.health_path = finding(first_match(sources, health), service.path);
    static const std::regex environ(R"re(os\.(?:Getenv|LookupEnv)\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\))re");
    for (const auto& match : detail::all_matches(sources, environ))
        service.env_vars.push_back(finding(match, service.path));
    service.backing_services = backing_services(dependencies, service.path);
    return true;
}

}  // namespace ctx
