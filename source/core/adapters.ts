import type {PlanStep} from './types.js';

/**
 * What the console learns from the cluster adapter, as plain data: how fresh the watch is, and
 * how a plan's execution goes. The UI draws these without knowing the adapter.
 */

export type ConnectionState = {
	/** live: every kind known current within the bound; stale: some not (a hung or slow API server). */
	status: 'connecting' | 'live' | 'stale' | 'disconnected';
	/** When the newest data arrived (ms since epoch); 0 before the first list. */
	lastDataAt: number;
	/** Until when all of what is shown is known to be the cluster's (ms since epoch). */
	currentAt?: number;
	/** The last failure, in words, while disconnected. */
	error?: string;
	/** Kinds the cluster does not serve (a controller not installed), as `plural.group`. */
	missing: string[];
};

export type StepStatus = 'running' | 'done' | 'failed';

export type Progress = {index: number; step: PlanStep; status: StepStatus; detail?: string};

export type ApplyFailure = {
	ok: false;
	/** Which step failed (0-based), and why in words; `kind` lets callers pick an exit code. */
	step: number;
	kind: 'conflict' | 'smoke' | 'timeout' | 'cluster';
	error: string;
};

export type ApplyResult = {ok: true; summary: string} | ApplyFailure;
