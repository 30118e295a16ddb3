import type {Rollout} from '../../core/types.js';
import {trackColor, useTheme} from '../theme.js';
import {Text} from './text.js';
import {CompactWeightBar} from './weight-bar.js';

/** Which track is live (a switch) or the candidate's share (a split): color, symbol and word together. */
export function TrafficBadge({rollout}: {rollout: Rollout}) {
	const theme = useTheme();
	const {traffic} = rollout;
	if (traffic.kind === 'split') return <CompactWeightBar traffic={traffic} />;
	const serving = rollout.tracks.filter((t) => t.serving);
	const live = serving[0];
	if (!live) return <Text>{`${theme.symbols.bad} none live`}</Text>;
	// A selector that picks no color sends traffic to every track it matches: never one of them.
	if (serving.length > 1)
		return <Text>{`${theme.symbols.bad} ${serving.map((t) => t.title).join(' + ')} live`}</Text>;
	return (
		<Text color={trackColor(theme, live)} bold>
			{`${theme.symbols.live} ${live.title} live`}
		</Text>
	);
}
