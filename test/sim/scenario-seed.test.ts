import {describe, expect, it} from 'vitest';
import {type Any, find, ofKind, seed} from './scenario-helpers.js';

describe('seed: the blue/green from the seed manifests (namespace default)', () => {
	it('has app-blue on myapp:1.0.0 and app-green on myapp:1.1.0, 3 replicas each, container app on 8080', () => {
		for (const [color, image] of [
			['blue', 'myapp:1.0.0'],
			['green', 'myapp:1.1.0'],
		] as const) {
			const deployment = find(seed, 'Deployment', 'default', `app-${color}`);
			expect(deployment.metadata.labels).toEqual({app: 'myapp', version: color});
			expect(deployment.spec.replicas).toBe(3);
			expect(deployment.spec.selector.matchLabels).toEqual({app: 'myapp', version: color});
			expect(deployment.spec.template.metadata.labels).toEqual({app: 'myapp', version: color});
			expect(deployment.spec.template.spec.containers).toEqual([
				{name: 'app', image, ports: [{containerPort: 8080}]},
			]);
			// The simulator's Deployment controller writes status and makes the ReplicaSets and Pods.
			expect(deployment.status).toBeUndefined();
		}
		expect(ofKind(seed, 'ReplicaSet', 'default')).toEqual([]);
		expect(ofKind(seed, 'Pod', 'default')).toEqual([]);
	});

	it('has Service myapp selecting blue on 80 -> 8080, and one Service per color on 8080 for the smoke test', () => {
		const myapp = find(seed, 'Service', 'default', 'myapp');
		expect(myapp.spec.selector).toEqual({app: 'myapp', version: 'blue'});
		expect(myapp.spec.ports).toEqual([expect.objectContaining({port: 80, targetPort: 8080})]);
		for (const color of ['blue', 'green']) {
			const service = find(seed, 'Service', 'default', `app-${color}`);
			expect(service.spec.selector).toEqual({app: 'myapp', version: color});
			expect(service.spec.ports).toEqual([expect.objectContaining({port: 8080, targetPort: 8080})]);
		}
	});
});

