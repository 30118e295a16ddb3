/** The scenario file format: what each key may hold, and what to say when it holds something else. */
import * as z from 'zod';
import {labelFormat, subdomainFormat} from './name-rules.js';

// Messages are predicates, printed after the name of the field: "kind is missing".
const text = (what = 'a string') =>
	z.string({error: (issue) => (issue.input === undefined ? 'is missing' : `must be ${what}`)});
const count = (what: string) => z.number({error: `must be ${what}`});
const dnsLabel = text().regex(new RegExp(`^${labelFormat}$`), {
	error: 'must be a lowercase RFC 1123 label (a-z, 0-9, "-")',
});
const dnsSubdomain = text().regex(new RegExp(`^${subdomainFormat}$`), {
	error: 'must be a lowercase RFC 1123 name (a-z, 0-9, "-", ".")',
});
// The API server takes only strings here; an unquoted 10 in YAML is a number.
const stringMap = z.record(z.string(), text('a string (quote it in YAML)'));

const behaviourFields = z.strictObject({
	healthy: z.boolean({error: 'must be true or false'}).optional(),
	errorRatio: count('a number')
		.min(0, {error: 'must be a fraction between 0 and 1, like 0.04 for 4 %'})
		.max(1, {error: 'must be a fraction between 0 and 1, like 0.04 for 4 %'})
		.optional(),
	p99Ms: count('a number of milliseconds').min(0, {error: 'must be >= 0'}).optional(),
	rps: count('a number of requests per second').min(0, {error: 'must be >= 0'}).optional(),
	readyDelaySeconds: count('a number of seconds').min(0, {error: 'must be >= 0'}).optional(),
	degradeAtWeight: count('a percent of traffic')
		.min(0, {error: 'must be a percent in 0..100'})
		.max(100, {error: 'must be a percent in 0..100'})
		.optional(),
	degradedErrorRatio: count('a number')
		.min(0, {error: 'must be a fraction between 0 and 1, like 0.04 for 4 %'})
		.max(1, {error: 'must be a fraction between 0 and 1, like 0.04 for 4 %'})
		.optional(),
	degradedP99Ms: count('a number of milliseconds').min(0, {error: 'must be >= 0'}).optional(),
	/** What the image's pods answer as through the proxies instead of a plain app. */
	serves: z.enum(['flagger-loadtester'], {error: 'must be flagger-loadtester'}).optional(),
});
export type BehaviourFields = z.infer<typeof behaviourFields>;

const settingsFields = z.strictObject({
	rolloutSeconds: count('a number of seconds').gt(0, {error: 'must be greater than 0'}).optional(),
	podStartSeconds: count('a number of seconds').min(0, {error: 'must be >= 0'}).optional(),
	/** How often the sim's Flagger runs its analysis (the Canary's own interval, sped up). */
	flaggerIntervalSeconds: count('a number of seconds')
		.gt(0, {error: 'must be greater than 0'})
		.optional(),
	/** Multiplies the Argo Rollouts' pause durations and scale-down delays (0.1: ten times faster). */
	argoTimeScale: count('a factor').gt(0, {error: 'must be greater than 0'}).optional(),
});

const forwardFields = z.strictObject({
	service: text('namespace/name').regex(/^[^/\s]+\/[^/\s]+$/, {error: 'must be namespace/name'}),
	url: z.url({protocol: /^https?$/, error: 'must be an http:// or https:// URL'}),
});

const trafficFields = z.strictObject({
	service: text('namespace/name')
		.regex(/^[^/\s]+\/[^/\s]+$/, {error: 'must be namespace/name'})
		.optional(),
	ingress: text('namespace/name')
		.regex(/^[^/\s]+\/[^/\s]+$/, {error: 'must be namespace/name'})
		.optional(),
	rps: count('a number of requests per second').min(0, {error: 'must be >= 0'}),
});

const ownerReference = z.looseObject({
	apiVersion: text(),
	kind: text(),
	name: text(),
	uid: text(),
});

const objectFields = z.looseObject({
	apiVersion: text(),
	kind: text(),
	metadata: z.looseObject(
		{
			name: dnsSubdomain,
			namespace: dnsLabel.optional(),
			uid: text().optional(),
			creationTimestamp: text('an RFC 3339 time string (quote it)').optional(),
			labels: stringMap.optional(),
			annotations: stringMap.optional(),
			ownerReferences: z.array(ownerReference).optional(),
		},
		{error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a mapping')},
	),
});

export const fileFields = z.strictObject({
	name: text().min(1, {error: 'must not be empty'}).optional(),
	description: text().optional(),
	extends: text('the name of a built-in scenario or a path to a .yaml file').optional(),
	settings: settingsFields.nullish(),
	behaviours: z.record(z.string(), behaviourFields).nullish(),
	forwards: z.array(forwardFields).nullish(),
	traffic: z.array(trafficFields).nullish(),
	objects: z.array(objectFields).nullish(),
});
export type ScenarioFile = z.infer<typeof fileFields>;

/** Keys allowed at each strict level, for "unknown key" messages. */
export function allowedKeys(path: PropertyKey[]): string[] {
	const [section] = path;
	if (path.length === 0) return Object.keys(fileFields.shape);
	if (section === 'settings') return Object.keys(settingsFields.shape);
	if (section === 'behaviours') return Object.keys(behaviourFields.shape);
	if (section === 'forwards') return Object.keys(forwardFields.shape);
	if (section === 'traffic') return Object.keys(trafficFields.shape);
	return [];
}
