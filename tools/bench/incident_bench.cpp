// incident_agent's analysis of 10,000 log lines (or argv[1]): Drain
// clustering, burst, change correlation, hypotheses and the postmortem, the
// way one run does it. Prints the median of argv[2] (default 7) runs.
//
//   build/bin/incident_bench [LINES] [RUNS]
#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "incident.hpp"

namespace {

// An hour of a web service's logs: requests, a steady warning, and from
// minute 40 a deploy's exceptions and 5xx responses.
std::string synthetic_logs(std::size_t lines) {
    std::mt19937 random(42);
    std::string text;
    const long start = 1796536800;  // 2026-12-06T06:00:00Z
    char time[32], line[512];
    for (std::size_t i = 0; i < lines; ++i) {
        const long t = start + static_cast<long>(i * 3600 / lines);
        std::tm utc{};
        const std::time_t tt = t;
        gmtime_r(&tt, &utc);
        std::strftime(time, sizeof time, "%Y-%m-%dT%H:%M:%S", &utc);
        const unsigned r = random() % 100;
        const bool broken = i > lines * 2 / 3;
        if (broken && r < 30)
            std::snprintf(line, sizeof line,
                          "%s.%03uZ ERROR [checkout] Unhandled exception processing order %u: "
                          "java.lang.NullPointerException: Cannot invoke \"PriceRule.apply(Order)\" because \"rule\" is null",
                          time, static_cast<unsigned>(random() % 1000), static_cast<unsigned>(random() % 100000));
        else if (broken && r < 45)
            std::snprintf(line, sizeof line, "%s.%03uZ INFO [checkout] 10.0.4.%u \"POST /api/orders HTTP/1.1\" 500 %u 12ms",
                          time, static_cast<unsigned>(random() % 1000), static_cast<unsigned>(random() % 250),
                          static_cast<unsigned>(random() % 4000));
        else if (r < 55)
            std::snprintf(line, sizeof line, "%s.%03uZ WARN [checkout] Cache miss ratio %u%% above 20%% for catalog cache",
                          time, static_cast<unsigned>(random() % 1000), 20 + static_cast<unsigned>(random() % 15));
        else if (r < 80)
            std::snprintf(line, sizeof line, "%s.%03uZ INFO [checkout] 10.0.4.%u \"POST /api/orders HTTP/1.1\" 200 %u %ums",
                          time, static_cast<unsigned>(random() % 1000), static_cast<unsigned>(random() % 250),
                          static_cast<unsigned>(random() % 4000), static_cast<unsigned>(random() % 90));
        else
            std::snprintf(line, sizeof line, "%s.%03uZ INFO [checkout] Order %u placed for customer %u total=%u.%02u",
                          time, static_cast<unsigned>(random() % 1000), static_cast<unsigned>(random() % 100000),
                          static_cast<unsigned>(random() % 10000), static_cast<unsigned>(random() % 500),
                          static_cast<unsigned>(random() % 100));
        text += line;
        text += '\n';
    }
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t lines = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10000;
    const int runs = argc > 2 ? std::atoi(argv[2]) : 7;
    const std::string logs = synthetic_logs(lines);
    rapidjson::Document context(rapidjson::kObjectType);
    auto& a = context.GetAllocator();
    context.AddMember("logs", rapidjson::StringRef(logs.c_str(), logs.size()), a);
    rapidjson::Value changes(rapidjson::kArrayType);
    rapidjson::Value deploy(rapidjson::kObjectType);
    deploy.AddMember("time", "2026-12-06T06:39:00Z", a).AddMember("type", "deploy", a);
    deploy.AddMember("service", "checkout", a).AddMember("version", "v2.14.0", a);
    changes.PushBack(deploy, a);
    context.AddMember("changes", changes, a);

    std::vector<double> millis;
    std::string top;
    std::size_t templates = 0;
    for (int i = 0; i < runs; ++i) {
        const auto begin = std::chrono::steady_clock::now();
        const incident::Input input = incident::read_input(context);
        const incident::Analysis analysis = incident::analyse(input);
        const std::string postmortem = incident::postmortem_markdown(analysis, input, "bench");
        millis.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count());
        top = analysis.hypotheses.empty() ? "-" : analysis.hypotheses.front().cause;
        templates = analysis.clusters.size();
        if (postmortem.empty()) return 1;
    }
    std::sort(millis.begin(), millis.end());
    std::printf("%-40s %9.1f ms for %zu lines (median of %d; %zu templates; top cause %s)\n",
                "incident_agent: analyse logs", millis[millis.size() / 2], lines, runs, templates, top.c_str());
    return 0;
}
