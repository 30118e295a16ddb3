import {resourceTypes} from '../resources.js';
import type {KubeObject, Store} from '../store.js';
import {allocatePodIp, simNode} from './pod-network.js';
import {pendingStatus, podImages, readied} from './pods.js';

const pods = resourceTypes.find((t) => t.plural === 'pods')!;

/**
 * The scheduler and the kubelet for pods no controller of the sim starts (`kubectl run`, a Pod
 * applied from a file): bound to the sim's node, given an IP, Pending, then Running and Ready
 * after the pod start time. The sim runs no containers: a pod is a model, with no process behind
 * it to attach to, exec in or read logs from (the API says so when asked).
 */
export class Kubelet {
	/** When each starting pod (by namespace/name) becomes Ready. */
	private readonly readyAt = new Map<string, number>();
	private timer: NodeJS.Timeout | undefined;
	private unsubscribe: (() => void) | undefined;

	constructor(
		private readonly store: Store,
		private readonly podStartSeconds: number,
		private readonly readyDelayFor: (image: string) => number | undefined = () => undefined,
		private readonly tickMs = 50,
	) {}

	start(): void {
		const pending: KubeObject[] = [];
		this.unsubscribe = this.store.watch(pods, undefined, {}, (type, pod) => {
			if (type === 'DELETED') this.readyAt.delete(`${pod.metadata.namespace}/${pod.metadata.name}`);
			else if (!pod.status?.phase) pending.push(pod);
		});
		const tick = () => {
			for (const pod of pending.splice(0)) {
				try {
					this.take(pod);
				} catch {
					// A write raced by a client: the pod is looked at again on the next tick.
					pending.push(pod);
				}
			}
			this.ready();
		};
		tick();
		this.timer = setInterval(tick, this.tickMs);
		this.timer.unref();
	}

	stop(): void {
		clearInterval(this.timer);
		this.unsubscribe?.();
	}

	private take(pod: KubeObject): void {
		const {namespace, name} = pod.metadata;
		const current = this.store.find(pods, namespace, name!);
		if (!current || current.metadata.uid !== pod.metadata.uid || current.status?.phase) return;
		// The scheduler binds it; the kubelet then reports it Pending with its sandbox's IP.
		const bound = current.spec?.nodeName
			? current
			: this.store.update(pods, namespace, name!, {
					...current,
					spec: {...current.spec, nodeName: simNode.name},
				});
		this.store.update(
			pods,
			namespace,
			name!,
			{...bound, status: pendingStatus(bound.spec, allocatePodIp(this.store))},
			{subresource: 'status'},
		);
		const delay = Math.max(
			this.podStartSeconds,
			...podImages(bound).map((image) => this.readyDelayFor(image) ?? 0),
		);
		this.readyAt.set(`${namespace}/${name}`, Date.now() + delay * 1000);
	}

	private ready(): void {
		const now = Date.now();
		for (const [key, at] of this.readyAt) {
			if (at > now) continue;
			this.readyAt.delete(key);
			const [namespace, name] = key.split('/') as [string, string];
			const pod = this.store.find(pods, namespace, name);
			if (pod?.status?.phase !== 'Pending') continue;
			try {
				this.store.update(pods, namespace, name, readied(pod), {subresource: 'status'});
			} catch {
				this.readyAt.set(key, now);
			}
		}
	}
}
