/** Exit codes of every subcommand, for scripts. */
export const exitCodes = {
	done: 0,
	failed: 1,
	usage: 2,
	notFound: 3,
	conflict: 4,
	/** The guard: a breached or unmeasured candidate (an action refused; status: a rollout failing). */
	guarded: 6,
	/** `guard`: stopped (SIGTERM) before the rollout was promoted or rolled back. */
	stopped: 7,
	/** `guard`: it rolled the rollout back. */
	rolledBack: 10,
} as const;

/** A failure that ends a subcommand with a message and an exit code. */
export class CommandError extends Error {
	constructor(
		message: string,
		readonly exitCode: number,
	) {
		super(message);
		this.name = 'CommandError';
	}
}
