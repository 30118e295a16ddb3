import type {KubeConfig} from '@kubernetes/client-node';
import {PrometheusConfigError} from '../metrics/connection.js';
import {loadTemplates, TemplateError} from '../metrics/presets.js';
import {PrometheusSource} from '../metrics/prometheus.js';
import type {MetricsSource} from '../metrics/source.js';
import {CommandError, exitCodes} from './exit-codes.js';

/** The metrics flags, as the CLI reads them. No credential is ever a flag value: only files. */
export type MetricsFlags = {
	prometheus?: string | undefined;
	prometheusService?: string | undefined;
	prometheusTokenFile?: string | undefined;
	prometheusBasicAuthFile?: string | undefined;
	prometheusCaFile?: string | undefined;
	prometheusInsecureSkipTlsVerify?: boolean | undefined;
	metricsTemplates?: string | undefined;
	metricsInterval?: string | undefined;
};

export const noSourceReason =
	'no metrics source: pass --prometheus URL or --prometheus-service NS/NAME:PORT';

/**
 * The Prometheus source the flags describe, or undefined when none is asked for. Bad flags,
 * files or templates are usage errors, found at start rather than on the first refresh.
 */
export function metricsSourceFrom(
	flags: MetricsFlags,
	kubeConfig: KubeConfig,
): MetricsSource | undefined {
	if (!flags.prometheus && !flags.prometheusService) return undefined;
	try {
		return new PrometheusSource({
			...(flags.prometheus ? {url: flags.prometheus} : {}),
			...(flags.prometheusService ? {service: flags.prometheusService, kubeConfig} : {}),
			...(flags.prometheusTokenFile ? {tokenFile: flags.prometheusTokenFile} : {}),
			...(flags.prometheusBasicAuthFile ? {basicAuthFile: flags.prometheusBasicAuthFile} : {}),
			...(flags.prometheusCaFile ? {caFile: flags.prometheusCaFile} : {}),
			...(flags.prometheusInsecureSkipTlsVerify ? {insecureSkipTlsVerify: true} : {}),
			...(flags.metricsTemplates ? {templates: loadTemplates(flags.metricsTemplates)} : {}),
			...(flags.metricsInterval ? {interval: flags.metricsInterval} : {}),
		});
	} catch (error) {
		if (error instanceof PrometheusConfigError || error instanceof TemplateError)
			throw new CommandError(error.message, exitCodes.usage);
		throw error;
	}
}
