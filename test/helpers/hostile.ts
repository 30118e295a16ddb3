/**
 * Cluster text that tries to drive the terminal: every kind of escape a terminal obeys, put
 * where cutover shows cluster text (an image, annotations, an Event), in the seed's myapp.
 */
import {recordEvent} from '../../source/sim/events.js';
import type {Sim} from '../../source/sim/index.js';
import {resourceTypes} from '../../source/sim/resources.js';

const type = (plural: string) => resourceTypes.find((t) => t.plural === plural)!;

/** OSC 0 (window title), OSC 52 (clipboard write), OSC 8 (hyperlink), SGR, DCS, APC, CSI queries, C1 CSI, bidi, CR/LF. */
export const hostile = {
	image: 'myapp:1.1.0\u001b]0;pwned\u0007\u001b]52;c;cHduZWQ=\u0007',
	healthPath: '/health\u001b[31mRED',
	event:
		'evil\u001b[2J\u001b[?1049l\u001b[6n \u202eRTL \u001b]8;;http://x.example\u0007link\u001b]8;;\u0007 \u001bPdcs\u001b\\ \u001b_apc\u001b\\ \u009b31m\rfake\nline',
	threshold: '\u001b]52;c;cHduZWQ=\u0007',
};

/** The payloads as they may never reach a terminal: each starts a sequence the terminal acts on. */
export const rawPayloads = [
	'\u001b]0;pwned',
	'\u001b]52;',
	'\u001b]8;;',
	'\u001b[31mRED',
	'evil\u001b[2J',
	'\u001b[6n',
	'\u001bPdcs',
	'\u001b_apc',
	'\u009b31m',
	'\u202e',
	'\rfake',
];

/** Puts the payloads into the seed's myapp: green's image, the health path, an Event, a threshold. */
export function poison(sim: Sim): void {
	const green = sim.store.get(type('deployments'), 'default', 'app-green');
	const containers = structuredClone(green.spec.template.spec.containers);
	containers[0].image = hostile.image;
	sim.store.patch(type('deployments'), 'default', 'app-green', 'merge', {
		spec: {template: {spec: {containers}}},
	});
	sim.store.patch(type('services'), 'default', 'myapp', 'merge', {
		metadata: {
			annotations: {
				'cutover.dev/health-path': hostile.healthPath,
				'cutover.dev/max-error-ratio': hostile.threshold,
			},
		},
	});
	recordEvent(
		sim.store,
		sim.store.get(type('services'), 'default', 'myapp'),
		'Warning',
		'Injected',
		hostile.event,
		'test',
	);
}
