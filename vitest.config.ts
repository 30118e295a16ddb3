import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 30_000,
		// Two cores here, and most of the slow tests wait on windows, scrapes and terminals, not CPU.
		maxWorkers: 2,
		hookTimeout: 30_000,
		pool: 'forks',
		globalSetup: ['test/global-setup.ts'],
	},
});
