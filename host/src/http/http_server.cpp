#include "http/http_server.hpp"

#include "http/api_error.hpp"
#include "http/raw_connection.hpp"
#include "http/request_guard.hpp"
#include "http/url_encoding.hpp"
#include "util/ids.hpp"
#include "metrics/host_metrics.hpp"
#include "telemetry/host_spans.hpp"
#include "util/log.hpp"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>

#include <fcntl.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <sstream>

// Pistache's own Http::Handler::onInput, called by name. It is a private
// override there, so a subclass that checks the bytes first (RequestGuard)
// cannot call it as Base::onInput; the linker finds it by its symbol, and a
// Pistache whose symbol differs fails the link rather than misbehaving.
extern void pistache_http_handler_on_input(Pistache::Http::Handler* handler, const char* buffer, size_t length,
                                           const std::shared_ptr<Pistache::Tcp::Peer>& peer)
    __asm__("_ZN8Pistache4Http7Handler7onInputEPKcmRKSt10shared_ptrINS_3Tcp4PeerEE");

namespace agenthost::http {
namespace {

using namespace Pistache;
using Clock = std::chrono::steady_clock;

// Where a taken-over connection's input goes (ResponseChannel::take_over).
struct TakenInput {
    InputSink sink;
};
const std::string kTakenInputKey = "agenthost.taken_input";

// Pistache refuses requests beyond its own buffer limit with a plain-text
// 413 before the host sees them. Its limit sits this far above ours so any
// body up to this size over the configured limit still gets the envelope.
constexpr size_t kTransportHeadroom = 1024 * 1024;

// ASCII only, without the locale lookups of std::tolower: header names and
// tokens are ASCII, and this runs for every header of every request.
std::string lower(std::string text) {
    for (char& c : text) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return text;
}

// Decides keep-alive the way RFC 9112 does: HTTP/1.1 persists unless the
// client says close; HTTP/1.0 closes unless the client asks to keep alive.
// What a draining host still answers: it changes nothing.
bool is_read(const std::string& method) { return method == "GET" || method == "HEAD" || method == "OPTIONS"; }

bool wants_keep_alive(Http::Version version, const std::string& connection_header) {
    std::string value = lower(connection_header);
    if (version == Http::Version::Http11) return value.find("close") == std::string::npos;
    return value.find("keep-alive") != std::string::npos;
}

// Parsing a media type per response shows in profiles; JSON is parsed once.
Http::Mime::MediaType media_type(const std::string& text) {
    static const std::string json_text = "application/json";
    static const Http::Mime::MediaType json = Http::Mime::MediaType::fromString(json_text);
    return text == json_text ? json : Http::Mime::MediaType::fromString(text);
}

// Pistache 0.0.5 writes only typed headers into a response (addRaw ones are
// silently dropped), so every extra header goes out as this typed one.
class NamedHeader : public Http::Header::Header {
  public:
    NamedHeader(std::string name, std::string value) : name_(std::move(name)), value_(std::move(value)) {}
    const char* name() const override { return name_.c_str(); }
    void write(std::ostream& stream) const override { stream << value_; }
    uint64_t hash() const override { return Http::Header::detail::hash(name_.c_str()); }

  private:
    std::string name_, value_;
};

// Sends one response on a Pistache ResponseWriter, from whichever thread the
// handler finishes on (a single send() from a worker thread is safe in
// Pistache 0.0.5; repeated writes are not and are never done here).
class PistacheChannel : public ResponseChannel {
  public:
    PistacheChannel(Http::ResponseWriter writer, std::string method, std::string path, std::string request_id,
                    bool keep_alive)
        : writer_(std::move(writer)),
          method_(std::move(method)),
          path_(std::move(path)),
          request_id_(std::move(request_id)),
          keep_alive_(keep_alive),
          started_(Clock::now()) {}

    ~PistacheChannel() override {
        // A handler that dropped its responder without answering would leave
        // the client hanging: answer for it.
        if (!sent_.load())
            send(error_response(500, "InternalError", "the request was dropped without a response", request_id_));
    }

