// Registers the service worker that keeps layerlens working offline (see sw.js).
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  navigator.serviceWorker.register('./sw.js').catch((error) => console.warn('layerlens: offline use is unavailable:', error));
}
