import {describe, expect, it} from 'vitest';
import {
	classify,
	cles,
	type MetricConfig,
	type MetricResult,
	score,
} from '../../source/core/comparative.js';
import {
	mannWhitney,
	normalCdf,
	normalQuantile,
	shiftZ,
	wilcoxonDiff,
} from '../../source/core/mann-whitney.js';

/** |actual − expected| within rel × |expected| (or within rel when expected is 0). */
function near(actual: number, expected: number, rel = 1e-6) {
	expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
		rel * Math.max(Math.abs(expected), 1e-300),
	);
}

/** R's wilcox.test finds its roots to tol = 1e-4 in the data's units (uniroot), so do not trust its digits further. */
const rootTolerance = 1e-4;

/** A small deterministic generator (Park-Miller), so the property checks are the same each run. */
function generator(seed: number) {
	let state = seed;
	return () => {
		state = (state * 48271) % 2147483647;
		return state / 2147483647;
	};
}

function pairwiseDifferences(x: readonly number[], y: readonly number[]): number[] {
	return x.flatMap((a) => y.map((b) => a - b)).sort((a, b) => a - b);
}

// Samples from Kayenta's own suites (kayenta-mannwhitney MannWhitneySuite, kayenta-judge
// ClassifierSuite), copied as they are. The Mann-Whitney ones were checked there against R.
const r90Control = [
	1.5, 6, 5, 2.5, 2.5, 2, 2, 3.5, 3, 3, 3, 2, 3, 8, 4, 2.5, 3, 2.5, 2.5, 2, 2.5, 2, 2, 2.5, 3.5, 3,
	1.5, 5, 2.5, 5.5, 2, 2.5, 3.5, 2, 2.5, 4, 2, 2, 2, 2, 5.5, 4.5, 4, 3, 3, 3.5, 2.5, 3, 2.5, 4, 6,
	2, 5, 6, 3.5, 3, 54.5, 3, 5, 6, 3.5, 4.5, 2.5, 2, 6, 5, 2.5, 3.5, 2, 3, 2.5, 3.5, 3.5, 2.5, 3,
	4.5, 3, 15.5, 5, 2.5, 3, 4, 3.5, 4, 4, 2, 4.5, 2.5, 4, 3,
];
const r90Experiment = [
	2.5, 2.5, 2, 2.5, 3.5, 2, 3.5, 1.5, 3, 3, 2.5, 3.5, 2, 2.5, 2, 2, 5, 3, 2, 1.5, 2, 4, 3, 2.5, 3,
	2, 2, 2, 2.5, 3.5, 1.5, 1.5, 3.5, 2, 2.5, 2.5, 3, 3.5, 2.5, 6.5, 2.5, 4, 2.5, 3, 2.5, 6.5, 2.5, 3,
	1.5, 2, 2.5, 3, 7.5, 1.5, 2, 4, 2.5, 2, 2.5, 3.5, 4, 2.5, 3, 2.5, 2, 3.5, 3, 16.5, 3, 3, 7, 4.5,
	5, 2, 3.5, 6, 1.5, 3, 2.5, 4, 3, 1.5, 5, 3, 2.5, 5.5, 3, 1.5, 2.5, 6,
];
const r180Experiment = [
	1.5, 2, 5, 1.5, 1.5, 8.5, 1, 1, 2, 1, 1.5, 0.5, 2, 1.5, 2, 1.5, 1, 2.5, 1.5, 1.5, 2, 1.5, 1.5,
	1.5, 2, 2, 1, 5.5, 1.5, 2, 1.5, 1.5, 1, 2.5, 1, 2, 1.5, 1.5, 2, 2, 1.5, 1.5, 1, 1, 2, 0.5, 1.5,
	0.5, 3.5, 1.5, 3, 19, 0.5, 1.5, 0.5, 1.5, 2, 1.5, 1.5, 1.5, 1.5, 2, 1.5, 2, 2, 1.5, 1, 1.5, 1, 2,
	1, 2, 1.5, 1.5, 3, 2, 1.5, 1.5, 0.5, 2, 1.5, 1, 2, 1, 1, 2, 1, 2, 1.5, 1, 1, 2, 1.5, 1.5, 1.5,
	0.5, 1.5, 1.5, 0.5, 1, 1.5, 1.5, 1.5, 1, 2, 2, 2, 1.5, 1, 1.5, 1, 1, 1.5, 3.5, 2, 1.5, 1, 2, 1.5,
	5.5, 0.5, 2, 3.5, 1.5, 1, 2, 0.5, 2.5, 1, 1.5, 0.5, 2, 2, 1, 0.5, 1.5, 1, 1.5, 0.5, 0.5, 1, 1.5,
	1, 1.5, 0.5, 1.5, 1, 1, 0.5, 1, 0.5, 4, 1, 1.5, 2, 5.5, 1.5, 0.5, 2, 1, 1.5, 1, 1.5, 1.5, 1, 1.5,
	1.5, 1.5, 1.5, 1.5, 1.5, 2, 0.5, 1.5, 1, 2, 1, 1, 0.5, 1,
];
const r180Control = [
	1.5, 1.5, 1, 2, 1.5, 1.5, 1.5, 2, 1, 1, 2, 1.5, 1.5, 1, 1.5, 1.5, 1.5, 1.5, 1.5, 2, 1, 1.5, 3, 2,
	1, 1.5, 1.5, 1.5, 2, 1.5, 1, 1, 1.5, 2.5, 2, 0, 1, 2, 2, 1.5, 3, 2, 1, 2.5, 0.5, 1.5, 0.5, 2.5, 2,
	1.5, 1.5, 2, 1, 4.5, 2.5, 0.5, 2.5, 1.5, 1.5, 1, 2, 1, 2.5, 1.5, 2, 1.5, 3, 1.5, 1.5, 1.5, 1.5, 2,
	1, 2.5, 1, 1.5, 2.5, 1.5, 2.5, 2, 1.5, 1.5, 1.5, 2.5, 1, 7.5, 1.5, 3, 5.5, 1, 1.5, 2, 1, 1.5, 2.5,
	2.5, 1, 1, 2.5, 1.5, 1.5, 3, 4, 1, 1.5, 2, 1.5, 1.5, 1.5, 2.5, 1.5, 3.5, 2.5, 1.5, 2, 1, 4, 1.5,
	1, 1.5, 2.5, 2.5, 2, 2.5, 1.5, 1.5, 2, 1, 1.5, 2, 1.5, 1, 2.5, 1.5, 1.5, 2, 2, 1, 1.5, 2.5, 0.5,
	2, 2.5, 2, 1, 2, 0.5, 1.5, 1, 2.5, 1, 1.5, 1, 7, 1, 3.5, 1.5, 2, 1.5, 1.5, 2, 3, 1.5, 1.5, 2, 1.5,
	2, 1.5, 4, 2, 1.5, 1.5, 1.5, 1.5, 1.5, 0.5, 2, 1, 1.5, 0.5,
];
const sparseCanary = [
	0, 0, 0, 0, 0, 0, 0, 0, 1.6666666666666572, 0, 0, 0, 0, 0, 0, 3.703703703703681, 0, 0, 0, 0, 0, 0,
	1.5625000000000142, 0, 0, 0, 0, 3.333333333333343, 0, 1.7543859649122737, 0, 1.8518518518518476,
	0, 0, 1.8518518518518476, 0, 0, 1.5151515151515156, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.7857142857142776,
	1.3333333333333286, 0, 3.125000000000014, 1.9607843137255117, 1.4492753623188293,
	2.439024390243887, 1.6393442622950687, 0, 0, 0, 0, 0, 0, 0, 1.6129032258064484,
	1.9607843137255117, 1.5873015873015817, 0, 0, 2.8169014084507182, 0, 0, 3.0303030303030454, 0, 0,
	3.3898305084745743, 0, 0, 1.234567901234584, 0, 0, 0, 0, 1.7241379310344769, 0, 0, 0, 0,
	1.6949152542372872, 0, 0, 0, 0, 0, 0, 0, 1.470588235294116, 0, 0, 1.3698630136986196,
	3.225806451612911, 1.754385964912288, 3.4482758620689538, 0, 3.333333333333343, 0, 0, 0,
	1.818181818181813, 0, 0, 1.4285714285714448, 0, 0, 1.8867924528301927, 2.0000000000000284, 0, 0,
	0, 2.985074626865682, 0, 0, 1.6666666666666714, 0, 0, 1.5625, 1.9230769230769198, 0,
	1.8518518518518619, 0, 2.702702702702709, 0, 0, 0, 1.3513513513513544, 0, 1.818181818181813, 0,
	1.6666666666666572, 0, 0, 0, 0, 0, 0, 0, 1.818181818181813, 0, 1.4285714285714164, 0, 0,
	4.1095890410959015, 0, 0, 0, 1.8518518518518619, 0, 0, 1.8518518518518476, 1.3888888888888857, 0,
	0, 0, 0, 1.8867924528301785, 1.4285714285714164, 0, 0, 1.5625, 1.8867924528301927, 0, 0, 0, 0,
	2.040816326530603, 1.818181818181813, 0, 0, 1.6393442622950687, 0, 1.7241379310344769,
	1.5151515151515156, 2.564102564102555, 0, 0, 0, 0, 5.555555555555557, 0, 0, 4.081632653061206, 0,
	0, 0, 0, 0, 0, 0, 0, 3.5714285714285836, 0, 2.040816326530603, 3.1746031746031633, 0, 0, 0, 0, 0,
	0, 0, 0, 0,
];
const sparseBaseline = [
	0, 0, 0, 0, 0, 0, 0, 0, 1.5625000000000142, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.3888888888888857, 0,
	0, 0, 0, 0, 0, 0, 1.5384615384615614, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1.492537313432834, 0, 0, 0, 1.6949152542373014, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1.470588235294116, 0, 0, 0, 0, 1.754385964912288, 0, 0, 0, 0, 0, 0, 1.8518518518518619, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.6393442622950687, 0, 0, 0, 0, 0, 0, 1.7241379310344769,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.5873015873015817, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 1.492537313432834, 0, 0, 0, 3.124999999999986, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1.492537313432834, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2.9850746268656536,
	0, 2.5000000000000284, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.7857142857142776, 0, 0, 0,
];
const near10 = [
	9.776734312010946, 10.587071850477695, 7.837550638890177, 9.324332688611388, 8.377450540978442,
	8.935926439960628, 8.270766332472851, 9.748430812671693, 11.623746715547156, 9.275344267963394,
	8.153804774917152, 10.562020975754294, 13.498135575451835, 11.054419256110332, 6.953890359005509,
	12.52100834219548, 9.021635860354644, 4.923485669953166, 11.251360203607172, 11.598449508040337,
	8.435232204668182, 11.110228516867279, 10.70063380164755, 8.921277365211525, 10.086167067942661,
	11.42107515483087, 9.379234781364495, 7.798032014855259, 10.62339807275746, 11.909642062063739,
];
const baseline10 = [
	11.1453586774086, 9.961805988559702, 7.068574306369829, 7.301266181048366, 9.794463026565673,
	9.60379186036873, 6.186779335033939, 12.345599159550174, 10.371891733859533, 8.609430078501672,
	9.913162673361084, 10.361375299003466, 14.206800387518818, 10.9461537547533, 10.215876627044048,
	11.739760899484603, 10.907627468626439, 12.823353694464775, 8.101860977173214, 8.498161640880493,
	12.113441374697231, 13.272210809932028, 10.114579381663297, 6.946395876797807, 6.210527854172778,
	10.160401684903775, 8.345771206645546, 8.383822063895833, 7.0020205070083765, 10.755757401808442,
];
const near20 = [
	20.878412601720026, 21.78550581191622, 19.70828084717019, 15.859946903461562, 19.51005877217684,
	19.392005525270303, 22.9265283149121, 17.156530276709894, 18.65511791622617, 23.422607911610392,
	24.055817684156644, 22.62689958516501, 21.979472967817678, 21.659318607218694, 20.067707574072426,
	22.119570836305414, 16.44037132663307, 21.55962282634127, 21.00018144348922, 17.779369411412663,
	17.806006358943584, 18.53720061838611, 20.555550300210797, 19.552928184468378, 21.771118944087092,
	21.809622806176627, 20.96176290990527, 20.97757157750302, 19.106303205498794, 16.97691896698708,
];
const baseline20 = [
	20.758113589510348, 22.80205962946456, 20.61234036349221, 20.973274654749986, 23.469237330498622,
	21.53133988954805, 21.767353687439805, 18.3080507303743, 19.062145167827566, 25.87949843600178,
	18.98262972633613, 19.387920182269266, 18.995398251246982, 24.228420230932805, 20.050985172694688,
	18.2340451091756, 17.870515494460435, 23.05810386380662, 18.400259567501134, 16.971352091177167,
	19.46752906605215, 17.90465423342031, 17.55394861782583, 16.104611843907193, 24.38171081433039,
	15.919294339922635, 20.479409626304697, 19.08307201492406, 17.455788050722866, 18.853826823235142,
];
const clesPassCanary = [
	0, 0, 0.000146580998, 0, 0, 0, 0.0000794701987, 0, 0, 0, 0.0000268889486, 0, 0, 0.0000264935753,
	0, 0, 0, 0.0000261608895, 0.000127824931, 0, 0, 0, 0.0000254511211, 0.0000258665287,
	0.0000763339355, 0, 0.0000254239443, 0, 0, 0, 0.0000261001201, 0.000052010194, 0, 0.0000264452319,
	0.000052755137, 0.0000783719533, 0.0000519467027, 0.0000258344528, 0.0000258899676, 0,
	0.0000259497613, 0.0000257938043, 0.0000778553448, 0.000026059311, 0.0000261001201, 0, 0,
	0.0000259349551, 0.000026055916, 0, 0, 0, 0, 0, 0, 0.0000258819267, 0, 0.0000258825965,
	0.0000257572635, 0.0000256877906,
];
const clesPassBaseline = [
	0, 0, 0, 0, 0, 0, 0, 0, 0.0000291528191, 0, 0, 0, 0.0000298284862, 0.0000599916012, 0,
	0.0000592276712, 0, 0.0000298053709, 0, 0.000029730935, 0.000059215396, 0, 0, 0, 0.0000292800047,
	0, 0.000029455081, 0, 0, 0, 0.0000583958656, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0000288600289,
	0.0000290334756, 0.0000291740817, 0, 0, 0, 0, 0, 0, 0.0000292765758, 0, 0, 0, 0, 0,
	0.0000294637596, 0.0000589136326, 0, 0, 0,
];
const clesHighCanary = [
	0.00689808, 0.00568664, 0.00680876, 0.00642045, 0.00561825, 0.00472294, 0.00398378, 0.00392403,
	0.00421201, 0.0047529, 0.00460853, 0.00439888, 0.00561875, 0.01998866, 0.0124369, 0.00624391,
	0.00444361, 0.00442059, 0.00372095, 0.00540736, 0.00715402, 0.00425974, 0.00414409, 0.01172436,
	0.0125959, 0.00371891, 0.00429855, 0.00369876, 0.00325709, 0.00415943, 0.00371754, 0.00445212,
	0.00521721, 0.00443938, 0.00380859, 0.01602997, 0.00788885, 0.0038155, 0.00326921, 0.00336928,
	0.00365917, 0.00333869, 0.00427639, 0.00355911, 0.00381224, 0.00360057, 0.00349305, 0.00401164,
	0.00351947, 0.00356299, 0.003407, 0.00414397, 0.00393346, 0.00413318, 0.00359041, 0.00366314,
	0.00309383, 0.00383733, 0.00363324, 0.00280674,
];
const clesHighBaseline = [
	0.00081956, 0.00239282, 0.00133685, 0.00094917, 0.00029518, 0.00035344, 0.00048194, 0.00034893,
	0.0003202, 0.00079814, 0.00090881, 0.00072599, 0.00037819, 0.00038286, 0.00057604, 0.00064821,
	0.00032194, 0.0002245, 0.00025202, 0.00071997, 0.00022721, 0.00042578, 0.00042496, 0.00045613,
	0.00037072, 0.0003317, 0.00032889, 0.00032749, 0.00036093, 0.00029285, 0.00038401, 0.00044467,
	0.00071086, 0.00036692, 0.00052079, 0.00074974, 0.00128791, 0.00062046, 0.00086345, 0.00118563,
	0.00103379, 0.00028913, 0.00057628, 0.00057943, 0.00048735, 0.00029409, 0.0002005, 0.00016612,
	0.00089312, 0.00059367, 0.00061706, 0.00163313, 0.00097784, 0.00029305, 0.00058839, 0.00085212,
	0.00048298, 0.00035546, 0.00025866, 0.00038767,
];
const clesLowCanary = [
	24.24693907, 26.13330099, 22.50056744, 24.36646841, 23.19935673, 19.43801304, 20.99654102,
	18.90793651, 21.31949881, 21.83528381, 21.64211206, 23.13365968, 21.09163134, 19.45540615,
	20.74783158, 22.25527831, 19.82051791, 20.9865487, 19.94450026, 23.2904056, 18.18408424,
	22.13843542, 19.42896044, 19.84140464, 23.91557662, 21.00981557, 21.8594633, 23.11630163,
	22.95700392, 17.80045135,
];
const clesLowBaseline = [
	25.09626848, 26.15032198, 24.88431438, 24.18870163, 22.14684987, 28.01743443, 21.29910501,
	27.24688773, 28.64187535, 27.03504445, 24.67888311, 22.35137878, 27.41640397, 26.00225548,
	23.02118534, 25.99647292, 22.77446912, 25.56704719, 25.57025827, 21.2721602, 23.12987357,
	24.59111604, 27.48865016, 27.21967755, 23.5951111, 22.5429607, 25.83015564, 23.31965305,
	24.3911644, 25.11468194,
];
const zeroMeanCriticalCanary = [
	0.05000000074505806, 0.05000000074505806, 0.01666666753590107, 0.01666666753590107,
	0.01666666753590107, 0.05000000074505806, 0.03333333507180214, 0.05000000260770321,
	0.05000000260770321, 0.13333333656191826,
];
const noOverlapCanary = [
	2.27776335, 2.61149434, 3.26894105, 2.91672701, 1.40656921, 2.18292082, 3.47901292, 3.00034118,
	3.02402043, 4.69912745,
];
const noOverlapBaseline = [
	25.31531073, 25.19450817, 24.6288846, 24.37991861, 26.40999244, 25.28524759, 24.99788745,
	26.13841676, 22.93604649, 24.56817832,
];
const clesStatHighCanary = [
	29.17644856, 25.16947646, 25.88467948, 29.4900454, 27.05622757, 26.13307864, 27.2711558,
	26.69139944, 29.05412377, 26.39818697, 26.68312641, 24.99600187, 27.99524816, 22.57278291,
	23.72798196, 25.82821505, 28.26624521, 28.02370228, 24.1792213, 26.02914828, 25.90970275,
	31.18337461, 27.44254942, 29.93347686, 26.70848069, 28.12191913, 27.39257837, 30.17636627,
	29.60240485, 30.10635388,
];
const clesStatHighBaseline = [
	24.69397578, 25.37120574, 25.86186148, 26.93804252, 22.72232309, 24.15894084, 24.80842752,
	26.07830794, 27.35323988, 23.25110886, 24.65909111, 23.88299016, 21.34817847, 26.33198082,
	23.39498829, 26.6734461, 25.33769589, 23.92348759, 25.29740715, 24.21381887, 28.1697053,
	22.2271772, 27.16612837, 25.16639243, 26.85955896, 27.13421926, 25.43350074, 26.32130314,
	23.8854011, 27.86180318,
];
const clesStatLowCanary = [
	22.58442682, 18.83161858, 22.34282944, 18.52177725, 19.41399147, 21.77120485, 24.33796385,
	22.16390531, 23.781802, 21.38514296, 22.2205035, 22.06152361, 21.30313392, 21.59652134,
	22.38394223, 24.68882792, 20.58916439, 21.03137302, 22.26213957, 23.76485986, 20.56271226,
	24.56567102, 19.86055958, 22.18967677, 20.31475409, 19.2634656, 24.60283585, 20.41729998,
	20.62069798, 22.53448767,
];
const clesStatLowBaseline = [
	23.15322873, 22.09179077, 26.56410603, 23.0971542, 24.26372276, 25.6461273, 29.42730472,
	22.08630097, 29.15257054, 25.8096766, 24.62191338, 23.67398895, 23.63946085, 26.44684325,
	25.76230914, 25.41279862, 22.64005862, 24.58898152, 25.01968457, 25.03695883, 23.79864705,
	26.60180151, 25.99405034, 22.46726084, 28.31843786, 24.30152484, 22.83713467, 21.92380184,
	23.44735223, 29.15676219,
];

