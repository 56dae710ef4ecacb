// Webhook deliveries: the recent runs that name a webhook, and one run's
// (or processing request's) deliveries with their attempts and a retry.
import { useState } from "preact/hooks";
import { get } from "../api";
import { ErrorBox, Loading, Status, Time } from "../components/common";
import { WebhookDeliveries } from "../components/webhook_log";
import { useLoad } from "../hooks";
import { link } from "../router";
import type { RunPage } from "../types";

export function WebhooksPage() {
  const { data, error } = useLoad(() => get<RunPage>("/runs?limit=500"), [], 5000);
  const [id, setId] = useState("");
  const withWebhook = data?.runs.filter((run) => run.webhook_url);
  return (
    <>
      <h1>Webhook deliveries</h1>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); if (id.trim()) location.hash = link(["webhooks", id.trim()]); }}>
        <label>run or request id <input name="request_id" value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">Show deliveries</button>
      </form>
      <ErrorBox error={error} />
      <Loading when={data}>
        <table>
          <thead><tr><th>Run</th><th>Agent</th><th>Status</th><th>Webhook</th><th>Created</th></tr></thead>
          <tbody>
            {withWebhook?.map((run) => (
              <tr>
                <td><a href={link(["webhooks", run.run_id])}>{run.run_id}</a></td>
                <td>{run.agent}</td>
                <td><Status value={run.status} /></td>
                <td><code>{run.webhook_url}</code></td>
                <td><Time value={run.created_at} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        {withWebhook?.length === 0 ? <p class="muted">None of the last 500 runs names a webhook.</p> : null}
      </Loading>
    </>
  );
}

export function WebhookPage({ id }: { id: string }) {
  return (
    <>
      <h1>Webhook deliveries of <code>{id}</code></h1>
      <p><a href={link(["runs", id])}>The run</a></p>
      <WebhookDeliveries id={id} />
    </>
  );
}
