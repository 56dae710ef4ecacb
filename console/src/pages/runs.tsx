// Runs, newest first, filtered by status, agent and thread, a page at a
// time (the host's cursors), refreshed every few seconds while open.
import { useState } from "preact/hooks";
import { get } from "../api";
import { ErrorBox, Loading, Status, Time } from "../components/common";
import { useLoad } from "../hooks";
import { link } from "../router";
import type { RunPage } from "../types";

const statuses = ["", "queued", "blocked", "running", "pending_approval", "succeeded", "failed", "cancelled"];

export function RunsPage({ query }: { query: URLSearchParams }) {
  const status = query.get("status") ?? "";
  const agent = query.get("agent") ?? "";
  const thread = query.get("thread_id") ?? "";
  const cursor = query.get("cursor") ?? "";
  const [agentText, setAgentText] = useState(agent);
  const [threadText, setThreadText] = useState(thread);
  const params = new URLSearchParams(Object.entries({ status, agent, thread_id: thread, cursor, limit: "25" }).filter(([, v]) => v));
  const { data, error } = useLoad(() => get<RunPage>("/runs?" + params.toString()), [params.toString()], 3000);
  const filters = { status, agent, thread_id: thread };
  const apply = (e: Event) => {
    e.preventDefault();
    location.hash = link(["runs"], { ...filters, agent: agentText.trim(), thread_id: threadText.trim() });
  };
  return (
    <>
      <h1>Runs</h1>
      <form class="filters" onSubmit={apply}>
        <label>status{" "}
          <select name="status" value={status} onChange={(e) => (location.hash = link(["runs"], { ...filters, status: (e.target as HTMLSelectElement).value }))}>
            {statuses.map((s) => <option value={s}>{s || "any"}</option>)}
          </select>
        </label>
        <label>agent <input name="agent" value={agentText} onInput={(e) => setAgentText((e.target as HTMLInputElement).value)} /></label>
        <label>thread <input name="thread_id" value={threadText} onInput={(e) => setThreadText((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">Filter</button>
        <span class="muted live">live</span>
      </form>
      <ErrorBox error={error} />
      <Loading when={data}>
        <table class="runs">
          <thead><tr><th>Run</th><th>Agent</th><th>Status</th><th>Created</th><th>Duration</th><th>Thread</th></tr></thead>
          <tbody>
            {data?.runs.map((run) => (
              <tr data-run={run.run_id}>
                <td><a href={link(["runs", run.run_id])}>{run.run_id}</a></td>
                <td>{run.agent}</td>
                <td><Status value={run.status} /></td>
                <td><Time value={run.created_at} /></td>
                <td>{run.duration_seconds !== null ? run.duration_seconds.toFixed(2) + " s" : ""}</td>
                <td><a href={link(["runs"], { thread_id: run.thread_id })}>{run.thread_id}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.runs.length === 0 ? <p class="muted">No runs match.</p> : null}
        <p class="pager">
          {cursor ? <a href={link(["runs"], filters)}>First page</a> : null}{" "}
          {data?.next_cursor ? <a class="next" href={link(["runs"], { ...filters, cursor: data.next_cursor })}>Older runs →</a> : null}
        </p>
      </Loading>
    </>
  );
}
