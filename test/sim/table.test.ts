import {describe, expect, it} from 'vitest';
import {acceptsTable, humanDuration, toTable} from '../../source/sim/table.js';
import {ago, appBlue, d, h, m, now, s} from './table-helpers.js';

describe('toTable', () => {
	it('answers a meta.k8s.io/v1 Table with partial object metadata by default', () => {
		const table = toTable('deployments', [appBlue], '42', {now});
		expect(table.kind).toBe('Table');
		expect(table.apiVersion).toBe('meta.k8s.io/v1');
		expect(table.metadata).toEqual({resourceVersion: '42'});
		expect(table.columnDefinitions[0]).toMatchObject({
			name: 'Name',
			type: 'string',
			format: 'name',
			priority: 0,
		});
		expect(table.rows[0]?.object).toEqual({
			kind: 'PartialObjectMetadata',
			apiVersion: 'meta.k8s.io/v1',
			metadata: appBlue.metadata,
		});
		expect(
			toTable('deployments', [appBlue], '42', {includeObject: 'Object'}).rows[0]?.object,
		).toEqual(appBlue);
		// kubectl --sort-by decodes the full objects, so they need their kind and apiVersion.
		const bare = {metadata: {name: 'bare'}};
		expect(toTable('pods', [bare], '42', {includeObject: 'Object'}).rows[0]?.object).toEqual({
			apiVersion: 'v1',
			kind: 'Pod',
			metadata: {name: 'bare'},
		});
		expect(
			toTable('deployments', [appBlue], '42', {includeObject: 'None'}).rows[0],
		).not.toHaveProperty('object');
		expect(toTable('deployments', [], '7').rows).toEqual([]);
	});

	it('falls back to Name and Age for anything else', () => {
		const table = toTable(
			'experiments',
			[{metadata: {name: 'run-1', creationTimestamp: ago(2 * d + 3 * h)}}],
			'1',
			{now},
		);
		expect(table.columnDefinitions.map((c) => [c.name, c.type, c.format])).toEqual([
			['Name', 'string', 'name'],
			['Age', 'date', ''],
		]);
		expect(table.rows[0]?.cells).toEqual(['run-1', '2d3h']);
	});
});

describe('humanDuration', () => {
	it.each([
		[-2 * s, '<invalid>'],
		[-1999, '0s'],
		[-s, '0s'],
		[0, '0s'],
		[999, '0s'],
		[90 * s, '90s'],
		[2 * m - 1, '119s'],
		[2 * m, '2m'],
		[2 * m + 30 * s, '2m30s'],
		[3 * m, '3m'],
		[10 * m - 1, '9m59s'],
		[10 * m, '10m'],
		[2 * h, '120m'],
		[3 * h - 1, '179m'],
		[3 * h, '3h'],
		[3 * h + 5 * m, '3h5m'],
		[8 * h - 1, '7h59m'],
		[8 * h, '8h'],
		[48 * h - 1, '47h'],
		[48 * h, '2d'],
		[50 * h, '2d2h'],
		[8 * d - 1, '7d23h'],
		[8 * d, '8d'],
		[730 * d - 1, '729d'],
		[730 * d, '2y'],
		[731 * d, '2y1d'],
		[8 * 365 * d - 1, '7y364d'],
		[8 * 365 * d, '8y'],
		[20 * 365 * d, '20y'],
	])('%d ms is %s', (ms, text) => {
		expect(humanDuration(ms)).toBe(text);
	});
});

describe('acceptsTable', () => {
	it('accepts the header kubectl get sends', () => {
		expect(
			acceptsTable(
				'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
			),
		).toBe(true);
		expect(acceptsTable('application/json; as=Table; v=v1beta1; g=meta.k8s.io')).toBe(true);
	});

	it('refuses plain JSON and other transformations', () => {
		expect(acceptsTable('application/json')).toBe(false);
		expect(acceptsTable(undefined)).toBe(false);
		expect(acceptsTable('')).toBe(false);
		expect(acceptsTable('application/json;as=Table;v=v2;g=meta.k8s.io')).toBe(false);
		expect(acceptsTable('application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io')).toBe(
			false,
		);
	});
});
