// layerlens custom element: <layerlens-view dockerfile="FROM …"></layerlens-view>, or the Dockerfile as the
// element's text content. Each element renders the Dockerfile with its findings into its own shadow root, so the
// page's CSS neither leaks in nor out. Load this script with a plain <script src="…/layerlens-embed.js">; the
// WebAssembly it needs is fetched once, next to this script, on the first element.
// Attributes: dockerfile (the text; else the text content), theme (light | dark; default: the system's).
(() => {
  const base = new URL('.', document.currentScript.src);
  const ASSETS = { app: '__APP_JS__', wasm: '__APP_WASM__', css: '__EMBED_CSS__' };
  let engine;
  const load = () => {
    if (!engine) {
      globalThis.layerlensHost = Object.assign(globalThis.layerlensHost || {}, { mode: 'element' });
      engine = import(new URL(ASSETS.app, base).href).then(async (glue) => {
        await glue.default({ module_or_path: new URL(ASSETS.wasm, base) });
        return glue;
      });
    }
    return engine;
  };
  // Authors indent the Dockerfile with the page's markup; remove the indentation all lines share.
  const dedent = (text) => {
    const lines = text.replace(/^\s*\n/, '').replace(/\s+$/, '').split('\n');
    const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)[0].length);
    const cut = indents.length ? Math.min(...indents) : 0;
    return lines.map((l) => l.slice(cut)).join('\n') + '\n';
  };
  class LayerlensView extends HTMLElement {
    static get observedAttributes() {
      return ['dockerfile'];
    }
    text() {
      return this.hasAttribute('dockerfile') ? this.getAttribute('dockerfile') : dedent(this.textContent);
    }
    connectedCallback() {
      if (this.shadowRoot) return;
      const shadow = this.attachShadow({ mode: 'open' });
      const style = document.createElement('link');
      style.rel = 'stylesheet';
      style.href = new URL(ASSETS.css, base).href;
      const mount = document.createElement('div');
      shadow.append(style, mount);
      load()
        .then((glue) => {
          if (!this.isConnected) return;
          this.view = glue.mount_view(mount, this.text(), new URL('index.html', base).href);
          this.dispatchEvent(new CustomEvent('layerlens-ready'));
        })
        .catch((error) => {
          mount.textContent = `layerlens could not start: ${error}`;
        });
    }
    attributeChangedCallback() {
      if (this.view) this.view.update(this.text());
    }
    disconnectedCallback() {
      if (this.view) {
        this.view.destroy();
        this.view = undefined;
      }
    }
  }
  if (!customElements.get('layerlens-view')) customElements.define('layerlens-view', LayerlensView);
})();
