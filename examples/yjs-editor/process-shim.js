// What simple-peer's dependencies read of Node's `process` in a browser.
export const process = { env: {}, nextTick: (fn, ...args) => queueMicrotask(() => fn(...args)), browser: true };
