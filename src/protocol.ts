/**
 * Every message between the extension host and the EdgeCut graph webview (after
 * microsoft/vscode-hexeditor's protocol.ts): one interface per message, discriminated by `type`,
 * and two unions. Plain data only; the webview never sees host or node objects.
 */

/** Bumped when a message changes shape; exchanged in the ready handshake. */
export const PROTOCOL_VERSION = 2;

export interface PlanSettings {
  readonly device: string;
  readonly server: string;
  /** A preset name, or 'custom' with `custom` set. */
  readonly network: string;
  readonly custom?: { readonly upMbps: number; readonly downMbps: number; readonly rttMs: number };
  readonly jobs: number;
}

/** A selectable profile: `id` goes into PlanSettings (a built-in name or a profile file). */
export interface ProfileChoice {
  readonly id: string;
  readonly label: string;
}

export interface PlanChoices {
  readonly devices: readonly ProfileChoice[];
  readonly servers: readonly string[];
  readonly networks: readonly { readonly name: string; readonly upMbps: number; readonly downMbps: number; readonly rttMs: number }[];
}

export interface LayerView {
  readonly id: number;
  readonly name: string;
  readonly op: string;
  readonly ops: readonly string[];
  readonly inputShapes: readonly string[];
  readonly outputShape: string;
  readonly macs: number;
  readonly params: number;
  readonly outputBytes: number;
}

export interface EdgeView {
  readonly from: number;
  readonly to: number;
  readonly tensor: string;
  readonly bytes: number;
}

/** The model as the graph view draws it. */
export interface ModelView {
  readonly fileName: string;
  readonly layers: readonly LayerView[];
  readonly edges: readonly EdgeView[];
  readonly totals: { readonly macs: number; readonly params: number; readonly nodes: number };
  readonly graphOnly: boolean;
  readonly warnings: readonly string[];
}

export type StrategyKey = 'LO' | 'CO' | 'PO' | 'JPS';

export interface StageSpan {
  readonly start: number;
  readonly end: number;
}

export interface TimelineJob {
  readonly job: number;
  readonly candidate: number;
  /** device, uplink, server, downlink; null where the job skips the stage. */
  readonly stages: readonly (StageSpan | null)[];
}

/** A plan for the open model, ready to overlay. */
export interface PlanView {
  readonly version: number;
  readonly settings: PlanSettings;
  readonly link: { readonly upMbps: number; readonly downMbps: number; readonly rttMs: number };
  readonly deviceMs: readonly number[];
  readonly serverMs: readonly number[];
  /** Measured per-layer device ms, when a measured profile is in use. */
  readonly measuredMs?: readonly number[];
  /** Layers on the device in the cut shown (the most used JPS cut that splits the model). */
  readonly head: readonly number[];
  readonly cutEdges: readonly { readonly tensor: string; readonly bytes: number; readonly uplinkMs: number }[];
  readonly strategies: Readonly<Record<StrategyKey, { readonly makespanMs: number; readonly reductionVsLO: number }>>;
  readonly timeline: Readonly<Record<StrategyKey, readonly TimelineJob[]>>;
  readonly cuts: readonly { readonly candidate: number; readonly jobs: number; readonly label: string; readonly latencyMs: number }[];
  readonly method: string;
}

/** One job of a deployed run as the device measured it (ms from the start of the run). */
export interface MeasuredJob {
  /** The plan's job this run stands for: its predicted bars are `timeline[strategy][job]`. */
  readonly job: number;
  /** device, uplink, server, downlink; null where the job skipped the stage. */
  readonly stages: readonly (StageSpan | null)[];
  /** Set when the server failed and the job ran as the whole model on the device: why. */
  readonly fallback?: string;
}

/** A deployment's smoke test (`edgecut deploy`), to draw over the plan it ran. */
export interface MeasuredRun {
  /** The deployment's id on the hosts. */
  readonly id: string;
  readonly strategy: StrategyKey;
  readonly jobs: readonly MeasuredJob[];
  readonly makespanMs: number;
  /** The plan's makespan for this strategy; null when the run had another number of jobs. */
  readonly predictedMakespanMs: number | null;
  /** What went differently from the plan (server failures, missing results). */
  readonly notes: readonly string[];
  /** The run's speed check: device and server compute ÷ planned (absent: no job used it), over how many timed runs, and the plan's makespan at those speeds. */
  readonly speedCheck?: { readonly device?: number; readonly server?: number; readonly runs: number; readonly makespanMs: number };
}

// ---- host → webview

/** The model and the choices the controls offer; sent once after `ready`. */
export interface InitMessage {
  readonly type: 'init';
  readonly protocolVersion: number;
  readonly model: ModelView;
  readonly choices: PlanChoices;
  readonly settings: PlanSettings;
}

/** A new plan to overlay. */
export interface PlanMessage {
  readonly type: 'plan';
  readonly plan: PlanView;
  /** Set when the choices changed (a device was measured): the controls take them and `plan.settings`. */
  readonly choices?: PlanChoices;
}

/** Planning or loading failed; the message is for the user. */
export interface ErrorMessage {
  readonly type: 'error';
  readonly message: string;
}

/** A deployed run of the plan shown (sent after its `plan`, only while the settings match). */
export interface RunMessage {
  readonly type: 'run';
  readonly run: MeasuredRun;
}

export type ToWebview = InitMessage | PlanMessage | ErrorMessage | RunMessage;

// ---- webview → host

/** The webview is listening (and speaks this protocol version). */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly protocolVersion: number;
}

/** The user changed a control: plan again with these settings. */
export interface ReplanMessage {
  readonly type: 'replan';
  readonly settings: PlanSettings;
}

/** Export the current plan. */
export interface ExportMessage {
  readonly type: 'export';
  readonly kind: 'report' | 'trace' | 'json';
}

export type FromWebview = ReadyMessage | ReplanMessage | ExportMessage;

export function isFromWebview(m: unknown): m is FromWebview {
  const t = (m as { type?: unknown } | null)?.type;
  return t === 'ready' || t === 'replan' || t === 'export';
}
