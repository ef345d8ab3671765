// Bundles the editor (Yjs, y-webrtc and editor.js) into dist/editor.js with esbuild: the page loads nothing from a CDN.
// Run by bin/test and bin/local (after npm ci); `node build.mjs` by hand.
import { build } from 'esbuild';

await build({
  entryPoints: ['editor.js'],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  outfile: 'dist/editor.js',
  logLevel: 'warning',
  // simple-peer and its dependencies expect Node's globals; the browser has equivalents.
  define: { global: 'globalThis', 'process.env.NODE_DEBUG': 'false' },
  inject: ['process-shim.js'],
});
console.log('examples/yjs-editor: dist/editor.js built');
