// Base images pinned to a full version tag (never latest, never a bare
// major), chosen from the language version the analysis found. The table is
// the one place to move when new patch releases come out.
#include <cctype>
#include <map>

#include "dockerfile.hpp"

namespace dockerfile {
namespace {

// "3.11.9" from "3.11", "20" -> "20.17.0"; unknown versions keep what was asked.
std::string full_version(const std::map<std::string, std::string>& known, const std::string& asked,
                         const std::string& fallback) {
    if (asked.empty()) return known.at(fallback);
    auto found = known.find(asked);
    if (found != known.end()) return found->second;
    // "3.11.4" asked: already a full version.
    return asked;
}

std::string major_minor(const std::string& version, int parts) {
    std::string out;
    int seen = 0;
    for (char c : version) {
        if (c == '.' && ++seen == parts) break;
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.')) break;
        out += c;
    }
    return out;
}

}  // namespace

BaseImages base_images(const devkit::ServiceContext& service) {
    const std::string language = service.language.value;
    const std::string asked = service.language_version.value;
    if (language == "python") {
        static const std::map<std::string, std::string> known = {
            {"3.9", "3.9.20"}, {"3.10", "3.10.15"}, {"3.11", "3.11.10"}, {"3.12", "3.12.7"}, {"3.13", "3.13.0"}};
        std::string version = full_version(known, major_minor(asked, 2), "3.12");
        return {"python:" + version + "-slim-bookworm", "python:" + version + "-slim-bookworm"};
    }
    if (language == "javascript" || language == "typescript") {
        static const std::map<std::string, std::string> known = {
            {"18", "18.20.4"}, {"20", "20.17.0"}, {"22", "22.9.0"}};
        std::string version = full_version(known, major_minor(asked, 1), "20");
        return {"node:" + version + "-bookworm-slim", "node:" + version + "-bookworm-slim"};
    }
    if (language == "go") {
        static const std::map<std::string, std::string> known = {
            {"1.21", "1.21.13"}, {"1.22", "1.22.8"}, {"1.23", "1.23.2"}};
        std::string version = full_version(known, major_minor(asked, 2), "1.23");
        return {"golang:" + version + "-bookworm", "gcr.io/distroless/static-debian12:nonroot"};
    }
    if (language == "java" || language == "kotlin") {
        static const std::map<std::string, std::string> jre = {
            {"11", "11.0.24_8"}, {"17", "17.0.12_7"}, {"21", "21.0.4_7"}};
        std::string major = major_minor(asked, 1);
        if (jre.count(major) == 0) major = "17";
        const bool gradle = service.package_manager.value == "gradle";
        return {gradle ? "gradle:8.10.2-jdk" + major : "maven:3.9.9-eclipse-temurin-" + major,
                "eclipse-temurin:" + jre.at(major) + "-jre-jammy"};
    }
    throw InputError("no Dockerfile recipe for language '" + language + "' (service " + service.name + ")");
}

}  // namespace dockerfile
