// A production Dockerfile per service: multi-stage where the language
// builds, dependencies installed from the manifests before the source is
// copied (so a source change keeps the dependency layer cached), a pinned
// base image, a non-root user, EXPOSE of the detected port and a
// HEALTHCHECK on the detected health path. Environment variables the code
// reads are listed, never given values: they are the runtime's to set.
#include <algorithm>
#include <sstream>

#include "dockerfile.hpp"

namespace dockerfile {
namespace {

// busybox's static wget for images with no HTTP client of their own
// (distroless, JRE), so the HEALTHCHECK needs no package manager.
constexpr const char* kBusybox = "busybox:1.36.1-musl";

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::vector<std::string> words(std::string_view command) {
    std::vector<std::string> out;
    std::istringstream in{std::string(command)};
    std::string word;
    while (in >> word) out.push_back(word);
    return out;
}

std::string relative_to_service(const std::string& path, const devkit::ServiceContext& service) {
    if (service.path == "." || path.rfind(service.path + "/", 0) != 0) return path;
    return path.substr(service.path.size() + 1);
}

std::string healthcheck(const std::string& probe_json) {
    return "HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \\\n  CMD " + probe_json + "\n";
}

std::string env_comment(const devkit::ServiceContext& service) {
    if (service.env_vars.empty()) return "";
    std::string names;
    for (const auto& env : service.env_vars) names += (names.empty() ? "" : ", ") + env.value;
    return "# Read at run time (set by the orchestrator, never baked in): " + names + "\n";
}

std::string start_command(const devkit::ServiceContext& service, const std::string& fallback) {
    auto found = service.commands.find("start");
    if (found == service.commands.end() || !found->second.found()) return fallback;
    return found->second.value;
}

std::string python(const devkit::ServiceContext& service, const BaseImages& images, int port, const std::string& health,
                   Generated& out) {
    std::ostringstream d;
    const bool requirements = std::find(service.manifests.begin(), service.manifests.end(), "requirements.txt") !=
                              service.manifests.end();
    d << "# syntax=docker/dockerfile:1\n"
      << "# Build stage: the dependencies in a virtualenv, copied whole into the runtime stage.\n"
      << "FROM " << images.build << " AS build\n"
      << "WORKDIR /app\n"
      << "ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1\n"
      << "RUN python -m venv /opt/venv\n"
      << "ENV PATH=\"/opt/venv/bin:$PATH\"\n";
    if (requirements) {
        d << "COPY requirements.txt ./\n"
          << "RUN pip install --no-cache-dir -r requirements.txt\n";
    } else {
        d << "COPY . .\n"
          << "RUN pip install --no-cache-dir .\n";
        out.notes.push_back(service.name + ": no requirements.txt, so the package is installed from its pyproject with the source");
    }
    d << "\n"
      << "FROM " << images.runtime << "\n"
      << "WORKDIR /app\n"
      << "ENV PATH=\"/opt/venv/bin:$PATH\" PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1\n"
      << "RUN groupadd --system app && useradd --system --gid app --no-create-home app\n"
      << "COPY --from=build /opt/venv /opt/venv\n"
      << "COPY --chown=app:app . .\n"
      << env_comment(service)
      << "USER app\n"
      << "EXPOSE " << port << "\n";
    if (!health.empty())
        d << healthcheck("[\"python\", \"-c\", \"import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:" +
                         std::to_string(port) + health + "', timeout=2).status < 400 else 1)\"]");
    d << "CMD " << exec_form(start_command(service, "python main.py")) << "\n";
    return d.str();
}

std::string node(const devkit::ServiceContext& service, const BaseImages& images, int port, const std::string& health,
                 Generated& out) {
    const std::string manager = service.package_manager.found() ? service.package_manager.value : "npm";
    std::string lock = service.lock_files.empty() ? "" : " " + service.lock_files.front();
    std::string ci_all, ci_prod;
    if (manager == "yarn") {
        ci_all = "yarn install --frozen-lockfile && yarn cache clean";
        ci_prod = "yarn install --frozen-lockfile --production && yarn cache clean";
    } else if (manager == "pnpm") {
        ci_all = "corepack enable && pnpm install --frozen-lockfile";
        ci_prod = "corepack enable && pnpm install --frozen-lockfile --prod";
    } else if (!lock.empty()) {
        ci_all = "npm ci && npm cache clean --force";
        ci_prod = "npm ci --omit=dev && npm cache clean --force";
    } else {
        ci_all = "npm install && npm cache clean --force";
        ci_prod = "npm install --omit=dev && npm cache clean --force";
        out.notes.push_back(service.name + ": no lock file, so the image's dependency versions are not reproducible; commit one");
    }
    const bool builds = service.commands.count("build") != 0;
    std::ostringstream d;
    d << "# syntax=docker/dockerfile:1\n";
    if (builds) {
        d << "# Build stage: all dependencies, the build, then the dev dependencies pruned.\n"
          << "FROM " << images.build << " AS build\n"
          << "WORKDIR /app\n"
          << "COPY package.json" << lock << " ./\n"
          << "RUN " << ci_all << "\n"
          << "COPY . .\n"
          << "RUN " << service.commands.at("build").value << "\n"
          << "RUN rm -rf node_modules && " << ci_prod << "\n\n";
    } else {
        d << "# Dependency stage: production dependencies only, cached apart from the source.\n"
          << "FROM " << images.build << " AS deps\n"
          << "WORKDIR /app\n"
          << "COPY package.json" << lock << " ./\n"
          << "RUN " << ci_prod << "\n\n";
    }
    d << "FROM " << images.runtime << "\n"
      << "ENV NODE_ENV=production\n"
      << "WORKDIR /app\n";
    if (builds)
        d << "COPY --from=build --chown=node:node /app ./\n";
    else
        d << "COPY --from=deps --chown=node:node /app/node_modules ./node_modules\n"
          << "COPY --chown=node:node . .\n";
    d << env_comment(service)
      << "USER node\n"
      << "EXPOSE " << port << "\n";
    if (!health.empty())
        d << healthcheck("[\"node\", \"-e\", \"require('http').get('http://127.0.0.1:" + std::to_string(port) + health +
                         "', r => process.exit(r.statusCode < 400 ? 0 : 1)).on('error', () => process.exit(1))\"]");
    // node itself as PID 1's child of nothing: npm start would swallow SIGTERM.
    std::string command = service.entrypoint.found() ? "node " + service.entrypoint.value : start_command(service, "node index.js");
    d << "CMD " << exec_form(command) << "\n";
    return d.str();
}

std::string go(const devkit::ServiceContext& service, const BaseImages& images, int port, const std::string& health) {
    std::string build = "CGO_ENABLED=0 go build -trimpath -ldflags=-s -o /out/app .";
    auto found = service.commands.find("build");
    if (found != service.commands.end()) build = found->second.value;
    const bool sum = !service.lock_files.empty();
    std::ostringstream d;
    d << "# syntax=docker/dockerfile:1\n"
      << "# Build stage: modules first (cached), then a static binary.\n"
      << "FROM " << images.build << " AS build\n"
      << "WORKDIR /src\n"
      << "COPY go.mod" << (sum ? " go.sum" : "") << " ./\n"
      << "RUN go mod download\n"
      << "COPY . .\n"
      << "RUN " << build << "\n\n";
    if (!health.empty()) d << "FROM " << kBusybox << " AS probe\n\n";
    d << "# Runtime: distroless, no shell, runs as the nonroot user.\n"
      << "FROM " << images.runtime << "\n"
      << "COPY --from=build /out/app /app\n";
    if (!health.empty()) d << "COPY --from=probe /bin/busybox /busybox\n";
    d << env_comment(service)
      << "USER nonroot:nonroot\n"
      << "EXPOSE " << port << "\n";
    if (!health.empty())
        d << healthcheck("[\"/busybox\", \"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1:" + std::to_string(port) + health + "\"]");
    d << "ENTRYPOINT [\"/app\"]\n";
    return d.str();
}

std::string jvm(const devkit::ServiceContext& service, const BaseImages& images, int port, const std::string& health) {
    const bool gradle = service.package_manager.value == "gradle";
    std::string jar = "target/*.jar";
    auto start = service.commands.find("start");
    if (start != service.commands.end()) {
        auto parts = words(start->second.value);
        if (!parts.empty()) jar = parts.back();
    }
    std::ostringstream d;
    d << "# syntax=docker/dockerfile:1\n"
      << "# Build stage: dependencies resolved from the build file first (cached), then the jar.\n"
      << "FROM " << images.build << " AS build\n"
      << "WORKDIR /src\n";
    if (gradle) {
        d << "COPY build.gradle* settings.gradle* ./\n"
          << "RUN gradle --no-daemon dependencies > /dev/null\n"
          << "COPY src ./src\n"
          << "RUN gradle --no-daemon bootJar -x test && cp build/libs/*.jar /src/app.jar\n\n";
    } else {
        d << "COPY pom.xml ./\n"
          << "RUN mvn -B -q dependency:go-offline\n"
          << "COPY src ./src\n"
          << "RUN mvn -B -DskipTests package && cp " << jar << " /src/app.jar\n\n";
    }
    if (!health.empty()) d << "FROM " << kBusybox << " AS probe\n\n";
    d << "FROM " << images.runtime << "\n"
      << "WORKDIR /app\n"
      << "RUN groupadd --system app && useradd --system --gid app --no-create-home app\n"
      << "COPY --from=build --chown=app:app /src/app.jar /app/app.jar\n";
    if (!health.empty()) d << "COPY --from=probe /bin/busybox /usr/local/bin/busybox\n";
    d << env_comment(service)
      << "USER app\n"
      << "EXPOSE " << port << "\n";
    if (!health.empty())
        d << healthcheck("[\"busybox\", \"wget\", \"-q\", \"-O\", \"/dev/null\", \"http://127.0.0.1:" + std::to_string(port) + health + "\"]");
    d << "ENTRYPOINT [\"java\", \"-XX:MaxRAMPercentage=75\", \"-jar\", \"/app/app.jar\"]\n";
    return d.str();
}

int default_port(const std::string& language) {
    if (language == "python") return 8000;
    if (language == "javascript" || language == "typescript") return 3000;
    return 8080;
}

}  // namespace

std::string exec_form(std::string_view command) {
    static const std::string shell_characters = "&|;<>$`*?(){}";
    const bool needs_shell = command.find_first_of(shell_characters) != std::string_view::npos ||
                             command.find('=') < command.find(' ');  // FOO=bar cmd
    std::vector<std::string> parts = needs_shell ? std::vector<std::string>{"sh", "-c", std::string(command)} : words(command);
    std::string out = "[";
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : ", ") + json_string(parts[i]);
    return out + "]";
}

