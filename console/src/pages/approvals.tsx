// Runs waiting for a person: what each will do, approve or reject with a comment.
import { get } from "../api";
import { ApprovalPanel } from "../components/approval_panel";
import { ErrorBox, Loading } from "../components/common";
import { useLoad } from "../hooks";
import { link } from "../router";
import type { RunPage } from "../types";

export function ApprovalsPage() {
  const { data, error, reload } = useLoad(() => get<RunPage>("/runs?status=pending_approval&limit=200"), [], 3000);
  return (
    <>
      <h1>Approvals waiting</h1>
      <ErrorBox error={error} />
      <Loading when={data}>
        {data?.runs.length === 0 ? <p class="muted">Nothing waits for approval.</p> : null}
        {data?.runs.map((run) => (
          <article class="card" key={run.run_id}>
            <h3><a href={link(["runs", run.run_id])}>{run.run_id}</a></h3>
            <ApprovalPanel run={run} onDecided={reload} />
          </article>
        ))}
      </Loading>
    </>
  );
}
