#include "store/webhook_repository.hpp"

#include "store/row_reader.hpp"
#include "store/secret_box.hpp"
#include "util/ids.hpp"

namespace agenthost::store {
namespace {

const char* kColumns =
    "id, webhook_id, source_type, source_id, event_type, url, secret, payload, status, attempts, "
    "next_attempt_at_ms, created_at_ms";

WebhookDelivery from_row(const soci::row& row) {
    WebhookDelivery delivery;
    delivery.id = text_at(row, 0);
    delivery.webhook_id = text_at(row, 1);
    delivery.source_type = text_at(row, 2);
    delivery.source_id = text_at(row, 3);
    delivery.event_type = text_at(row, 4);
    delivery.url = text_at(row, 5);
    delivery.secret = text_at(row, 6);
    delivery.payload = text_at(row, 7);
    delivery.status = text_at(row, 8);
    delivery.attempts = static_cast<int>(integer_at(row, 9));
    delivery.next_attempt_at_ms = integer_at(row, 10);
    delivery.created_at_ms = integer_at(row, 11);
    return delivery;
}

}  // namespace

void WebhookRepository::enqueue(soci::session& session, const std::string& source_type, const std::string& source_id,
                                const std::string& event_type, const std::string& url, const std::string& secret) const {
    std::string id = new_uuid();
    std::string webhook_id = "msg_" + id;
    long long now = now_ms();
    // Sealed once more in case the caller holds it in the clear (seal() leaves
    // already sealed text alone).
    std::string sealed = secret_box().seal(secret);
    soci::indicator secret_indicator = sealed.empty() ? soci::i_null : soci::i_ok;
    session << "INSERT INTO webhook_deliveries (id, webhook_id, source_type, source_id, event_type, url, secret, "
               "status, attempts, next_attempt_at_ms, created_at_ms, updated_at_ms) "
               "VALUES (:id, :w, :st, :si, :e, :u, :s, 'pending', 0, :n, :c, :up)",
        soci::use(id), soci::use(webhook_id), soci::use(source_type), soci::use(source_id), soci::use(event_type),
        soci::use(url), soci::use(sealed, secret_indicator), soci::use(now), soci::use(now), soci::use(now);
}

std::vector<WebhookDelivery> WebhookRepository::claim_due(soci::session& session, const std::string& owner,
                                                          long long lease_until_ms, size_t limit,
                                                          bool skip_locked) const {
    long long now = now_ms();
    long long count = static_cast<long long>(limit);
    std::string lock = skip_locked ? " FOR UPDATE SKIP LOCKED" : "";
    std::vector<WebhookDelivery> claimed;
    // Pending ones that are due, and ones whose sender died mid-send.
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("UPDATE webhook_deliveries SET status = 'sending', lease_owner = :o, "
                                        "lease_expires_at_ms = :l, updated_at_ms = :n WHERE id IN (SELECT id FROM "
                                        "webhook_deliveries WHERE (status = 'pending' AND next_attempt_at_ms <= :n2) "
                                        "OR (status = 'sending' AND lease_expires_at_ms < :n3) "
                                        "ORDER BY next_attempt_at_ms LIMIT :c") +
                                lock + ") RETURNING " + kColumns,
         soci::use(owner), soci::use(lease_until_ms), soci::use(now), soci::use(now), soci::use(now), soci::use(count));
    for (const soci::row& row : rows) claimed.push_back(from_row(row));
    return claimed;
}

size_t WebhookRepository::release_claims(soci::session& session) const {
    long long now = now_ms();
    soci::statement update = (session.prepare << "UPDATE webhook_deliveries SET status = 'pending', lease_owner = NULL, "
                                                 "lease_expires_at_ms = NULL, updated_at_ms = :n WHERE status = 'sending'",
                              soci::use(now));
    update.execute(true);
    return static_cast<size_t>(update.get_affected_rows());
}

void WebhookRepository::set_payload(soci::session& session, const std::string& id, const std::string& payload) const {
    session << "UPDATE webhook_deliveries SET payload = :p WHERE id = :id AND payload IS NULL", soci::use(payload),
        soci::use(id);
}

void WebhookRepository::record_attempt(soci::session& session, const WebhookDelivery& delivery,
                                       const WebhookAttempt& attempt, const std::string& status,
                                       long long next_attempt_at_ms) const {
    soci::indicator code_indicator = attempt.status_code == 0 ? soci::i_null : soci::i_ok;
    soci::indicator error_indicator = attempt.error.empty() ? soci::i_null : soci::i_ok;
    session << "INSERT INTO webhook_attempts (delivery_id, attempt, at_ms, status_code, error, duration_ms) "
               "VALUES (:d, :a, :t, :c, :e, :ms)",
        soci::use(delivery.id), soci::use(attempt.attempt), soci::use(attempt.at_ms),
        soci::use(attempt.status_code, code_indicator), soci::use(attempt.error, error_indicator),
        soci::use(attempt.duration_ms);
    long long now = now_ms();
    session << "UPDATE webhook_deliveries SET status = :s, attempts = :a, next_attempt_at_ms = :n, "
               "lease_owner = NULL, lease_expires_at_ms = NULL, updated_at_ms = :u WHERE id = :id",
        soci::use(status), soci::use(attempt.attempt), soci::use(next_attempt_at_ms), soci::use(now),
        soci::use(delivery.id);
}

std::optional<std::string> WebhookRepository::retry_latest(soci::session& session, const std::string& source_id) const {
    std::string id;
    soci::indicator found = soci::i_null;
    session << "SELECT id FROM webhook_deliveries WHERE source_id = :s ORDER BY created_at_ms DESC LIMIT 1",
        soci::into(id, found), soci::use(source_id);
    if (!session.got_data() || found != soci::i_ok) return std::nullopt;
    long long now = now_ms();
    session << "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at_ms = :n, updated_at_ms = :u "
               "WHERE id = :id AND status <> 'sending'",
        soci::use(now), soci::use(now), soci::use(id);
    return id;
}

std::vector<WebhookDelivery> WebhookRepository::for_source(soci::session& session, const std::string& source_id) const {
    std::vector<WebhookDelivery> deliveries;
    soci::rowset<soci::row> rows =
        (session.prepare << std::string("SELECT ") + kColumns +
                                " FROM webhook_deliveries WHERE source_id = :s ORDER BY created_at_ms, id",
         soci::use(source_id));
    for (const soci::row& row : rows) deliveries.push_back(from_row(row));
    return deliveries;
}

std::vector<WebhookAttempt> WebhookRepository::attempts(soci::session& session, const std::string& delivery_id) const {
    std::vector<WebhookAttempt> out;
    soci::rowset<soci::row> rows =
        (session.prepare << "SELECT attempt, at_ms, status_code, error, duration_ms FROM webhook_attempts "
                            "WHERE delivery_id = :d ORDER BY attempt",
         soci::use(delivery_id));
    for (const soci::row& row : rows) {
        WebhookAttempt attempt;
        attempt.attempt = static_cast<int>(integer_at(row, 0));
        attempt.at_ms = integer_at(row, 1);
        attempt.status_code = static_cast<int>(integer_at(row, 2));
        attempt.error = text_at(row, 3);
        attempt.duration_ms = row.get_indicator(4) == soci::i_null ? 0 : std::stod(text_at(row, 4));
        out.push_back(attempt);
    }
    return out;
}

}  // namespace agenthost::store
