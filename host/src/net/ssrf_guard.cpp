#include "net/ssrf_guard.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>

namespace agenthost::net {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// Letters, digits, '-', '.', '_': enough for any DNS name (IDNs arrive as
// punycode) and for dotted IPv4. Everything else ('%', '\\', non-ASCII, ...)
// is where URL parsers disagree about the host, so it is refused.
bool is_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_';
}

std::optional<int> parse_port(std::string_view text) {
    if (text.empty() || text.size() > 5) return std::nullopt;
    int port = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return std::nullopt;
    return port;
}

AddressClass classify_v4(uint32_t address) {
    auto in = [address](uint32_t network, int bits) { return (address >> (32 - bits)) == (network >> (32 - bits)); };
    // Metadata first: it sits inside link-local and must be named as itself.
    if (address == 0xA9FEA9FEu) return AddressClass::metadata;  // 169.254.169.254
    if (in(0x00000000u, 8)) return AddressClass::unspecified;
    if (in(0x7F000000u, 8)) return AddressClass::loopback;
    if (in(0x0A000000u, 8) || in(0xAC100000u, 12) || in(0xC0A80000u, 16) || in(0x64400000u, 10)) {
        return AddressClass::private_network;  // 10/8, 172.16/12, 192.168/16, 100.64/10 (CGNAT)
    }
    if (in(0xA9FE0000u, 16)) return AddressClass::link_local;
    if (in(0xE0000000u, 4)) return AddressClass::multicast;
    if (in(0xF0000000u, 4)) return AddressClass::reserved;  // 240/4, with 255.255.255.255
    return AddressClass::public_address;
}

uint32_t v4_at(const uint8_t* bytes) {
    return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) | bytes[3];
}

AddressClass classify_v6(const uint8_t* b) {
    static const uint8_t kZero[16] = {};
    static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const uint8_t kNat64[12] = {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t kAwsMetadata[16] = {0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
    if (std::memcmp(b, kZero, 16) == 0) return AddressClass::unspecified;
    if (std::memcmp(b, kZero, 15) == 0 && b[15] == 1) return AddressClass::loopback;
    // A socket connecting to ::ffff:a.b.c.d talks IPv4 to a.b.c.d, and a NAT64
    // gateway forwards 64:ff9b::a.b.c.d to a.b.c.d: judge the IPv4 address.
    if (std::memcmp(b, kMapped, 12) == 0 || std::memcmp(b, kNat64, 12) == 0) return classify_v4(v4_at(b + 12));
    // ::a.b.c.d, "IPv4-compatible", deprecated by RFC 4291: no real webhook
    // receiver has one, and stacks disagree on where it goes.
    if (std::memcmp(b, kZero, 12) == 0) return AddressClass::reserved;
    if (std::memcmp(b, kAwsMetadata, 16) == 0) return AddressClass::metadata;
    if ((b[0] & 0xfe) == 0xfc) return AddressClass::private_network;                   // fc00::/7
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressClass::link_local;        // fe80::/10
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return AddressClass::private_network;  // fec0::/10, old site-local
    if (b[0] == 0xff) return AddressClass::multicast;
    return AddressClass::public_address;
}

std::string numeric_address(const sockaddr* address) {
    char text[INET6_ADDRSTRLEN] = {};
    if (address->sa_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
    } else if (address->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text, sizeof text);
    }
    return text;
}

bool is_listed(const std::string& host, const std::vector<std::string>& allowed_hosts) {
    for (const auto& entry : allowed_hosts) {
        std::string_view name = entry;
        // "[::1]" and "::1" both name the host of http://[::1]/.
        if (name.size() >= 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
        if (lower(name) == host) return true;
    }
    return false;
}

}  // namespace

std::optional<UrlParts> parse_http_url(std::string_view url, std::string& error) {
    for (char c : url) {
        auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f) {
            error = "the URL contains whitespace or a control character";
            return std::nullopt;
        }
    }
    size_t separator = url.find("://");
    if (separator == std::string_view::npos) {
        error = "the URL must start with http:// or https://";
        return std::nullopt;
    }
    UrlParts parts;
    parts.scheme = lower(url.substr(0, separator));
    if (parts.scheme != "http" && parts.scheme != "https") {
        error = "the URL scheme must be http or https, not \"" + parts.scheme + "\"";
        return std::nullopt;
    }
    std::string_view rest = url.substr(separator + 3);
    size_t authority_end = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, authority_end);
    std::string_view tail = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);

    if (authority.find('@') != std::string_view::npos) {
        error = "the URL must not contain a user name or password";
        return std::nullopt;
    }
    std::string_view host;
    std::optional<std::string_view> port_text;
    if (!authority.empty() && authority.front() == '[') {
        size_t close = authority.find(']');
        if (close == std::string_view::npos) {
            error = "the URL has an unterminated [IPv6] host";
            return std::nullopt;
        }
        host = authority.substr(1, close - 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                error = "the URL has characters after its [IPv6] host";
                return std::nullopt;
            }
            port_text = after.substr(1);
        }
        in6_addr ignored;
        // inet_pton also refuses zone ids (fe80::1%eth0): they name an
        // interface of this machine, never a remote receiver.
        if (inet_pton(AF_INET6, std::string(host).c_str(), &ignored) != 1) {
            error = "the URL's [IPv6] host is not a valid IPv6 address";
            return std::nullopt;
        }
    } else {
        size_t colon = authority.find(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
        if (host.empty()) {
            error = "the URL has no host";
            return std::nullopt;
        }
        if (host.size() > 253) {
            error = "the URL's host is longer than 253 characters";
            return std::nullopt;
        }
        for (char c : host) {
            if (!is_host_char(c)) {
                error = "the URL's host contains a character other than letters, digits, '-', '.' and '_'";
                return std::nullopt;
            }
        }
    }
    parts.host = lower(host);
    if (port_text) {
        auto port = parse_port(*port_text);
        if (!port) {
            error = "the URL's port must be a number from 1 to 65535";
            return std::nullopt;
        }
        parts.port = *port;
        parts.port_text = std::string(*port_text);
    } else {
        parts.port = parts.scheme == "https" ? 443 : 80;
    }
    tail = tail.substr(0, tail.find('#'));  // the fragment is never sent
    if (tail.empty() || tail.front() == '?') parts.path_and_query = "/";
    parts.path_and_query += std::string(tail);
    return parts;
}

