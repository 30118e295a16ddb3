/**
 * Who may do what on the sim: the authorizer behind SelfSubjectAccessReview and
 * SelfSubjectRulesReview (`kubectl auth can-i`). The sim has one user today, in the group a real
 * cluster's admin is in; users and rules are data here, so RBAC can be added as more of them.
 */
import type {IncomingMessage} from 'node:http';
import {errors} from './errors.js';
import type {KubeObject} from './objects.js';

export type User = {username: string; groups: string[]};

/** What a request asks to do, as the API server's authorizer sees it. */
export type Attributes = {
	verb: string;
	/** '' for the core group. */
	group?: string;
	resource?: string;
	subresource?: string;
	namespace?: string;
	name?: string;
	/** A non-resource request (`/healthz`, `/metrics`) instead of a resource one. */
	path?: string;
};

/** An RBAC PolicyRule, granted to the users and groups named. */
export type Grant = {
	users?: string[];
	groups?: string[];
	verbs: string[];
	apiGroups?: string[];
	resources?: string[];
	nonResourceURLs?: string[];
	/** Only in these namespaces (a RoleBinding's); absent: everywhere (a ClusterRoleBinding's). */
	namespaces?: string[];
};

/** The user behind every request: the sim's kubeconfig carries no credentials. */
export const simUser: User = {
	username: 'cutover-sim',
	groups: ['system:masters', 'system:authenticated'],
};

/** What a real cluster binds system:masters to (cluster-admin): everything. */
export const grants: Grant[] = [
	{groups: ['system:masters'], verbs: ['*'], apiGroups: ['*'], resources: ['*']},
	{groups: ['system:masters'], verbs: ['*'], nonResourceURLs: ['*']},
];

export function userOf(_request: IncomingMessage): User {
	return simUser;
}

const has = (list: string[] | undefined, value: string) =>
	list !== undefined && (list.includes('*') || list.includes(value));

function appliesTo(grant: Grant, user: User, namespace: string | undefined): boolean {
	const who = has(grant.users, user.username) || user.groups.some((g) => has(grant.groups, g));
	return (
		who && (!grant.namespaces || (namespace !== undefined && grant.namespaces.includes(namespace)))
	);
}

function allows(grant: Grant, attributes: Attributes): boolean {
	if (!has(grant.verbs, attributes.verb)) return false;
	if (attributes.path !== undefined) {
		return (grant.nonResourceURLs ?? []).some(
			(url) =>
				url === '*' ||
				url === attributes.path ||
				(url.endsWith('*') && attributes.path!.startsWith(url.slice(0, -1))),
		);
	}
	const resource = attributes.subresource
		? `${attributes.resource}/${attributes.subresource}`
		: (attributes.resource ?? '');
	return has(grant.apiGroups, attributes.group ?? '') && has(grant.resources, resource);
}

/** The authorizer's decision on one request. */
export function authorize(user: User, attributes: Attributes): {allowed: boolean} {
	return {
		allowed: grants.some(
			(grant) => appliesTo(grant, user, attributes.namespace) && allows(grant, attributes),
		),
	};
}

// biome-ignore lint/suspicious/noExplicitAny: review specs as clients send them
type Review = KubeObject & {spec?: any};

function answer(review: Review, status: unknown): KubeObject {
	return {
		kind: review.kind,
		apiVersion: 'authorization.k8s.io/v1',
		metadata: {},
		spec: review.spec,
		status,
	};
}

/** POST selfsubjectaccessreviews: may I do this? Answered, never stored. */
export function accessReview(review: Review, user: User): KubeObject {
	const spec = review.spec ?? {};
	const resource = spec.resourceAttributes;
	const nonResource = spec.nonResourceAttributes;
	if (!resource && !nonResource)
		throw errors.badRequest(
			'exactly one of nonResourceAttributes or resourceAttributes must be specified',
		);
	const attributes: Attributes = resource
		? {
				verb: resource.verb ?? '',
				group: resource.group ?? '',
				resource: resource.resource ?? '',
				...(resource.subresource ? {subresource: resource.subresource} : {}),
				...(resource.namespace ? {namespace: resource.namespace} : {}),
				...(resource.name ? {name: resource.name} : {}),
			}
		: {verb: nonResource.verb ?? '', path: nonResource.path ?? ''};
	return answer(review, authorize(user, attributes));
}

/** POST selfsubjectrulesreviews: what may I do in this namespace (`kubectl auth can-i --list`)? */
export function rulesReview(review: Review, user: User): KubeObject {
	const namespace: string | undefined = review.spec?.namespace || undefined;
	const mine = grants.filter((grant) => appliesTo(grant, user, namespace));
	return answer(review, {
		resourceRules: mine
			.filter((g) => g.resources)
			.map((g) => ({verbs: g.verbs, apiGroups: g.apiGroups ?? [], resources: g.resources})),
		nonResourceRules: mine
			.filter((g) => g.nonResourceURLs)
			.map((g) => ({verbs: g.verbs, nonResourceURLs: g.nonResourceURLs})),
		incomplete: false,
	});
}
