import type { CSSProperties } from 'react';

/**
 * Hidden on screen, still read by screen readers. Inline rather than in the
 * optional stylesheet: without it, announcements would show twice on screen.
 */
export const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  border: 0,
  overflow: 'hidden',
  clipPath: 'inset(50%)',
  whiteSpace: 'nowrap',
};
