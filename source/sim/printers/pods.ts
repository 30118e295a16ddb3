import type {KubeObject} from '../table.js';
import {
	age,
	ageCol,
	col,
	humanDuration,
	int,
	isObj,
	type Json,
	nameCol,
	type Printer,
	rec,
	recs,
	str,
	timeOf,
} from './format.js';

const terminatedAt = (containerStatus: Json): number =>
	timeOf(rec(rec(containerStatus.lastState).terminated).finishedAt);

/** printPod's READY / STATUS / RESTARTS logic, sidecar (restartable init) containers included. */
function podCells(o: KubeObject, now: Date): unknown[] {
	const spec = rec(o.spec);
	const status = rec(o.status);
	const phase = str(status.phase);
	let reason = str(status.reason) || phase;
	const conditions = recs(status.conditions);
	if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
		reason = 'SchedulingGated';
	}
	const initContainers = recs(spec.initContainers);
	const sidecars = new Set(
		initContainers.filter((c) => c.restartPolicy === 'Always').map((c) => str(c.name)),
	);
	const total =
		recs(spec.containers).length +
		initContainers.filter((c) => c.restartPolicy === 'Always').length;
	let ready = 0;
	let restarts = 0;
	let lastRestart = 0;
	let sidecarRestarts = 0;
	let lastSidecarRestart = 0;
	let initializing = false;
	const initStatuses = recs(status.initContainerStatuses);
	for (const [i, c] of initStatuses.entries()) {
		const finished = terminatedAt(c);
		restarts += int(c.restartCount);
		lastRestart = Math.max(lastRestart, finished);
		const sidecar = sidecars.has(str(c.name));
		if (sidecar) {
			sidecarRestarts += int(c.restartCount);
			lastSidecarRestart = Math.max(lastSidecarRestart, finished);
		}
		const state = rec(c.state);
		const terminated = isObj(state.terminated) ? state.terminated : undefined;
		const waiting = isObj(state.waiting) ? state.waiting : undefined;
		if (terminated && int(terminated.exitCode) === 0) continue;
		if (sidecar && c.started === true) {
			if (c.ready === true) ready++;
			continue;
		}
		if (terminated) {
			reason = str(terminated.reason)
				? `Init:${str(terminated.reason)}`
				: int(terminated.signal) !== 0
					? `Init:Signal:${int(terminated.signal)}`
					: `Init:ExitCode:${int(terminated.exitCode)}`;
		} else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') {
			reason = `Init:${str(waiting.reason)}`;
		} else {
			reason = `Init:${i}/${initContainers.length}`;
		}
		initializing = true;
		break;
	}
	const initialized = conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
	if (!initializing || initialized) {
		restarts = sidecarRestarts;
		lastRestart = lastSidecarRestart;
		let hasRunning = false;
		// The real printer walks containers last to first, so the first container's reason wins.
		for (const c of recs(status.containerStatuses).reverse()) {
			restarts += int(c.restartCount);
			lastRestart = Math.max(lastRestart, terminatedAt(c));
			const state = rec(c.state);
			const waiting = isObj(state.waiting) ? state.waiting : undefined;
			const terminated = isObj(state.terminated) ? state.terminated : undefined;
			if (waiting && str(waiting.reason)) reason = str(waiting.reason);
			else if (terminated && str(terminated.reason)) reason = str(terminated.reason);
			else if (terminated) {
				const signal = int(terminated.signal);
				reason = signal !== 0 ? `Signal:${signal}` : `ExitCode:${int(terminated.exitCode)}`;
			} else if (c.ready === true && isObj(state.running)) {
				hasRunning = true;
				ready++;
			}
		}
		if (reason === 'Completed' && hasRunning) {
			reason = conditions.some((c) => c.type === 'Ready' && c.status === 'True')
				? 'Running'
				: 'NotReady';
		}
	}
	const deleting = Boolean(o.metadata?.deletionTimestamp);
	if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
	else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
	const restartText =
		restarts !== 0 && lastRestart !== 0
			? `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`
			: String(restarts);
	// A real server fills podIPs from podIP on write, so podIP alone counts too.
	const podIP = str(recs(status.podIPs)[0]?.ip) || str(status.podIP);
	const gates = recs(spec.readinessGates);
	const gatesText = gates.length
		? `${gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length}/${gates.length}`
		: '<none>';
	return [
		o.metadata?.name ?? '',
		`${ready}/${total}`,
		reason,
		restartText,
		age(o, now),
		podIP || '<none>',
		str(spec.nodeName) || '<none>',
		str(status.nominatedNodeName) || '<none>',
		gatesText,
	];
}

export const podPrinter: Printer = {
	columns: [
		nameCol,
		col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
		col('Status', 'string', 'The aggregate status of the containers in this pod.'),
		col(
			'Restarts',
			'string',
			'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
		),
		ageCol,
		col('IP', 'string', 'podIP address allocated to the pod.', 1),
		col('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', 1),
		col(
			'Nominated Node',
			'string',
			'nominatedNodeName is set only when this pod preempts other pods on the node.',
			1,
		),
		col(
			'Readiness Gates',
			'string',
			'If specified, all readiness gates will be evaluated for pod readiness.',
			1,
		),
	],
	cells: podCells,
};
