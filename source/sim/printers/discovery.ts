/** EndpointSlices (discovery.k8s.io/v1), as the real server's printEndpointSlice prints them. */
import type {KubeObject} from '../table.js';
import {age, ageCol, col, int, nameCol, type Printer, recs, str} from './format.js';

/** listWithMoreString: at most three entries, then "+ N more..."; nothing at all is "<unset>". */
function listWithMore(entries: string[]): string {
	const shown = entries.slice(0, 3).join(',');
	if (entries.length > 3) return `${shown} + ${entries.length - 3} more...`;
	return shown || '<unset>';
}

/** formatDiscoveryPorts: the port number, else its name, else "*" (all ports). */
function portsText(o: KubeObject): string {
	return listWithMore(
		recs(o.ports).map((p) =>
			typeof p.port === 'number' ? String(int(p.port)) : str(p.name) || '*',
		),
	);
}

/** formatDiscoveryEndpoints: every address of every endpoint, ready or not. */
function endpointsText(o: KubeObject): string {
	return listWithMore(
		recs(o.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? e.addresses.map(str) : [])),
	);
}

export const endpointSlicePrinter: Printer = {
	columns: [
		nameCol,
		col(
			'AddressType',
			'string',
			'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.',
		),
		col(
			'Ports',
			'string',
			'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.',
		),
		col(
			'Endpoints',
			'string',
			'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.',
		),
		ageCol,
	],
	cells: (o, now) => [
		o.metadata?.name ?? '',
		str(o.addressType),
		portsText(o),
		endpointsText(o),
		age(o, now),
	],
};
