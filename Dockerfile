# The bot in production: one bundled ES module (`npm run build`, scripts/build.ts) run by Node 24.
# Try it without Docker first: `npm ci && npm start` (no BOT_TOKEN) opens the playground from the sources.

# Build stage: the dev dependencies (esbuild) bundle src/ with the production packages it imports.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No package needs an install script (esbuild finds its binary in its platform package); the `node`
# devDependency stays unused here: the image's own node is Node 24, and runs the build script directly.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts/build.ts ./scripts/build.ts
COPY src ./src
COPY data ./data
RUN node scripts/build.ts

# The image: Node 24 slim, the bundle and the data files; no node_modules (the bundle holds what it uses).
FROM node:24-bookworm-slim

# NODE_COMPILE_CACHE: Node keeps the compiled bundle there, so a restart skips compiling it again.
# GLIBC_TUNABLES: a fixed mmap threshold (glibc's default, 128 KiB). Otherwise glibc raises it each time a large
# block is freed, keeps later large blocks in its heap and does not give that memory back: after reading
# 100 000 student files at start the idle bot kept ~9 MB more (bench/RESULTS.md).
# Everything the bot writes is under /data (the volume): the image runs with a read-only root file system too
# (docker run --read-only -v data:/data; add --tmpfs /tmp for the compile cache).
ENV NODE_ENV=production \
    NODE_COMPILE_CACHE=/tmp/node-compile-cache \
    GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072 \
    USERS_DIR=/data/users \
    LOG_DIR=/data/logs \
    RECORDS_DIR=/data/records \
    PORT=8080

WORKDIR /app

COPY --from=build /app/dist ./dist
COPY data ./data

# Students' files and logs live on a volume, owned by the unprivileged `node` user of the base image.
RUN mkdir -p /data/users /data/logs /data/records && chown -R node:node /data
VOLUME ["/data"]
USER node

EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node itself is the container's main process: SIGTERM from `docker stop` reaches the bot directly, which
# finishes in-flight updates and exits 0. (`docker run --init` adds a reaper in front; nothing needs it.)
STOPSIGNAL SIGTERM
# --expose-gc: the bot compacts its heap once, when start-up is over and before the first update
# (src/adapters/system/heap.ts). --max-semi-space-size=16: V8's young generation is the same whatever the
# container's memory limit. Without it, node sizes it from the limit, and at 256 or 512 MB the bot handled a
# burst of 1 000 students at half the speed (46 against 85 registrations/s); with no limit, the flag costs
# ~3 % of that speed and saves ~80 MB at the peak (bench/RESULTS.md). `npm start` passes both; the bench runs
# this very command.
CMD ["node", "--expose-gc", "--max-semi-space-size=16", "dist/main.mjs"]
