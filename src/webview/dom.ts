// The two element factories the webview uses. Text goes in through textContent only.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A vscode-elements button with a fixed label (never peer text). */
export function button(label: string, onClick: () => void, secondary = false): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  if (secondary) b.setAttribute('secondary', '');
  b.addEventListener('click', onClick);
  return b;
}

/**
 * A compact vscode-elements button showing a codicon (or a short glyph text) instead of a
 * label, so narrow side bars keep room for the composer. The accessible name is `label`
 * (aria-label), since the glyph says nothing to a screen reader; `tooltip` says more.
 */
export function iconButton(glyph: { codicon: string } | { text: string }, label: string, tooltip: string, onClick: () => void, secondary = true): HTMLElement {
  const b = document.createElement('vscode-button');
  b.setAttribute('icon-only', '');
  b.setAttribute('aria-label', label);
  b.title = tooltip;
  if (secondary) b.setAttribute('secondary', '');
  const g = 'codicon' in glyph ? el('span', `codicon codicon-${glyph.codicon}`) : el('span', 'glyph-text', glyph.text);
  g.setAttribute('aria-hidden', 'true');
  b.append(g);
  b.addEventListener('click', onClick);
  return b;
}
