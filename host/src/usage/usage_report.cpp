#include "usage/usage_report.hpp"

#include "util/utc_calendar.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>
#include <tuple>

namespace agenthost::usage {
namespace {

struct ModelTotals {
    long long calls = 0, input_tokens = 0, output_tokens = 0;
};

struct Totals {
    long long runs = 0;
    long long run_ms = 0;
    std::map<std::string, long long> by_status;
    ModelTotals llm;
    std::map<std::pair<std::string, std::string>, ModelTotals> by_model;

    void add(const store::UsageRunRow& row) {
        runs += row.runs;
        run_ms += row.run_ms;
        by_status[row.status] += row.runs;
    }
    void add(const store::UsageTokenRow& row) {
        for (ModelTotals* into : {&llm, &by_model[{row.provider, row.model}]}) {
            into->calls += row.calls;
            into->input_tokens += row.input_tokens;
            into->output_tokens += row.output_tokens;
        }
    }
};

// The group a row belongs to: (tenant, key) for keys, so the default key ""
// of two tenants stays apart.
template <typename Row>
std::pair<std::string, std::string> group_of(GroupBy group_by, const Row& row) {
    switch (group_by) {
        case GroupBy::key: return {row.tenant, row.key_id};
        case GroupBy::tenant: return {row.tenant, ""};
        case GroupBy::agent: return {row.agent, ""};
        case GroupBy::day: break;
    }
    return {row.day, ""};
}

const char* group_name(GroupBy group_by) {
    switch (group_by) {
        case GroupBy::key: return "key";
        case GroupBy::tenant: return "tenant";
        case GroupBy::agent: return "agent";
        case GroupBy::day: break;
    }
    return "day";
}

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void field(Writer& out, const char* name, const std::string& value) {
    out.Key(name);
    out.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void write_tokens(Writer& out, const ModelTotals& totals) {
    out.Key("calls");
    out.Int64(totals.calls);
    out.Key("input_tokens");
    out.Int64(totals.input_tokens);
    out.Key("output_tokens");
    out.Int64(totals.output_tokens);
    out.Key("total_tokens");
    out.Int64(totals.input_tokens + totals.output_tokens);
}

void write_totals(Writer& out, const Totals& totals) {
    out.Key("runs");
    out.Int64(totals.runs);
    out.Key("runs_by_status");
    out.StartObject();
    for (const auto& [status, runs] : totals.by_status) {
        out.Key(status.c_str());
        out.Int64(runs);
    }
    out.EndObject();
    out.Key("run_seconds");
    out.Double(static_cast<double>(totals.run_ms) / 1000.0);
    out.Key("llm");
    out.StartObject();
    write_tokens(out, totals.llm);
    out.EndObject();
    out.Key("llm_by_model");
    out.StartArray();
    for (const auto& [which, model] : totals.by_model) {
        out.StartObject();
        field(out, "provider", which.first);
        field(out, "model", which.second);
        write_tokens(out, model);
        out.EndObject();
    }
    out.EndArray();
}

}  // namespace

UsageRequest parse_usage_request(const std::string& from, const std::string& to, const std::string& group_by,
                                 long long now_ms) {
    UsageRequest request;
    if (group_by.empty() || group_by == "day") request.group_by = GroupBy::day;
    else if (group_by == "key") request.group_by = GroupBy::key;
    else if (group_by == "tenant") request.group_by = GroupBy::tenant;
    else if (group_by == "agent") request.group_by = GroupBy::agent;
    else throw BadUsageParameter("group_by", "group_by must be one of key, tenant, agent, day");
    request.to = to.empty() ? utc_day(now_ms) : to;
    auto last = parse_day(request.to);
    if (!last) throw BadUsageParameter("to", "to must be a date as YYYY-MM-DD");
    request.from = from.empty() ? month_start(request.to) : from;
    auto first = parse_day(request.from);
    if (!first) throw BadUsageParameter("from", "from must be a date as YYYY-MM-DD");
    if (*first > *last) throw BadUsageParameter("from", "from (" + request.from + ") is after to (" + request.to + ")");
    if (*last - *first >= 366) throw BadUsageParameter("from", "at most 366 days can be asked for at once");
    return request;
}

std::string usage_report_json(store::Store& store, const UsageRequest& request) {
    store::UsageQuery query{request.from, request.to, request.by_tenant, request.tenant};
    auto [run_rows, token_rows] = store.read([&](soci::session& session) {
        return std::make_pair(store.usage().runs(session, query), store.usage().tokens(session, query));
    });
    std::map<std::pair<std::string, std::string>, Totals> groups;
    Totals all;
    for (const auto& row : run_rows) {
        groups[group_of(request.group_by, row)].add(row);
        all.add(row);
    }
    for (const auto& row : token_rows) {
        groups[group_of(request.group_by, row)].add(row);
        all.add(row);
    }

    rapidjson::StringBuffer buffer;
    Writer out(buffer);
    out.StartObject();
    field(out, "from", request.from);
    field(out, "to", request.to);
    field(out, "group_by", group_name(request.group_by));
    out.Key("groups");
    out.StartArray();
    for (const auto& [group, totals] : groups) {
        out.StartObject();
        if (request.group_by == GroupBy::key) {
            field(out, "tenant", group.first);
            field(out, "key_id", group.second);
        } else {
            field(out, group_name(request.group_by), group.first);
        }
        write_totals(out, totals);
        out.EndObject();
    }
    out.EndArray();
    out.Key("totals");
    out.StartObject();
    write_totals(out, all);
    out.EndObject();
    out.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace agenthost::usage
