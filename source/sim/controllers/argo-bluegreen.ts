/**
 * The blueGreen strategy of the sim's Argo Rollouts: the new ReplicaSet behind the preview
 * Service, a BlueGreenPause when autoPromotionEnabled is false, then the active Service switched
 * and the old ReplicaSet scaled down after scaleDownDelaySeconds.
 */
import {timestamp} from '../store.js';
import {selectHash} from './argo-routing.js';
import {type Actions, type Pass, revisionOf} from './argo-status.js';

/** One pass of a blueGreen Rollout: promote when its preview is ready and allowed, else wait. */
export function blueGreen(a: Actions, p: Pass): void {
	const {ro, status, desired, hash} = p;
	const bg = ro.spec.strategy.blueGreen;
	const delay: number = bg.scaleDownDelaySeconds ?? 30;
	status.blueGreen = {...status.blueGreen};
	status.canary = {};
	delete status.currentStepIndex;
	if (status.abort !== true || status.stableRS === hash) a.scaleNow(p, p.current, desired);
	const stable = a.byHash(p, status.stableRS);
	const promote = () => {
		status.stableRS = hash;
		for (const field of ['pauseConditions', 'controllerPause', 'promoteFull']) delete status[field];
		a.event(
			ro,
			'RolloutCompleted',
			`Rollout completed update to revision ${revisionOf(p.current)}`,
		);
	};
	if (status.stableRS !== hash && status.abort !== true && ro.spec.paused !== true) {
		const ready = a.readyPods(a.fresh(p.current)).length >= desired;
		if (ready) {
			if (status.promoteFull || bg.autoPromotionEnabled !== false) promote();
			else if (status.controllerPause && !status.pauseConditions?.length) promote();
			else if (!status.pauseConditions?.length) {
				status.pauseConditions = [{reason: 'BlueGreenPause', startTime: timestamp()}];
				status.controllerPause = true;
				a.event(ro, 'RolloutPaused', 'Rollout is paused (BlueGreenPause)');
			}
		}
	}
	const promoted = status.stableRS === hash;
	if (status.abort === true && !promoted) {
		if (!status.abortedAt) {
			status.abortedAt = timestamp();
			a.event(ro, 'RolloutAborted', `Rollout aborted update to revision ${revisionOf(p.current)}`);
		}
		for (const field of ['pauseConditions', 'controllerPause']) delete status[field];
	} else {
		delete status.abortedAt;
		delete status.abort;
	}
	const active = promoted ? hash : status.stableRS;
	const preview = status.abort === true && !promoted ? status.stableRS : hash;
	status.blueGreen.activeSelector = active;
	selectHash(a.store, ro, bg.activeService, active);
	if (bg.previewService) {
		status.blueGreen.previewSelector = preview;
		selectHash(a.store, ro, bg.previewService, preview);
	}
	if (status.abort === true && !promoted) {
		a.scaleNow(p, stable, desired);
		a.scaleDownLater(p, p.current, bg.abortScaleDownDelaySeconds ?? 30);
	} else if (!promoted) a.scaleNow(p, stable, desired);
	for (const rs of p.sets)
		if (rs !== p.current && (promoted || rs !== stable)) a.scaleDownLater(p, rs, delay);
}

/** Old ReplicaSets scaled to zero beyond spec.revisionHistoryLimit (default 10) are deleted. */
