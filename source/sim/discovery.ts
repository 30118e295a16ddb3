import {apiVersionOf, type ResourceType, resourceTypes} from './resources.js';

/** Served as the cluster's version; kubectl's version dispatcher picks its client from it. */
export const serverVersion = {
	major: '1',
	minor: '33',
	gitVersion: 'v1.33.0',
	gitCommit: '0000000000000000000000000000000000000000',
	gitTreeState: 'clean',
	buildDate: '2026-01-01T00:00:00Z',
	goVersion: 'go1.24.0',
	compiler: 'gc',
	platform: 'linux/amd64',
};

function groups(): Map<string, ResourceType[]> {
	const byGroup = new Map<string, ResourceType[]>();
	for (const type of resourceTypes) {
		if (!type.group) continue;
		byGroup.set(type.group, [...(byGroup.get(type.group) ?? []), type]);
	}
	return byGroup;
}

function groupEntry(name: string, types: ResourceType[]) {
	const version = types[0]!.version;
	const preferred = {groupVersion: `${name}/${version}`, version};
	return {name, versions: [preferred], preferredVersion: preferred};
}

export function coreVersions(serverAddress: string) {
	return {
		kind: 'APIVersions',
		versions: ['v1'],
		serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress}],
	};
}

export function groupList() {
	return {
		kind: 'APIGroupList',
		apiVersion: 'v1',
		groups: [...groups()].map(([name, types]) => groupEntry(name, types)),
	};
}

export function group(name: string) {
	const types = groups().get(name);
	return types ? {kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(name, types)} : undefined;
}

const subresourceVerbs = ['get', 'patch', 'update'];

export function resourceList(groupName: string, version: string) {
	const types = resourceTypes.filter((t) => t.group === groupName && t.version === version);
	if (types.length === 0) return undefined;
	const resources = types.flatMap((type) => {
		const main = {
			name: type.plural,
			singularName: type.singular,
			namespaced: type.namespaced,
			kind: type.kind,
			verbs: type.verbs,
			...(type.shortNames ? {shortNames: type.shortNames} : {}),
			...(type.categories ? {categories: type.categories} : {}),
		};
		const subresources: object[] = [];
		if (type.status) {
			subresources.push({
				name: `${type.plural}/status`,
				singularName: '',
				namespaced: type.namespaced,
				kind: type.kind,
				verbs: subresourceVerbs,
			});
		}
		if (type.scale) {
			subresources.push({
				name: `${type.plural}/scale`,
				singularName: '',
				namespaced: true,
				group: 'autoscaling',
				version: 'v1',
				kind: 'Scale',
				verbs: subresourceVerbs,
			});
		}
		if (type.proxy) {
			subresources.push({
				name: `${type.plural}/proxy`,
				singularName: '',
				namespaced: true,
				kind: type.proxy,
				verbs: ['create', 'delete', 'get', 'patch', 'update'],
			});
		}
		return [main, ...subresources];
	});
	return {
		kind: 'APIResourceList',
		apiVersion: 'v1',
		groupVersion: apiVersionOf(types[0]!),
		resources,
	};
}
