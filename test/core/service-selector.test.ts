import {describe, expect, it} from 'vitest';
import {planLines} from '../../source/core/plan-text.js';
import {registry} from '../../source/core/strategies/index.js';
import type {
	ActionName,
	Plan,
	PlanInput,
	Rollout,
	Snapshot,
	Track,
} from '../../source/core/types.js';
import {
	deployment,
	seedDeployments,
	seedServices,
	seedSnapshot,
	service,
	snapshotOf,
} from '../fixtures/blue-green.js';

/** What the patterns under test make of it; the Deployments nothing pairs are rolling updates (test/commands/rolling.test.ts). */
const detected = (snapshot: Snapshot) =>
	registry.detect(snapshot).filter((r) => r.strategy !== 'rolling');

const serviceKind = {group: '', version: 'v1', plural: 'services', kind: 'Service'};
const deploymentKind = {group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment'};

function only(snapshot: Snapshot): Rollout {
	const rollouts = detected(snapshot);
	expect(rollouts.map((r) => r.name)).toHaveLength(1);
	return rollouts[0]!;
}

/** active: the live side (serving baseline); standby: the candidate that takes no traffic. */
function isRole(t: Track, role: 'active' | 'standby'): boolean {
	return role === 'active'
		? t.side === 'baseline' && t.serving
		: t.side === 'candidate' && !t.serving;
}

function track(rollout: Rollout, role: 'active' | 'standby'): Track {
	const found = rollout.tracks.find((t) => isRole(t, role));
	if (!found) throw new Error(`no ${role} track in ${JSON.stringify(rollout.tracks)}`);
	return found;
}

function action(rollout: Rollout, name: ActionName) {
	return rollout.actions.find((a) => a.action === name);
}

function planOf(
	name: ActionName,
	snapshot: Snapshot,
	input?: PlanInput,
	rollout: Rollout = only(snapshot),
): Plan {
	const result = registry.plan(name, rollout, snapshot, input);
	if ('error' in result) throw new Error(`expected a plan, got: ${result.error}`);
	return result.plan;
}

function planError(name: ActionName, snapshot: Snapshot, input?: PlanInput): string {
	const result = registry.plan(name, only(snapshot), snapshot, input);
	if (!('error' in result)) throw new Error(`expected an error, got plan ${result.plan.summary}`);
	return result.error;
}

describe('serviceSelector.detect on the seed', () => {
	it('finds myapp as one rollout: BLUE active at 100 %, GREEN standby at 0 %', () => {
		const rollout = only(seedSnapshot());
		expect(rollout).toMatchObject({
			id: 'service-selector/default/myapp',
			namespace: 'default',
			name: 'myapp',
			strategy: 'service-selector',
			strategyLabel: 'blue/green',
			summary: 'Service myapp selects version=blue',
			phase: 'Healthy',
			health: 'ok',
			traffic: {kind: 'switch', live: 'blue'},
			problems: [],
		});
		expect(track(rollout, 'active')).toEqual({
			key: 'blue',
			title: 'BLUE',
			side: 'baseline',
			serving: true,
			tag: 'LIVE',
			color: 'blue',
			workload: {...deploymentKind, namespace: 'default', name: 'app-blue'},
			images: ['myapp:1.0.0'],
			replicas: {desired: 3, updated: 3, ready: 3, available: 3},
			weight: 100,
			rollingOut: false,
			series: {app: 'blue'},
		});
		expect(track(rollout, 'standby')).toEqual({
			key: 'green',
			title: 'GREEN',
			side: 'candidate',
			serving: false,
			tag: 'standby',
			color: 'green',
			workload: {...deploymentKind, namespace: 'default', name: 'app-green'},
			images: ['myapp:1.1.0'],
			replicas: {desired: 3, updated: 3, ready: 3, available: 3},
			weight: 0,
			rollingOut: false,
			series: {app: 'green'},
		});
		expect(rollout.objects).toEqual([
			{...serviceKind, namespace: 'default', name: 'myapp'},
			{...deploymentKind, namespace: 'default', name: 'app-blue'},
			{...deploymentKind, namespace: 'default', name: 'app-green'},
		]);
		expect(rollout.actions.filter((a) => !a.available)).toEqual([]);
		expect(rollout.actions.map((a) => a.action)).toEqual(
			expect.arrayContaining(['switch', 'promote', 'rollback', 'deploy', 'smoke']),
		);
	});

	it('does not take the per-color Services app-blue and app-green for rollouts', () => {
		expect(detected(seedSnapshot()).map((r) => r.name)).toEqual(['myapp']);
		const withoutMyapp = snapshotOf({
			services: seedServices().filter((s) => s.metadata.name !== 'myapp'),
			deployments: seedDeployments(),
		});
		expect(detected(withoutMyapp)).toEqual([]);
	});

	it('follows the selector: GREEN live when the Service selects version=green', () => {
		const rollout = only(seedSnapshot({live: 'green'}));
		expect(rollout.traffic).toEqual({kind: 'switch', live: 'green'});
		expect(rollout.summary).toBe('Service myapp selects version=green');
		expect(track(rollout, 'active')).toMatchObject({
			color: 'green',
			workload: {name: 'app-green'},
			images: ['myapp:1.1.0'],
			weight: 100,
		});
		expect(track(rollout, 'standby')).toMatchObject({
			color: 'blue',
			workload: {name: 'app-blue'},
			weight: 0,
		});
	});

	it('ignores a Service whose selector has only the track label, or no track label over v1 and v2', () => {
		const snapshot = snapshotOf({
			services: [
				service({name: 'bare', selector: {version: 'blue'}}),
				// Istio's bookinfo: a Service over every version, the mesh routes between them.
				service({name: 'reviews', selector: {app: 'reviews'}}),
			],
			deployments: [
				...seedDeployments(),
				deployment({name: 'reviews-v1', labels: {app: 'reviews', version: 'v1'}, image: 'r:1'}),
				deployment({name: 'reviews-v2', labels: {app: 'reviews', version: 'v2'}, image: 'r:2'}),
			],
		});
		expect(detected(snapshot)).toEqual([]);
	});

	it('a Service that lost version from its selector over blue and green is Invalid, nothing offered', () => {
		const rollout = only(
			snapshotOf({
				services: [service({name: 'myapp', selector: {app: 'myapp'}})],
				deployments: seedDeployments(),
			}),
		);
		expect(rollout.phase).toBe('Invalid');
		expect(rollout.tracks.map((t) => [t.title, t.serving, t.weight])).toEqual([
			['BLUE', true, null],
			['GREEN', true, null],
		]);
		expect(rollout.problems).toEqual([
			'Service myapp selects app=myapp with no version: it sends traffic to both app-blue (version=blue) and app-green (version=green); put version: blue or version: green in its selector',
		]);
		expect(rollout.actions.filter((a) => a.available)).toEqual([]);
	});

	it('pairs only Deployments of the Service namespace', () => {
		const snapshot = snapshotOf({
			services: [
				service({name: 'myapp', namespace: 'prod', selector: {app: 'myapp', version: 'blue'}}),
			],
			deployments: [
				...seedDeployments(),
				deployment({
					name: 'app-blue',
					namespace: 'prod',
					labels: {app: 'myapp', version: 'blue'},
					image: 'myapp:0.9.0',
				}),
			],
		});
		// prod has only one color: no blue/green rollout there.
		expect(detected(snapshot)).toEqual([]);
	});
});

describe('serviceSelector.detect: track label and colors', () => {
	it('reads a custom track label from the annotation cutover.dev/track-label', () => {
		const deployments = [
			deployment({name: 'api-a', labels: {app: 'api', slot: 'blue'}, image: 'api:7'}),
			deployment({name: 'api-b', labels: {app: 'api', slot: 'green'}, image: 'api:8'}),
		];
		const annotated = snapshotOf({
			services: [
				service({
					name: 'api',
					selector: {app: 'api', slot: 'green'},
					annotations: {'cutover.dev/track-label': 'slot'},
				}),
			],
			deployments,
		});
		const rollout = only(annotated);
		expect(rollout.traffic).toEqual({kind: 'switch', live: 'green'});
		expect(rollout.summary).toBe('Service api selects slot=green');
		expect(track(rollout, 'active')).toMatchObject({color: 'green', workload: {name: 'api-b'}});
		expect(track(rollout, 'standby')).toMatchObject({color: 'blue', workload: {name: 'api-a'}});
		// Without the annotation, `slot` is just another label: nothing to switch.
		const plain = snapshotOf({
			services: [service({name: 'api', selector: {app: 'api', slot: 'green'}})],
			deployments,
		});
		expect(detected(plain)).toEqual([]);
	});

	it('gives values other than blue/green the two colors in a stable (sorted) order', () => {
		const v1 = deployment({name: 'web-v1', labels: {app: 'web', version: 'v1'}, image: 'web:1'});
		const v2 = deployment({name: 'web-v2', labels: {app: 'web', version: 'v2'}, image: 'web:2'});
		const colors = (live: string, order: (typeof v1)[]) => {
			const rollout = only(
				snapshotOf({
					services: [service({name: 'web', selector: {app: 'web', version: live}})],
					deployments: order,
				}),
			);
			return Object.fromEntries(rollout.tracks.map((t) => [t.key, t.color]));
		};
		expect(colors('v1', [v1, v2])).toEqual({v1: 'blue', v2: 'green'});
		expect(colors('v1', [v2, v1])).toEqual({v1: 'blue', v2: 'green'});
		// Switching does not repaint: v2 stays green when it goes live.
		expect(colors('v2', [v1, v2])).toEqual({v1: 'blue', v2: 'green'});
	});

	it('never paints both tracks the same color when only one value is blue or green', () => {
		const blue = deployment({
			name: 'web-blue',
			labels: {app: 'web', version: 'blue'},
			image: 'web:1',
		});
		const next = deployment({
			name: 'web-next',
			labels: {app: 'web', version: 'next'},
			image: 'web:2',
		});
		const rollout = only(
			snapshotOf({
				services: [service({name: 'web', selector: {app: 'web', version: 'blue'}})],
				deployments: [blue, next],
			}),
		);
		expect(track(rollout, 'active').color).toBe('blue');
		expect(track(rollout, 'standby').color).toBe('green');
		const green = deployment({
			name: 'web-green',
			labels: {app: 'web', version: 'green'},
			image: 'web:1',
		});
		const other = only(
			snapshotOf({
				services: [service({name: 'web', selector: {app: 'web', version: 'green'}})],
				deployments: [green, next],
			}),
		);
		expect(track(other, 'active').color).toBe('green');
		expect(track(other, 'standby').color).toBe('blue');
	});
});

describe('serviceSelector.detect: phases', () => {
	it('is Progressing while the standby rolls out a new generation (generation > observedGeneration)', () => {
		const rollout = only(
			seedSnapshot({green: {image: 'myapp:1.2.0', generation: 2, status: {observedGeneration: 1}}}),
		);
		expect(rollout.phase).toBe('Progressing');
		expect(track(rollout, 'standby').rollingOut).toBe(true);
		expect(track(rollout, 'active').rollingOut).toBe(false);
	});

	it('is Progressing while the standby has fewer updated replicas than desired', () => {
		const rollout = only(
			seedSnapshot({
				green: {
					generation: 2,
					status: {replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3},
				},
			}),
		);
		expect(rollout.phase).toBe('Progressing');
		expect(track(rollout, 'standby').replicas).toEqual({
			desired: 3,
			updated: 1,
			ready: 3,
			available: 3,
		});
	});

	it('is Degraded when the live Deployment lacks ready pods', () => {
		const rollout = only(
			seedSnapshot({
				blue: {
					status: {readyReplicas: 1, availableReplicas: 1, unavailableReplicas: 2},
				},
			}),
		);
		expect(rollout.phase).toBe('Degraded');
		expect(track(rollout, 'active').replicas).toMatchObject({desired: 3, ready: 1});
	});

	it('says Degraded rather than Progressing when the live side is short while the standby rolls out', () => {
		const rollout = only(
			seedSnapshot({
				blue: {status: {readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1}},
				green: {generation: 2, status: {observedGeneration: 1}},
			}),
		);
		expect(rollout.phase).toBe('Degraded');
	});

	it('is Invalid when the selector picks a value no Deployment has', () => {
		const rollout = only(seedSnapshot({live: 'yellow'}));
		expect(rollout.phase).toBe('Invalid');
		expect(rollout.problems).toEqual([
			'the Service selects version=yellow, which no Deployment has: nothing serves traffic',
		]);
		expect(rollout.tracks.some((t) => isRole(t, 'active'))).toBe(false);
		for (const name of ['switch', 'promote', 'rollback', 'deploy'] as const) {
			expect(action(rollout, name)).toMatchObject({available: false});
			expect(action(rollout, name)?.reason).toContain('version=yellow');
		}
	});
});

describe('serviceSelector.detect: problems', () => {
	it('names two Deployments with the same value, and refuses to switch', () => {
		const snapshot = snapshotOf({
			services: seedServices(),
			deployments: [
				...seedDeployments(),
				deployment({
					name: 'app-green-2',
					labels: {app: 'myapp', version: 'green'},
					image: 'myapp:1.1.1',
					creationTimestamp: '2025-05-12T10:00:00Z',
				}),
			],
		});
		const rollout = only(snapshot);
		expect(rollout.problems).toEqual(['2 Deployments have version=green: app-green, app-green-2']);
		expect(action(rollout, 'switch')).toEqual({
			action: 'switch',
			available: false,
			reason: '2 Deployments have version=green: app-green, app-green-2',
		});
		expect(planError('switch', snapshot)).toContain('app-green-2');
	});

	it('says so when there are three values, and takes the newest other one as standby', () => {
		const snapshot = snapshotOf({
			services: seedServices(),
			deployments: [
				...seedDeployments(),
				deployment({
					name: 'app-red',
					labels: {app: 'myapp', version: 'red'},
					image: 'myapp:1.3.0',
					creationTimestamp: '2025-05-12T10:00:00Z',
				}),
			],
		});
		const rollout = only(snapshot);
		expect(rollout.problems).toEqual([
			'3 values of version (blue, green, red): cutover switches between two',
		]);
		expect(track(rollout, 'active').workload.name).toBe('app-blue');
		expect(track(rollout, 'standby').workload.name).toBe('app-red');
		expect(action(rollout, 'switch')?.available).toBe(false);
	});
});

describe('serviceSelector.detect: actions and their reasons', () => {
	it('cannot switch while the standby is not ready, and says which Deployment and how far', () => {
		const rollout = only(seedSnapshot({green: {status: {readyReplicas: 1, availableReplicas: 1}}}));
		for (const name of ['switch', 'promote'] as const) {
			const state = action(rollout, name);
			expect(state?.available).toBe(false);
			expect(state?.reason).toBe('standby app-green is not ready (1/3)');
		}
		// Rolling back to a partly ready standby is allowed: it is the emergency exit.
		expect(action(rollout, 'rollback')).toEqual({action: 'rollback', available: true});
		expect(action(rollout, 'deploy')).toEqual({
			action: 'deploy',
			available: true,
			prompt: 'image to deploy to app-green (now myapp:1.1.0)',
		});
	});

	it('cannot switch while the standby is still rolling out', () => {
		const rollout = only(seedSnapshot({green: {generation: 3, status: {observedGeneration: 2}}}));
		expect(action(rollout, 'switch')?.reason).toBe('standby app-green is still rolling out');
	});

	it('cannot roll back to a standby without ready pods', () => {
		const rollout = only(seedSnapshot({green: {status: {readyReplicas: 0, availableReplicas: 0}}}));
		expect(action(rollout, 'rollback')).toEqual({
			action: 'rollback',
			available: false,
			reason: 'standby app-green has no ready pods',
		});
		expect(action(rollout, 'smoke')?.available).toBe(false);
	});

	it('refuses to plan an unavailable action, with the reason', () => {
		const snapshot = seedSnapshot({green: {status: {readyReplicas: 1, availableReplicas: 1}}});
		expect(planError('switch', snapshot)).toBe(
			'cannot switch myapp: standby app-green is not ready (1/3)',
		);
		expect(planError('step', snapshot)).toContain('not an action');
	});
});

describe('serviceSelector.plan', () => {
	const serviceRef = {
		group: '',
		version: 'v1',
		plural: 'services',
		kind: 'Service',
		namespace: 'default',
		name: 'myapp',
	};

	it('switch: smoke-tests GREEN, then one JSON Patch that tests blue and replaces it with green', () => {
		const plan = planOf('switch', seedSnapshot());
		expect(plan.action).toBe('switch');
		expect(plan.rolloutId).toBe('service-selector/default/myapp');
		expect(plan.summary).toBe('switch myapp from BLUE to GREEN');
		expect(plan.steps.map((s) => s.kind)).toEqual(['smoke', 'request']);
		expect(plan.steps[0]).toEqual({
			kind: 'smoke',
			description: 'GET /health on every ready pod of app-green (GREEN)',
			namespace: 'default',
			selector: {app: 'myapp', version: 'green'},
			path: '/health',
			workload: 'app-green',
		});
		expect(plan.steps[1]).toEqual({
			kind: 'request',
			description: 'point Service myapp at version=green',
			target: serviceRef,
			patchType: 'json',
			body: [
				{op: 'test', path: '/spec/selector/version', value: 'blue'},
				{op: 'replace', path: '/spec/selector/version', value: 'green'},
			],
			precondition: {path: '/spec/selector/version', expected: 'blue', what: 'the live color'},
		});
		expect(plan.audit.target).toEqual(serviceRef);
		expect(plan.audit.reason).toBe('CutoverSwitch');
		expect(plan.audit.message).toBe(
			'switched default/myapp from blue (myapp:1.0.0) -> green (myapp:1.1.0)',
		);
		expect(plan.next).toBeUndefined();
	});

	it('promote is the same switch', () => {
		const plan = planOf('promote', seedSnapshot());
		expect(plan.steps.map((s) => s.kind)).toEqual(['smoke', 'request']);
		expect(plan.audit.reason).toBe('CutoverSwitch');
	});

	it('smoke-tests the health path from the annotation cutover.dev/health-path', () => {
		const services = seedServices();
		services[0]!.metadata.annotations = {'cutover.dev/health-path': '/healthz'};
		const snapshot = snapshotOf({services, deployments: seedDeployments()});
		const [smoke] = planOf('switch', snapshot).steps;
		expect(smoke).toMatchObject({kind: 'smoke', path: '/healthz'});
	});

	it('switch back from GREEN tests green and replaces it with blue', () => {
		const plan = planOf('switch', seedSnapshot({live: 'green'}));
		expect(plan.summary).toBe('switch myapp from GREEN to BLUE');
		expect(plan.steps[1]).toMatchObject({
			body: [
				{op: 'test', path: '/spec/selector/version', value: 'green'},
				{op: 'replace', path: '/spec/selector/version', value: 'blue'},
			],
		});
	});

	it('rollback: no smoke step, the same conditional patch, reason CutoverRollback', () => {
		const plan = planOf('rollback', seedSnapshot({live: 'green'}));
		expect(plan.summary).toBe('roll back myapp from GREEN to BLUE');
		expect(plan.steps).toHaveLength(1);
		expect(plan.steps[0]).toMatchObject({
			kind: 'request',
			target: serviceRef,
			patchType: 'json',
			body: [
				{op: 'test', path: '/spec/selector/version', value: 'green'},
				{op: 'replace', path: '/spec/selector/version', value: 'blue'},
			],
			precondition: {expected: 'green'},
		});
		expect(plan.audit.reason).toBe('CutoverRollback');
		expect(plan.audit.message).toContain('green (myapp:1.1.0) -> blue (myapp:1.0.0)');
	});

	it('deploy: sets the standby image (testing the old one), waits, smoke-tests, then offers the switch', () => {
		const plan = planOf('deploy', seedSnapshot(), {image: 'myapp:1.2.0'});
		const greenRef = {
			group: 'apps',
			version: 'v1',
			plural: 'deployments',
			kind: 'Deployment',
			namespace: 'default',
			name: 'app-green',
		};
		expect(plan.summary).toBe('deploy myapp:1.2.0 to app-green (GREEN, standby)');
		expect(plan.steps.map((s) => s.kind)).toEqual(['request', 'wait', 'smoke']);
		expect(plan.steps[0]).toEqual({
			kind: 'request',
			description: 'set container app of app-green to myapp:1.2.0',
			target: greenRef,
			patchType: 'json',
			body: [
				{op: 'test', path: '/spec/template/spec/containers/0/image', value: 'myapp:1.1.0'},
				{op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'myapp:1.2.0'},
			],
			precondition: {
				path: '/spec/template/spec/containers/0/image',
				expected: 'myapp:1.1.0',
				what: 'the image of app-green',
			},
		});
		expect(plan.steps[1]).toMatchObject({kind: 'wait', target: greenRef});
		expect(plan.steps[2]).toMatchObject({
			kind: 'smoke',
			selector: {app: 'myapp', version: 'green'},
			workload: 'app-green',
		});
		expect(plan.next).toBe('switch');
		expect(plan.audit).toEqual({
			target: greenRef,
			reason: 'CutoverDeploy',
			message: 'deployed myapp:1.2.0 to default/app-green (was myapp:1.1.0)',
		});
	});

	it('deploy goes to whichever color is standby', () => {
		const plan = planOf('deploy', seedSnapshot({live: 'green'}), {image: 'myapp:1.2.0'});
		expect(plan.steps[0]).toMatchObject({
			target: {name: 'app-blue'},
			body: [
				{op: 'test', value: 'myapp:1.0.0'},
				{op: 'replace', value: 'myapp:1.2.0'},
			],
		});
	});

	it('deploy without an image, or with spaces in it, is an error', () => {
		expect(planError('deploy', seedSnapshot())).toBe('deploy needs an image (e.g. myapp:1.2.0)');
		expect(planError('deploy', seedSnapshot(), {image: '   '})).toBe(
			'deploy needs an image (e.g. myapp:1.2.0)',
		);
		expect(planError('deploy', seedSnapshot(), {image: 'myapp 1.2.0'})).toContain(
			'no spaces allowed',
		);
		// Surrounding whitespace (a pasted line) is not part of the image.
		const plan = planOf('deploy', seedSnapshot(), {image: ' myapp:1.2.0\n'});
		expect(plan.steps[0]).toMatchObject({body: [{}, {value: 'myapp:1.2.0'}]});
	});

	it('escapes a track label key with "/" in the JSON pointer (~1)', () => {
		const label = 'cutover.dev/color';
		const snapshot = snapshotOf({
			services: [
				service({
					name: 'myapp',
					selector: {app: 'myapp', [label]: 'blue'},
					annotations: {'cutover.dev/track-label': label},
				}),
			],
			deployments: [
				deployment({
					name: 'app-blue',
					labels: {app: 'myapp', [label]: 'blue'},
					image: 'myapp:1.0.0',
				}),
				deployment({
					name: 'app-green',
					labels: {app: 'myapp', [label]: 'green'},
					image: 'myapp:1.1.0',
				}),
			],
		});
		const plan = planOf('switch', snapshot);
		expect(plan.steps[1]).toMatchObject({
			body: [
				{op: 'test', path: '/spec/selector/cutover.dev~1color', value: 'blue'},
				{op: 'replace', path: '/spec/selector/cutover.dev~1color', value: 'green'},
			],
			precondition: {path: '/spec/selector/cutover.dev~1color', expected: 'blue'},
		});
		expect(plan.steps[0]).toMatchObject({selector: {app: 'myapp', [label]: 'green'}});
	});

	it('reports a Service that vanished since detection', () => {
		const snapshot = seedSnapshot();
		const rollout = only(snapshot);
		const gone = snapshotOf({...snapshot.parts, services: snapshot.parts.services!.slice(1)});
		expect(registry.plan('switch', rollout, gone)).toEqual({
			error: 'Service default/myapp is gone',
		});
	});
});

describe('planLines', () => {
	it('shows the patch and the precondition it depends on', () => {
		const lines = planLines(planOf('switch', seedSnapshot()));
		expect(lines[0]).toBe('switch myapp from BLUE to GREEN');
		expect(lines).toContain(
			'1. GET /health on every ready pod of app-green (GREEN); stop if any fails',
		);
		expect(lines).toContain('2. point Service myapp at version=green');
		expect(lines).toContain('   PATCH service/myapp -n default (json patch)');
		// The JSON Patch, one operation a line: the test of what the engineer saw, then the change.
		const test = lines.indexOf('   {"op":"test","path":"/spec/selector/version","value":"blue"}');
		expect(test).toBeGreaterThan(0);
		expect(lines[test + 1]).toBe(
			'   {"op":"replace","path":"/spec/selector/version","value":"green"}',
		);
		expect(lines).toContain('   only if the live color is still "blue"');
		expect(lines.at(-1)).toBe('then record Event CutoverSwitch on service/myapp');
	});

	it('shows the deploy wait with its timeout', () => {
		const lines = planLines(planOf('deploy', seedSnapshot(), {image: 'myapp:1.2.0'}));
		expect(lines).toContain('   PATCH deployment.apps/app-green -n default (json patch)');
		expect(lines).toContain('   only if the image of app-green is still "myapp:1.1.0"');
		expect(lines).toContain('2. wait for app-green to roll out (up to 300s)');
	});
});

describe('registry.detect', () => {
	it('lists the seed rollout once, through the strategy registry', () => {
		expect(detected(seedSnapshot()).map((r) => r.id)).toEqual(['service-selector/default/myapp']);
	});
});
