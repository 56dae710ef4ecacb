// The enabled agents: state, isolation, version, domain and LLM usage.
import { get } from "../api";
import { ErrorBox, Loading, Status } from "../components/common";
import { useLoad } from "../hooks";
import { link } from "../router";
import type { Agent, AgentList } from "../types";

async function loadAgents(): Promise<{ list: AgentList; agents: Agent[] }> {
  const list = await get<AgentList>("/agents");
  const agents = await Promise.all(list.agents.map((name) => get<Agent>("/agents/" + encodeURIComponent(name))));
  return { list, agents };
}

export function AgentsPage() {
  const { data, error } = useLoad(loadAgents, []);
  return (
    <>
      <h1>Agents</h1>
      <ErrorBox error={error} />
      <Loading when={data}>
        <table class="agents">
          <thead>
            <tr><th>Agent</th><th>State</th><th>Domain</th><th>Version</th><th>Isolation</th><th>LLM calls</th><th>Tokens</th><th></th></tr>
          </thead>
          <tbody>
            {data?.agents.map((agent) => (
              <tr data-agent={agent.name}>
                <td>
                  <a href={link(["agents", agent.name])}>{agent.name}</a>
                  <div class="muted small">{data.list.descriptions[agent.name]?.slice(0, 140)}</div>
                </td>
                <td><Status value={agent.state} /></td>
                <td>{agent.manifest?.domain}</td>
                <td>{agent.library_version ?? agent.manifest?.version}</td>
                <td>{agent.isolation}</td>
                <td>{agent.llm_usage?.calls ?? 0}</td>
                <td>{agent.llm_usage?.total_tokens ?? 0}</td>
                <td><a class="button" href={link(["agents", agent.name])}>Invoke</a></td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.agents.length === 0 ? <p class="muted">No agent is enabled.</p> : null}
      </Loading>
    </>
  );
}
