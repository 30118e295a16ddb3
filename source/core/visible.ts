/**
 * Text from the cluster, made safe to print on a terminal: control characters (C0, DEL, C1,
 * which start escape sequences and move the cursor) and bidi controls (which reorder what is
 * shown) become visible escapes (`\x1b`, `\u202e`), so what is printed is what was there.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function visible(text: string): string {
	return text.replace(unsafe, (char) => {
		const code = char.charCodeAt(0);
		return code <= 0xff
			? `\\x${code.toString(16).padStart(2, '0')}`
			: `\\u${code.toString(16).padStart(4, '0')}`;
	});
}

/** As `visible`, line by line: for messages of several lines written by cutover itself. */
export function visibleLines(text: string): string {
	return text.split('\n').map(visible).join('\n');
}
