import {Box} from 'ink';
import type {Traffic} from '../../core/types.js';
import {tint, useTheme} from '../theme.js';
import {Text} from './text.js';

type WeightTraffic = Extract<Traffic, {kind: 'split'}>;

function cells(weight: number, total: number, width: number): number {
	return Math.round((Math.min(Math.max(weight, 0), total) / total) * width);
}

function percent(weight: number, total: number): string {
	return `${Math.round((weight / total) * 100)}%`;
}

/** The list's compact bar: the canary's share filled, then its percent. */
export function CompactWeightBar({traffic}: {traffic: WeightTraffic}) {
	const theme = useTheme();
	const width = 8;
	if (traffic.weight === null)
		return <Text color={tint(theme, 'red')}>{`${theme.symbols.bad} weight ?`}</Text>;
	const filled = cells(traffic.weight, traffic.total, width);
	return (
		<Text>
			<Text color={tint(theme, 'yellow')}>{theme.symbols.barFull.repeat(filled)}</Text>
			<Text color={tint(theme, 'cyan')}>{theme.symbols.barEmpty.repeat(width - filled)}</Text>
			<Text>{` ${percent(traffic.weight, traffic.total)}`}</Text>
		</Text>
	);
}

/**
 * The detail's wide bar: stable's share and the canary's, the weight as a number, and a tick
 * under the bar at each step, with the step's value.
 */
export function WideWeightBar({traffic, width}: {traffic: WeightTraffic; width: number}) {
	const theme = useTheme();
	const {weight, total, steps} = traffic;
	const barWidth = Math.max(10, width - 2);
	if (weight === null) {
		return (
			<Text
				color={tint(theme, 'red')}
			>{`${theme.symbols.bad} the canary weight cannot be read: no bar drawn rather than a guess`}</Text>
		);
	}
	const filled = cells(weight, total, barWidth);
	const canaryLabel = ` canary ${percent(weight, total)}`;
	// A controller's weight and what the proxy applies can differ for a moment (or for good).
	const actual =
		traffic.actual !== undefined && traffic.actual !== weight
			? ` (${traffic.appliedBy ?? 'ingress'}: ${traffic.actual ?? '?'})`
			: '';
	const middle = `weight ${weight}/${total}${actual}`;
	const stableLabel = `stable ${percent(total - weight, total)}`;
	// Spread over the bar's width (1 + barWidth columns), at least 3 spaces apart.
	const gap = Math.max(6, 1 + barWidth - canaryLabel.length - middle.length - stableLabel.length);
	const half = Math.floor(gap / 2);
	const ticks = Array.from({length: barWidth}, () => ' ');
	const labels = Array.from({length: barWidth + 4}, () => ' ');
	for (const step of steps) {
		const at = Math.min(barWidth - 1, Math.max(0, cells(step, total, barWidth) - 1));
		ticks[at] = theme.ascii ? '^' : '▴';
		const text = String(step);
		const start = Math.min(labels.length - text.length, Math.max(0, at - text.length + 1));
		if (labels.slice(start, start + text.length + 1).every((c) => c === ' ')) {
			for (const [i, char] of [...text].entries()) labels[start + i] = char;
		}
	}
	// One line: the word "steps" only where it fits beside the last label.
	const stepLabels = ` ${labels.join('').trimEnd()}`;
	return (
		<Box flexDirection="column" flexShrink={0}>
			{/* Each share is named above its end of the bar: the canary's fills from the left. */}
			<Text>
				<Text color={tint(theme, 'yellow')} bold>
					{canaryLabel}
				</Text>
				<Text>{`${' '.repeat(gap - half)}${middle}${' '.repeat(half)}`}</Text>
				<Text color={tint(theme, 'cyan')}>{stableLabel}</Text>
			</Text>
			<Text>
				{' '}
				<Text color={tint(theme, 'yellow')}>{theme.symbols.barFull.repeat(filled)}</Text>
				<Text color={tint(theme, 'cyan')}>{theme.symbols.barEmpty.repeat(barWidth - filled)}</Text>
			</Text>
			<Text dimColor={theme.color}>{` ${ticks.join('')}`}</Text>
			<Text dimColor={theme.color} wrap="truncate-end">
				{stepLabels.length + 7 <= width ? `${stepLabels}  steps` : stepLabels}
			</Text>
		</Box>
	);
}
