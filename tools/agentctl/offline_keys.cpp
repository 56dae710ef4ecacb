#include "offline_keys.hpp"

#include "auth/key_service.hpp"
#include "auth/scopes.hpp"
#include "store/store.hpp"
#include "util/log.hpp"
#include "util/time_format.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace agentctl {
namespace {

using namespace agenthost;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void time_field(Writer& out, const char* name, long long ms) {
    out.Key(name);
    if (ms == 0) out.Null();
    else out.String(iso8601_ms(ms).c_str());
}

void write_key(Writer& out, const store::ApiKeyRecord& key) {
    out.Key("id");
    out.String(key.id.c_str());
    out.Key("name");
    out.String(key.name.c_str());
    out.Key("scopes");
    out.StartArray();
    uint32_t scopes = 0;
    try {
        scopes = auth::parse_scopes(key.scopes);
    } catch (const std::invalid_argument&) {
    }
    for (auth::Scope scope : {auth::kRead, auth::kInvoke, auth::kCancel, auth::kApprove, auth::kAdmin})
        if (scopes & scope) out.String(auth::scope_name(scope));
    out.EndArray();
    out.Key("tenant");
    out.String(key.tenant.c_str());
    time_field(out, "created_at", key.created_at_ms);
    time_field(out, "last_used_at", key.last_used_at_ms);
    time_field(out, "expires_at", key.expires_at_ms);
    time_field(out, "revoked_at", key.revoked_at_ms);
}

// The audit log's actor for changes made here.
std::string local_actor() {
    const char* user = std::getenv("USER");
    char host[256] = "localhost";
    gethostname(host, sizeof host - 1);
    return std::string("agentctl (") + (user != nullptr ? user : "unknown") + "@" + host + ")";
}

}  // namespace

int offline_keys(const std::vector<std::string>& words, const KeyOptions& options) {
    // The store logs migrations; agentctl's stdout is for the answer only.
    log::init(log::Level::error);
    std::unique_ptr<store::Store> store;
    try {
        store::DatabaseSettings settings =
            store::resolve_database(options.database_url, options.data_dir.empty() ? "data" : options.data_dir);
        settings.pool_size = 1;
        store = store::Store::open(settings);
    } catch (const std::exception& e) {
        std::cerr << "agentctl: " << e.what() << "\n";
        return 2;
    }
    auth::KeyService keys(*store);
    rapidjson::StringBuffer buffer;
    Writer out(buffer);
    int status = 0;
    try {
        const std::string& action = words[1];
        if (action == "create" && words.size() == 2) {
            auth::CreatedKey created =
                keys.create({options.name, options.scopes, options.tenant, options.expires}, local_actor());
            out.StartObject();
            write_key(out, created.record);
            out.Key("key");
            out.String(created.key.c_str());
            out.EndObject();
        } else if (action == "list" && words.size() == 2) {
            out.StartObject();
            out.Key("keys");
            out.StartArray();
            for (const auto& key : keys.list()) {
                out.StartObject();
                write_key(out, key);
                out.EndObject();
            }
            out.EndArray();
            out.EndObject();
        } else if (action == "revoke" && words.size() == 3) {
            auto key = keys.find(words[2]);
            if (!key) {
                std::cerr << "agentctl: no API key with id '" << words[2] << "'\n";
                status = 1;
            } else {
                if (key->revoked_at_ms == 0) keys.revoke(key->id, local_actor());
                out.StartObject();
                write_key(out, *keys.find(key->id));
                out.Key("status");
                out.String("revoked");
                out.EndObject();
            }
        } else {
            std::cerr << "agentctl: usage: keys create --name NAME --scopes LIST [--tenant T] [--expires 30d] | "
                         "keys list | keys revoke ID\n";
            status = 2;
        }
    } catch (const std::invalid_argument& e) {
        std::cerr << "agentctl: " << e.what() << "\n";
        status = 1;
    } catch (const std::exception& e) {
        std::cerr << "agentctl: " << e.what() << "\n";
        status = 2;
    }
    store->stop();
    if (status == 0) std::cout << buffer.GetString() << "\n";
    return status;
}

}  // namespace agentctl
