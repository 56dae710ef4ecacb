// The shapes of the host's answers the console reads (schemas/responses/).
export type JsonSchema = {
  type?: string | string[];
  description?: string;
  title?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
};

export interface AgentList {
  agents: string[];
  descriptions: Record<string, string>;
  domains: Record<string, string[]>;
  workflow_routing: boolean;
  llm_usage: Record<string, Usage>;
}

export interface Usage {
  calls: number;
  failures: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
}

export interface Agent {
  name: string;
  state: string;
  enabled: boolean;
  reason: string | null;
  isolation?: string;
  library_version?: string;
  library_abi_version?: string;
  max_concurrency?: number;
  manifest?: {
    description?: string;
    domain?: string;
    version?: string;
    input_schema?: JsonSchema;
    config_schema?: JsonSchema;
    output_schema?: JsonSchema;
    approval_required?: { operation: string; reason?: string }[];
    permissions?: string[];
  };
  llm_usage?: Usage;
}

export interface Plugin {
  name: string;
  state: string;
  enabled: boolean;
  reason: string | null;
  version?: string;
  domain?: string;
  isolation?: string;
  abi_version?: string;
  manifest_path?: string;
  runner_pid?: number;
  runner_crashes?: number;
  stuck_runs?: { run_id: string; running_seconds: number; timeout_seconds: number }[];
}

export interface PluginList {
  plugins: Plugin[];
  counts: { loaded: number; disabled: number; failed: number };
}

export interface Approval {
  run_id: string;
  state: string;
  operation?: string;
  reason?: string;
  expires_at?: string;
  [key: string]: unknown;
}

export interface Artifact {
  path: string;
  content: string;
  media_type?: string;
}

export interface Run {
  run_id: string;
  thread_id: string;
  agent: string;
  status: string;
  input: { task: string; context: Record<string, unknown> };
  result: unknown;
  error: string | null;
  error_type: string | null;
  attempts: number;
  max_attempts: number;
  cancel_requested?: boolean;
  created_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  duration_seconds: number | null;
  usage: Record<string, unknown> | null;
  pipeline_id: string | null;
  webhook_url: string | null;
  supervisor_path: unknown;
  routing: unknown;
  approval: Approval | null;
  step: string | null;
}

export interface RunPage {
  runs: Run[];
  next_cursor: string | null;
}

export interface RunEvent {
  run_id: string;
  seq: number;
  type: string;
  ts: string;
  data: Record<string, unknown>;
}

export interface AuditEntry {
  action: string;
  actor: string;
  detail: string;
  at: string;
}

export interface WorkflowStep {
  id: string;
  agent: string;
  status: string;
  depends_on: string[];
  run_id: string;
  result: unknown;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
}

export interface Workflow {
  id: string;
  mode: string;
  thread_id: string;
  status: string;
  task: string;
  iteration?: number;
  max_iterations?: number;
  created_at: string;
  finished_at: string | null;
  steps_total: number;
  steps_finished: number;
  steps: WorkflowStep[];
}

export interface WebhookAttempt {
  attempt: number;
  at: string;
  status_code: number | null;
  error: string | null;
  duration_ms?: number;
}

export interface WebhookDelivery {
  delivery_id: string | number;
  url: string;
  event_type: string;
  status: string;
  created_at: string;
  attempts: WebhookAttempt[];
}

export interface WebhookLog {
  request_id: string;
  deliveries: WebhookDelivery[];
}

export interface Health {
  status: string;
  version: string;
  database: string;
  llm: string;
  uptime_seconds?: number;
  components: Record<string, Record<string, unknown>>;
}