AddressClass classify(const sockaddr* address) {
    if (address == nullptr) return AddressClass::reserved;
    if (address->sa_family == AF_INET) {
        return classify_v4(ntohl(reinterpret_cast<const sockaddr_in*>(address)->sin_addr.s_addr));
    }
    if (address->sa_family == AF_INET6) {
        return classify_v6(reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr.s6_addr);
    }
    return AddressClass::reserved;
}

const char* describe(AddressClass address_class) {
    switch (address_class) {
        case AddressClass::public_address: return "public";
        case AddressClass::loopback: return "loopback";
        case AddressClass::private_network: return "private network";
        case AddressClass::link_local: return "link-local";
        case AddressClass::metadata: return "cloud metadata";
        case AddressClass::unspecified: return "unspecified";
        case AddressClass::multicast: return "multicast";
        case AddressClass::reserved: return "reserved";
    }
    return "unknown";
}

namespace {

// Parses `url` into `decision` (host, port), or says why it cannot be used.
std::optional<UrlParts> parsed_target(std::string_view url, GuardDecision& decision, const GuardWording& wording = {}) {
    std::string error;
    auto parts = parse_http_url(url, error);
    if (!parts) {
        decision.reason = wording.subject + " is not usable: " + error;
        return std::nullopt;
    }
    decision.host = parts->host;
    decision.port = parts->port;
    return parts;
}

// "... 127.0.0.1, a loopback address; allow the host ..." for a refused address.
std::string refused_address(const std::string& lead, const std::string& ip, AddressClass address_class,
                            const GuardWording& wording = {}) {
    std::string kind = describe(address_class);
    const char* article = std::strchr("aeiou", kind.front()) != nullptr ? "an" : "a";
    return lead + ip + ", " + article + " " + kind + " address; allow the host in " + wording.allow_setting +
           " to permit it";
}

}  // namespace

GuardDecision check_webhook_url(std::string_view url, const std::vector<std::string>& allowed_hosts) {
    return check_url(url, allowed_hosts, GuardWording{});
}

GuardDecision check_url(std::string_view url, const std::vector<std::string>& allowed_hosts,
                        const GuardWording& wording) {
    GuardDecision decision;
    auto parts = parsed_target(url, decision, wording);
    if (!parts) return decision;
    bool listed = is_listed(parts->host, allowed_hosts);

    // No AI_ADDRCONFIG: every address the name has is checked, including
    // families this machine cannot reach today.
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    int status = getaddrinfo(parts->host.c_str(), nullptr, &hints, &found);
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, &freeaddrinfo);
    if (status != 0 || found == nullptr) {
        if (listed) {
            // Explicitly trusted: let the HTTP client resolve it at delivery.
            decision.allowed = true;
            return decision;
        }
        decision.unresolved = true;
        decision.reason = wording.subject + " host " + parts->host + " does not resolve (" +
                          (status != 0 ? gai_strerror(status) : "no addresses") + ")";
        return decision;
    }
    for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
        AddressClass address_class = classify(entry->ai_addr);
        std::string ip = numeric_address(entry->ai_addr);
        if (!listed && address_class != AddressClass::public_address) {
            decision.reason = refused_address(wording.subject + " resolves to ", ip, address_class, wording);
            decision.resolved_ip.clear();
            return decision;
        }
        // getaddrinfo sorts by RFC 6724 preference: the first is the one the
        // client would have tried first anyway.
        if (decision.resolved_ip.empty()) decision.resolved_ip = ip;
    }
    decision.allowed = true;
    return decision;
}

GuardDecision check_webhook_url_at_submit(std::string_view url, const std::vector<std::string>& allowed_hosts) {
    GuardDecision decision;
    auto parts = parsed_target(url, decision);
    if (!parts) return decision;
    if (is_listed(parts->host, allowed_hosts)) {
        decision.allowed = true;
        return decision;
    }
    std::string host = parts->host;
    if (!host.empty() && host.back() == '.') host.pop_back();
    std::string lowered = host;
    for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lowered == "localhost" || (lowered.size() > 10 && lowered.compare(lowered.size() - 10, 10, ".localhost") == 0)) {
        decision.reason = "webhook_url host " + parts->host +
                          " is this machine (loopback); allow the host in webhooks.allowed_hosts to permit it";
        return decision;
    }
    // An IP literal in any spelling inet_aton takes (127.1, 0x7f000001,
    // 2130706433, [::ffff:127.0.0.1]): numeric only, no resolver.
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST;
    addrinfo* found = nullptr;
    int status = getaddrinfo(host.c_str(), nullptr, &hints, &found);
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, &freeaddrinfo);
    if (status == 0 && found != nullptr) {
        AddressClass address_class = classify(found->ai_addr);
        if (address_class != AddressClass::public_address) {
            decision.reason = refused_address("webhook_url is ", numeric_address(found->ai_addr), address_class);
            return decision;
        }
    }
    decision.allowed = true;
    return decision;
}

}  // namespace agenthost::net