Generated generate(const devkit::ServiceContext& service) {
    Generated out;
    out.service = service.name;
    const BaseImages images = base_images(service);
    out.runtime_image = images.runtime;
    out.port = devkit::port_or(service, default_port(service.language.value));
    if (!service.port.found())
        out.notes.push_back(service.name + ": no port found in the code; EXPOSE " + std::to_string(out.port) +
                            " is the language's usual default");
    out.health_path = service.health_path.found() ? service.health_path.value : "";
    if (!out.health_path.empty() && out.health_path[0] != '/') out.health_path = "/" + out.health_path;
    // A path reaches the probe inside a JSON string and a URL: only URL-safe characters.
    if (out.health_path.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-._~") != std::string::npos)
        out.health_path.clear();
    if (out.health_path.empty())
        out.notes.push_back(service.name + ": no health endpoint found, so the image has no HEALTHCHECK; add one (e.g. GET /healthz)");
    const std::string& language = service.language.value;
    if (language == "python") out.dockerfile = python(service, images, out.port, out.health_path, out);
    else if (language == "javascript" || language == "typescript") out.dockerfile = node(service, images, out.port, out.health_path, out);
    else if (language == "go") out.dockerfile = go(service, images, out.port, out.health_path);
    else out.dockerfile = jvm(service, images, out.port, out.health_path);
    const std::string folder = service.path == "." || service.path.empty() ? "" : service.path + "/";
    out.dockerfile_path = folder + "Dockerfile";
    out.dockerignore_path = folder + ".dockerignore";
    out.dockerignore = dockerignore_for(service);
    if (!service.dockerfile.empty())
        out.notes.push_back(service.name + ": " + relative_to_service(service.dockerfile, service) +
                            " already exists; review it with mode review, or replace it with the generated one");
    return out;
}

std::string dockerignore_for(const devkit::ServiceContext& service) {
    std::string out =
        "# Kept out of the build context: VCS data, local secrets, dependencies and\n"
        "# build output the image makes itself.\n"
        ".git\n.gitignore\n.github\n.dockerignore\nDockerfile*\ndocker-compose*.yml\n"
        ".env\n.env.*\n*.pem\n*.key\n.idea\n.vscode\n*.log\ncoverage\n.terraform\n*.tfstate\n*.tfstate.*\n";
    const std::string& language = service.language.value;
    if (language == "python")
        out += "__pycache__\n*.pyc\n*.pyo\n.venv\nvenv\n.pytest_cache\n.mypy_cache\n.tox\n*.egg-info\n";
    else if (language == "javascript" || language == "typescript")
        out += "node_modules\nnpm-debug.log*\nyarn-error.log\n.next/cache\n";
    else if (language == "go")
        out += "vendor\n*.test\n";
    else
        out += "target\nbuild\n.gradle\n";
    return out;
}

}  // namespace dockerfile