describe('the normal distribution, by hand', () => {
	it('has the quantile Kayenta checks (commons-math, −2.326348 at 0.01) and R prints', () => {
		near(normalQuantile(0.01), -2.326348, 1e-6);
		// R: qnorm(0.975) 1.959964, qnorm(1e-10) -6.361341, qnorm(1e-300) -37.0471
		near(normalQuantile(0.975), 1.959964, 1e-6);
		near(normalQuantile(1e-10), -6.361341, 1e-6);
		near(normalQuantile(1e-300), -37.0471, 1e-5);
		expect(normalQuantile(0.5)).toBe(0);
		expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
		expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
	});

	it('has the CDF R prints, tails included', () => {
		// R: pnorm(-1.96) 0.0249979, pnorm(1) 0.8413447, pnorm(-10) 7.619853e-24, pnorm(-30) 4.906714e-198
		near(normalCdf(-1.96), 0.0249979, 1e-5);
		near(normalCdf(1), 0.8413447, 1e-7);
		near(normalCdf(-10), 7.619853e-24, 1e-6);
		near(normalCdf(-30), 4.906714e-198, 1e-6);
		expect(normalCdf(0)).toBe(0.5);
	});

	it('inverts itself', () => {
		for (const x of [-8, -5.5, -3, -1.2, -0.3, 0.1, 0.6, 0.7, 2, 4.5])
			near(normalQuantile(normalCdf(x)), x, 1e-9);
	});
});

