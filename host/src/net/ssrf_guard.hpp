// Server-side request forgery guard for URLs the host fetches on someone
// else's behalf: webhook URLs a caller supplies, and the requests plugins
// make through the http service. Without it a caller (or a plugin) could make
// the host talk to its own loopback services, the private network or the
// cloud metadata endpoint, none of which it can reach directly.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sockaddr;

namespace agenthost::net {

// An http(s) URL taken apart. scheme and host are lower-case; host has no
// brackets ("::1" for "http://[::1]/"). port_text is the port as written, ""
// when the URL has none; port is that port or the scheme's default (80, 443).
// path_and_query is what goes on the request line: "/" when the URL has no
// path, never the #fragment.
struct UrlParts {
    std::string scheme, host, port_text;
    int port = 0;
    std::string path_and_query;
};

// Parses an absolute http or https URL. On failure returns nullopt and sets
// `error` to a sentence saying what is wrong. Deliberately stricter than
// RFC 3986: no userinfo, no whitespace or control characters anywhere, no
// percent-escapes or exotic characters in the host, no empty port, no IPv6
// zone ids, so no other URL parser (libcurl's) can read a different host out
// of a URL this one accepted.
std::optional<UrlParts> parse_http_url(std::string_view url, std::string& error);

// What kind of destination an address is. Anything but public_address is
// refused unless the host is explicitly allowed.
enum class AddressClass { public_address, loopback, private_network, link_local, metadata, unspecified, multicast, reserved };

// Classifies an AF_INET or AF_INET6 address (any other family, or null, is
// `reserved`). IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d)
// IPv6 addresses are classified as the IPv4 address they carry, since that
// is where a connection ends up.
AddressClass classify(const sockaddr* address);

// "loopback", "private network", "cloud metadata", ... for messages.
const char* describe(AddressClass address_class);

struct GuardDecision {
    bool allowed = false;
    bool unresolved = false;  // refused because the name did not resolve (may pass later)
    std::string reason;       // why refused; empty when allowed
    std::string resolved_ip;  // numeric address to connect to ("" if none)
    int port = 0;
    std::string host;  // as in UrlParts::host
};

// Decides whether the host may deliver to `url`. A host listed in
// `allowed_hosts` (exact, case-insensitive; IPv6 literals with or without
// brackets) is allowed whatever it resolves to. Any other host is resolved
// (getaddrinfo, so this blocks) and refused if ANY of its addresses is not a
// public one: a name with one public and one internal address could
// otherwise be used to reach the internal one.
//
// resolved_ip is the address the caller must connect to (pin it with
// CURLOPT_RESOLVE "host:port:resolved_ip"), so a second DNS answer cannot
// swap in an internal address between this check and the connection. It is
// "" only for an allowed host that did not resolve.
GuardDecision check_webhook_url(std::string_view url, const std::vector<std::string>& allowed_hosts);

// How a refusal names what was refused and the setting that would allow it.
struct GuardWording {
    std::string subject = "webhook_url";
    std::string allow_setting = "webhooks.allowed_hosts";
};

// check_webhook_url for another user of the guard, with its own wording.
GuardDecision check_url(std::string_view url, const std::vector<std::string>& allowed_hosts,
                        const GuardWording& wording);

// What can be decided without DNS, when a URL is submitted: the syntax, IP
// literals (in any spelling) outside the public ranges, and localhost
// names. A name is resolved and checked at delivery by check_webhook_url;
// a submit never waits on a resolver (seed 004's example URL need not
// resolve where the run is accepted).
GuardDecision check_webhook_url_at_submit(std::string_view url, const std::vector<std::string>& allowed_hosts);

}  // namespace agenthost::net
