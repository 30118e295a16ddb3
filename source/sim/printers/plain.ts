/** The kinds with one column between Name and Age. */
import type {KubeObject} from '../table.js';
import {age, ageCol, col, int, nameCol, type Printer, rec, recs, str} from './format.js';

/** formatEndpoints: at most three host:port entries, then "+ N more...". */
function endpointsText(o: KubeObject): string {
	const subsets = recs(o.subsets);
	if (subsets.length === 0) return '<none>';
	const list: string[] = [];
	let more = false;
	let count = 0;
	const add = (entry: string) => {
		if (list.length === 3) {
			more = true;
			return false;
		}
		list.push(entry);
		return true;
	};
	for (const subset of subsets) {
		const addresses = recs(subset.addresses);
		const ports = recs(subset.ports);
		if (ports.length === 0) {
			count += addresses.length;
			for (const a of addresses) if (!add(str(a.ip))) break;
			continue;
		}
		for (const port of ports) {
			count += addresses.length;
			for (const a of addresses) {
				const ip = str(a.ip);
				if (!add(`${ip.includes(':') ? `[${ip}]` : ip}:${int(port.port)}`)) break;
			}
		}
	}
	return more ? `${list.join(',')} + ${count - 3} more...` : list.join(',');
}

export const namespacePrinter: Printer = {
	columns: [nameCol, col('Status', 'string', 'The status of the namespace'), ageCol],
	// A real server sets phase Active on create.
	cells: (o, now) => [o.metadata?.name ?? '', str(rec(o.status).phase) || 'Active', age(o, now)],
};

export const configMapPrinter: Printer = {
	columns: [nameCol, col('Data', 'string', 'Data contains the configuration data.'), ageCol],
	cells: (o, now) => [
		o.metadata?.name ?? '',
		Object.keys(rec(o.data)).length + Object.keys(rec(o.binaryData)).length,
		age(o, now),
	],
};

export const endpointsPrinter: Printer = {
	columns: [
		nameCol,
		col('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'),
		ageCol,
	],
	cells: (o, now) => [o.metadata?.name ?? '', endpointsText(o), age(o, now)],
};