describe('the Mann-Whitney test', () => {
	it('has the W and p-value R prints (normal approximation with continuity correction, ties)', () => {
		// endmemo.com/r/wilcoxon.php: wilcox.test(x, y): W = 51.5, p-value = 0.5966, and
		// against c(1233, 4356, 987, 39999, 1111, 200000): W = 0, p-value = 0.001364.
		const x = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4];
		const a = mannWhitney(x, [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5], 0.95);
		expect(a.statistic).toBe(51.5);
		near(a.pValue, 0.5966, 1e-4);
		const b = mannWhitney(x, [1233, 4356, 987, 39999, 1111, 200000], 0.95);
		expect(b.statistic).toBe(0);
		near(b.pValue, 0.001364, 1e-3);
	});

	it("has Kayenta's interval and estimate for [10, 20, 30, 40] against [1, 2, 3, 4]", () => {
		const r = mannWhitney([10, 20, 30, 40], [1, 2, 3, 4], 0.95);
		expect([r.lower, r.upper, r.estimate]).toEqual([6, 39, 22.5]);
		expect(r.statistic).toBe(16);
	});

	it("ties out with R on Kayenta's 90 samples at 95 %, and is exact where R stops at its tolerance", () => {
		const r = mannWhitney(r90Experiment, r90Control, 0.95);
		// R (Kayenta's "Tie out with R Version"): -0.500002521696696, -3.486287505871302e-5, estimate -0.4999393907180323
		expect(Math.abs(r.lower - -0.500002521696696)).toBeLessThan(rootTolerance);
		expect(Math.abs(r.upper - -3.486287505871302e-5)).toBeLessThan(rootTolerance);
		expect(Math.abs(r.estimate - -0.4999393907180323)).toBeLessThan(rootTolerance);
		expect([r.lower, r.upper, r.estimate]).toEqual([-0.5, 0, -0.5]);
	});

	it("ties out with R on Kayenta's 180 samples at 98 %", () => {
		const r = mannWhitney(r180Experiment, r180Control, 0.98);
		// R: -0.4999173250549087, -6.912685789769486e-6, estimate -3.45044082729315e-5
		expect(Math.abs(r.lower - -0.4999173250549087)).toBeLessThan(rootTolerance);
		expect(Math.abs(r.upper - -6.912685789769486e-6)).toBeLessThan(rootTolerance);
		expect(Math.abs(r.estimate - -3.45044082729315e-5)).toBeLessThan(rootTolerance);
		expect([r.lower, r.upper, r.estimate]).toEqual([-0.5, 0, 0]);
	});

	it("has R's wdiff values on Kayenta's mostly-zero samples, where R's interval comes out upside down", () => {
		const z = -normalQuantile(0.025);
		near(z, 1.9599639845400536, 1e-12);
		const muMin = Math.min(...sparseCanary) - Math.max(...sparseBaseline);
		const muMax = Math.max(...sparseCanary) - Math.min(...sparseBaseline);
		near(muMin, -3.124999999999986, 1e-12);
		near(muMax, 5.555555555555557, 1e-12);
		// R's intermediate values (Kayenta's "Mann-Whitney Intermediate Values / Variables")
		near(wilcoxonDiff(muMin, z, sparseCanary, sparseBaseline), 17.090968923762254, 1e-9);
		near(wilcoxonDiff(muMax, z, sparseCanary, sparseBaseline), -20.997687930433106, 1e-9);
		near(wilcoxonDiff(muMin, -z, sparseCanary, sparseBaseline), 21.01089689284236, 1e-9);
		near(wilcoxonDiff(muMax, -z, sparseCanary, sparseBaseline), -17.077759961353, 1e-9);
		// R: lower 3.521755377702165e-5 above upper 2.02456461662334e-5, estimate 2.6279243045155653e-5:
		// Brent's last steps on either side of the jump at 0, where 64 % of the differences are 0.
		const r = mannWhitney(sparseCanary, sparseBaseline, 0.95);
		expect(Math.abs(r.lower - 3.521755377702165e-5)).toBeLessThan(rootTolerance);
		expect(Math.abs(r.upper - 2.02456461662334e-5)).toBeLessThan(rootTolerance);
		expect(Math.abs(r.estimate - 2.6279243045155653e-5)).toBeLessThan(rootTolerance);
		expect([r.lower, r.upper, r.estimate]).toEqual([0, 0, 0]);
		// The test at 0 itself is not in doubt.
		expect(r.pValue).toBeLessThan(1e-8);
	});

	it("bounds are the pairwise differences where R's wdiff changes sign; the estimate is their median", () => {
		const random = generator(7);
		for (let run = 0; run < 300; run++) {
			const nx = 1 + Math.floor(random() * 9);
			const ny = 1 + Math.floor(random() * 9);
			const shift = random() * 3;
			const sample = (n: number, by: number) =>
				Array.from({length: n}, () => (random() < 0.3 ? 0 : Math.round(random() * 8 + by)));
			const x = sample(nx, shift);
			const y = sample(ny, 0);
			const confidence = [0.8, 0.95, 0.98][run % 3]!;
			const r = mannWhitney(x, y, confidence);
			const d = pairwiseDifferences(x, y);
			const k = d.length;
			expect(r.estimate).toBe(k % 2 ? d[(k - 1) / 2] : (d[k / 2 - 1]! + d[k / 2]!) / 2);
			expect(r.lower).toBeLessThanOrEqual(r.estimate);
			expect(r.upper).toBeGreaterThanOrEqual(r.estimate);
			const distinct = [...new Set(d)];
			if (distinct.length === 1) continue;
			const z = -normalQuantile((1 - confidence) / 2);
			for (const [bound, zq] of [
				[r.lower, z],
				[r.upper, -z],
			] as const) {
				const i = distinct.indexOf(bound);
				expect(i).toBeGreaterThanOrEqual(0);
				const left = wilcoxonDiff(bound - 0.25, zq, x, y);
				const right = wilcoxonDiff(bound + 0.25, zq, x, y);
				// R's root: where wdiff goes from above 0 to at most 0; R clamps to the ends.
				if (i > 0 && i < distinct.length - 1) expect([left > 0, right <= 0]).toEqual([true, true]);
				if (i === 0) expect(right).toBeLessThanOrEqual(0);
				if (i === distinct.length - 1) expect(left).toBeGreaterThan(0);
			}
		}
	});

	it('scales with the data, where a tolerance of 1e-4 in data units would be all noise', () => {
		const scale = 1e-5;
		const r = mannWhitney(
			r90Experiment.map((v) => v * scale),
			r90Control.map((v) => v * scale),
			0.95,
		);
		near(r.lower, -0.5 * scale, 1e-12);
		expect(r.upper).toBe(0);
		near(r.estimate, -0.5 * scale, 1e-12);
	});

	it('takes all-equal samples (R refuses them): shift 0, p-value 1', () => {
		const r = mannWhitney([0.3, 0.3, 0.3], [0.3, 0.3], 0.98);
		expect(r).toEqual({statistic: 3, pValue: 1, lower: 0, upper: 0, estimate: 0});
		expect(mannWhitney([0, 0, 0, 0], [0, 0, 0, 0])).toMatchObject({pValue: 1, estimate: 0});
	});

	it('takes two constant samples (Kayenta adds noise): the shift is exact', () => {
		const r = mannWhitney([10, 10, 10, 10, 10], [1, 1, 1, 1, 1], 0.95);
		expect([r.lower, r.upper, r.estimate, r.statistic]).toEqual([9, 9, 9, 25]);
		// scipy.stats.mannwhitneyu(method='asymptotic'), the same approximation: 0.003976751709788651
		near(r.pValue, 0.003976751709788651, 1e-9);
	});

	it('takes one or three samples a side: the interval is the whole range of differences', () => {
		expect(mannWhitney([5], [3])).toEqual({
			statistic: 1,
			pValue: 1,
			lower: 2,
			upper: 2,
			estimate: 2,
		});
		const r = mannWhitney([0.5], [0.1, 0.2, 0.3]);
		expect(r.statistic).toBe(3);
		near(r.pValue, 0.37109336952269756, 1e-9); // scipy, as above
		expect([r.lower, r.upper, r.estimate]).toEqual([0.5 - 0.3, 0.5 - 0.1, 0.5 - 0.2]);
		const three = mannWhitney([1, 2, 3], [4, 5, 6]);
		near(three.pValue, 0.08085559837005224, 1e-9); // scipy
		expect([three.lower, three.upper, three.estimate]).toEqual([-5, -1, -3]);
	});

	it('drops non-finite samples and refuses an empty side', () => {
		expect(
			mannWhitney([1, Number.NaN, 2, Number.POSITIVE_INFINITY, 3], [4, 5, Number.NaN, 6]),
		).toEqual(mannWhitney([1, 2, 3], [4, 5, 6]));
		expect(() => mannWhitney([Number.NaN], [1, 2])).toThrow(RangeError);
		expect(() => mannWhitney([], [1])).toThrow(RangeError);
	});

	it('is the rank statistic at the shift asked: shiftZ', () => {
		// Complete separation, 5 against 5: U = 25, z = (12.5 − 0.5) / sqrt(25 · 11 / 12)
		near(
			shiftZ([20, 22, 21, 25, 30], [1, 2.2, 1.1, 2.5, 3], 0),
			12 / Math.sqrt((25 * 11) / 12),
			1e-12,
		);
		expect(shiftZ([1, 1], [1, 1, 1], 0)).toBe(0);
	});
});