    // Headers every response to this request carries; set before dispatch,
    // so before any thread can send.
    void add_headers(HeaderList headers) { extra_headers_ = std::move(headers); }

    // The request's server span, ended with the response; its context is
    // the dispatching thread's current one (runs accepted keep it).
    const telemetry::TraceContext& trace(telemetry::Span span) {
        span_ = std::move(span);
        return span_.context();
    }

    std::unique_ptr<RawConnection> take_over(InputSink sink) override {
        if (sent_.exchange(true)) return nullptr;
        std::shared_ptr<Tcp::Peer> peer = writer_.peer();
        // Only a protocol switch (a WebSocket upgrade) keeps the client's
        // input: its answer is 101, a streamed response's 200.
        const bool switching = static_cast<bool>(sink);
        // Installed before this handler returns, so the reactor's next read
        // of the socket already goes to the sink (RequestHandler::onInput).
        if (sink && peer) peer->putData(kTakenInputKey, std::make_shared<TakenInput>(TakenInput{std::move(sink)}));
        // Pistache would answer the stream 408 once its header timeout
        // passed since the request (its bytes landing in the middle of the
        // stream): an idle peer is only dropped, silently, after the
        // keep-alive timeout, and our descriptor outlives that.
        if (peer) peer->setIdle(true);
        // Our own descriptor for the socket: Pistache closes its own when the
        // client leaves, and the number may be reused at once.
        int fd = peer ? fcntl(peer->fd(), F_DUPFD_CLOEXEC, 0) : -1;
        int status = fd < 0 ? 499 : switching ? 101 : 200;
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
        record_metrics(status, ms);
        telemetry::end_http_span(span_, status);
        log::info("request", {{"method", method_},
                              {"path", path_},
                              {"status", status},
                              {"duration_ms", ms},
                              {"request_id", request_id_},
                              {"streaming", "true"}});
        if (fd < 0) return nullptr;
        std::string extra;
        for (const auto& [name, value] : extra_headers_) extra += name + ": " + value + "\r\n";
        return std::make_unique<RawConnection>(fd, request_id_, std::move(extra));
    }

    // Whether the answer (or a take-over) has gone out.
    bool answered() const { return sent_.load(); }

    void send(HttpResponse response) override {
        if (sent_.exchange(true)) {
            log::error("second response for one request ignored", {{"request_id", request_id_}, {"path", path_}});
            return;
        }
        try {
            auto& headers = writer_.headers();
            headers.remove<Http::Header::Connection>();
            headers.add<Http::Header::Connection>(keep_alive_ ? Http::ConnectionControl::KeepAlive
                                                              : Http::ConnectionControl::Close);
            headers.add(std::make_shared<NamedHeader>("X-Request-ID", request_id_));
            for (const auto& [name, value] : response.headers) headers.add(std::make_shared<NamedHeader>(name, value));
            for (const auto& [name, value] : extra_headers_) headers.add(std::make_shared<NamedHeader>(name, value));
            auto written =
                writer_.send(static_cast<Http::Code>(response.status), response.body, media_type(response.content_type));
            if (!keep_alive_) {
                // Pistache 0.0.5 says "Connection: Close" and keeps the
                // socket open: a client that reads to the end (HTTP/1.0,
                // Connection: close) would hang. Once the answer is written
                // (on the peer's reactor thread, where the descriptor is
                // still the peer's), the write side is shut; the client's
                // close then ends the peer.
                std::shared_ptr<Tcp::Peer> peer = writer_.peer();
                written.then([peer](ssize_t) { ::shutdown(peer->fd(), SHUT_WR); }, Async::IgnoreException);
            }
        } catch (const std::exception& e) {
            // The client went away; nothing left to tell it.
            log::debug("response not delivered", {{"request_id", request_id_}, {"error", e.what()}});
        }
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
        record_metrics(response.status, ms);
        telemetry::end_http_span(span_, response.status);
        log::info("request", {{"method", method_},
                              {"path", path_},
                              {"status", response.status},
                              {"duration_ms", ms},
                              {"request_id", request_id_}});
    }