describe('seed: the nginx canary (namespace shop)', () => {
	it('has shop-stable (shop:2.3.0, 3 replicas) and shop-canary (shop:2.4.0, 1 replica)', () => {
		for (const [track, image, replicas] of [
			['stable', 'shop:2.3.0', 3],
			['canary', 'shop:2.4.0', 1],
		] as const) {
			const deployment = find(seed, 'Deployment', 'shop', `shop-${track}`);
			expect(deployment.spec.replicas).toBe(replicas);
			expect(deployment.spec.selector.matchLabels).toEqual({app: 'shop', track});
			expect(deployment.spec.template.spec.containers[0].image).toBe(image);
			expect(find(seed, 'Service', 'shop', `shop-${track}`).spec.selector).toEqual({
				app: 'shop',
				track,
			});
		}
	});

	it('has a primary and a canary Ingress on shop.example.com / at weight 10, with a load-balancer address', () => {
		const primary = find(seed, 'Ingress', 'shop', 'shop');
		const canary = find(seed, 'Ingress', 'shop', 'shop-canary');
		expect(primary.metadata.annotations?.['nginx.ingress.kubernetes.io/canary']).toBeUndefined();
		expect(canary.metadata.annotations).toEqual({
			'nginx.ingress.kubernetes.io/canary': 'true',
			'nginx.ingress.kubernetes.io/canary-weight': '10',
		});
		for (const [ingress, backend] of [
			[primary, 'shop-stable'],
			[canary, 'shop-canary'],
		] as const) {
			expect(ingress.spec.ingressClassName).toBe('nginx');
			const [rule] = ingress.spec.rules;
			expect(rule.host).toBe('shop.example.com');
			expect(rule.http.paths).toEqual([
				{path: '/', pathType: 'Prefix', backend: {service: {name: backend, port: {number: 80}}}},
			]);
			expect(ingress.status.loadBalancer.ingress[0].ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
		}
	});
});

describe('seed: Flagger podinfo mid-analysis (namespace test)', () => {
	const canary = find(seed, 'Canary', 'test', 'podinfo');

	it('is a flagger.app/v1beta1 Canary targeting Deployment podinfo through Ingress podinfo', () => {
		expect(canary.apiVersion).toBe('flagger.app/v1beta1');
		expect(canary.spec.targetRef).toEqual({
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			name: 'podinfo',
		});
		expect(canary.spec.ingressRef).toEqual({
			apiVersion: 'networking.k8s.io/v1',
			kind: 'Ingress',
			name: 'podinfo',
		});
		expect(canary.spec.service.port).toBe(80);
	});

	it('has the analysis settings, metrics and webhooks (with gates) the console reads', () => {
		const {analysis} = canary.spec;
		expect(analysis).toMatchObject({interval: '1m', threshold: 5, maxWeight: 50, stepWeight: 10});
		expect(analysis.metrics).toEqual([
			{name: 'request-success-rate', thresholdRange: {min: 99}, interval: '1m'},
			{name: 'request-duration', thresholdRange: {max: 500}, interval: '1m'},
		]);
		const hooks = Object.fromEntries(analysis.webhooks.map((hook: Any) => [hook.type, hook.url]));
		expect(hooks).toEqual({
			'pre-rollout': 'http://flagger-loadtester.test/',
			rollout: 'http://flagger-loadtester.test/',
			'confirm-traffic-increase': 'http://flagger-loadtester.test/gate/check',
			'confirm-promotion': 'http://flagger-loadtester.test/gate/check',
			rollback: 'http://flagger-loadtester.test/rollback/check',
		});
		expect(analysis.webhooks.map((hook: Any) => hook.name)).toEqual(
			expect.arrayContaining(['acceptance-test', 'load-test']),
		);
	});

	it('has a status block with Flagger field names, progressing at weight 20 with one failed check', () => {
		const {status} = canary;
		expect(status).toMatchObject({
			phase: 'Progressing',
			canaryWeight: 20,
			failedChecks: 1,
			iterations: 0,
		});
		expect(typeof status.lastAppliedSpec).toBe('string');
		expect(typeof status.lastPromotedSpec).toBe('string');
		expect(status.lastAppliedSpec).not.toBe(status.lastPromotedSpec);
		// Left to the sim, which stamps it when the world starts (a fixed date would be years old).
		expect(status.lastTransitionTime).toBeUndefined();
		expect(status.conditions).toHaveLength(1);
		expect(status.conditions[0]).toMatchObject({
			type: 'Promoted',
			status: 'Unknown',
			reason: 'Progressing',
			message: 'New revision detected, progressing canary analysis.',
		});
		expect(Date.parse(status.conditions[0].lastTransitionTime)).not.toBeNaN();
		expect(Date.parse(status.conditions[0].lastUpdateTime)).not.toBeNaN();
	});

	it('has the canary target on 6.0.1 and the generated primary on 6.0.0', () => {
		const target = find(seed, 'Deployment', 'test', 'podinfo');
		const primary = find(seed, 'Deployment', 'test', 'podinfo-primary');
		expect(target.spec.template.spec.containers[0].image).toBe(
			'ghcr.io/stefanprodan/podinfo:6.0.1',
		);
		expect(primary.spec.template.spec.containers[0].image).toBe(
			'ghcr.io/stefanprodan/podinfo:6.0.0',
		);
		expect(target.spec.selector.matchLabels).toEqual({app: 'podinfo'});
		expect(primary.spec.selector.matchLabels).toEqual({app: 'podinfo-primary'});
		expect(primary.metadata.labels).toEqual({app: 'podinfo-primary'});
		expect(primary.metadata.ownerReferences[0]).toMatchObject({
			kind: 'Canary',
			name: 'podinfo',
			uid: canary.metadata.uid,
		});
	});

	it('has the Services Flagger generates, owned by the Canary', () => {
		const selectors = Object.fromEntries(
			['podinfo', 'podinfo-canary', 'podinfo-primary'].map((name) => {
				const service = find(seed, 'Service', 'test', name);
				expect(service.metadata.ownerReferences).toEqual([
					expect.objectContaining({
						apiVersion: 'flagger.app/v1beta1',
						kind: 'Canary',
						name: 'podinfo',
						uid: canary.metadata.uid,
						controller: true,
					}),
				]);
				return [name, service.spec.selector];
			}),
		);
		expect(selectors).toEqual({
			podinfo: {app: 'podinfo-primary'},
			'podinfo-canary': {app: 'podinfo'},
			'podinfo-primary': {app: 'podinfo-primary'},
		});
	});

	it('has a canary Ingress owned by the Canary whose weight matches status.canaryWeight', () => {
		const primary = find(seed, 'Ingress', 'test', 'podinfo');
		const canaryIngress = find(seed, 'Ingress', 'test', 'podinfo-canary');
		expect(primary.spec.rules[0].http.paths[0].backend.service).toEqual({
			name: 'podinfo',
			port: {number: 80},
		});
		expect(canaryIngress.spec.rules[0].http.paths[0].backend.service).toEqual({
			name: 'podinfo-canary',
			port: {number: 80},
		});
		expect(canaryIngress.spec.rules[0].host).toBe(primary.spec.rules[0].host);
		expect(canaryIngress.metadata.annotations['nginx.ingress.kubernetes.io/canary']).toBe('true');
		expect(canaryIngress.metadata.annotations['nginx.ingress.kubernetes.io/canary-weight']).toBe(
			String(canary.status.canaryWeight),
		);
		expect(canaryIngress.metadata.ownerReferences[0]).toMatchObject({
			kind: 'Canary',
			uid: canary.metadata.uid,
			controller: true,
		});
	});

	it('has the flagger-loadtester Deployment and Service (80 -> 8080)', () => {
		const loadtester = find(seed, 'Deployment', 'test', 'flagger-loadtester');
		expect(loadtester.spec.template.spec.containers[0].image).toBe(
			'ghcr.io/fluxcd/flagger-loadtester:0.29.0',
		);
		const service = find(seed, 'Service', 'test', 'flagger-loadtester');
		expect(service.spec.selector).toEqual({app: 'flagger-loadtester'});
		expect(service.spec.ports[0]).toMatchObject({port: 80, targetPort: 8080});
	});
});

describe('seed: Argo Rollout paused at its first pause step (namespace argo)', () => {
	const rollout = find(seed, 'Rollout', 'argo', 'rollouts-demo');
	const replicaSets = ofKind(seed, 'ReplicaSet', 'argo');
	const byRevision = (revision: string) =>
		replicaSets.find((rs) => rs.metadata.annotations['rollout.argoproj.io/revision'] === revision);
	const stable = byRevision('1');
	const canary = byRevision('2');

	it('is an argoproj.io/v1alpha1 canary with the fixture steps and its two Services', () => {
		expect(rollout.apiVersion).toBe('argoproj.io/v1alpha1');
		const strategy = rollout.spec.strategy.canary;
		expect(strategy.steps.slice(0, 4)).toEqual([
			{setWeight: 20},
			{pause: {}},
			{setWeight: 40},
			{pause: {duration: '10s'}},
		]);
		expect(strategy.canaryService).toBe('rollouts-demo-canary');
		expect(strategy.stableService).toBe('rollouts-demo-stable');
		expect(rollout.spec.template.spec.containers[0].image).toBe('argoproj/rollouts-demo:yellow');
	});

	it('has a Paused status at step 1 with a CanaryPauseStep pause condition and weights 20/80', () => {
		const {status} = rollout;
		expect(status).toMatchObject({
			phase: 'Paused',
			message: 'CanaryPauseStep',
			currentStepIndex: 1,
			controllerPause: true,
		});
		// The start time is left to the sim, which stamps it when the world starts.
		expect(status.pauseConditions).toEqual([{reason: 'CanaryPauseStep'}]);
		// The store creates every object at generation 1; the status must be current for it.
		expect(status.observedGeneration).toBe(String(rollout.metadata.generation ?? 1));
		expect(status.stableRS).toBe(stable.metadata.labels['rollouts-pod-template-hash']);
		expect(status.currentPodHash).toBe(canary.metadata.labels['rollouts-pod-template-hash']);
		expect(status.stableRS).not.toBe(status.currentPodHash);
		expect(status.canary.weights).toEqual({
			canary: {
				weight: 20,
				serviceName: 'rollouts-demo-canary',
				podTemplateHash: status.currentPodHash,
			},
			stable: {weight: 80, serviceName: 'rollouts-demo-stable', podTemplateHash: status.stableRS},
		});
		expect(status).toMatchObject({
			replicas: 4,
			updatedReplicas: 1,
			readyReplicas: 4,
			availableReplicas: 4,
		});
		expect(status.conditions.map((c: Any) => c.type)).toEqual(
			expect.arrayContaining(['Available', 'Progressing']),
		);
	});

	it('has a ReplicaSet per revision, owned by the Rollout, with Running and Ready Pods owned by them', () => {
		expect(replicaSets).toHaveLength(2);
		for (const [rs, image, replicas] of [
			[stable, 'argoproj/rollouts-demo:blue', 3],
			[canary, 'argoproj/rollouts-demo:yellow', 1],
		] as const) {
			expect(rs.metadata.ownerReferences[0]).toMatchObject({
				kind: 'Rollout',
				name: 'rollouts-demo',
				uid: rollout.metadata.uid,
				controller: true,
			});
			expect(rs.spec.template.spec.containers[0].image).toBe(image);
			expect(rs.status.replicas).toBe(replicas);
			const hash = rs.metadata.labels['rollouts-pod-template-hash'];
			const pods = ofKind(seed, 'Pod', 'argo').filter(
				(pod) => pod.metadata.ownerReferences[0].uid === rs.metadata.uid,
			);
			expect(pods).toHaveLength(replicas);
			for (const pod of pods) {
				expect(pod.metadata.labels['rollouts-pod-template-hash']).toBe(hash);
				expect(pod.spec.containers[0].image).toBe(image);
				expect(pod.status.phase).toBe('Running');
				expect(pod.status.conditions).toEqual(
					expect.arrayContaining([expect.objectContaining({type: 'Ready', status: 'True'})]),
				);
			}
		}
	});

	it('has stable and canary Services selecting by rollouts-pod-template-hash', () => {
		expect(find(seed, 'Service', 'argo', 'rollouts-demo-stable').spec.selector).toEqual({
			app: 'rollouts-demo',
			'rollouts-pod-template-hash': rollout.status.stableRS,
		});
		expect(find(seed, 'Service', 'argo', 'rollouts-demo-canary').spec.selector).toEqual({
			app: 'rollouts-demo',
			'rollouts-pod-template-hash': rollout.status.currentPodHash,
		});
	});
});
