// Webview bundle entry. Runs in a CSP-locked iframe: no Node APIs, no `vscode` import.
// Peer strings are rendered with textContent only. The chat UI arrives with the chat issue.

export function renderPlain(parent: HTMLElement, text: string): HTMLElement {
  const el = document.createElement('p');
  el.textContent = text;
  parent.appendChild(el);
  return el;
}
