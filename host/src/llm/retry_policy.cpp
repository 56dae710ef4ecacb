#include "llm/retry_policy.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

namespace agenthost::llm {

bool RetryPolicy::retryable(int status, bool transport_error) {
    if (transport_error) return true;
    return status == 429 || (status >= 500 && status <= 599);
}

std::chrono::milliseconds RetryPolicy::delay(int retry, std::optional<long long> retry_after_ms,
                                             std::mt19937_64& random) const {
    long long cap = std::max<long long>(0, max_ms);
    if (retry_after_ms) return std::chrono::milliseconds(std::clamp<long long>(*retry_after_ms, 0, cap));
    int doublings = std::clamp(retry - 1, 0, 40);
    long long ceiling = base_ms;
    for (int i = 0; i < doublings && ceiling < cap; ++i) ceiling *= 2;
    ceiling = std::clamp<long long>(ceiling, 1, std::max<long long>(cap, 1));
    std::uniform_int_distribution<long long> pick(ceiling / 2, ceiling);
    return std::chrono::milliseconds(pick(random));
}

std::optional<long long> parse_retry_after(const std::string& raw, std::chrono::system_clock::time_point now) {
    size_t start = raw.find_first_not_of(" \t");
    if (start == std::string::npos) return std::nullopt;
    size_t end = raw.find_last_not_of(" \t");
    std::string value = raw.substr(start, end - start + 1);
    if (std::isdigit(static_cast<unsigned char>(value[0]))) {
        size_t used = 0;
        double seconds = 0;
        try {
            seconds = std::stod(value, &used);
        } catch (const std::exception&) {
            return std::nullopt;
        }
        if (used != value.size() || seconds < 0 || seconds > 86400 * 7) return std::nullopt;
        return static_cast<long long>(seconds * 1000);
    }
    // IMF-fixdate: "Wed, 21 Oct 2015 07:28:00 GMT".
    std::tm parts{};
    const char* parsed = strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
    if (parsed == nullptr || *parsed != '\0') return std::nullopt;
    auto when = std::chrono::system_clock::from_time_t(timegm(&parts));
    long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(when - now).count();
    return std::max<long long>(0, ms);
}

}  // namespace agenthost::llm
