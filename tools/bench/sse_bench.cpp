// Concurrent SSE clients on one host: how many it holds, and the latency
// from an agent emitting an event to a client reading it (the event's ts,
// set when the plugin emitted it, against the client's clock: same machine).
//
//   sse_bench PORT RUN_ID[,RUN_ID...] CLIENTS SECONDS
// Connects CLIENTS streams spread over the runs, reads for SECONDS, and
// prints connected clients, events received and latency p50/p99 over the
// events emitted after every client was connected.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace {

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// "2026-11-21T20:00:00.123Z" -> epoch ms.
long long parse_ts(const std::string& text) {
    std::tm tm{};
    int ms = 0;
    if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                    &tm.tm_sec, &ms) != 7)
        return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return static_cast<long long>(timegm(&tm)) * 1000 + ms;
}

struct Client {
    int fd;
    std::string buffer;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: sse_bench PORT RUN_ID[,RUN_ID...] CLIENTS SECONDS\n");
        return 2;
    }
    int port = std::atoi(argv[1]);
    std::vector<std::string> runs;
    for (std::string list = argv[2]; !list.empty();) {
        size_t comma = list.find(',');
        runs.push_back(list.substr(0, comma));
        list = comma == std::string::npos ? "" : list.substr(comma + 1);
    }
    int wanted = std::atoi(argv[3]);
    double seconds = std::atof(argv[4]);

    rlimit limit{};  // one descriptor per client
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    int epoll_fd = epoll_create1(0);
    std::vector<Client> clients;
    clients.reserve(static_cast<size_t>(wanted));
    for (int i = 0; i < wanted; ++i) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            close(fd);
            continue;
        }
        std::string request = "GET /runs/" + runs[static_cast<size_t>(i) % runs.size()] +
                              "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
        if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
            close(fd);
            continue;
        }
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = clients.size();
        epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
        clients.push_back({fd, {}});
    }
    long long all_connected = now_ms();

    std::vector<long long> latencies;
    size_t events = 0, open = clients.size();
    long long end = now_ms() + static_cast<long long>(seconds * 1000);
    std::vector<epoll_event> ready(512);
    char chunk[65536];
    while (now_ms() < end && open > 0) {
        int n = epoll_wait(epoll_fd, ready.data(), static_cast<int>(ready.size()), 100);
        long long received = now_ms();
        for (int i = 0; i < n; ++i) {
            Client& client = clients[ready[static_cast<size_t>(i)].data.u64];
            ssize_t got = recv(client.fd, chunk, sizeof chunk, 0);
            if (got <= 0) {
                epoll_ctl(epoll_fd, EPOLL_CTL_DEL, client.fd, nullptr);
                --open;
                continue;
            }
            client.buffer.append(chunk, static_cast<size_t>(got));
            size_t frame_end;
            while ((frame_end = client.buffer.find("\n\n")) != std::string::npos) {
                std::string frame = client.buffer.substr(0, frame_end);
                client.buffer.erase(0, frame_end + 2);
                size_t ts = frame.find("\"ts\":\"");
                if (ts == std::string::npos) continue;
                ++events;
                long long emitted = parse_ts(frame.substr(ts + 6, 24));
                if (emitted > all_connected + 1000) latencies.push_back(received - emitted);
            }
        }
    }
    std::sort(latencies.begin(), latencies.end());
    auto percentile = [&](double p) {
        return latencies.empty() ? -1 : latencies[static_cast<size_t>(p * static_cast<double>(latencies.size() - 1))];
    };
    std::printf("%-40s %12zu of %d\n", "SSE clients connected", clients.size(), wanted);
    std::printf("%-40s %12zu (%zu measured)\n", "events received", events, latencies.size());
    std::printf("%-40s %9lld ms p50, %lld ms p99\n", "emit-to-client latency", percentile(0.5), percentile(0.99));
    for (auto& client : clients) close(client.fd);
    return clients.size() == static_cast<size_t>(wanted) ? 0 : 1;
}
