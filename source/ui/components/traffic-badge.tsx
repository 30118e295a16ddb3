import {Text} from 'ink';
import type {Rollout} from '../../core/types.js';
import {trackName} from '../format.js';
import {trackColor, useTheme} from '../theme.js';
import {CompactWeightBar} from './weight-bar.js';

/** Which color is live (blue/green) or the canary's share: color, symbol and word together. */
export function TrafficBadge({rollout}: {rollout: Rollout}) {
	const theme = useTheme();
	if (rollout.traffic.kind === 'selector') {
		const live = rollout.tracks.find((t) => t.role === 'active');
		if (!live) return <Text>{`${theme.symbols.bad} none live`}</Text>;
		return (
			<Text color={trackColor(theme, live.color)} bold>
				{`${theme.symbols.live} ${trackName(live)} live`}
			</Text>
		);
	}
	return <CompactWeightBar traffic={rollout.traffic} />;
}
