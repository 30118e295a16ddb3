import type {FaultTimer} from './fault-spec.js';

export type TimerActions = {
	/** Ends every open watch; says how many there were. */
	dropWatches(): number;
	/** Restarts the sim from its scenario, its history reset. */
	restart(): void;
};

/**
 * Runs the periodic faults of a spec (`drop-watches every 30s`, `restart after 45s`): each first
 * after its `after` (else one period), then every period. The timers never keep the process up;
 * the function returned clears them all.
 */
export function startFaultTimers(
	timers: FaultTimer[],
	actions: TimerActions,
	notice?: (line: string) => void,
): () => void {
	const handles: NodeJS.Timeout[] = [];
	let stopped = false;
	const run = (timer: FaultTimer) => {
		if (stopped) return;
		if (timer.action === 'drop-watches') {
			const count = actions.dropWatches();
			// Said when it cut something: an idle sim's timer is no news.
			if (count > 0)
				notice?.(`fault "${timer.rule}": dropped ${count} open watch${count === 1 ? '' : 'es'}`);
		} else {
			actions.restart();
			notice?.(
				`fault "${timer.rule}": restarted from the scenario; every connection cut, resourceVersions start over`,
			);
		}
	};
	for (const timer of timers) {
		const first = setTimeout(() => {
			run(timer);
			if (timer.everyMs === undefined || stopped) return;
			const every = setInterval(() => run(timer), timer.everyMs);
			every.unref();
			handles.push(every);
		}, timer.afterMs ?? timer.everyMs);
		first.unref();
		handles.push(first);
	}
	return () => {
		stopped = true;
		for (const handle of handles) clearTimeout(handle);
	};
}
