// Workflows and pipelines: the recent ones (found through their runs'
// pipeline_id) and one as a graph of its steps, refreshed while it runs.
import { useState } from "preact/hooks";
import { get } from "../api";
import { ErrorBox, Json, Loading, Status, Time } from "../components/common";
import { StepGraph } from "../components/step_graph";
import { useLoad } from "../hooks";
import { link } from "../router";
import type { RunPage, Workflow } from "../types";

async function recentWorkflows(): Promise<{ id: string; agents: string[]; statuses: string[]; created: string | null }[]> {
  const page = await get<RunPage>("/runs?limit=500");
  const found = new Map<string, { id: string; agents: string[]; statuses: string[]; created: string | null }>();
  for (const run of page.runs) {
    if (!run.pipeline_id) continue;
    const entry = found.get(run.pipeline_id) ?? { id: run.pipeline_id, agents: [], statuses: [], created: run.created_at };
    entry.agents.push(run.agent);
    entry.statuses.push(run.status);
    found.set(run.pipeline_id, entry);
  }
  return [...found.values()];
}

export function WorkflowsPage() {
  const { data, error } = useLoad(recentWorkflows, [], 5000);
  const [id, setId] = useState("");
  return (
    <>
      <h1>Workflows and pipelines</h1>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); if (id.trim()) location.hash = link(["workflows", id.trim()]); }}>
        <label>id <input name="workflow_id" value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">Open</button>
      </form>
      <ErrorBox error={error} />
      <Loading when={data}>
        <table class="workflows">
          <thead><tr><th>Workflow</th><th>Steps</th><th>States</th><th>Started</th></tr></thead>
          <tbody>
            {data?.map((w) => (
              <tr>
                <td><a href={link(["workflows", w.id])}>{w.id}</a></td>
                <td>{w.agents.join(", ")}</td>
                <td>{w.statuses.map((s) => <Status value={s} />)}</td>
                <td><Time value={w.created} /></td>
              </tr>
            ))}
          </tbody>
        </table>
        {data?.length === 0 ? <p class="muted">No workflow among the last 500 runs.</p> : null}
      </Loading>
    </>
  );
}

export function WorkflowPage({ id }: { id: string }) {
  const { data, error } = useLoad(() => get<Workflow>("/workflows/" + encodeURIComponent(id)), [id], 2000);
  return (
    <>
      <h1>Workflow <code>{id}</code></h1>
      <ErrorBox error={error} />
      <Loading when={data}>
        {data ? (
          <>
            <dl class="facts">
              <dt>Status</dt><dd><Status value={data.status} /></dd>
              <dt>Mode</dt><dd>{data.mode}</dd>
              <dt>Task</dt><dd>{data.task}</dd>
              <dt>Steps</dt><dd>{data.steps_finished} of {data.steps_total} finished</dd>
              <dt>Created</dt><dd><Time value={data.created_at} /></dd>
              <dt>Finished</dt><dd><Time value={data.finished_at} /></dd>
            </dl>
            <div class="graph-box"><StepGraph steps={data.steps} /></div>
            <details><summary>Steps as JSON</summary><Json value={data.steps} /></details>
          </>
        ) : null}
      </Loading>
    </>
  );
}
