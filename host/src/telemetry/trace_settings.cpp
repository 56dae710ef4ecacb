#include "telemetry/trace_settings.hpp"

#include "util/percent_decode.hpp"

#include <algorithm>
#include <cstdlib>

namespace agenthost::telemetry {
namespace {

std::string trim(const std::string& text) {
    size_t begin = text.find_first_not_of(" \t");
    if (begin == std::string::npos) return "";
    size_t end = text.find_last_not_of(" \t");
    return text.substr(begin, end - begin + 1);
}

std::string lower(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

// Replaces or appends each of `more` by key (case-insensitive: they are
// HTTP header names or resource keys).
void overlay(KeyValues& base, const KeyValues& more) {
    for (const auto& [key, value] : more) {
        bool replaced = false;
        for (auto& [existing, old] : base) {
            if (lower(existing) == lower(key)) {
                old = value;
                replaced = true;
            }
        }
        if (!replaced) base.emplace_back(key, value);
    }
}

bool read_positive(const std::optional<std::string>& text, const char* name, long long& out,
                   std::vector<std::string>& problems) {
    if (!text || trim(*text).empty()) return false;
    char* end = nullptr;
    long long value = std::strtoll(text->c_str(), &end, 10);
    if (end == text->c_str() || *end != '\0' || value <= 0) {
        problems.push_back(std::string(name) + " must be a positive integer, got '" + *text + "'");
        return false;
    }
    out = value;
    return true;
}

}  // namespace

EnvLookup process_environment() {
    return [](const char* name) -> std::optional<std::string> {
        const char* value = std::getenv(name);
        if (value == nullptr) return std::nullopt;
        return std::string(value);
    };
}

KeyValues parse_key_values(const std::string& text) {
    KeyValues out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t comma = text.find(',', start);
        std::string entry = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        size_t equals = entry.find('=');
        if (equals != std::string::npos) {
            std::string key = trim(percent_decode(trim(entry.substr(0, equals))));
            std::string value = percent_decode(trim(entry.substr(equals + 1)));
            // A header value may not hold line breaks: they would add headers.
            bool clean = value.find_first_of("\r\n") == std::string::npos &&
                         key.find_first_of("\r\n:") == std::string::npos;
            if (!key.empty() && clean) out.emplace_back(key, value);
        }
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

std::string traces_url_from_base(const std::string& base) {
    std::string url = trim(base);
    if (url.empty()) return url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url + "/v1/traces";
}

void apply_otel_environment(TraceSettings& settings, const EnvLookup& env, std::vector<std::string>& problems) {
    if (auto disabled = env("OTEL_SDK_DISABLED")) {
        std::string value = lower(trim(*disabled));
        if (value == "true") settings.disabled = true;
        else if (value == "false" || value.empty()) settings.disabled = false;
        else problems.push_back("OTEL_SDK_DISABLED must be true or false, got '" + *disabled + "'");
    }
    if (auto exporter = env("OTEL_TRACES_EXPORTER")) {
        std::string value = lower(trim(*exporter));
        if (value == "none") settings.disabled = true;
        else if (!value.empty() && value != "otlp")
            problems.push_back("OTEL_TRACES_EXPORTER '" + *exporter + "' is not supported; spans go to OTLP");
    }
    if (auto protocol = env("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") ? env("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
                                                                   : env("OTEL_EXPORTER_OTLP_PROTOCOL")) {
        std::string value = lower(trim(*protocol));
        if (!value.empty() && value != "http/json")
            problems.push_back("OTLP protocol '" + *protocol + "' is not supported; spans are sent as http/json");
    }
    // Seed 001's LangSmith variables: LangSmith's OTLP endpoint with the key
    // and project as its headers, unless LANGSMITH_TRACING says false. The
    // OTEL_* variables below win, as they are the more specific.
    if (auto key = env("LANGSMITH_API_KEY"); key && !trim(*key).empty()) {
        auto tracing = env("LANGSMITH_TRACING");
        if (!tracing || lower(trim(*tracing)) != "false") {
            auto endpoint = env("LANGSMITH_ENDPOINT");
            std::string base = endpoint && !trim(*endpoint).empty() ? trim(*endpoint) : "https://api.smith.langchain.com";
            while (!base.empty() && base.back() == '/') base.pop_back();
            settings.traces_url = base + "/otel/v1/traces";
            KeyValues langsmith = {{"x-api-key", trim(*key)}};
            if (auto project = env("LANGSMITH_PROJECT"); project && !trim(*project).empty())
                langsmith.emplace_back("Langsmith-Project", trim(*project));
            for (const auto& [name, value] : langsmith)
                if (value.find_first_of("\r\n") != std::string::npos)
                    problems.push_back(std::string("LANGSMITH_") + (name == "x-api-key" ? "API_KEY" : "PROJECT") +
                                       " holds a line break; it is not sent");
            langsmith.erase(std::remove_if(langsmith.begin(), langsmith.end(),
                                           [](const auto& entry) {
                                               return entry.second.find_first_of("\r\n") != std::string::npos;
                                           }),
                            langsmith.end());
            overlay(settings.headers, langsmith);
        }
    }
    // The signal-specific URL is used as it is; the general one is a base.
    if (auto url = env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"); url && !trim(*url).empty())
        settings.traces_url = trim(*url);
    else if (auto base = env("OTEL_EXPORTER_OTLP_ENDPOINT"); base && !trim(*base).empty())
        settings.traces_url = traces_url_from_base(*base);
    if (auto headers = env("OTEL_EXPORTER_OTLP_HEADERS")) overlay(settings.headers, parse_key_values(*headers));
    if (auto headers = env("OTEL_EXPORTER_OTLP_TRACES_HEADERS")) overlay(settings.headers, parse_key_values(*headers));
    if (auto resource = env("OTEL_RESOURCE_ATTRIBUTES")) {
        for (const auto& [key, value] : parse_key_values(*resource)) {
            if (key == "service.name") settings.service_name = value;
            else overlay(settings.resource_attributes, {{key, value}});
        }
    }
    // OTEL_SERVICE_NAME wins over service.name in the resource attributes.
    if (auto name = env("OTEL_SERVICE_NAME"); name && !trim(*name).empty()) settings.service_name = trim(*name);
    if (auto sampler = env("OTEL_TRACES_SAMPLER"); sampler && !trim(*sampler).empty())
        settings.sampler = lower(trim(*sampler));
    if (auto arg = env("OTEL_TRACES_SAMPLER_ARG")) settings.sampler_arg = trim(*arg);
    long long number = 0;
    if (read_positive(env("OTEL_BSP_MAX_QUEUE_SIZE"), "OTEL_BSP_MAX_QUEUE_SIZE", number, problems))
        settings.max_queue_size = static_cast<size_t>(number);
    if (read_positive(env("OTEL_BSP_MAX_EXPORT_BATCH_SIZE"), "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", number, problems))
        settings.max_export_batch_size = static_cast<size_t>(number);
    if (read_positive(env("OTEL_BSP_SCHEDULE_DELAY"), "OTEL_BSP_SCHEDULE_DELAY", number, problems))
        settings.schedule_delay_ms = number;
    if (read_positive(env("OTEL_EXPORTER_OTLP_TIMEOUT"), "OTEL_EXPORTER_OTLP_TIMEOUT", number, problems))
        settings.export_timeout_ms = number;
    if (read_positive(env("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT"), "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", number, problems))
        settings.export_timeout_ms = number;
    // Not a standard variable: the group-commit spans are many small root
    // traces, which LLM-observability services show as noise.
    if (auto database = env("AGENTHOST_TRACE_DATABASE_SPANS")) {
        std::string value = lower(trim(*database));
        if (value == "false" || value == "0") settings.database_spans = false;
        else if (value == "true" || value == "1") settings.database_spans = true;
        else problems.push_back("AGENTHOST_TRACE_DATABASE_SPANS must be true or false, got '" + *database + "'");
    }
    if (settings.max_export_batch_size > settings.max_queue_size) settings.max_export_batch_size = settings.max_queue_size;
}

}  // namespace agenthost::telemetry
