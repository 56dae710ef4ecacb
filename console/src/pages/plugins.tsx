// Every plugin found: loaded, disabled or failed and why, with a reload
// button (a new build serves the next runs). GET /plugins needs `admin`.
import { useState } from "preact/hooks";
import { get, post } from "../api";
import { ErrorBox, Loading, Status } from "../components/common";
import { useLoad } from "../hooks";
import type { PluginList } from "../types";

export function PluginsPage() {
  const { data, error, reload } = useLoad(() => get<PluginList>("/plugins"), [], 10000);
  const [outcome, setOutcome] = useState<{ name: string; text: string; state: "pending" | "ok" | "error" } | undefined>(undefined);
  const reloadPlugin = async (name: string) => {
    setOutcome({ name, text: "reloading…", state: "pending" });
    try {
      const answer = await post<{ version: string; isolation: string }>("/plugins/" + encodeURIComponent(name) + "/reload");
      setOutcome({ name, text: `reloaded: version ${answer.version}, ${answer.isolation}`, state: "ok" });
    } catch (reason) {
      setOutcome({ name, text: (reason as Error).message, state: "error" });
    }
    reload();
  };
  return (
    <>
      <h1>Plugins</h1>
      <ErrorBox error={error} />
      <Loading when={data}>
        {data ? <p>{data.counts.loaded} loaded, {data.counts.failed} failed, {data.counts.disabled} disabled</p> : null}
        <table class="plugins">
          <thead><tr><th>Plugin</th><th>State</th><th>Why</th><th>Version</th><th>ABI</th><th>Isolation</th><th></th></tr></thead>
          <tbody>
            {data?.plugins.map((plugin) => (
              <tr data-plugin={plugin.name} data-state={plugin.state}>
                <td>{plugin.name}<div class="muted small">{plugin.manifest_path}</div></td>
                <td><Status value={plugin.state} /></td>
                <td class="reason">
                  {plugin.reason ?? ""}
                  {plugin.stuck_runs?.length ? <div class="error">{plugin.stuck_runs.length} run(s) past their timeout</div> : null}
                  {outcome?.name === plugin.name ? <div class={outcome.state === "pending" ? "muted" : outcome.state}>{outcome.text}</div> : null}
                </td>
                <td>{plugin.version}</td>
                <td>{plugin.abi_version}</td>
                <td>{plugin.isolation}{plugin.runner_pid ? ` (pid ${plugin.runner_pid}, ${plugin.runner_crashes ?? 0} crashes)` : ""}</td>
                <td>{plugin.state === "loaded" ? <button type="button" onClick={() => reloadPlugin(plugin.name)}>Reload</button> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Loading>
    </>
  );
}
