/**
 * The sim's Flagger: it moves Canaries (flagger.app/v1beta1, NGINX provider, Deployment targets,
 * progressive traffic) as fluxcd/flagger's scheduler does, one analysis per interval: a new
 * revision of the target starts an analysis, each interval the rollback gate, the failed-checks
 * threshold, the metric checks and the traffic-increase gate decide whether the weight advances by
 * stepWeight; at maxWeight the promotion gate lets the primary take the target's template, then
 * the traffic returns to the primary and the target is scaled to zero. A Canary found mid-analysis
 * (the seed's) carries on from its status. The interval is the scenario's
 * `settings.flaggerIntervalSeconds`, not the Canary's own (a demo does not wait minutes).
 */
import {resourceTypes} from '../resources.js';
import type {KubeObject} from '../store.js';
import {
	type CheckContext,
	callWebhook,
	dotted,
	flaggerEvent,
	hooksOf,
	metricChecks,
} from './flagger-checks.js';
import {
	CanaryWriter,
	createPrimary,
	deployment,
	maxWeight,
	nextStepWeight,
	notReady,
	promote,
	routedWeight,
	scale,
	scaleFromZero,
	setRoute,
} from './flagger-status.js';
import {templateHash} from './template-hash.js';

const canaries = resourceTypes.find((t) => t.plural === 'canaries')!;

const analysing = ['Progressing', 'Waiting', 'WaitingPromotion', 'Promoting', 'Finalising'];

export class FlaggerController {
	private timer: NodeJS.Timeout | undefined;
	private readonly writer: CanaryWriter;

	constructor(
		private readonly context: CheckContext,
		/** The analysis interval, in seconds. */
		private readonly intervalSeconds: number,
	) {
		this.writer = new CanaryWriter(context.store);
	}

	start(): void {
		// A scenario's Canary says where its analysis stands but not since when: it is as old as
		// the world, as if Flagger had just written it (a fixed date would read "568d ago").
		for (const canary of this.context.store.peek(canaries))
			if (canary.status && !canary.status.lastTransitionTime) this.writer.set(canary, {});
		this.timer = setInterval(() => this.tick(), this.intervalSeconds * 1000);
		this.timer.unref();
	}

	stop(): void {
		clearInterval(this.timer);
	}

	/** One analysis run of every Canary (each on its own: one failing does not stop the rest). */
	tick(): void {
		for (const canary of this.context.store.peek(canaries)) {
			try {
				this.advance(structuredClone(canary));
			} catch {
				// A write raced by a client: the next interval runs again, as Flagger's does.
			}
		}
	}

	private info(canary: KubeObject, message: string): void {
		flaggerEvent(this.context.store, canary, 'Normal', message);
	}

	private warn(canary: KubeObject, message: string): void {
		flaggerEvent(this.context.store, canary, 'Warning', message);
	}

