// Single-key shortcuts ("n", "/") apply only when the user is not typing and no dialog is open.

function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || target.closest('input, textarea, select') !== null)
  );
}

/** The key the event stands for as a plain shortcut, or '' when it is not one. */
export function plainShortcut(event: KeyboardEvent): string {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return '';
  if (typing(event.target) || document.querySelector('dialog[open]')) return '';
  return event.key.length === 1 ? event.key.toLowerCase() : '';
}
