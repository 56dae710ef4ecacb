// Review mode: hadolint's rules on a Dockerfile that breaks them, each
// finding on the right line; and a clean one stays clean.
#include <catch2/catch.hpp>

#include "support.hpp"

namespace {

std::string rules_at(const std::vector<dockerfile::Finding>& findings) {
    std::string out;
    for (const auto& finding : findings) out += finding.rule + "@" + std::to_string(finding.line) + " ";
    return out;
}

}  // namespace

TEST_CASE("a Dockerfile breaking hadolint's rules gets each finding on its line", "[review]") {
    const std::string text =
        "FROM node:latest\n"                                        // 1 DL3007
        "FROM ubuntu AS base\n"                                     // 2 DL3006
        "WORKDIR app\n"                                             // 3 DL3000
        "ADD . /app\n"                                              // 4 DL3020
        "RUN apt-get update && apt-get install curl \\\n"           // 5 DL3008 DL3015 DL3014 DL3009
        "    git\n"                                                 // 6
        "RUN sudo pip install flask\n"                              // 7 DL3004 DL3042
        "ENV API_TOKEN=abc123 MODE=prod\n"                          // 8 AH001
        "ARG DB_PASSWORD=hunter2\n"                                 // 9 AH001
        "ADD https://example.com/x.tar.gz /tmp/\n"                  // 10 (allowed: remote)
        "CMD node index.js\n"                                       // 11 DL3025
        "CMD [\"node\", \"index.js\"]\n"                           // 12 DL4003
        "USER root\n";                                              // 13 DL3002
    const auto findings = dockerfile::review(text);
    CHECK(rules_at(findings) ==
          "DL3007@1 DL3006@2 DL3000@3 DL3020@4 DL3008@5 DL3015@5 DL3014@5 DL3009@5 DL3004@7 DL3042@7 AH001@8 AH001@9 "
          "DL3025@11 DL4003@12 DL3002@13 DL3057@13 ");
    CHECK(findings[0].message.find("latest") != std::string::npos);
    CHECK(findings[10].message.find("API_TOKEN") != std::string::npos);
}

TEST_CASE("hygienic apt-get, digests, stage names and build args without values pass", "[review]") {
    const std::string text =
        "FROM golang:1.22.8-bookworm AS build\n"
        "ARG GITHUB_TOKEN\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates=20230311 \\\n"
        "    && rm -rf /var/lib/apt/lists/*\n"
        "FROM build AS test\n"
        "FROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
        "COPY --from=build /out/app /app\n"
        "USER 10001\n"
        "HEALTHCHECK CMD [\"/app\", \"-health\"]\n"
        "ENTRYPOINT [\"/app\"]\n";
    CHECK(rules_at(dockerfile::review(text)) == "");
}

TEST_CASE("the monorepo fixture's own Dockerfile is reviewed as hadolint would", "[review]") {
    std::ifstream in(std::string(CONTEXT_FIXTURES) + "/monorepo/services/web/Dockerfile");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(rules_at(dockerfile::review(text)) ==
          "DL3007@1 DL3020@2 DL3008@3 DL3015@3 DL3014@3 DL3009@3 AH001@4 DL4003@6 DL3002@6 DL3057@6 ");
}

TEST_CASE("hostile input: empty, no FROM, endless continuation, huge lines", "[review]") {
    CHECK(rules_at(dockerfile::review("")) == "DL3061@1 ");
    CHECK(rules_at(dockerfile::review("RUN echo \\\n\\\n\\\n")).find("DL3061") != std::string::npos);
    std::string huge = "FROM debian:12.7\nRUN echo " + std::string(200000, 'x') + "\nUSER app\nHEALTHCHECK NONE\n";
    CHECK(rules_at(dockerfile::review(huge)) == "");
}
