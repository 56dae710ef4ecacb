#include "llm/http_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace agenthost::llm {
namespace {

void global_init_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
    CURL* curl = nullptr;
    HttpReply* reply = nullptr;
    const OnChunk* on_chunk = nullptr;
    size_t max_body_bytes = 0;
    bool aborted_by_consumer = false;
};

std::string trim(std::string_view text) {
    size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return "";
    size_t end = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(start, end - start + 1));
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    std::string_view line(data, size * count);
    // A new status line (after a 100 Continue, say) starts a new header set.
    if (line.rfind("HTTP/", 0) == 0) {
        transfer->reply->headers.clear();
        return size * count;
    }
    size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
        std::string name = trim(line.substr(0, colon));
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        transfer->reply->headers[name] = trim(line.substr(colon + 1));
    }
    return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* transfer = static_cast<Transfer*>(user);
    size_t total = size * count;
    long status = 0;
    curl_easy_getinfo(transfer->curl, CURLINFO_RESPONSE_CODE, &status);
    if (transfer->on_chunk != nullptr && *transfer->on_chunk && status >= 200 && status < 300) {
        transfer->reply->streamed = true;
        if (!(*transfer->on_chunk)(std::string_view(data, total))) {
            transfer->aborted_by_consumer = true;
            return 0;
        }
        return total;
    }
    if (transfer->max_body_bytes > 0) {
        if (transfer->reply->body.size() + total > transfer->max_body_bytes) {
            transfer->reply->too_large = true;
            return 0;
        }
        transfer->reply->body.append(data, total);
        return total;
    }
    // Error bodies are kept only in part: they go into messages.
    if (transfer->reply->body.size() < 4 * 1024 * 1024) transfer->reply->body.append(data, total);
    return total;
}

thread_local const std::atomic<bool>* t_cancelled = nullptr;

int on_progress(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return transfer_cancelled() ? 1 : 0;  // non-zero aborts the transfer
}

void common_options(CURL* curl, const std::string& url, long long connect_timeout_ms, char* error_buffer) {
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::max<long long>(1, connect_timeout_ms)));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
}

}  // namespace

CancelScope::CancelScope(const std::atomic<bool>* cancelled) : previous_(t_cancelled) { t_cancelled = cancelled; }

CancelScope::~CancelScope() { t_cancelled = previous_; }

bool transfer_cancelled() { return t_cancelled != nullptr && t_cancelled->load(); }

HttpReply http_post(const HttpPost& request, const OnChunk& on_chunk) {
    global_init_once();
    HttpReply reply;
    CURL* curl = curl_easy_init();
    if (curl == nullptr) {
        reply.error = "cannot create an HTTP client";
        return reply;
    }
    Transfer transfer{curl, &reply, &on_chunk, request.max_body_bytes};
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) headers = curl_slist_append(headers, (name + ": " + value).c_str());
    headers = curl_slist_append(headers, "Expect:");
    char error[CURL_ERROR_SIZE] = {0};
    common_options(curl, request.url, request.connect_timeout_ms, error);
    if (request.method == "GET") {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(curl, CURLOPT_POST, 1L);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        if (request.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    curl_slist* resolve = nullptr;
    if (!request.pinned_resolve.empty()) {
        resolve = curl_slist_append(resolve, request.pinned_resolve.c_str());
        curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<long long>(1, request.timeout_ms)));
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    CURLcode code = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    reply.status = static_cast<int>(status);
    if (code == CURLE_ABORTED_BY_CALLBACK && transfer_cancelled()) {
        reply.error = "cancelled";
    } else if (reply.too_large) {
        reply.error = "the response body is larger than " + std::to_string(request.max_body_bytes) + " bytes";
    } else if (code != CURLE_OK && !transfer.aborted_by_consumer) {
        reply.timed_out = code == CURLE_OPERATION_TIMEDOUT;
        reply.error = reply.timed_out ? "timed out after " + std::to_string(request.timeout_ms) + " ms"
                                      : (error[0] != 0 ? std::string(error) : std::string(curl_easy_strerror(code)));
    } else if (transfer.aborted_by_consumer) {
        reply.error = "the response was refused while streaming";
    }
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
    curl_easy_cleanup(curl);
    return reply;
}

bool http_reachable(const std::string& url, long long timeout_ms, std::string& error) {
    global_init_once();
    CURL* curl = curl_easy_init();
    if (curl == nullptr) {
        error = "cannot create an HTTP client";
        return false;
    }
    char buffer[CURL_ERROR_SIZE] = {0};
    common_options(curl, url, timeout_ms, buffer);
    curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<long long>(1, timeout_ms)));
    CURLcode code = curl_easy_perform(curl);
    if (code != CURLE_OK) error = buffer[0] != 0 ? std::string(buffer) : std::string(curl_easy_strerror(code));
    curl_easy_cleanup(curl);
    return code == CURLE_OK;
}

}  // namespace agenthost::llm
