#include "store/pipeline_repository.hpp"

#include "store/row_reader.hpp"
#include "store/secret_box.hpp"
#include "store/webhook_repository.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace agenthost::store {
namespace {

const char* kColumns =
    "id, thread_id, mode, agents, text, status, webhook_url, webhook_secret, created_at_ms, finished_at_ms, "
    "loop_max_iterations, iteration, tenant";

std::string agents_json(const std::vector<std::string>& agents) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartArray();
    for (const auto& agent : agents) writer.String(agent.c_str(), static_cast<rapidjson::SizeType>(agent.size()));
    writer.EndArray();
    return buffer.GetString();
}

std::vector<std::string> agents_from_json(const std::string& text) {
    rapidjson::Document document;
    document.Parse(text.c_str());
    std::vector<std::string> agents;
    if (document.IsArray())
        for (const auto& agent : document.GetArray())
            if (agent.IsString()) agents.emplace_back(agent.GetString());
    return agents;
}

PipelineRecord from_row(const soci::row& row) {
    PipelineRecord pipeline;
    pipeline.id = text_at(row, 0);
    pipeline.thread_id = text_at(row, 1);
    pipeline.mode = text_at(row, 2);
    pipeline.agents = agents_from_json(text_at(row, 3));
    pipeline.text = text_at(row, 4);
    pipeline.status = text_at(row, 5);
    pipeline.webhook_url = text_at(row, 6);
    pipeline.webhook_secret = text_at(row, 7);
    pipeline.created_at_ms = integer_at(row, 8);
    pipeline.finished_at_ms = integer_at(row, 9);
    pipeline.loop_max_iterations = static_cast<int>(integer_at(row, 10));
    pipeline.iteration = static_cast<int>(integer_at(row, 11));
    pipeline.tenant = text_at(row, 12);
    return pipeline;
}

}  // namespace

void PipelineRepository::insert(soci::session& session, const PipelineRecord& pipeline) const {
    std::string agents = agents_json(pipeline.agents);
    soci::indicator webhook_indicator = pipeline.webhook_url.empty() ? soci::i_null : soci::i_ok;
    std::string secret = secret_box().seal(pipeline.webhook_secret);
    soci::indicator secret_indicator = secret.empty() ? soci::i_null : soci::i_ok;
    session << "INSERT INTO pipelines (id, thread_id, mode, agents, text, status, webhook_url, webhook_secret, "
               "created_at_ms, loop_max_iterations, iteration, tenant) "
               "VALUES (:id, :t, :m, :a, :x, :s, :w, :ws, :c, :l, :i, :tenant)",
        soci::use(pipeline.id), soci::use(pipeline.thread_id), soci::use(pipeline.mode), soci::use(agents),
        soci::use(pipeline.text), soci::use(pipeline.status), soci::use(pipeline.webhook_url, webhook_indicator),
        soci::use(secret, secret_indicator), soci::use(pipeline.created_at_ms),
        soci::use(pipeline.loop_max_iterations), soci::use(pipeline.iteration), soci::use(pipeline.tenant);
}

bool PipelineRepository::settle(soci::session& session, const std::string& pipeline_id) const {
    long long unfinished = 0, unsuccessful = 0;
    session << "SELECT COUNT(*) FROM runs WHERE pipeline_id = :p AND status NOT IN ('succeeded', 'failed', 'cancelled')",
        soci::into(unfinished), soci::use(pipeline_id);
    if (unfinished > 0) return false;
    session << "SELECT COUNT(*) FROM runs WHERE pipeline_id = :p AND status <> 'succeeded'", soci::into(unsuccessful),
        soci::use(pipeline_id);
    std::string status = unsuccessful == 0 ? "completed" : "failed";
    long long now = now_ms();
    soci::statement update =
        (session.prepare << "UPDATE pipelines SET status = :s, finished_at_ms = :t WHERE id = :id AND status = 'processing'",
         soci::use(status), soci::use(now), soci::use(pipeline_id));
    update.execute(true);
    if (update.get_affected_rows() != 1) return false;
    // Its webhook goes out with the final result, queued in this transaction.
    auto pipeline = find(session, pipeline_id);
    if (pipeline && !pipeline->webhook_url.empty())
        WebhookRepository().enqueue(session, "pipeline", pipeline_id, "pipeline." + status, pipeline->webhook_url,
                                    pipeline->webhook_secret);
    return true;
}

std::optional<PipelineRecord> PipelineRepository::find(soci::session& session, const std::string& id) const {
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kColumns + " FROM pipelines WHERE id = :id", soci::use(id));
    for (const soci::row& row : rows) return from_row(row);
    return std::nullopt;
}

PipelinePage PipelineRepository::list(soci::session& session, size_t offset, size_t limit,
                                      const std::string* tenant) const {
    PipelinePage page;
    long long total = 0;
    long long skip = static_cast<long long>(offset), count = static_cast<long long>(limit);
    std::string select = std::string("SELECT ") + kColumns + " FROM pipelines ";
    const char* order = "ORDER BY created_at_ms DESC, id DESC LIMIT :n OFFSET :o";
    if (tenant != nullptr) {
        session << "SELECT COUNT(*) FROM pipelines WHERE tenant = :t", soci::into(total), soci::use(*tenant);
        soci::rowset<soci::row> rows = (session.prepare << select + "WHERE tenant = :t " + order, soci::use(*tenant),
                                        soci::use(count), soci::use(skip));
        for (const soci::row& row : rows) page.pipelines.push_back(from_row(row));
    } else {
        session << "SELECT COUNT(*) FROM pipelines", soci::into(total);
        soci::rowset<soci::row> rows = (session.prepare << select + order, soci::use(count), soci::use(skip));
        for (const soci::row& row : rows) page.pipelines.push_back(from_row(row));
    }
    page.total = static_cast<size_t>(total);
    return page;
}

}  // namespace agenthost::store
