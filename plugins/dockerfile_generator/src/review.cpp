// The rules hadolint enforces that matter most in production images, with
// hadolint's codes so a reader can look them up; AH001 (secrets in ENV/ARG)
// is ours, as hadolint leaves it to secret scanners.
#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "dockerfile.hpp"

namespace dockerfile {
namespace {

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

// The image of a FROM (without --platform and AS name).
std::string from_image(const std::string& arguments) {
    std::string image;
    std::size_t start = 0;
    while (start < arguments.size()) {
        std::size_t end = arguments.find(' ', start);
        if (end == std::string::npos) end = arguments.size();
        std::string word = arguments.substr(start, end - start);
        start = end + 1;
        if (word.empty() || word.rfind("--", 0) == 0) continue;
        return word;
    }
    return image;
}

bool is_exec_form(const std::string& arguments) { return !arguments.empty() && arguments[0] == '['; }

// apt-get install's package words (without options).
std::vector<std::string> apt_packages(const std::string& command) {
    std::vector<std::string> packages;
    static const std::regex install(R"re(apt-get\s+(?:[^&;|]*\s)?install\s+([^&;|]*))re");
    std::smatch match;
    if (!std::regex_search(command, match, install)) return packages;
    std::string rest = match[1].str();
    std::size_t start = 0;
    while (start < rest.size()) {
        std::size_t end = rest.find(' ', start);
        if (end == std::string::npos) end = rest.size();
        std::string word = rest.substr(start, end - start);
        start = end + 1;
        if (!word.empty() && word[0] != '-' && word != "\\") packages.push_back(word);
    }
    return packages;
}

}  // namespace

std::vector<Finding> review(std::string_view text) {
    std::vector<Finding> findings;
    const auto instructions = parse(text);
    auto add = [&findings](const char* rule, const char* severity, int line, std::string message) {
        findings.push_back({rule, severity, line, std::move(message)});
    };
    std::set<std::string> stage_names;
    int cmd_count = 0, entrypoint_count = 0, from_count = 0;
    int last_cmd_line = 0, last_entrypoint_line = 0;
    std::string last_user;
    int last_user_line = 0;
    bool has_healthcheck = false;
    static const std::regex secret_name(R"re((PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)(_|$))re");
    for (const auto& instruction : instructions) {
        const std::string& args = instruction.arguments;
        const int line = instruction.line;
        if (instruction.keyword == "FROM") {
            ++from_count;
            last_user.clear();  // USER does not carry across stages
            std::string image = from_image(args);
            static const std::regex as_name(R"re(\s[Aa][Ss]\s+([A-Za-z0-9_.-]+)\s*$)re");
            std::smatch name;
            const bool is_stage = stage_names.count(image) != 0;
            if (std::regex_search(args, name, as_name)) stage_names.insert(name[1].str());
            if (is_stage || image == "scratch" || image.find('$') != std::string::npos) continue;
            if (image.find('@') != std::string::npos) continue;  // pinned by digest
            auto slash = image.rfind('/');
            auto colon = image.find(':', slash == std::string::npos ? 0 : slash);
            if (colon == std::string::npos)
                add("DL3006", "warning", line, "FROM " + image + " has no tag: pin the image version explicitly");
            else if (image.substr(colon + 1) == "latest")
                add("DL3007", "warning", line, "FROM " + image + ": 'latest' changes under you; pin a version tag");
        } else if (instruction.keyword == "RUN") {
            if (args.find("apt-get") != std::string::npos && args.find("install") != std::string::npos) {
                for (const auto& package : apt_packages(args))
                    if (package.find('=') == std::string::npos) {
                        add("DL3008", "warning", line, "apt-get install " + package + ": pin the version (" + package + "=<version>)");
                        break;
                    }
                if (args.find("--no-install-recommends") == std::string::npos)
                    add("DL3015", "info", line, "apt-get install without --no-install-recommends installs more than asked");
                static const std::regex yes(R"re(apt-get\s+(?:[^&;|]*\s)?(-y|--yes|-qq|--assume-yes)\b)re");
                if (!std::regex_search(args, yes))
                    add("DL3014", "warning", line, "apt-get install without -y waits for an answer nobody gives in a build");
                if (args.find("rm -rf /var/lib/apt/lists") == std::string::npos)
                    add("DL3009", "info", line, "delete /var/lib/apt/lists after apt-get install, in the same RUN, to keep the layer small");
            }
            static const std::regex bare_apt(R"re((^|[;&|]\s*)apt\s+(install|update|upgrade))re");
            if (std::regex_search(args, bare_apt))
                add("DL3027", "warning", line, "use apt-get (stable for scripts), not apt");
            static const std::regex sudo(R"re((^|[;&|\s])sudo\s)re");
            if (std::regex_search(args, sudo)) add("DL3004", "error", line, "do not use sudo: it has unpredictable behaviour in a build; switch USER instead");
            static const std::regex pip_install(R"re(\bpip3?\s+install\b)re");
            if (std::regex_search(args, pip_install) && args.find("--no-cache-dir") == std::string::npos &&
                args.find("PIP_NO_CACHE_DIR") == std::string::npos)
                add("DL3042", "warning", line, "pip install without --no-cache-dir keeps the download cache in the image");
            static const std::regex cd(R"re((^|[;&|]\s*)cd\s)re");
            if (std::regex_search(args, cd)) add("DL3003", "warning", line, "use WORKDIR to switch directories, not cd");
        } else if (instruction.keyword == "ADD") {
            static const std::regex remote_or_archive(R"re(https?://|\.(tar|tar\.gz|tgz|tar\.bz2|tar\.xz|zip)(\s|$))re");
            if (!std::regex_search(args, remote_or_archive))
                add("DL3020", "error", line, "use COPY instead of ADD for files and folders");
        } else if (instruction.keyword == "CMD") {
            ++cmd_count;
            if (cmd_count > 1) add("DL4003", "warning", line, "more than one CMD: only the last takes effect (the first at line " + std::to_string(last_cmd_line) + ")");
            last_cmd_line = line;
            if (!is_exec_form(args)) add("DL3025", "warning", line, "use the JSON (exec) form for CMD, so signals reach the process");
        } else if (instruction.keyword == "ENTRYPOINT") {
            ++entrypoint_count;
            if (entrypoint_count > 1) add("DL4004", "error", line, "more than one ENTRYPOINT: only the last takes effect (the first at line " + std::to_string(last_entrypoint_line) + ")");
            last_entrypoint_line = line;
            if (!is_exec_form(args)) add("DL3025", "warning", line, "use the JSON (exec) form for ENTRYPOINT, so signals reach the process");
        } else if (instruction.keyword == "USER") {
            last_user = args;
            last_user_line = line;
        } else if (instruction.keyword == "WORKDIR") {
            if (!args.empty() && args[0] != '/' && args[0] != '$' && !(args.size() > 1 && args[0] == '"' && args[1] == '/'))
                add("DL3000", "error", line, "use an absolute WORKDIR, not " + args);
        } else if (instruction.keyword == "HEALTHCHECK") {
            has_healthcheck = true;
        } else if (instruction.keyword == "ENV" || instruction.keyword == "ARG") {
            // NAME=value pairs (or the legacy ENV NAME value).
            static const std::regex pair(R"re(([A-Za-z_][A-Za-z0-9_]*)(=("[^"]*"|\S*)|\s+(\S.*)$)?)re");
            for (auto it = std::sregex_iterator(args.begin(), args.end(), pair); it != std::sregex_iterator(); ++it) {
                const std::string name = (*it)[1].str();
                const bool has_value = (*it)[2].matched && !((*it)[3].matched && (*it)[3].str().empty());
                if (std::regex_search(upper(name), secret_name) && (has_value || instruction.keyword == "ENV"))
                    add("AH001", "error", line,
                        instruction.keyword + " " + name + " bakes a secret into the image (visible in docker history); pass it at run time or use a build secret mount");
                if ((*it)[4].matched) break;  // legacy form: the rest is the value
            }
        }
    }
    if (from_count == 0) add("DL3061", "error", 1, "no FROM: a Dockerfile must start from an image");
    if (from_count > 0 && (last_user.empty() || last_user == "root" || last_user == "0" || last_user.rfind("root:", 0) == 0 ||
                           last_user.rfind("0:", 0) == 0))
        add("DL3002", "warning", last_user.empty() ? (instructions.empty() ? 1 : instructions.back().line) : last_user_line,
            last_user.empty() ? "the final stage never sets USER: the container runs as root"
                              : "the last USER is root: the container runs as root");
    if (from_count > 0 && !has_healthcheck)
        add("DL3057", "info", instructions.empty() ? 1 : instructions.back().line, "no HEALTHCHECK: the runtime cannot tell a hung container from a healthy one");
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) { return a.line < b.line; });
    return findings;
}

}  // namespace dockerfile
