#include "webhooks/webhook_sender.hpp"

#include "webhooks/signature.hpp"

#include <curl/curl.h>

#include <mutex>

namespace agenthost::webhooks {
namespace {

size_t discard(char*, size_t size, size_t count, void*) { return size * count; }

void global_init_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

std::vector<std::pair<std::string, std::string>> webhook_headers(const std::string& event_type,
                                                                 const std::string& webhook_id, long long timestamp,
                                                                 const std::string& body, const std::string& secret,
                                                                 const std::string& user_agent) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/json"},
        {"User-Agent", user_agent},
        {"X-Webhook-Event", event_type},
        {"webhook-id", webhook_id},
        {"webhook-timestamp", std::to_string(timestamp)},
    };
    if (!secret.empty()) {
        headers.emplace_back("X-Webhook-Signature", hmac_sha256_hex(secret, body));
        headers.emplace_back("webhook-signature", standard_signature(secret, webhook_id, timestamp, body));
    }
    return headers;
}

SendResult send_webhook(const OutgoingWebhook& webhook, std::chrono::milliseconds timeout) {
    global_init_once();
    SendResult result;
    CURL* curl = curl_easy_init();
    if (curl == nullptr) {
        result.error = "cannot create an HTTP client";
        return result;
    }
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : webhook.headers) headers = curl_slist_append(headers, (name + ": " + value).c_str());
    headers = curl_slist_append(headers, "Expect:");
    curl_slist* resolve = nullptr;
    if (!webhook.pinned_ip.empty()) {
        std::string ip = webhook.pinned_ip.find(':') != std::string::npos ? "[" + webhook.pinned_ip + "]" : webhook.pinned_ip;
        resolve = curl_slist_append(resolve, (webhook.pinned_host + ":" + std::to_string(webhook.pinned_port) + ":" + ip).c_str());
        curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
    }
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, webhook.url.c_str());
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, webhook.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(webhook.body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<long long>(timeout.count(), 10000)));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    // A redirect could lead past the SSRF guard: answers are taken as they are.
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    auto started = std::chrono::steady_clock::now();
    CURLcode code = curl_easy_perform(curl);
    result.duration_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (code == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        result.status_code = static_cast<int>(status);
    } else {
        result.error = error[0] != 0 ? error : curl_easy_strerror(code);
    }
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
    curl_easy_cleanup(curl);
    return result;
}

}  // namespace agenthost::webhooks
