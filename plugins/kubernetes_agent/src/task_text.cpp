#include "task_text.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <regex>
#include <string>

namespace k8s {
namespace {

const auto icase = std::regex::icase;

// Words that read as a name in "the X service" but never are one.
bool is_filler(const std::string& word) {
    static const char* fillers[] = {"a",        "an",        "the",       "my",       "our",     "your",
                                    "this",     "that",      "new",       "same",     "existing", "following",
                                    "whole",    "entire",    "kubernetes", "k8s",     "docker",  "container",
                                    "http",     "https",     "stateful",  "stateless", "web-facing", "blue-green",
                                    "read-only", "long-running", "cron-job", "highly-available", "production",
                                    "staging",  "dev",       "test",      "backend-only"};
    std::string lower = word;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    return std::find(std::begin(fillers), std::end(fillers), lower) != std::end(fillers);
}

std::optional<std::string> first_match(const std::string& text, const std::regex& pattern, bool skip_fillers) {
    for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
        std::string found = (*it)[1].str();
        if (skip_fillers && is_filler(found)) continue;
        return found;
    }
    return std::nullopt;
}

std::optional<int> number_match(const std::string& text, const std::regex& pattern) {
    std::smatch match;
    if (!std::regex_search(text, match, pattern)) return std::nullopt;
    try {
        return std::stoi(match[1].str());
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool mentions(const std::string& text, const char* pattern) { return std::regex_search(text, std::regex(pattern, icase)); }

std::optional<std::string> service_name(const std::string& task) {
    // A name introduced as one: "called orders-api", "named 'ledger'".
    static const std::regex introduced("\\b(?:called|named)\\s+[\"'`]?([A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]|[A-Za-z0-9])",
                                       icase);
    // A quoted name after a kind: service "orders-api".
    static const std::regex quoted(
        "\\b(?:service|app|application|api|microservice|deployment|statefulset|cronjob|job|worker)\\s+[\"'`]([^\"'`\\s]+)[\"'`]",
        icase);
    // "the checkout service", "a ledger StatefulSet".
    static const std::regex kind_after(
        "\\b(?:the|a|an|our|my|your)\\s+([a-z][-a-z0-9]*[a-z0-9])\\s+(?:service|microservice|app|application|api|"
        "statefulset|cronjob|job|deployment|worker)\\b",
        icase);
    // A hyphenated name right after "for" or "deploy": "for orders-service".
    static const std::regex hyphenated("\\b(?:for|deploy|run)\\s+([a-z][a-z0-9]*(?:-[a-z0-9]+)+)\\b", icase);
    std::optional<std::string> name;
    for (const auto* pattern : {&introduced, &quoted, &kind_after, &hyphenated})
        if ((name = first_match(task, *pattern, true))) break;
    // "the Checkout service" means checkout; other characters are left for
    // the caller to refuse, never mangled into some other name.
    if (name && std::all_of(name->begin(), name->end(), [](unsigned char c) { return std::isalnum(c) || c == '-'; }))
        std::transform(name->begin(), name->end(), name->begin(), [](unsigned char c) { return std::tolower(c); });
    return name;
}

std::optional<std::string> workload(const std::string& task) {
    if (mentions(task, "\\bstateful\\s*sets?\\b")) return "StatefulSet";
    if (mentions(task, "\\bcron\\s*jobs?\\b")) return "CronJob";
    if (mentions(task, "\\bdaemon\\s*sets?\\b")) return "DaemonSet";
    if (mentions(task, "\\b(?:batch|one-off|one-time|run-once)\\s+job\\b") || mentions(task, "\\ba\\s+job\\b") ||
        mentions(task, "\\bkubernetes\\s+job\\b"))
        return "Job";
    return std::nullopt;
}

std::optional<std::string> schedule(const std::string& task) {
    static const std::regex quoted_cron("[\"'`]((?:\\S+\\s+){4}\\S+)[\"'`]");
    static const std::regex macro("(@(?:hourly|daily|weekly|monthly|yearly|annually|midnight))\\b", icase);
    if (auto cron = first_match(task, quoted_cron, false)) return cron;
    if (auto found = first_match(task, macro, false)) return found;
    static const std::pair<const char*, const char*> words[] = {
        {"\\b(?:hourly|every hour)\\b", "@hourly"},
        {"\\b(?:daily|nightly|every day|every night)\\b", "@daily"},
        {"\\b(?:weekly|every week)\\b", "@weekly"},
        {"\\b(?:monthly|every month)\\b", "@monthly"}};
    for (const auto& [pattern, value] : words)
        if (mentions(task, pattern)) return std::string(value);
    return std::nullopt;
}

}  // namespace

FromTask read_task(std::string_view task_view) {
    const std::string task(task_view);
    FromTask found;
    found.image = first_match(task, std::regex("\\bimage\\s+[\"'`]?([a-z0-9][a-z0-9._/:@-]*[a-z0-9])", icase), false);
    if (!found.image)
        found.image = first_match(
            task, std::regex("(?:^|\\s)[\"'`]?([a-z0-9][a-z0-9._-]*(?:/[a-z0-9._-]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]*)"),
            false);
    found.service = service_name(task);
    found.namespace_ = first_match(task, std::regex("\\bnamespace\\s+[\"'`]?([a-z0-9][-a-z0-9]*[a-z0-9])", icase),
                                   false);
    found.ingress_host = first_match(
        task, std::regex("\\b(?:host|hostname|domain|at)\\s+[\"'`]?([a-z0-9][-a-z0-9]*(?:\\.[a-z0-9][-a-z0-9]*)+)", icase),
        false);
    found.tls_secret = first_match(
        task, std::regex("\\b(?:tls|certificate|cert)\\s+secret\\s+[\"'`]?([a-z0-9][-a-z0-9.]*[a-z0-9])", icase), false);
    found.tls = found.tls_secret.has_value() || mentions(task, "\\b(?:tls|https)\\b");
    found.port = number_match(task, std::regex("\\bport\\s*[:=]?\\s*(\\d{1,6})\\b", icase));
    if (!found.port)
        found.port = number_match(task, std::regex("\\b(?:listen(?:s|ing)?|serves?|serving)\\s+on\\s+:?(\\d{1,6})\\b", icase));
    if (!found.port)
        found.port = number_match(task, std::regex("\\bexpos(?:e|es|ing)\\s+(\\d{1,6})\\b", icase));
    found.replicas = number_match(task, std::regex("\\b(\\d{1,4})\\s+replicas?\\b", icase));
    if (!found.replicas) found.replicas = number_match(task, std::regex("\\breplicas?\\s*[:=]?\\s*(\\d{1,4})\\b", icase));
    found.workload = workload(task);
    found.storage_size = first_match(
        task,
        std::regex("\\b(\\d+(?:\\.\\d+)?(?:Ki|Mi|Gi|Ti))\\s+(?:of\\s+)?(?:persistent\\s+)?(?:storage|volume|disk|data)",
                   icase),
        false);
    found.persistent = found.storage_size.has_value() ||
                       mentions(task, "\\b(?:persistent|persistence|volume claims?|pvcs?)\\b");
    if (found.workload == std::optional<std::string>("CronJob")) found.schedule = schedule(task);
    found.blue_green = mentions(task, "\\bblue[-_ ]?green\\b");
    return found;
}

}  // namespace k8s
