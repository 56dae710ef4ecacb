// The public keys of a JWKS URL (auth.jwt.jwks_url): fetched at start,
// cached, fetched again every refresh interval by a thread of its own, and
// at once (at most once per `min_refetch`) when a token names a key id the
// cache lacks, which is how an identity provider's key rotation is picked
// up. A fetch that fails or returns a bad document is logged and the last
// good keys stay in use.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace agenthost::auth {

class JwksSource {
  public:
    struct Key {
        std::string alg;  // RS256 | ES256
        std::string pem;
    };
    using Keys = std::map<std::string, Key>;  // by kid
    // Returns the document at `url` or throws std::runtime_error.
    using Fetch = std::function<std::string(const std::string& url)>;

    // `fetch` null: libcurl GET with a 5 s timeout, 2xx only.
    JwksSource(std::string url, std::chrono::milliseconds refresh, std::chrono::milliseconds min_refetch,
               Fetch fetch = nullptr);
    ~JwksSource();
    JwksSource(const JwksSource&) = delete;
    JwksSource& operator=(const JwksSource&) = delete;

    // Fetches once (a failure leaves the cache empty and is logged), then
    // starts the refresher.
    void start();
    void stop();

    std::shared_ptr<const Keys> keys() const;
    // A token named `kid`, which the cache lacks: fetch again unless the
    // last fetch was less than `min_refetch` ago, and return the keys.
    std::shared_ptr<const Keys> refetch_for(const std::string& kid);

    // Fetches so far, and the failed ones (for tests and logs).
    long long fetches() const;
    long long failures() const;

  private:
    void fetch_now();

    const std::string url_;
    const std::chrono::milliseconds refresh_;
    const std::chrono::milliseconds min_refetch_;
    Fetch fetch_;
    mutable std::mutex keys_mutex_;
    std::shared_ptr<const Keys> keys_;
    // One fetch at a time; a request that wanted one while another ran
    // uses its result.
    std::mutex fetch_mutex_;
    std::chrono::steady_clock::time_point last_fetch_{};
    long long fetches_ = 0;
    long long failures_ = 0;
    std::mutex stop_mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread refresher_;
};

// libcurl GET of `url`: the body of a 2xx answer, else std::runtime_error.
std::string http_get(const std::string& url, long timeout_seconds);

}  // namespace agenthost::auth