    void set_route(const std::string* pattern) override {
        route_ = pattern;
        telemetry::set_http_route(span_, method_, *pattern);
    }

  private:
    // Labelled by the route's template, never the raw path: one series per
    // endpoint, whatever ids clients send. Unrouted requests (unknown
    // paths, refused before routing) share the label "none".
    void record_metrics(int status, double ms) const {
        static const std::string kNone = "none";
        const std::string& route = route_ != nullptr ? *route_ : kNone;
        metrics::HostMetrics& m = metrics::host_metrics();
        m.http_requests.add({route, method_, std::to_string(status)});
        m.http_duration.observe({route, method_}, ms / 1000.0);
    }

    Http::ResponseWriter writer_;
    const std::string* route_ = nullptr;
    std::string method_, path_, request_id_;
    bool keep_alive_;
    Clock::time_point started_;
    std::atomic<bool> sent_{false};
    HeaderList extra_headers_;
    telemetry::Span span_;
};

std::map<std::string, std::string> collect_headers(const Http::Header::Collection& collection) {
    std::map<std::string, std::string> headers;
    // Typed headers only render through a stream; one per thread is reused
    // because constructing a stream per header is a measurable cost.
    thread_local std::ostringstream value;
    for (const auto& header : collection.list()) {
        value.str(std::string());
        value.clear();
        header->write(value);
        headers[lower(header->name())] = value.str();
    }
    for (const auto& [name, raw] : collection.rawList()) headers[lower(name)] = raw.value();
    return headers;
}

// Pistache parses the headers it knows (Host, Content-Type, Accept, Date,
// Cache-Control, ...) into typed objects and answers a value it cannot
// parse with a plain-text 415 or 500. The guard asks the same parsers first.
std::string pistache_header_problem(std::string_view name, std::string_view value) {
    auto& registry = Http::Header::Registry::instance();
    std::string header_name(name);
    if (!registry.isRegistered(header_name)) return "";
    try {
        registry.makeHeader(header_name)->parseRaw(value.data(), value.size());
        return "";
    } catch (const std::exception& e) {
        std::string reason = e.what();
        // Library-internal wording (std::stoi and friends) says nothing useful.
        if (reason.find("sto") == 0 || reason.find("basic_string") != std::string::npos) return "invalid value";
        return reason.empty() ? "invalid value" : reason;
    }
}

// The guard's state for one connection, kept on the Pistache peer.
struct GuardedConnection {
    explicit GuardedConnection(const GuardLimits& limits) : guard(limits, pistache_header_problem) {}
    RequestGuard guard;
    bool refused = false;
};

// Answers a request the guard refused with the envelope and ends the
// connection. Runs on the peer's reactor thread, so the descriptor is still
// the peer's; the response is small enough for the socket buffer.
void refuse_connection(Tcp::Peer& peer, const GuardVerdict& verdict) {
    std::string request_id = new_uuid();
    HttpResponse response = error_response(verdict.status, verdict.error, verdict.message, request_id);
    std::string reason = verdict.status == 431   ? "Request Header Fields Too Large"
                         : verdict.status == 413 ? "Payload Too Large"
                         : verdict.status == 414 ? "URI Too Long"
                         : verdict.status == 501 ? "Not Implemented"
                         : verdict.status == 505 ? "HTTP Version Not Supported"
                                                 : "Bad Request";
    std::string wire = "HTTP/1.1 " + std::to_string(verdict.status) + " " + reason +
                       "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(response.body.size()) +
                       "\r\nConnection: close\r\nX-Request-ID: " + request_id + "\r\n\r\n" + response.body;
    ssize_t sent = ::send(peer.fd(), wire.data(), wire.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)sent;  // a client that cannot take 300 bytes is closed all the same
    // FIN after the answer; the reactor drops the peer when the client
    // closes its side (reading on lets the answer arrive before any reset).
    ::shutdown(peer.fd(), SHUT_WR);
    log::info("request", {{"method", "-"},
                          {"path", "-"},
                          {"status", verdict.status},
                          {"duration_ms", 0.0},
                          {"request_id", request_id},
                          {"refused", verdict.message}});
}

class RequestHandler : public Http::Handler {
  public:
    HTTP_PROTOTYPE(RequestHandler)

