// Runs an agent from a form built from its input schema, with the answer
// streaming in: POST /agent/stream read with fetch (the key travels in a
// header), each event shown as it arrives, then the run's result.
import { useRef, useState } from "preact/hooks";
import { get, streamEvents } from "../api";
import type { Agent, Run, RunEvent } from "../types";
import { link } from "../router";
import { ErrorBox, Status } from "./common";
import { EventList } from "./event_list";
import { ResultView } from "./result_view";
import { contextOf, type FormValues, SchemaForm } from "./schema_form";

export function InvokeForm({ agent }: { agent: Agent }) {
  const [task, setTask] = useState("");
  const [values, setValues] = useState<FormValues>({});
  const [requireApproval, setRequireApproval] = useState(false);
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [run, setRun] = useState<Run | undefined>(undefined);
  const [runId, setRunId] = useState("");
  const [error, setError] = useState<Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setEvents([]);
    setRun(undefined);
    setRunId("");
    let context: Record<string, unknown>;
    try {
      context = contextOf(agent.manifest?.input_schema, values);
    } catch (reason) {
      setError(reason as Error);
      return;
    }
    const body: Record<string, unknown> = { agent_name: agent.name, task, context };
    if (requireApproval) body.require_approval = true;
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setBusy(true);
    let id = "";
    try {
      await streamEvents("POST", "/agent/stream", { body, signal: controller.signal }, (message) => {
        if (message.event !== "message") return;
        const event = JSON.parse(message.data) as RunEvent;
        if (!id) {
          id = event.run_id;
          setRunId(id);
        }
        setEvents((list) => [...list, event]);
      });
      if (id) setRun(await get<Run>("/runs/" + encodeURIComponent(id)));
    } catch (reason) {
      if ((reason as Error).name !== "AbortError") setError(reason as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="invoke" onSubmit={submit}>
      <div class="field">
        <label for="task">task <abbr title="required"> *</abbr></label>
        <textarea id="task" name="task" rows={3} required value={task} onInput={(e) => setTask((e.target as HTMLTextAreaElement).value)} />
        <small>What the agent is asked to do.</small>
      </div>
      <fieldset>
        <legend>context</legend>
        <SchemaForm schema={agent.manifest?.input_schema} values={values} onChange={setValues} />
      </fieldset>
      <label class="inline">
        <input type="checkbox" name="require_approval" checked={requireApproval}
          onChange={(e) => setRequireApproval((e.target as HTMLInputElement).checked)} /> require approval before it runs
      </label>
      <div class="actions">
        <button type="submit" disabled={busy}>{busy ? "Running…" : "Invoke"}</button>
        {busy ? <button type="button" onClick={() => abort.current?.abort()}>Stop following</button> : null}
      </div>
      <ErrorBox error={error} />
      {runId ? (
        <p>Run <a href={link(["runs", runId])} class="run-link">{runId}</a>{run ? <> — <Status value={run.status} /></> : null}</p>
      ) : null}
      {events.length ? <EventList events={events} /> : null}
      {run ? (
        <>
          <h3>Result</h3>
          <ResultView run={run} />
        </>
      ) : null}
    </form>
  );
}
