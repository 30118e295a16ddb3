import {execFileSync} from 'node:child_process';

/**
 * Builds the bundle once before the tests: end-to-end tests run `dist/cli.js` (what ships, and
 * five times quicker to start than the TypeScript source through tsx).
 */
export default function setup(): void {
	execFileSync('npm', ['run', '--silent', 'build'], {stdio: 'inherit'});
}
