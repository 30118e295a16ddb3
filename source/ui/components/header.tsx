import {Box} from 'ink';
import {dataAge} from '../../core/freshness.js';
import type {AppState} from '../store.js';
import {tint, useTheme} from '../theme.js';
import {Text} from './text.js';

/** The top line: where cutover looks, and how fresh what it shows is. */
export function Header({state, width}: {state: AppState; width: number}) {
	const theme = useTheme();
	const {connection} = state;
	const where = `${state.context} ${theme.symbols.arrow} ${state.namespace ?? 'all namespaces'}`;
	let link: {text: string; color: string};
	if (connection.status === 'live') link = {text: `${theme.symbols.live} live`, color: 'green'};
	else if (connection.status === 'connecting')
		link = {text: `${theme.symbols.progressing} connecting`, color: 'yellow'};
	else if (connection.status === 'stale')
		link = {
			text: `${theme.symbols.unknown} stale: data ${dataAge(state.now - (connection.currentAt ?? connection.lastDataAt))} old, actions off`,
			color: 'yellow',
		};
	else {
		const since = connection.currentAt ?? connection.lastDataAt;
		const age = since ? `data ${dataAge(state.now - since)} old, actions off` : 'no data yet';
		link = {text: `${theme.symbols.bad} disconnected, ${age}`, color: 'red'};
	}
	const mode = state.readonly ? ' [read-only]' : '';
	return (
		<Box width={width}>
			<Text bold>cutover</Text>
			<Text>{`  ${where}${mode}  `}</Text>
			<Text color={tint(theme, link.color)}>{link.text}</Text>
		</Box>
	);
}
