/**
 * Where the built-in scenarios live and their names, without the scenario parser: the CLI's help
 * text lists them, and loading YAML and zod for that would slow every start of the console.
 */
import {readdirSync} from 'node:fs';
import {basename, extname} from 'node:path';
import {fileURLToPath} from 'node:url';

export const builtinDir = fileURLToPath(new URL('./scenarios/', import.meta.url));

export function isYamlFile(path: string): boolean {
	return /\.ya?ml$/i.test(path);
}

export function builtinScenarioNames(): string[] {
	return readdirSync(builtinDir)
		.filter((file) => isYamlFile(file))
		.map((file) => basename(file, extname(file)))
		.sort();
}
