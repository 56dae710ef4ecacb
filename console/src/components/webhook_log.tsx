// The webhook deliveries of a run or processing request, each attempt, and
// a button that sends the webhook again.
import { useState } from "preact/hooks";
import { get, post } from "../api";
import { useLoad } from "../hooks";
import type { WebhookLog } from "../types";
import { ErrorBox, Loading, Status, Time } from "./common";

export function WebhookDeliveries({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => get<WebhookLog>("/api/v1/webhook-logs/" + encodeURIComponent(id)), [id], 5000);
  const [retryError, setRetryError] = useState<Error | undefined>(undefined);
  const retry = async () => {
    setRetryError(undefined);
    try {
      await post("/api/v1/webhook/retry/" + encodeURIComponent(id));
      reload();
    } catch (reason) {
      setRetryError(reason as Error);
    }
  };
  return (
    <div class="webhooks" data-request={id}>
      <ErrorBox error={error} />
      <Loading when={data}>
        {data?.deliveries.length === 0 ? <p class="muted">No deliveries yet.</p> : null}
        {data?.deliveries.map((delivery) => (
          <div class="delivery">
            <p>
              <Status value={delivery.status} /> {delivery.event_type} → <code>{delivery.url}</code>{" "}
              <Time value={delivery.created_at} />
            </p>
            <table>
              <thead><tr><th>Attempt</th><th>At</th><th>HTTP status</th><th>Error</th><th>ms</th></tr></thead>
              <tbody>
                {delivery.attempts.map((attempt) => (
                  <tr>
                    <td>{attempt.attempt}</td>
                    <td><Time value={attempt.at} /></td>
                    <td>{attempt.status_code ?? "—"}</td>
                    <td>{attempt.error ?? ""}</td>
                    <td>{attempt.duration_ms ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
        <button type="button" class="retry" onClick={retry}>Send again</button>
        <ErrorBox error={retryError} />
      </Loading>
    </div>
  );
}