	/** Flagger's advanceCanary, for what the sim supports. */
	private advance(cd: KubeObject): void {
		const {store} = this.context;
		if (cd.spec?.suspend === true) {
			this.info(cd, 'skipping canary run as object is suspended');
			return;
		}
		if (cd.spec?.targetRef?.kind !== 'Deployment') return;
		const namespace = cd.metadata.namespace!;
		const targetName: string = cd.spec.targetRef.name;
		const targetId = `${targetName}.${namespace}`;
		const primaryName = `${targetName}-primary`;
		const target = deployment(store, namespace, targetName);
		if (!target) {
			this.warn(
				cd,
				`deployment ${targetId} get query error: deployments.apps "${targetName}" not found`,
			);
			return;
		}
		const phase: string = cd.status?.phase ?? '';
		const primary = deployment(store, namespace, primaryName);
		if (phase === '' || phase === 'Initializing' || !primary) {
			this.initialize(cd, target, primary);
			return;
		}
		const hash = templateHash(target.spec.template);
		const status = cd.status ?? {};
		// hasSpecChanged: a template never applied, not the promoted one (a manual rollback).
		const changed =
			!status.lastAppliedSpec ||
			(status.lastPromotedSpec !== hash && status.lastAppliedSpec !== hash);
		if (phase === 'Failed')
			this.writer.sync(cd, 'Failed', hash, {
				canaryWeight: status.canaryWeight,
				failedChecks: status.failedChecks,
				iterations: status.iterations,
			});
		if (!analysing.includes(phase) && !changed) return;
		const skip = cd.spec?.skipAnalysis === true;
		if (!skip) {
			const why = notReady(primary);
			if (why) {
				this.warn(cd, `${primaryName}.${namespace} not ready: ${why}`);
				return;
			}
		}
		const weight = routedWeight(store, cd);

		// checkCanaryStatus: a new revision (or a confirm-rollout wait) starts the analysis.
		if (!['Progressing', 'WaitingPromotion', 'Promoting', 'Finalising'].includes(phase)) {
			for (const hook of hooksOf(cd, 'confirm-rollout')) {
				if (!callWebhook(this.context, cd, hook, phase).ok) {
					if (phase !== 'Waiting') {
						this.writer.phase(cd, 'Waiting');
						this.warn(cd, `Halt ${dotted(cd)} advancement waiting for approval ${hook.name}`);
					}
					return;
				}
				this.info(cd, `Confirm-rollout check ${hook.name} passed`);
			}
			scaleFromZero(store, target, primary);
			this.writer.sync(cd, 'Progressing', hash);
			this.info(cd, `New revision detected! Scaling up ${targetId}`);
			return;
		}
		if ((phase === 'Progressing' || phase === 'WaitingPromotion') && changed) {
			this.info(cd, `New revision detected! Restarting analysis for ${targetId}`);
			setRoute(store, cd, 0);
			this.writer.sync(cd, 'Progressing', hash);
			return;
		}
		const canaryWhy = notReady(target);
		if (canaryWhy) {
			this.warn(cd, `${targetId} not ready: ${canaryWhy}`);
			return;
		}

		if (skip) {
			setRoute(store, cd, 0);
			this.info(cd, `Copying ${targetId} template spec to ${primaryName}.${namespace}`);
			promote(store, target, primary);
			scale(store, target, 0);
			this.writer.phase(cd, 'Succeeded');
			this.info(cd, `Promotion completed! Canary analysis was skipped for ${targetId}`);
			return;
		}
		if (['Progressing', 'Waiting', 'WaitingPromotion'].includes(phase)) {
			for (const hook of hooksOf(cd, 'rollback')) {
				if (callWebhook(this.context, cd, hook, phase).ok) {
					this.warn(cd, `Rollback check ${hook.name} passed`);
					this.warn(cd, `Rolling back ${dotted(cd)} manual webhook invoked`);
					this.rollback(cd, target, hash);
					return;
				}
				this.info(cd, `Rollback hook ${hook.name} not signaling a rollback`);
			}
		}
		if (phase === 'Promoting') {
			this.info(cd, 'Routing all traffic to primary');
			setRoute(store, cd, 0);
			this.writer.phase(cd, 'Finalising');
			return;
		}
		if (phase === 'Finalising') {
			scale(store, target, 0);
			this.writer.phase(cd, 'Succeeded');
			this.info(cd, `Promotion completed! Scaling down ${targetId}`);
			return;
		}
		const threshold = cd.spec?.analysis?.threshold > 0 ? cd.spec.analysis.threshold : 1;
		if ((status.failedChecks ?? 0) >= threshold) {
			this.rollback(cd, target, hash);
			return;
		}

		if (weight === 0 && (status.iterations ?? 0) === 0) {
			this.info(cd, `Starting canary analysis for ${targetId}`);
			for (const hook of hooksOf(cd, 'pre-rollout')) {
				const result = callWebhook(this.context, cd, hook, 'Progressing');
				if (!result.ok) {
					this.warn(
						cd,
						`Halt ${dotted(cd)} advancement pre-rollout check ${hook.name} failed ${result.error}`,
					);
					this.failedCheck(cd);
					return;
				}
				this.info(cd, `Pre-rollout check ${hook.name} passed`);
			}
		} else {
			for (const hook of hooksOf(cd, 'rollout')) {
				const result = callWebhook(this.context, cd, hook, 'Progressing');
				if (!result.ok) {
					this.warn(
						cd,
						`Halt ${dotted(cd)} advancement external check ${hook.name} failed ${result.error}`,
					);
					this.failedCheck(cd);
					return;
				}
			}
			const halt = metricChecks(this.context, cd, this.intervalSeconds);
			if (halt) {
				this.warn(cd, halt);
				this.failedCheck(cd);
				return;
			}
		}

		const step = nextStepWeight(cd, weight);
		if (step <= 0) return;
		if (phase === 'Progressing') {
			for (const hook of hooksOf(cd, 'confirm-traffic-increase')) {
				if (!callWebhook(this.context, cd, hook, 'Progressing').ok) {
					this.warn(
						cd,
						`Halt ${dotted(cd)} advancement waiting for traffic increase approval ${hook.name}`,
					);
					return;
				}
				this.info(cd, `Confirm-traffic-increase check ${hook.name} passed`);
			}
		}
		if (weight < maxWeight(cd)) {
			const next = Math.min(100, weight + step);
			setRoute(store, cd, next);
			this.writer.set(cd, {canaryWeight: next});
			this.info(cd, `Advance ${dotted(cd)} canary weight ${next}`);
			return;
		}
		for (const hook of hooksOf(cd, 'confirm-promotion')) {
			if (!callWebhook(this.context, cd, hook, 'Progressing').ok) {
				if (phase !== 'WaitingPromotion') {
					this.writer.phase(cd, 'WaitingPromotion');
					this.warn(
						cd,
						`Halt ${dotted(cd)} advancement waiting for promotion approval ${hook.name}`,
					);
				} else this.writer.set(cd, {iterations: (cd.spec?.analysis?.iterations ?? 0) - 1});
				return;
			}
			this.info(cd, `Confirm-promotion check ${hook.name} passed`);
		}
		this.info(cd, `Copying ${targetId} template spec to ${primaryName}.${namespace}`);
		promote(store, target, primary);
		this.writer.phase(cd, 'Promoting');
	}