const t10 = {tolerance: 0.1, confidence: 0.95};
const t20 = {tolerance: 0.2, confidence: 0.98};
const m = (extra: Partial<MetricConfig> = {}): MetricConfig => ({name: 'm', ...extra});

describe("Kayenta's classifier cases (ClassifierSuite)", () => {
	const cases: Array<
		[
			string,
			number[],
			number[],
			{tolerance: number; confidence: number},
			MetricConfig,
			string,
			boolean,
		]
	> = [
		['Pass Metric', near10, baseline10, t10, m(), 'Pass', false],
		['High Metric', near20, baseline10, t10, m(), 'High', false],
		['Low Metric', near10, baseline20, t10, m(), 'Low', false],
		['Directional: Increase', near10, baseline20, t10, m({direction: 'increase'}), 'Pass', false],
		['Directional: Decrease', near20, baseline10, t10, m({direction: 'decrease'}), 'Pass', false],
		[
			'Directional: High Metric',
			near20,
			baseline10,
			t10,
			m({direction: 'increase'}),
			'High',
			false,
		],
		['Directional: Low Metric', near10, baseline20, t10, m({direction: 'decrease'}), 'Low', false],
		['High Metric (Large Input)', sparseCanary, sparseBaseline, t10, m(), 'High', false],
		[
			'Mean Ratio Effect Size: High',
			[20, 22, 21, 25, 30],
			[1, 2.2, 1.1, 2.5, 3],
			t10,
			m({allowedDecrease: 0.8, allowedIncrease: 1.2}),
			'High',
			false,
		],
		[
			'Mean Ratio Effect Size: Low',
			near10,
			baseline20,
			t10,
			m({direction: 'decrease', allowedDecrease: 0.8, allowedIncrease: 1.2}),
			'Low',
			false,
		],
		[
			'Mean Ratio Effect Size: Pass',
			[10, 12.2, 10.1, 12.5, 23],
			[20, 22, 21, 25, 30],
			t10,
			m({allowedDecrease: 0.5, allowedIncrease: 1}),
			'Pass',
			false,
		],
		[
			'Mean Ratio Effect Size: Pass (Large Input)',
			sparseCanary,
			sparseBaseline,
			t10,
			m({allowedDecrease: 1, allowedIncrease: 5}),
			'Pass',
			false,
		],
		[
			'CLES Effect Size: Pass',
			clesPassCanary,
			clesPassBaseline,
			t20,
			m({effectSizeMeasure: 'cles', allowedDecrease: 0.5, allowedIncrease: 0.8}),
			'Pass',
			false,
		],
		[
			'CLES Effect Size: High',
			clesHighCanary,
			clesHighBaseline,
			t20,
			m({effectSizeMeasure: 'cles', allowedDecrease: 0.2, allowedIncrease: 0.8}),
			'High',
			false,
		],
		[
			'CLES Effect Size: Low',
			clesLowCanary,
			clesLowBaseline,
			t20,
			m({effectSizeMeasure: 'cles', allowedDecrease: 0.2, allowedIncrease: 0.8}),
			'Low',
			false,
		],
		[
			'Critical Effect Size: Critical High',
			[20, 22, 21, 25, 30],
			[1, 2.2, 1.1, 2.5, 3],
			t10,
			m({critical: true, criticalDecrease: 1, criticalIncrease: 1.2}),
			'High',
			true,
		],
		[
			'Critical Effect Size: Critical Low',
			[2, 2, 2, 2, 3],
			[10, 20.2, 10.1, 20.5, 30],
			t10,
			m({critical: true, criticalDecrease: 1.2, criticalIncrease: 1}),
			'Low',
			true,
		],
		[
			'Critical Effect Size: High',
			[20, 22, 21, 25, 30],
			[1, 2.2, 1.1, 2.5, 3],
			t10,
			m({critical: true, allowedIncrease: 5, criticalIncrease: 13}),
			'High',
			false,
		],
		[
			'Critical Effect Size: Pass',
			[20, 22, 21, 25, 30],
			[1, 2.2, 1.1, 2.5, 3],
			t10,
			m({critical: true, allowedIncrease: 13, criticalIncrease: 15}),
			'Pass',
			false,
		],
		[
			'Critical Effect Size: Critical High (Default Thresholds)',
			[20, 22, 21, 25, 30],
			[1, 2.2, 1.1, 2.5, 3],
			t10,
			m({critical: true}),
			'High',
			true,
		],
		['Tied Observations', [1, 1, 1], [1, 1], t10, m({direction: 'decrease'}), 'Pass', false],
		[
			'Identical Populations',
			[1, 2, 3, 4, 5],
			[5, 4, 3, 2, 1],
			t10,
			m({direction: 'decrease'}),
			'Pass',
			false,
		],
		[
			'Leading Zero Identical Population',
			[0, 1, 1, 1, 1],
			[1, 1, 1, 1, 1],
			t10,
			m({direction: 'decrease'}),
			'Pass',
			false,
		],
		[
			'Missing Experiment Data',
			[],
			[1, 2, 3, 4, 5],
			t10,
			m({direction: 'decrease'}),
			'Nodata',
			false,
		],
		[
			'Missing Experiment Data: Critical Metric',
			[],
			[1, 2, 3, 4, 5],
			t10,
			m({direction: 'decrease', critical: true}),
			'Nodata',
			true,
		],
		[
			'Missing Experiment Data with NaN Replacement',
			[],
			[1, 2, 3, 4, 5],
			t10,
			m({direction: 'decrease', nanStrategy: 'replace'}),
			'Pass',
			false,
		],
		['Majority Tied Observations', [1, 1, 1, 1, 10], [1, 1, 1, 1, 1], t10, m(), 'Pass', false],
		['Tied Ranks', [10, 10, 10, 10, 10], [1, 1, 1, 1, 1], t10, m(), 'High', false],
		['Tied Ranks With Zeros', [10, 10, 10, 10, 10], [0, 0, 0, 0, 0], t10, m(), 'High', false],
		[
			'Zero Mean: High Metric with Effect Size',
			[54.9, 54.5, 55.1, 55.6, 57.4],
			[0, 0, 0, 0, 0],
			t10,
			m({allowedDecrease: 0.8, allowedIncrease: 1.2}),
			'High',
			false,
		],
		[
			'Zero Mean: Low Metric with Effect Size',
			[0, 0, 0, 0, 0],
			[54.9, 54.5, 55.1, 55.6, 57.4],
			t10,
			m({allowedDecrease: 0.8, allowedIncrease: 1.2}),
			'Low',
			false,
		],
		[
			'Zero Mean: Critical Metric',
			zeroMeanCriticalCanary,
			[0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
			t10,
			m({critical: true, nanStrategy: 'replace', criticalDecrease: 0.8, criticalIncrease: 1.2}),
			'High',
			true,
		],
		[
			'Zero Mean: Pass Metric',
			[0, 0, 0, 0, 0],
			[0, 0, 0, 0, 0],
			t10,
			m({allowedDecrease: 0.8, allowedIncrease: 1.2}),
			'Pass',
			false,
		],
	];
	it.each(cases)('%s', (_name, canary, baseline, options, config, expected, critical) => {
		const r = classify(config, canary, baseline, options);
		expect([r.class, r.critical]).toEqual([expected, critical]);
	});

	it('says why in a line, with the mean ratio', () => {
		expect(classify({name: 'p99'}, near20, baseline10, t10).reason).toBe(
			'p99 High: canary 2.07x baseline (95 % confidence)',
		);
		expect(
			classify({name: 'p99', critical: true}, [2, 2, 2, 2, 3], [10, 20.2, 10.1, 20.5, 30], t10)
				.reason,
		).toBe('p99 Low (critical): canary 0.121x baseline (95 % confidence)');
		expect(classify({name: 'error ratio'}, near10, baseline10, t10).reason).toBe(
			'error ratio Pass',
		);
		expect(classify({name: 'p99'}, [0.2, 0.3], []).reason).toBe('p99 Nodata: no baseline samples');
		expect(classify({name: 'p99', critical: true}, [], []).reason).toBe(
			'p99 Nodata (critical): no canary or baseline samples',
		);
	});

	it('reports the ratio of means, also where Kayenta gives NaN (a mean of 0)', () => {
		const r = classify(m(), near20, baseline10, t10);
		near(r.ratio!, near20.reduce((s, v) => s + v) / baseline10.reduce((s, v) => s + v), 1e-12);
		const up = classify(m(), [54.9, 54.5, 55.1, 55.6, 57.4], [0, 0, 0, 0, 0], t10);
		expect(up.ratio).toBe(Number.POSITIVE_INFINITY);
		expect(up.reason).toBe('m High: canary mean 55.5, baseline mean 0 (95 % confidence)');
		expect(classify(m(), [0, 0, 0, 0, 0], [54.9, 54.5, 55.1, 55.6, 57.4], t10).ratio).toBe(0);
		expect(classify(m(), [0, 0, 0], [0, 0, 0]).ratio).toBe(1);
	});

	it('keeps the test behind a result', () => {
		const r = classify(m(), [20, 22, 21, 25, 30], [1, 2.2, 1.1, 2.5, 3], t10);
		expect(r.test).toMatchObject({statistic: 25, lower: 17.8, upper: 27.8, estimate: 20});
	});
});

describe('CLES (Kayenta StatisticSuite)', () => {
	it('is 0.5 for the same data, 0 for no overlap, 0.771 and 0.12 for its high and low cases', () => {
		expect(cles([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])).toBe(0.5);
		expect(cles(noOverlapCanary, noOverlapBaseline)).toBe(0);
		expect(Math.abs(cles(clesStatHighCanary, clesStatHighBaseline) - 0.771)).toBeLessThan(0.001);
		near(cles(clesStatLowCanary, clesStatLowBaseline), 0.12, 1e-12);
		expect(cles([1, 2, 3], [0, 2, 4])).toBe(0.5);
		expect(cles([1, 2, 3], [0, 0, 2])).toBe(7.5 / 9);
	});
});

describe('the classifier on what cutover samples', () => {
	it('error ratio 0 on every interval on both sides: Pass', () => {
		const r = classify({name: 'error ratio'}, [0, 0, 0, 0, 0, 0], [0, 0, 0, 0]);
		expect([r.class, r.reason, r.ratio]).toEqual([
			'Pass',
			'error ratio Pass: one value throughout',
			1,
		]);
		expect(classify({name: 'error ratio'}, [0, 0, 0], [0, 0, 0]).reason).toBe(
			'error ratio Pass: identical samples',
		);
	});

	it('errors on more of the canary intervals: High at the judge defaults, though the shift is [0, 0]', () => {
		const r = classify({name: 'error ratio'}, sparseCanary, sparseBaseline);
		expect(r.class).toBe('High');
		expect([r.test!.lower, r.test!.upper, r.test!.estimate]).toEqual([0, 0, 0]);
		near(r.ratio!, 4.44662528109586, 1e-12);
	});

	it('two constant samples: High when the canary is higher (Kayenta gets there by noise)', () => {
		const r = classify({name: 'p99'}, Array(10).fill(0.2), Array(10).fill(0.1));
		expect([r.class, r.reason]).toEqual(['High', 'p99 High: canary 2x baseline (98 % confidence)']);
		expect(
			classify({name: 'p99', direction: 'decrease'}, Array(10).fill(0.2), Array(10).fill(0.1))
				.class,
		).toBe('Pass');
	});

	it('one side constant, the other spread around it: Pass', () => {
		const r = classify(m(), [0.1, 0.1, 0.1, 0.1, 0.1, 0.1], [0.1, 0.11, 0.09, 0.1, 0.12, 0.08]);
		expect([r.class, r.critical]).toEqual(['Pass', false]);
		expect(Number.isFinite(r.test!.pValue)).toBe(true);
	});

	it('1 to 4 samples a side are never enough at 98 %; 5 completely apart are', () => {
		expect(classify(m(), [0.5], [0.3]).class).toBe('Pass');
		expect(classify(m(), [0.31, 0.32, 0.33], [0.3, 0.29, 0.3]).class).toBe('Pass');
		expect(classify(m(), [10, 20, 30, 40], [1, 2, 3, 4]).class).toBe('Pass');
		expect(classify(m(), [20, 22, 21, 25, 30], [1, 2.2, 1.1, 2.5, 3]).class).toBe('High');
		expect(classify(m(), [1, 2.2, 1.1, 2.5, 3], [20, 22, 21, 25, 30]).class).toBe('Low');
	});

	it('drops NaN and infinite samples; with nothing left a side has no data', () => {
		const clean = classify(m(), near20, baseline10, t10);
		expect(
			classify(
				m(),
				[...near20, Number.NaN, Number.POSITIVE_INFINITY],
				[Number.NaN, ...baseline10],
				t10,
			),
		).toEqual(clean);
		expect(classify(m(), [Number.NaN, Number.NaN], [1, 2]).class).toBe('Nodata');
		expect(classify(m({nanStrategy: 'replace'}), [Number.NaN, Number.NaN], [0, 0]).class).toBe(
			'Pass',
		);
	});

	it('a metric that must have data: NodataFailMetric, unless critical (then a critical Nodata)', () => {
		const r = classify(m({mustHaveData: true}), [], [1, 2]);
		expect([r.class, r.critical, r.reason]).toEqual([
			'NodataFailMetric',
			false,
			'm NodataFailMetric: no canary samples, and it must have data',
		]);
		expect(classify(m({mustHaveData: true, critical: true}), [], [1, 2])).toMatchObject({
			class: 'Nodata',
			critical: true,
		});
	});

	it('groups a metric under default unless told, and marks it muted', () => {
		expect(classify(m(), [1], [1]).group).toBe('default');
		expect(classify(m({group: 'latency', muted: true}), [1], [1])).toMatchObject({
			group: 'latency',
			muted: true,
		});
	});
});

const result = (
	metric: string,
	kind: MetricResult['class'],
	group: string,
	critical = false,
): MetricResult => ({metric, class: kind, reason: `${metric} ${kind}`, critical, group});

describe("Kayenta's scorer cases (ScorerSuite)", () => {
	it('one metric: Pass 100, High 0; a group with only Nodata scores 0 and the canary 0', () => {
		expect(score([result('a', 'Pass', 'g')]).score).toBe(100);
		expect(score([result('a', 'High', 'g')]).score).toBe(0);
		const nodata = score([result('a', 'Nodata', 'nodata')]);
		expect([nodata.score, nodata.groups]).toEqual([0, [{group: 'nodata', score: 0}]]);
		expect(nodata.reason).toBe('Canary Failed: 50% or more metrics returned NODATA');
	});

	it('two groups, one Pass, one Nodata: the Nodata group counts 100', () => {
		const r = score([
			result('a', 'Pass', 'pass'),
			result('b', 'Pass', 'pass'),
			result('c', 'Nodata', 'nodata'),
		]);
		expect(r.groups.map((g) => g.score).sort((p, q) => p - q)).toEqual([0, 100]);
		expect(r.score).toBe(100);
	});

	it('one group: Pass and High 50; Pass, High and Low 33.33', () => {
		expect(score([result('a', 'Pass', 'g'), result('b', 'High', 'g')]).score).toBe(50);
		expect(
			score([result('a', 'Pass', 'g'), result('b', 'High', 'g'), result('c', 'Low', 'g')]).score,
		).toBe(33.33);
	});

	it('weights: 75/25 gives 75, 50/50 gives 25, 50/50 with a Nodata 50, 15/85 gives 5', () => {
		const three = [
			result('a', 'Pass', 'group-1'),
			result('b', 'Pass', 'group-1'),
			result('c', 'High', 'group-2'),
		];
		expect(score(three, {groupWeights: {'group-1': 75, 'group-2': 25}}).score).toBe(75);
		const equal = {groupWeights: {'group-1': 50, 'group-2': 50}};
		expect(
			score(
				[
					result('a', 'Pass', 'group-1'),
					result('b', 'High', 'group-1'),
					result('c', 'High', 'group-2'),
				],
				equal,
			).score,
		).toBe(25);
		expect(
			score(
				[
					result('a', 'Pass', 'group-1'),
					result('b', 'Nodata', 'group-1'),
					result('c', 'High', 'group-2'),
				],
				equal,
			).score,
		).toBe(50);
		const four = [
			result('a', 'High', 'group1'),
			result('b', 'Low', 'group1'),
			result('c', 'Pass', 'group1'),
			result('d', 'High', 'group2'),
		];
		expect(score(four, {groupWeights: {group1: 15, group2: 85}}).score).toBe(5);
	});

	it('a critical failure is 0; a critical Pass is not; a critical Nodata is', () => {
		const failed = score([result('a', 'Pass', 'g'), result('b', 'High', 'g', true)]);
		expect([failed.score, failed.verdict, failed.reason]).toEqual([
			0,
			'Fail',
			'Canary Failed: b High',
		]);
		expect(score([result('a', 'Low', 'g'), result('b', 'Pass', 'g', true)]).score).toBe(50);
		expect(score([result('a', 'Pass', 'g'), result('b', 'Nodata', 'g', true)]).score).toBe(0);
	});
});

describe('the score and its verdict', () => {
	it('Pass from 75, Marginal from 50, else Fail, or the thresholds given', () => {
		const g = (pass: number, fail: number) => [
			...Array.from({length: pass}, (_, i) => result(`p${i}`, 'Pass', 'g')),
			...Array.from({length: fail}, (_, i) => result(`h${i}`, 'High', 'g')),
		];
		expect(score(g(3, 1))).toMatchObject({score: 75, verdict: 'Pass'});
		expect(score(g(1, 1))).toMatchObject({score: 50, verdict: 'Marginal'});
		expect(score(g(1, 2))).toMatchObject({score: 33.33, verdict: 'Fail'});
		expect(score(g(3, 1), {pass: 95, marginal: 75})).toMatchObject({verdict: 'Marginal'});
		expect(score(g(3, 1)).reason).toBeUndefined();
	});

	it('shares what the weights leave equally among the groups without one', () => {
		const r = score(
			[
				result('a', 'Pass', 'errors'),
				result('b', 'High', 'latency'),
				result('c', 'Pass', 'saturation'),
			],
			{groupWeights: {errors: 50}},
		);
		expect(r.score).toBe(75);
		expect(r.groups).toEqual([
			{group: 'errors', score: 100},
			{group: 'latency', score: 0},
			{group: 'saturation', score: 100},
		]);
	});

	it('counts NodataFailMetric against its group, and half or more Nodata fails the canary', () => {
		expect(score([result('a', 'Pass', 'g'), result('b', 'NodataFailMetric', 'g')]).score).toBe(50);
		expect(
			score([result('a', 'Pass', 'g'), result('b', 'Nodata', 'g'), result('c', 'Pass', 'g')]).score,
		).toBe(100);
		expect(score([result('a', 'Pass', 'g'), result('b', 'Nodata', 'g')]).score).toBe(0);
	});

	it('leaves muted metrics out, and scores nothing as 0', () => {
		const muted = {...result('b', 'High', 'g', true), muted: true};
		expect(score([result('a', 'Pass', 'g'), muted]).score).toBe(100);
		expect(score([])).toEqual({score: 0, verdict: 'Fail', groups: []});
	});

	it('judges classified metrics end to end', () => {
		const results = [
			classify({name: 'error ratio', group: 'errors'}, sparseCanary, sparseBaseline),
			classify({name: 'p99', group: 'latency'}, near10, baseline10),
			classify({name: 'rps', group: 'latency', direction: 'decrease'}, near20, baseline10),
		];
		expect(results.map((r) => r.class)).toEqual(['High', 'Pass', 'Pass']);
		expect(score(results)).toEqual({
			score: 50,
			verdict: 'Marginal',
			groups: [
				{group: 'errors', score: 0},
				{group: 'latency', score: 100},
			],
		});
	});
});
