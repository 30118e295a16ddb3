/**
 * What the per-kind table printers share: Go's formatting of durations and JSON values as the
 * real API server prints them (kubernetes pkg/printers/internalversion/printers.go), and columns.
 * The server always prints wide: kubectl drops the priority-1 columns itself unless `-o wide`.
 */
import type {ColumnDefinition, KubeObject} from '../table.js';

export type Printer = {
	columns: ColumnDefinition[];
	cells(object: KubeObject, now: Date): unknown[];
};

export type Json = Record<string, unknown>;
export const isObj = (v: unknown): v is Json =>
	typeof v === 'object' && v !== null && !Array.isArray(v);
export const rec = (v: unknown): Json => (isObj(v) ? v : {});
export const recs = (v: unknown): Json[] => (Array.isArray(v) ? v.map(rec) : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const int = (v: unknown): number => (typeof v === 'number' ? Math.trunc(v) : 0);
export const strMap = (v: unknown): Record<string, string> => {
	const out: Record<string, string> = {};
	for (const [k, value] of Object.entries(rec(v))) out[k] = str(value);
	return out;
};

/** apimachinery duration.HumanDuration: ~2-3 significant figures, Go integer truncation. */
export function humanDuration(ms: number): string {
	const seconds = Math.trunc(ms / 1000);
	// Up to 2 s into the future is clock skew, shown as "0s"; beyond that it is nonsense.
	if (seconds < -1) return '<invalid>';
	if (seconds < 0) return '0s';
	if (seconds < 60 * 2) return `${seconds}s`;
	const minutes = Math.trunc(ms / 60_000);
	if (minutes < 10) {
		const s = seconds % 60;
		return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
	}
	if (minutes < 60 * 3) return `${minutes}m`;
	const hours = Math.trunc(ms / 3_600_000);
	if (hours < 8) {
		const m = minutes % 60;
		return m === 0 ? `${hours}h` : `${hours}h${m}m`;
	}
	if (hours < 48) return `${hours}h`;
	const days = Math.trunc(hours / 24);
	if (hours < 24 * 8) {
		const h = hours % 24;
		return h === 0 ? `${days}d` : `${days}d${h}h`;
	}
	if (hours < 24 * 365 * 2) return `${days}d`;
	const years = Math.trunc(days / 365);
	if (hours < 24 * 365 * 8) {
		const dy = days % 365;
		return dy === 0 ? `${years}y` : `${years}y${dy}d`;
	}
	return `${years}y`;
}

/** Epoch ms of an RFC 3339 time; 0 stands for Go's zero time (absent or unparseable). */
export const timeOf = (v: unknown): number => {
	const t = Date.parse(str(v));
	return Number.isNaN(t) ? 0 : t;
};
/** translateTimestampSince: "<unknown>" for the zero time. */
export const since = (v: unknown, now: Date): string => {
	const t = timeOf(v);
	return t === 0 ? '<unknown>' : humanDuration(now.getTime() - t);
};
export const age = (o: KubeObject, now: Date) => since(o.metadata?.creationTimestamp, now);

export const nameDoc =
	'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const creationDoc =
	'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const col = (
	name: string,
	type: string,
	description: string,
	priority = 0,
	format = '',
) => ({
	name,
	type,
	format,
	description,
	priority,
});
export const nameCol = col('Name', 'string', nameDoc, 0, 'name');
export const ageCol = col('Age', 'string', creationDoc);
