#!/usr/bin/env node
// Runs the compiled CLI when built (npm run build), else the TypeScript source through tsx.
import {existsSync} from 'node:fs';

const compiled = new URL('../dist/cli.js', import.meta.url);
if (existsSync(compiled)) {
	await import(compiled.href);
} else {
	const {register} = await import('tsx/esm/api');
	register();
	await import(new URL('../source/cli.tsx', import.meta.url).href);
}
