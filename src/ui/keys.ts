import type { KeyboardEvent } from 'react';

/**
 * onKeyDown for an element with role="button" that is not a <button>: Enter and Space activate it, as they do a
 * native button (Space without scrolling the page).
 */
export function activateOnKey(activate: () => void): (e: KeyboardEvent) => void {
  return (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      activate();
    }
  };
}
