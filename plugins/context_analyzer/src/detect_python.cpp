// Python services: requirements.txt, pyproject.toml, Pipfile or setup.py.
#include <algorithm>
#include <cctype>

#include "analyzer.hpp"

namespace ctx {
namespace {

using detail::finding;
using detail::first_match;

std::string normalized(std::string name) {
    for (char& c : name) c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name;
}

std::vector<Dependency> python_dependencies(const ServiceFiles& files) {
    std::vector<Dependency> out;
    static const std::regex requirement(R"re(^\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*(\[[^\]]*\])?\s*([=<>~!;@ ]|$))re");
    static const std::regex quoted(R"re(^\s*["']([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*(\[[^\]]*\])?\s*([=<>~!;@ "']))re");
    static const std::regex table_key(R"re(^\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*=\s*["{])re");
    for (const char* name : {"requirements.txt", "requirements/base.txt", "requirements/prod.txt", "pyproject.toml",
                             "Pipfile", "setup.py"}) {
        const SourceFile* file = files.file(name);
        if (file == nullptr) continue;
        const bool is_requirements = detail::has_suffix(file->path, ".txt");
        for (std::size_t i = 0; i < file->lines.size(); ++i) {
            const std::string& line = file->lines[i];
            if (line.empty() || line[0] == '#' || line[0] == '-' || line[0] == '[') continue;
            std::smatch match;
            if ((is_requirements && std::regex_search(line, match, requirement)) ||
                (!is_requirements && (std::regex_search(line, match, quoted) || std::regex_search(line, match, table_key))))
                out.push_back({normalized(match[1].str()), file->path, static_cast<int>(i + 1)});
        }
    }
    return out;
}

const Dependency* find_dependency(const std::vector<Dependency>& dependencies, std::initializer_list<const char*> names) {
    for (const char* name : names)
        for (const auto& dependency : dependencies)
            if (dependency.name == name) return &dependency;
    return nullptr;
}

// "app/main.py" -> "app.main" (relative to the service folder).
std::string module_of(const std::string& path, const std::string& service_path) {
    std::string relative = service_path == "." ? path : path.substr(service_path.size() + 1);
    if (detail::has_suffix(relative, ".py")) relative.resize(relative.size() - 3);
    std::replace(relative.begin(), relative.end(), '/', '.');
    return relative;
}

}  // namespace

