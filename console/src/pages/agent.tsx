// One agent: its state and manifest, and the invoke form built from its schemas.
import { get } from "../api";
import { ErrorBox, Json, Loading, Section, Status } from "../components/common";
import { InvokeForm } from "../components/invoke_form";
import { useLoad } from "../hooks";
import type { Agent } from "../types";

export function AgentPage({ name }: { name: string }) {
  const { data: agent, error } = useLoad(() => get<Agent>("/agents/" + encodeURIComponent(name)), [name]);
  return (
    <>
      <h1>{name}</h1>
      <ErrorBox error={error} />
      <Loading when={agent}>
        {agent ? (
          <>
            <dl class="facts">
              <dt>State</dt><dd><Status value={agent.state} />{agent.reason ? <span class="error"> {agent.reason}</span> : null}</dd>
              <dt>Version</dt><dd>{agent.library_version ?? agent.manifest?.version}</dd>
              <dt>ABI</dt><dd>{agent.library_abi_version}</dd>
              <dt>Domain</dt><dd>{agent.manifest?.domain}</dd>
              <dt>Isolation</dt><dd>{agent.isolation}</dd>
              <dt>Permissions</dt><dd>{(agent.manifest?.permissions ?? []).join(", ") || "none"}</dd>
              <dt>LLM usage</dt><dd>{agent.llm_usage ? `${agent.llm_usage.calls} calls, ${agent.llm_usage.total_tokens} tokens` : "—"}</dd>
            </dl>
            <p>{agent.manifest?.description}</p>
            {agent.manifest?.approval_required?.length ? (
              <p class="notice">
                Needs approval for: {agent.manifest.approval_required.map((a) => `${a.operation}${a.reason ? ` (${a.reason})` : ""}`).join("; ")}
              </p>
            ) : null}
            <Section title="Invoke">
              <InvokeForm agent={agent} />
            </Section>
            <Section title="Schemas">
              <details><summary>Input schema</summary><Json value={agent.manifest?.input_schema ?? {}} /></details>
              <details><summary>Output schema</summary><Json value={agent.manifest?.output_schema ?? {}} /></details>
              <details><summary>Config schema</summary><Json value={agent.manifest?.config_schema ?? {}} /></details>
            </Section>
          </>
        ) : null}
      </Loading>
    </>
  );
}
