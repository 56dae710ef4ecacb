// A workflow's steps as a graph: a column per depth of dependency, an arrow
// per depends_on, each step coloured by its state and linked to its run.
import { link } from "../router";
import type { WorkflowStep } from "../types";

const width = 170;
const height = 54;
const gapX = 60;
const gapY = 22;

function depths(steps: WorkflowStep[]): Map<string, number> {
  const byId = new Map(steps.map((step) => [step.id, step]));
  const depth = new Map<string, number>();
  const visit = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;  // a cycle (loop mode): draw it flat
    seen.add(id);
    const step = byId.get(id);
    const d = step ? Math.max(-1, ...step.depends_on.filter((dep) => byId.has(dep)).map((dep) => visit(dep, seen))) + 1 : 0;
    depth.set(id, d);
    return d;
  };
  for (const step of steps) visit(step.id, new Set());
  return depth;
}

export function StepGraph({ steps }: { steps: WorkflowStep[] }) {
  const depth = depths(steps);
  const columns: WorkflowStep[][] = [];
  for (const step of steps) (columns[depth.get(step.id) ?? 0] ??= []).push(step);
  const position = new Map<string, { x: number; y: number }>();
  columns.forEach((column, c) =>
    column.forEach((step, r) => position.set(step.id, { x: 10 + c * (width + gapX), y: 10 + r * (height + gapY) })),
  );
  const svgWidth = 20 + columns.length * (width + gapX) - gapX;
  const svgHeight = 20 + Math.max(1, ...columns.map((column) => column.length)) * (height + gapY) - gapY;
  return (
    <svg class="step-graph" width={svgWidth} height={svgHeight} viewBox={`0 0 ${svgWidth} ${svgHeight}`} role="img" aria-label="workflow steps">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
        </marker>
      </defs>
      {steps.flatMap((step) =>
        step.depends_on.filter((dep) => position.has(dep)).map((dep) => {
          const from = position.get(dep)!;
          const to = position.get(step.id)!;
          return <line class="edge" x1={from.x + width} y1={from.y + height / 2} x2={to.x} y2={to.y + height / 2} marker-end="url(#arrow)" />;
        }),
      )}
      {steps.map((step) => {
        const at = position.get(step.id)!;
        return (
          <a href={step.run_id ? link(["runs", step.run_id]) : undefined} class="step" data-step={step.id} data-status={step.status}>
            <rect class={"node status-" + step.status} x={at.x} y={at.y} width={width} height={height} rx="6" />
            <text x={at.x + 10} y={at.y + 21} class="node-title">{step.id}</text>
            <text x={at.x + 10} y={at.y + 40} class="node-sub">{step.agent} · {step.status}</text>
          </a>
        );
      })}
    </svg>
  );
}
