#include "http_client.hpp"

#include "openapi_contract.hpp"

#include <curl/curl.h>

#include <algorithm>

namespace agenthost::testing {
namespace {

const std::string kEmpty;

size_t collect_body(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

size_t collect_header(char* data, size_t size, size_t count, void* out) {
    std::string line(data, size * count);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        value.erase(value.find_last_not_of("\r\n \t") + 1);
        (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
    }
    return size * count;
}

}  // namespace

const std::string& HttpResult::header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? kEmpty : found->second;
}

HttpClient::HttpClient(std::string base_url) : base_url_(std::move(base_url)), curl_(curl_easy_init()) {}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

HttpResult HttpClient::get(const std::string& path, const std::vector<std::string>& headers) {
    return request("GET", path, "", headers);
}

HttpResult HttpClient::post(const std::string& path, const std::string& body, const std::vector<std::string>& headers) {
    std::vector<std::string> all = headers;
    bool has_type = std::any_of(headers.begin(), headers.end(), [](const std::string& h) {
        std::string lower = h.substr(0, 13);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        return lower == "content-type:";
    });
    if (!has_type) all.push_back("Content-Type: application/json");
    return request("POST", path, body, all);
}

HttpResult HttpClient::request(const std::string& method, const std::string& path, const std::string& body,
                               const std::vector<std::string>& headers) {
    CURL* curl = static_cast<CURL*>(curl_);
    curl_easy_reset(curl);
    HttpResult result;
    std::string url = base_url_ + path;
    curl_slist* list = nullptr;
    for (const auto& header : headers) list = curl_slist_append(list, header.c_str());
    // curl adds "Expect: 100-continue" to large bodies; real clients differ,
    // and the tests want the body sent at once.
    list = curl_slist_append(list, "Expect:");
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (method == "GET") {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    CURLcode code = curl_easy_perform(curl);
    if (code != CURLE_OK) result.error = curl_easy_strerror(code);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
    curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &result.new_connections);
    curl_slist_free_all(list);
    check_against_openapi(base_url_, method, path, result);
    return result;
}

}  // namespace agenthost::testing