	private failedCheck(cd: KubeObject): void {
		this.writer.set(cd, {failedChecks: (cd.status?.failedChecks ?? 0) + 1});
	}

	/** Traffic back to the primary, the target scaled to zero, the Canary Failed. */
	private rollback(cd: KubeObject, target: KubeObject, hash: string): void {
		const threshold = cd.spec?.analysis?.threshold > 0 ? cd.spec.analysis.threshold : 1;
		const failed = cd.status?.failedChecks ?? 0;
		if (failed >= threshold)
			this.warn(cd, `Rolling back ${dotted(cd)} failed checks threshold reached ${failed}`);
		setRoute(this.context.store, cd, 0);
		this.warn(cd, `Canary failed! Scaling down ${dotted(cd)}`);
		scale(this.context.store, target, 0);
		this.writer.sync(cd, 'Failed', hash);
	}

	/**
	 * A Canary without a status (or whose primary is gone): the primary Deployment is created from
	 * the target, and once it is ready the target is scaled to zero and the Canary is Initialized.
	 * The sim does not generate the Services and the canary Ingress: a scenario brings them.
	 */
	private initialize(cd: KubeObject, target: KubeObject, primary: KubeObject | undefined): void {
		const {store} = this.context;
		const namespace = cd.metadata.namespace!;
		const primaryName = `${target.metadata.name}-primary`;
		if ((cd.status?.phase ?? '') === '') this.writer.phase(cd, 'Initializing');
		if (!primary) {
			createPrimary(store, cd, target);
			return;
		}
		const why = notReady(primary);
		if (why) {
			this.warn(cd, `${primaryName}.${namespace} not ready: ${why}`);
			return;
		}
		scale(store, target, 0);
		this.writer.sync(cd, 'Initialized', templateHash(target.spec.template));
		this.info(cd, `Initialization done! ${dotted(cd)}`);
	}
}
