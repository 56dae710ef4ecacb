#include "offline_usage.hpp"

#include "store/store.hpp"
#include "usage/usage_report.hpp"
#include "util/log.hpp"

#include <cctype>
#include <iostream>

namespace agentctl {

using namespace agenthost;

std::string usage_query(const UsageOptions& options) {
    std::string query;
    auto add = [&](const char* name, const std::string& value) {
        if (value.empty()) return;
        query += (query.empty() ? "?" : "&") + std::string(name) + "=";
        // Dates and group names need no escaping; anything else is the
        // host's to refuse, so pass it escaped rather than mangled.
        for (unsigned char c : value) {
            if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
                query += static_cast<char>(c);
            } else {
                static const char hex[] = "0123456789ABCDEF";
                query += '%';
                query += hex[c >> 4];
                query += hex[c & 15];
            }
        }
    };
    add("from", options.from);
    add("to", options.to);
    add("group_by", options.group_by);
    return query;
}

int offline_usage(const UsageOptions& options) {
    log::init(log::Level::error);
    usage::UsageRequest request;
    try {
        request = usage::parse_usage_request(options.from, options.to, options.group_by, store::now_ms());
    } catch (const usage::BadUsageParameter& e) {
        std::cerr << "agentctl: " << e.what() << "\n";
        return 2;
    }
    if (!options.tenant.empty()) {
        request.by_tenant = true;
        request.tenant = options.tenant;
    }
    try {
        store::DatabaseSettings settings =
            store::resolve_database(options.database_url, options.data_dir.empty() ? "data" : options.data_dir);
        settings.pool_size = 1;
        auto store = store::Store::open(settings);
        std::cout << usage::usage_report_json(*store, request) << "\n";
    } catch (const std::exception& e) {
        std::cerr << "agentctl: " << e.what() << "\n";
        return 2;
    }
    return 0;
}

}  // namespace agentctl
