# Sourced by bin/test and bin/bench: installs the locked npm packages of the given directories when missing or
# older than their lock file. The y-webrtc client test runs the real npm client under Node (app/src/test/node);
# the signaling benchmark runs y-webrtc's own server as its reference (bench/node).
node_deps() {
    local node_dir
    for node_dir in "$@"; do
        if [ ! -d "$node_dir/node_modules" ] || [ "$node_dir/package-lock.json" -nt "$node_dir/node_modules" ]; then
            if ! command -v npm >/dev/null 2>&1; then
                echo "$0 needs Node.js and npm for y-webrtc (for example: apt-get install nodejs npm)." >&2
                exit 1
            fi
            echo "$0: installing the npm packages of $node_dir ..." >&2
            (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
        fi
    done
}

# The examples' page bundles (esbuild, at build time: no CDN): rebuilt when a source is newer than the bundle.
build_examples() {
    node_deps examples/yjs-editor
    if [ ! -f examples/yjs-editor/dist/editor.js ] \
        || [ -n "$(find examples/yjs-editor/editor.js examples/yjs-editor/build.mjs examples/yjs-editor/package-lock.json \
            -newer examples/yjs-editor/dist/editor.js -print -quit)" ]; then
        (cd examples/yjs-editor && node build.mjs)
    fi
}

