import {applyPlan} from '../cluster/apply.js';
import {KubeClient} from '../cluster/client.js';
import type {Connection} from '../cluster/config.js';
import {ClusterWatcher} from '../cluster/watcher.js';
import {detectAll} from '../core/strategies/index.js';
import {App} from './components/app.js';
import {Controller} from './controller.js';
import {activeBindings} from './keymap.js';
import {Store} from './store.js';
import {renderFullscreen} from './terminal/render.js';
import {makeTheme, ThemeContext} from './theme.js';

export type ConsoleOptions = {
	connection: Connection;
	readonly: boolean;
	ascii: boolean;
	color: boolean;
	actor?: string;
};

/** The live console: watch the cluster, draw it, act on keys; resolves when the user quits. */
export async function runConsole(options: ConsoleOptions): Promise<number> {
	const {connection} = options;
	const client = new KubeClient(connection.config);
	const watcher = new ClusterWatcher(client, connection.namespace);
	const store = new Store({
		context: connection.context,
		namespace: connection.namespace,
		readonly: options.readonly,
	});
	const bindings = activeBindings(options.readonly);
	const refresh = () =>
		store.update({
			rollouts: detectAll(watcher.snapshot()),
			events: watcher.events(),
			connection: watcher.state(),
			now: Date.now(),
		});
	watcher.on('change', refresh);
	watcher.start();
	// Ages on screen are coarse (minutes), so this tick rarely changes a visible byte.
	const clock = setInterval(
		() => store.update({now: Date.now(), connection: watcher.state()}),
		5000,
	);
	let app: ReturnType<typeof renderFullscreen> | undefined;
	const controller = new Controller({
		store,
		bindings,
		snapshot: () => watcher.snapshot(),
		apply: (plan, onProgress) =>
			applyPlan(client, plan, {onProgress, ...(options.actor ? {actor: options.actor} : {})}),
		quit: () => app?.unmount(),
	});
	app = renderFullscreen(
		<ThemeContext.Provider value={makeTheme({color: options.color, ascii: options.ascii})}>
			<App store={store} controller={controller} bindings={bindings} />
		</ThemeContext.Provider>,
	);
	try {
		await app.waitUntilExit();
	} finally {
		clearInterval(clock);
		await watcher.stop();
	}
	return 0;
}
