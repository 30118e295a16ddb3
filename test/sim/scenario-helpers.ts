/** What the scenario tests share: object lookups, the seed, and a scratch directory for files. */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, expect} from 'vitest';
import {loadScenario, type Scenario, ScenarioError} from '../../source/sim/scenario.js';

// Loose accessors: the objects are plain Kubernetes JSON and the tests read them like a client would.
// biome-ignore lint/suspicious/noExplicitAny: test access to arbitrary Kubernetes fields
export type Any = any;

export function find(scenario: Scenario, kind: string, namespace: string, name: string): Any {
	const object = scenario.objects.find(
		(o: Any) =>
			o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? '') === namespace,
	);
	if (!object) throw new Error(`no ${kind} ${namespace}/${name} in ${scenario.name}`);
	return object;
}

export function ofKind(scenario: Scenario, kind: string, namespace?: string): Any[] {
	return scenario.objects.filter(
		(o: Any) => o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace),
	);
}

export const tmp = mkdtempSync(join(tmpdir(), 'cutover-scenario-'));
afterAll(() => rmSync(tmp, {recursive: true, force: true}));

export function writeScenario(file: string, text: string): string {
	const path = join(tmp, file);
	writeFileSync(path, text);
	return path;
}

/** Loads a scenario file expected to be wrong, and returns the ScenarioError's message. */
export function errorOf(load: () => unknown): string {
	try {
		load();
	} catch (error) {
		expect(error).toBeInstanceOf(ScenarioError);
		return (error as Error).message;
	}
	throw new Error('expected a ScenarioError');
}

export const seed = loadScenario('seed');
