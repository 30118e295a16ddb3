/** The fixed clock, durations and row readers the table printer tests share. */
import {type KubeObject, toTable} from '../../source/sim/table.js';

export const now = new Date('2025-06-01T12:00:00Z');
export const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
export const s = 1000;
export const m = 60 * s;
export const h = 60 * m;
export const d = 24 * h;

/** The one row's cells, the way kubectl receives them. */
export const cells = (resource: string, object: KubeObject) =>
	toTable(resource, [object], '1', {now}).rows[0]?.cells;
export const columns = (resource: string) =>
	toTable(resource, [], '1').columnDefinitions.map((c) => `${c.name}${c.priority ? '*' : ''}`);

export const template = {
	metadata: {labels: {app: 'myapp', version: 'blue'}},
	spec: {containers: [{name: 'app', image: 'ghcr.io/example/myapp:1.0.0'}]},
};

export const appBlue: KubeObject = {
	apiVersion: 'apps/v1',
	kind: 'Deployment',
	metadata: {name: 'app-blue', namespace: 'demo', creationTimestamp: ago(3 * d + 4 * h)},
	spec: {
		replicas: 3,
		selector: {matchLabels: {version: 'blue', app: 'myapp'}},
		template,
	},
	status: {replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2},
};
