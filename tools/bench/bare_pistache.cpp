// make bench's reference for GET /health: a Pistache server that does only
// what every handler must (keep-alive for HTTP/1.1, see
// ../shared/notes/pistache-0.0.5.md) and answers a fixed JSON body. The
// ratio of agenthost's /health to it is what the host itself costs per
// request (tools/bench/health-bench).
//
//   bare_pistache PORT THREADS
#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <csignal>
#include <cstdlib>
#include <iostream>

namespace {

class Handler : public Pistache::Http::Handler {
  public:
    HTTP_PROTOTYPE(Handler)

    void onRequest(const Pistache::Http::Request& request, Pistache::Http::ResponseWriter response) override {
        auto connection = request.headers().tryGet<Pistache::Http::Header::Connection>();
        bool close = request.version() != Pistache::Http::Version::Http11 ||
                     (connection && connection->control() == Pistache::Http::ConnectionControl::Close);
        // Pistache has already put "Connection: Close" on the response.
        response.headers().remove<Pistache::Http::Header::Connection>();
        response.headers().add<Pistache::Http::Header::Connection>(
            close ? Pistache::Http::ConnectionControl::Close : Pistache::Http::ConnectionControl::KeepAlive);
        response.send(Pistache::Http::Code::Ok, R"({"status":"healthy"})");
    }
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: bare_pistache PORT THREADS\n";
        return 2;
    }
    Pistache::Address address(Pistache::Ipv4::loopback(), Pistache::Port(static_cast<uint16_t>(std::atoi(argv[1]))));
    Pistache::Http::Endpoint endpoint(address);
    endpoint.init(Pistache::Http::Endpoint::options().threads(std::atoi(argv[2])).flags(Pistache::Tcp::Options::ReuseAddr));
    endpoint.setHandler(Pistache::Http::make_handler<Handler>());
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    endpoint.serveThreaded();
    int signal = 0;
    sigwait(&signals, &signal);
    endpoint.shutdown();
    return 0;
}
