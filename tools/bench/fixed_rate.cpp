// A constant-rate HTTP load (wrk2's idea): requests are scheduled at fixed
// intervals and each one's latency is measured from when it was due, not
// from when a busy connection got round to sending it, so a slow server
// cannot hide its queueing (coordinated omission).
//
//   fixed_rate PORT PATH BODY_FILE RATE SECONDS [CONNECTIONS]
//
// POSTs BODY_FILE's content as JSON (GET when BODY_FILE is "-") and prints
// the achieved rate, non-2xx answers and latency percentiles.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

int connect_to(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

// Sends one request and reads its response; the status, or 0 when the
// connection failed.
int exchange(int fd, const std::string& request, std::string& buffer) {
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) return 0;
    buffer.clear();
    size_t header_end = std::string::npos, need = 0;
    char chunk[16384];
    for (;;) {
        if (header_end != std::string::npos && buffer.size() >= need) break;
        ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
        if (got <= 0) return 0;
        buffer.append(chunk, static_cast<size_t>(got));
        if (header_end == std::string::npos && (header_end = buffer.find("\r\n\r\n")) != std::string::npos) {
            std::string head = buffer.substr(0, header_end);
            for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            size_t at = head.find("content-length:");
            need = header_end + 4 + (at == std::string::npos ? 0 : std::strtoul(head.c_str() + at + 15, nullptr, 10));
        }
    }
    return std::atoi(buffer.c_str() + 9);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 6) {
        std::fprintf(stderr, "usage: fixed_rate PORT PATH BODY_FILE RATE SECONDS [CONNECTIONS]\n");
        return 2;
    }
    int port = std::atoi(argv[1]);
    std::string path = argv[2], body_file = argv[3];
    double rate = std::atof(argv[4]), seconds = std::atof(argv[5]);
    int connections = argc > 6 ? std::atoi(argv[6]) : 32;
    std::string request;
    if (body_file == "-") {
        request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    } else {
        std::ifstream in(body_file);
        std::stringstream body;
        body << in.rdbuf();
        request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
                  std::to_string(body.str().size()) + "\r\n\r\n" + body.str();
    }
    const long long total = static_cast<long long>(rate * seconds);
    const auto interval = std::chrono::duration<double>(1.0 / rate);
    std::atomic<long long> next{0};
    std::atomic<long long> failures{0}, non_2xx{0};
    std::mutex mutex;
    std::vector<double> latencies_ms;
    latencies_ms.reserve(static_cast<size_t>(total));
    const auto start = Clock::now() + std::chrono::milliseconds(100);
    std::vector<std::thread> workers;
    for (int c = 0; c < connections; ++c) {
        workers.emplace_back([&] {
            int fd = connect_to(port);
            std::string buffer;
            std::vector<double> mine;
            for (;;) {
                long long i = next.fetch_add(1);
                if (i >= total) break;
                auto due = start + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(i));
                std::this_thread::sleep_until(due);
                if (fd < 0) fd = connect_to(port);
                int status = fd < 0 ? 0 : exchange(fd, request, buffer);
                if (status == 0) {
                    ++failures;
                    if (fd >= 0) ::close(fd);
                    fd = -1;
                    continue;
                }
                if (status < 200 || status >= 300) ++non_2xx;
                mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - due).count());
            }
            if (fd >= 0) ::close(fd);
            std::lock_guard<std::mutex> lock(mutex);
            latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
        });
    }
    for (auto& worker : workers) worker.join();
    double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::sort(latencies_ms.begin(), latencies_ms.end());
    auto at = [&](double q) {
        if (latencies_ms.empty()) return 0.0;
        return latencies_ms[std::min(latencies_ms.size() - 1, static_cast<size_t>(q * latencies_ms.size()))];
    };
    std::printf("offered %.0f req/s for %.0f s: %zu answered (%.0f req/s), %lld non-2xx, %lld failed; "
                "latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
                rate, seconds, latencies_ms.size(), latencies_ms.size() / elapsed, non_2xx.load(), failures.load(),
                at(0.5), at(0.9), at(0.99), latencies_ms.empty() ? 0.0 : latencies_ms.back());
    return failures.load() == 0 && non_2xx.load() == 0 ? 0 : 1;
}
