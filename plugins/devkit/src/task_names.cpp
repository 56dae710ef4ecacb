#include "devkit/task_names.hpp"

#include "devkit/text.hpp"

#include <algorithm>
#include <regex>
#include <set>

namespace devkit {
namespace {

const auto icase = std::regex::icase;

std::optional<std::string> first_name(const std::string& text, const std::regex& pattern) {
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
        std::string found = (*it)[1].str();
        if (!is_name_filler(found)) return found;
    }
    return std::nullopt;
}

}  // namespace

bool is_name_filler(std::string_view word) {
    static const std::set<std::string, std::less<>> fillers = {
        // articles, pronouns, determiners
        "a", "an", "the", "my", "our", "your", "their", "this", "that", "these", "those", "it", "me", "us", "all",
        "every", "each", "some", "any",
        // adjectives that describe rather than name
        "new", "same", "existing", "following", "whole", "entire", "simple", "small", "sample", "basic", "main",
        "stateful", "stateless", "web-facing", "read-only", "long-running", "highly-available", "backend-only",
        "public", "private", "internal", "external",
        // kinds and platforms
        "service", "services", "microservice", "app", "application", "api", "web", "backend", "frontend", "server",
        "worker", "job", "cron-job", "deployment", "pipeline", "container", "docker", "kubernetes", "k8s", "helm",
        "harness", "github", "http", "https", "grpc", "rest",
        // languages and frameworks
        "python", "node", "nodejs", "node.js", "javascript", "typescript", "java", "go", "golang", "rust", "ruby",
        "php", "dotnet", ".net", "c#", "kotlin", "scala", "fastapi", "django", "flask", "express", "spring",
        "rails", "nestjs", "nextjs", "react",
        // environments and strategies
        "dev", "development", "test", "testing", "qa", "staging", "prod", "production", "canary", "rolling",
        "blue-green", "bluegreen",
        // verbs and prepositions a sloppy pattern would catch
        "to", "for", "of", "in", "on", "with", "and", "using", "via", "from", "deploy", "deploying", "deployed",
        "running", "release", "called", "named", "ship", "promote", "everything", "anything", "stuff",
        "version", "image", "latest", "changes", "code"};
    return fillers.count(lower(word)) != 0;
}

std::optional<std::string> service_name_from_task(std::string_view task_view) {
    const std::string task(task_view);
    // A name introduced as one: "called orders-api", "named 'ledger'".
    static const std::regex introduced(
        "\\b(?:called|named)\\s+[\"'`]?([A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]|[A-Za-z0-9])", icase);
    // A quoted name after a kind: service "orders-api".
    static const std::regex quoted(
        "\\b(?:service|app|application|api|microservice|deployment|statefulset|cronjob|job|worker)\\s+[\"'`]([^\"'`\\s]+)"
        "[\"'`]",
        icase);
    // "the checkout service", "a ledger StatefulSet", "the payments API".
    static const std::regex kind_after(
        "\\b(?:the|a|an|our|my|your)\\s+([a-z][-a-z0-9]*[a-z0-9])\\s+(?:service|microservice|app|application|api|"
        "statefulset|cronjob|job|deployment|worker|database|db)\\b",
        icase);
    // A hyphenated name after "for", "of", "deploy" or "run": "for orders-service".
    static const std::regex hyphenated("\\b(?:for|of|deploy|run)\\s+(?:the\\s+)?([a-z][a-z0-9]*(?:-[a-z0-9]+)+)\\b",
                                       icase);
    // One plain word deployed somewhere, or given a deployment: "Deploy
    // redis to Kubernetes", "a Kubernetes deployment for nginx". Fillers
    // ("Deploy it to prod", "deployment for my app") are passed over.
    static const std::regex deployed_to(
        "\\b(?:deploy|run|ship)\\s+([a-z][a-z0-9]*)\\s+(?:to|on|onto|into|in)\\b", icase);
    static const std::regex deployment_for(
        "\\b(?:deployment|manifests?|chart|release)\\s+(?:for|of)\\s+([a-z][a-z0-9]*)\\b"
        "(?!\\s*(?:service|microservice|app|application|api|database|db)\\b)",
        icase);
    std::optional<std::string> name;
    for (const auto* pattern : {&introduced, &quoted, &kind_after, &hyphenated, &deployed_to, &deployment_for})
        if ((name = first_name(task, *pattern))) break;
    // "the Checkout service" means checkout; other characters are left for
    // the caller to refuse, never mangled into some other name.
    if (name && std::all_of(name->begin(), name->end(), [](unsigned char c) { return std::isalnum(c) || c == '-'; }))
        *name = lower(*name);
    return name;
}

}  // namespace devkit
