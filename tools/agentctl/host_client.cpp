#include "host_client.hpp"

#include "exit_codes.hpp"

#include <curl/curl.h>

#include <cstdio>
#include <iostream>
#include <mutex>

namespace agentctl {
namespace {

size_t collect(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

}  // namespace

HostClient::HostClient(std::string base_url, std::string key) : base_url_(std::move(base_url)), key_(std::move(key)) {
    static std::once_flag initialised;
    std::call_once(initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

Answer HostClient::send(const std::string& method, const std::string& path, const std::string& body) const {
    Answer answer;
    CURL* curl = curl_easy_init();
    if (curl == nullptr) {
        answer.error = "libcurl could not start";
        return answer;
    }
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    if (!key_.empty()) headers = curl_slist_append(headers, ("Authorization: Bearer " + key_).c_str());
    const std::string url = base_url_ + path;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    if (method == "POST") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    CURLcode code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (code != CURLE_OK) answer.error = url + ": " + curl_easy_strerror(code);
    return answer;
}

int print_body(const Answer& answer) {
    if (!answer.reached()) {
        std::cerr << "agentctl: " << answer.error << "\n";
        return kExitUnreachable;
    }
    std::cout << answer.body << "\n";
    return answer.ok() ? kExitOk : kExitFailed;
}

std::string query_escape(const std::string& value) {
    std::string out;
    for (unsigned char c : value) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            out += hex;
        }
    }
    return out;
}

}  // namespace agentctl
