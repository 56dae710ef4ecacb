#include "auth/jwks_source.hpp"

#include "auth/jwt_verifier.hpp"
#include "util/log.hpp"

#include <curl/curl.h>

#include <stdexcept>

namespace agenthost::auth {
namespace {

size_t append_body(char* data, size_t size, size_t count, void* user) {
    auto* body = static_cast<std::string*>(user);
    // A JWKS is a few kilobytes; refuse to buffer anything huge.
    if (body->size() + size * count > 1024 * 1024) return 0;
    body->append(data, size * count);
    return size * count;
}

}  // namespace

std::string http_get(const std::string& url, long timeout_seconds) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) throw std::runtime_error("curl_easy_init failed");
    std::string body;
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, timeout_seconds);
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, timeout_seconds);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
    CURLcode code = curl_easy_perform(curl.get());
    if (code != CURLE_OK) throw std::runtime_error(std::string("GET ") + url + " failed: " + curl_easy_strerror(code));
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299) throw std::runtime_error("GET " + url + " answered " + std::to_string(status));
    return body;
}

JwksSource::JwksSource(std::string url, std::chrono::milliseconds refresh, std::chrono::milliseconds min_refetch,
                       Fetch fetch)
    : url_(std::move(url)),
      refresh_(refresh),
      min_refetch_(min_refetch),
      fetch_(fetch ? std::move(fetch) : Fetch([](const std::string& url) { return http_get(url, 5); })),
      keys_(std::make_shared<const Keys>()) {}

JwksSource::~JwksSource() { stop(); }

void JwksSource::start() {
    {
        std::lock_guard<std::mutex> lock(fetch_mutex_);
        fetch_now();
    }
    refresher_ = std::thread([this] {
        std::unique_lock<std::mutex> lock(stop_mutex_);
        while (!wake_.wait_for(lock, refresh_, [this] { return stopping_; })) {
            lock.unlock();
            {
                std::lock_guard<std::mutex> fetching(fetch_mutex_);
                fetch_now();
            }
            lock.lock();
        }
    });
}

void JwksSource::stop() {
    {
        std::lock_guard<std::mutex> lock(stop_mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (refresher_.joinable()) refresher_.join();
}

std::shared_ptr<const JwksSource::Keys> JwksSource::keys() const {
    std::lock_guard<std::mutex> lock(keys_mutex_);
    return keys_;
}

std::shared_ptr<const JwksSource::Keys> JwksSource::refetch_for(const std::string& kid) {
    std::lock_guard<std::mutex> lock(fetch_mutex_);
    // Someone else's fetch may have brought it while this waited.
    auto current = keys();
    if (current->count(kid) != 0) return current;
    // Unknown key ids are what anyone can put in a token: they must not
    // make the host hammer the identity provider.
    if (std::chrono::steady_clock::now() - last_fetch_ < min_refetch_) return current;
    log::info("JWT names a key id not in the cached JWKS; fetching it again", {{"url", url_}});
    fetch_now();
    return keys();
}

long long JwksSource::fetches() const {
    std::lock_guard<std::mutex> lock(keys_mutex_);
    return fetches_;
}

long long JwksSource::failures() const {
    std::lock_guard<std::mutex> lock(keys_mutex_);
    return failures_;
}

// Caller holds fetch_mutex_.
void JwksSource::fetch_now() {
    last_fetch_ = std::chrono::steady_clock::now();
    auto fresh = std::make_shared<Keys>();
    try {
        for (auto& [kid, key] : jwks_to_pem(fetch_(url_))) (*fresh)[kid] = {key.first, key.second};
    } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(keys_mutex_);
        ++fetches_;
        ++failures_;
        log::warn("fetching the JWKS failed; keeping the last good keys",
                  {{"url", url_}, {"error", e.what()}, {"cached_keys", static_cast<long long>(keys_->size())}});
        return;
    }
    std::lock_guard<std::mutex> lock(keys_mutex_);
    ++fetches_;
    keys_ = std::move(fresh);
}

}  // namespace agenthost::auth
