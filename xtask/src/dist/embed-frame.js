// layerlens embed.html: tells the embedding page how tall the view is, and follows the theme the page asks for.
// Messages to the parent: { type: 'layerlens-size', height }. From the parent: { type: 'layerlens-theme',
// theme: 'light' | 'dark' | 'system' }. A `theme=` in the URL fragment sets the starting theme.
(() => {
  const root = document.documentElement;
  const setTheme = (theme) => {
    if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
    else delete root.dataset.theme;
  };
  const fromFragment = /(?:^#|&)theme=(light|dark)(?:&|$)/.exec(location.hash);
  if (fromFragment) setTheme(fromFragment[1]);
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || !event.data || event.data.type !== 'layerlens-theme') return;
    setTheme(event.data.theme);
  });
  if (window.parent === window) return;
  let last = 0;
  const report = () => {
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: 'layerlens-size', height }, '*');
    }
  };
  new ResizeObserver(report).observe(root);
  window.addEventListener('load', report);
})();
