#include "task_text.hpp"

#include "devkit/task_names.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <regex>
#include <string>

namespace k8s {
namespace {

const auto icase = std::regex::icase;

std::optional<std::string> first_match(const std::string& text, const std::regex& pattern) {
    std::smatch match;
    if (!std::regex_search(text, match, pattern)) return std::nullopt;
    return match[1].str();
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
    if (auto cron = first_match(task, quoted_cron)) return cron;
    if (auto found = first_match(task, macro)) return found;
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
    found.image = first_match(task, std::regex("\\bimage\\s+[\"'`]?([a-z0-9][a-z0-9._/:@-]*[a-z0-9])", icase));
    if (!found.image)
        found.image = first_match(
            task, std::regex("(?:^|\\s)[\"'`]?([a-z0-9][a-z0-9._-]*(?:/[a-z0-9._-]+)*:[A-Za-z0-9_][A-Za-z0-9_.-]*)"));
    found.service = devkit::service_name_from_task(task);
    found.namespace_ = first_match(task, std::regex("\\bnamespace\\s+[\"'`]?([a-z0-9][-a-z0-9]*[a-z0-9])", icase));
    static const std::string environments = "(staging|production|prod|dev|development|qa|uat|test|testing|sandbox|preprod)";
    found.environment = first_match(
        task, std::regex("\\b" + environments + "\\s+(?:environment|env|namespace|cluster)\\b", icase));
    if (!found.environment)
        // After "to" or "in" only the unmistakable names ("in test" is often no place).
        found.environment = first_match(
            task, std::regex("\\b(?:to|in|into|on)\\s+(?:the\\s+)?(staging|production|prod|preprod|uat)\\b", icase));
    if (found.environment)
        for (char& c : *found.environment) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    found.ingress_host = first_match(
        task, std::regex("\\b(?:host|hostname|domain|at)\\s+[\"'`]?([a-z0-9][-a-z0-9]*(?:\\.[a-z0-9][-a-z0-9]*)+)", icase));
    found.tls_secret = first_match(
        task, std::regex("\\b(?:tls|certificate|cert)\\s+secret\\s+[\"'`]?([a-z0-9][-a-z0-9.]*[a-z0-9])", icase));
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
                   icase));
    found.persistent = found.storage_size.has_value() ||
                       mentions(task, "\\b(?:persistent|persistence|volume claims?|pvcs?)\\b");
    if (found.workload == std::optional<std::string>("CronJob")) found.schedule = schedule(task);
    found.blue_green = mentions(task, "\\bblue[-_ ]?green\\b");
    return found;
}

}  // namespace k8s