    RequestHandler(const Router* router, size_t max_body_bytes, const RequestFilter* filter,
                   const std::atomic<bool>* draining)
        : router_(router), max_body_bytes_(max_body_bytes), filter_(filter), draining_(draining) {
        limits_.max_body_bytes = max_body_bytes;
    }

    // Every byte passes the guard before Pistache's parser sees it.
    void onInput(const char* buffer, size_t length, const std::shared_ptr<Tcp::Peer>& peer) override {
        // A connection taken over with a sink (a WebSocket) speaks no more HTTP.
        if (auto taken = std::static_pointer_cast<TakenInput>(peer->tryGetData(kTakenInputKey))) {
            // The client still talks (a pong at least, every ping
            // interval): restart Pistache's idle clock, or it would drop
            // the peer, and with it this input, after its keep-alive
            // timeout. On the peer's reactor thread, as Pistache does.
            Http::Handler::getParser(peer)->reset();
            taken->sink(std::string_view(buffer, length));
            return;
        }
        static const std::string kKey = "agenthost.guard";
        auto connection = std::static_pointer_cast<GuardedConnection>(peer->tryGetData(kKey));
        if (!connection) {
            connection = std::make_shared<GuardedConnection>(limits_);
            peer->putData(kKey, connection);
        }
        if (connection->refused) return;
        GuardVerdict verdict = connection->guard.feed(std::string_view(buffer, length));
        if (!verdict.ok()) {
            connection->refused = true;
            refuse_connection(*peer, verdict);
            return;
        }
        pistache_http_handler_on_input(this, buffer, length, peer);
    }

    void onRequest(const Http::Request& pistache_request, Http::ResponseWriter writer) override {
        HttpRequest request;
        request.method = Http::methodString(pistache_request.method());
        request.path = pistache_request.resource();
        request.query = parse_query(pistache_request.query().as_str());
        request.headers = collect_headers(pistache_request.headers());
        const std::string& client_id = request.header("x-request-id");
        request.request_id = is_valid_client_id(client_id) ? client_id : new_uuid();
        bool keep_alive = wants_keep_alive(pistache_request.version(), request.header("connection"));
        request.client_address = pistache_request.address().host();
        std::shared_ptr<Tcp::Peer> peer;
        try {
            peer = writer.peer();
        } catch (const std::exception&) {
            // Gone already: nothing to keep waiting.
        }
        auto channel = std::make_shared<PistacheChannel>(std::move(writer), request.method, request.path,
                                                         request.request_id, keep_alive);
        // An answer a worker sends later (a sync invoke, a run wait) must
        // not be cut by Pistache's header timeout, which counts from this
        // request and answers a plain 408 for a peer that is not idle: the
        // waiting peer counts as idle, so only the keep-alive timeout
        // (longer than any wait) applies to it. Pistache marks it busy again
        // at the next request.
        struct MarkIdleIfWaiting {
            const std::shared_ptr<PistacheChannel>& channel;
            const std::shared_ptr<Tcp::Peer>& peer;
            ~MarkIdleIfWaiting() {
                if (peer && !channel->answered()) peer->setIdle(true);
            }
        } mark_idle_if_waiting{channel, peer};
        Responder responder(channel);
        telemetry::ScopedContext traced(
            channel->trace(telemetry::start_http_span(request.header("traceparent"), request.method, request.path)));
        try {
            if (draining_->load() && !is_read(request.method)) {
                // Stopping: reads and open streams go on while accepted work
                // drains; new work goes to another host or waits for this one.
                ApiError error(503, "ShuttingDown", "the host is stopping and takes no new work; retry on another "
                                                    "host or once it is back");
                error.headers.emplace_back("Retry-After", "5");
                throw error;
            }
            if (filter_ != nullptr && *filter_) {
                HeaderList headers;
                std::optional<HttpResponse> answer;
                try {
                    answer = (*filter_)(request, headers);
                } catch (...) {
                    channel->add_headers(std::move(headers));
                    throw;
                }
                channel->add_headers(std::move(headers));
                if (answer) {
                    responder.send(std::move(*answer));
                    return;
                }
            }
            if (pistache_request.body().size() > max_body_bytes_)
                throw ApiError(413, "PayloadTooLarge",
                               "request body of " + std::to_string(pistache_request.body().size()) +
                                   " bytes exceeds the limit of " + std::to_string(max_body_bytes_) + " bytes");
            if (!pistache_request.body().empty()) request.body = pistache_request.body();
            router_->dispatch(request, responder);
        } catch (const ApiError& error) {
            responder.send(error_response(error, request.request_id));
        } catch (const std::exception& e) {
            log::error("handler failed", {{"request_id", request.request_id}, {"path", request.path}, {"error", e.what()}});
            responder.send(error_response(500, "InternalError", "internal error; see the host log for request " +
                                                                    request.request_id,
                                          request.request_id));
        }
    }

