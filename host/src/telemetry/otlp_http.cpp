#include "telemetry/otlp_http.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

namespace agenthost::telemetry {
namespace {

// The answer is small (a partial-success note at most); its start is kept
// for the error message.
size_t keep_start(char* data, size_t size, size_t count, void* user) {
    auto* text = static_cast<std::string*>(user);
    size_t bytes = size * count;
    if (text->size() < 300) text->append(data, std::min(bytes, 300 - text->size()));
    return bytes;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* give_up = static_cast<const std::function<bool()>*>(user);
    return (*give_up)() ? 1 : 0;
}

}  // namespace

PostOutcome post_json(const std::string& url, const KeyValues& headers, const std::string& body, long long timeout_ms,
                      const std::function<bool()>& give_up) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    PostOutcome outcome;
    CURL* curl = curl_easy_init();
    if (curl == nullptr) {
        outcome.error = "cannot create an HTTP client";
        return outcome;
    }
    curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
    for (const auto& [name, value] : headers) list = curl_slist_append(list, (name + ": " + value).c_str());
    list = curl_slist_append(list, "Expect:");
    std::string answer;
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep_start);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(timeout_ms, 5000)));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    if (give_up) {
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &give_up);
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    }
    CURLcode code = curl_easy_perform(curl);
    if (code == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        outcome.status = static_cast<int>(status);
        if (status < 200 || status >= 300) outcome.error = "HTTP " + std::to_string(status) + ": " + answer;
    } else {
        outcome.error = error[0] != 0 ? error : curl_easy_strerror(code);
    }
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    return outcome;
}

}  // namespace agenthost::telemetry
