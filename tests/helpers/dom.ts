/** A chart's container on the test's (jsdom) page; `afterEach(emptyBody)` removes every container after a test. */
export function mount(): HTMLDivElement {
  const el = document.createElement('div');
  document.body.appendChild(el);
  return el;
}

export function emptyBody(): void {
  document.body.innerHTML = '';
}
