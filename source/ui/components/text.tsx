import {Text as InkText} from 'ink';
import {Children, type ComponentProps, type ReactNode} from 'react';
import {visible} from '../../core/visible.js';

/**
 * Ink's Text, with every string in it made visible (control characters and bidi controls as
 * escapes, `\x1b]0;`): the one way text reaches the screen, so nothing from the cluster or
 * Prometheus can set the window title, write the clipboard, move the cursor or reorder a line.
 * Colors are props, never escapes in the text, so nothing of ours is lost.
 */
export function Text({children, ...props}: ComponentProps<typeof InkText>) {
	return <InkText {...props}>{safe(children)}</InkText>;
}

function safe(children: ReactNode): ReactNode {
	if (typeof children === 'string') return visible(children);
	return Children.map(children, (child) => (typeof child === 'string' ? visible(child) : child));
}