bool detect_python(const ServiceFiles& files, devkit::ServiceContext& service) {
    const SourceFile* manifest = nullptr;
    for (const char* name : {"pyproject.toml", "requirements.txt", "Pipfile", "setup.py"})
        if ((manifest = files.file(name)) != nullptr) break;
    if (manifest == nullptr) return false;
    for (const char* name : {"pyproject.toml", "requirements.txt", "Pipfile", "setup.py"})
        if (files.file(name) != nullptr) service.manifests.push_back(name);
    service.language = finding("python", *manifest, 0, service.path);
    const auto sources = files.with_suffix(".py");

    if (const SourceFile* version = files.file(".python-version"); version != nullptr && !version->lines.empty())
        service.language_version = finding(version->lines[0], *version, 1, service.path);
    else if (const SourceFile* pyproject = files.file("pyproject.toml"); pyproject != nullptr) {
        static const std::regex requires_python(R"re(requires-python\s*=\s*["'][^0-9]*([0-9]+\.[0-9]+))re");
        service.language_version = finding(first_match({pyproject}, requires_python), service.path);
    }

    const auto dependencies = python_dependencies(files);
    if (const Dependency* framework = find_dependency(dependencies, {"fastapi", "flask", "django", "starlette", "aiohttp", "tornado"}))
        service.framework = devkit::Finding{framework->name, framework->file, framework->line, ""};

    // The package manager from the lock file that pins the dependencies.
    if (files.file("poetry.lock") != nullptr) {
        service.package_manager = finding("poetry", *files.file("poetry.lock"), 0, service.path);
        service.lock_files.push_back("poetry.lock");
    } else if (files.file("uv.lock") != nullptr) {
        service.package_manager = finding("uv", *files.file("uv.lock"), 0, service.path);
        service.lock_files.push_back("uv.lock");
    } else if (files.file("Pipfile.lock") != nullptr) {
        service.package_manager = finding("pipenv", *files.file("Pipfile.lock"), 0, service.path);
        service.lock_files.push_back("Pipfile.lock");
    } else {
        service.package_manager = finding("pip", *manifest, 0, service.path);
    }
    if (files.file("requirements.txt") != nullptr)
        service.commands["install"] = finding("pip install --no-cache-dir -r requirements.txt",
                                              *files.file("requirements.txt"), 0, service.path);
    else
        service.commands["install"] = finding("pip install --no-cache-dir .", *manifest, 0, service.path);

    // The application object: where the server is built.
    static const std::regex fastapi_app(R"re(^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*FastAPI\()re");
    static const std::regex flask_app(R"re(^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*Flask\()re");
    detail::Match app = first_match(sources, fastapi_app);
    bool is_fastapi = app.file != nullptr;
    if (!is_fastapi) app = first_match(sources, flask_app);
    const SourceFile* manage = files.file("manage.py");
    if (app.file != nullptr)
        service.entrypoint = finding(app.file->path, *app.file, app.line, service.path);
    else if (manage != nullptr)
        service.entrypoint = finding(manage->path, *manage, 0, service.path);
    else {
        static const std::regex main_guard(R"re(^if\s+__name__\s*==\s*["']__main__["'])re");
        service.entrypoint = finding(first_match(sources, main_guard, 0), service.path);
        if (service.entrypoint.found()) service.entrypoint.value = first_match(sources, main_guard, 0).file->path;
    }

    // The port: what the code passes to the server, else a PORT default.
    static const std::regex port_argument(R"re(\bport\s*=\s*([0-9]{2,5})\b)re");
    static const std::regex port_default(R"re(["']PORT["']\s*,\s*["']?([0-9]{2,5}))re");
    static const std::regex port_flag(R"re(--port[ =]([0-9]{2,5})|--bind[ =][^ :]*:([0-9]{2,5}))re");
    service.port = finding(first_match(sources, port_argument), service.path);
    if (!service.port.found()) service.port = finding(first_match(sources, port_default), service.path);

    // A Procfile's web process is the start command as the authors wrote it.
    if (const SourceFile* procfile = files.file("Procfile")) {
        static const std::regex web(R"re(^web:\s*(.+)$)re");
        detail::Match start = first_match({procfile}, web);
        if (start.file != nullptr) {
            service.commands["start"] = finding(start.value, *procfile, start.line, service.path);
            if (!service.port.found()) {
                std::smatch match;
                if (std::regex_search(start.value, match, port_flag))
                    service.port = finding(match[1].matched ? match[1].str() : match[2].str(), *procfile, start.line,
                                           service.path);
            }
        }
    }
    if (service.commands.count("start") == 0 && app.file != nullptr) {
        const std::string target = module_of(app.file->path, service.path) + ":" + app.value;
        const std::string port = service.port.found() ? service.port.value : (is_fastapi ? "8000" : "5000");
        std::string start;
        if (is_fastapi)
            start = "uvicorn " + target + " --host 0.0.0.0 --port " + port;
        else if (find_dependency(dependencies, {"gunicorn"}) != nullptr)
            start = "gunicorn --bind 0.0.0.0:" + port + " " + target;
        else
            start = "flask --app " + target + " run --host 0.0.0.0 --port " + port;
        service.commands["start"] = finding(start, *app.file, app.line, service.path);
    } else if (service.commands.count("start") == 0 && manage != nullptr) {
        service.commands["start"] = finding("python manage.py runserver 0.0.0.0:8000", *manage, 0, service.path);
    } else if (service.commands.count("start") == 0 && service.entrypoint.found()) {
        const SourceFile* file = nullptr;
        for (const SourceFile* source : sources)
            if (source->path == service.entrypoint.value) file = source;
        if (file != nullptr) {
            std::string relative = service.path == "." ? file->path : file->path.substr(service.path.size() + 1);
            service.commands["start"] = finding("python " + relative, *file, service.entrypoint.line, service.path);
        }
    }
    if (!service.port.found() && app.file != nullptr) {
        service.port = finding(is_fastapi ? "8000" : "5000", *app.file, app.line, service.path,
                               is_fastapi ? "uvicorn's default port" : "Flask's default port");
    }
    if (const Dependency* pytest = find_dependency(dependencies, {"pytest"}))
        service.commands["test"] = devkit::Finding{"pytest", pytest->file, pytest->line, ""};

    static const std::regex health(R"re(@\w+\.(?:get|route|api_route)\(\s*["'](/(?:health|healthz|ready|readyz|livez|ping|status)/?)["'])re");
    service.health_path = finding(first_match(sources, health), service.path);

    static const std::regex environ(R"re(os\.(?:environ\.get|getenv|environ\.setdefault)\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']|os\.environ\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\])re");
    for (const auto& match : detail::all_matches(sources, environ, 0)) {
        std::smatch groups;
        std::regex_search(match.value, groups, environ);
        service.env_vars.push_back(finding(groups[1].matched ? groups[1].str() : groups[2].str(), *match.file,
                                           match.line, service.path));
    }
    service.backing_services = backing_services(dependencies, service.path);
    return true;
}

}  // namespace ctx