  private:
    const Router* router_;
    size_t max_body_bytes_;
    const RequestFilter* filter_;
    const std::atomic<bool>* draining_;
    GuardLimits limits_;
};

}  // namespace

struct HttpServer::Impl {
    ServerSettings settings;
    const Router& router;
    RequestFilter filter;
    std::unique_ptr<Http::Endpoint> endpoint;
    bool started = false;
    std::atomic<bool> draining{false};
};

HttpServer::HttpServer(ServerSettings settings, const Router& router, RequestFilter filter)
    : impl_(new Impl{std::move(settings), router, std::move(filter), nullptr}) {}

HttpServer::~HttpServer() { shutdown(); }

void HttpServer::start() {
    // A client that disconnects mid-response must not kill the process.
    std::signal(SIGPIPE, SIG_IGN);
    Address address(impl_->settings.host, Port(impl_->settings.port));
    impl_->endpoint = std::make_unique<Http::Endpoint>(address);
    auto options = Http::Endpoint::options()
                       .threads(impl_->settings.threads)
                       .flags(Tcp::Options::ReuseAddr | Tcp::Options::NoDelay)
                       .maxRequestSize(impl_->settings.max_request_bytes + kTransportHeadroom)
                       .maxResponseSize(64 * 1024 * 1024)
                       .headerTimeout(std::chrono::milliseconds(
                           static_cast<long long>(impl_->settings.header_timeout_seconds * 1000)))
                       .bodyTimeout(std::chrono::milliseconds(
                           static_cast<long long>(impl_->settings.header_timeout_seconds * 1000)))
                       // Idle keep-alive connections, and peers waiting for
                       // their answer (see RequestHandler::onRequest).
                       .keepaliveTimeout(std::chrono::milliseconds(static_cast<long long>(
                           std::max(300.0, impl_->settings.longest_answer_seconds) * 1000)));
    impl_->endpoint->init(options);
    impl_->endpoint->setHandler(std::make_shared<RequestHandler>(&impl_->router, impl_->settings.max_request_bytes,
                                                                   &impl_->filter, &impl_->draining));
    impl_->endpoint->serveThreaded();
    impl_->started = true;
}

void HttpServer::drain() { impl_->draining = true; }

uint16_t HttpServer::port() const {
    return impl_->endpoint ? static_cast<uint16_t>(impl_->endpoint->getPort()) : impl_->settings.port;
}

void HttpServer::shutdown() {
    if (impl_ && impl_->started) {
        impl_->endpoint->shutdown();
        impl_->started = false;
    }
}

}  // namespace agenthost::http
