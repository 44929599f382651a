# driftwatch as a container. By default it runs the service (`driftwatch serve`);
# any other command works too: `docker run --rm -v "$PWD:/srv/driftwatch" driftwatch check`.

# Build: compile and bundle the TypeScript, and install the production dependencies. better-sqlite3 (the
# SQLite driver before Node 24; here node:sqlite is used and it is never loaded) is still a
# dependency: its install fetches a prebuilt binary, or compiles one with the tools below.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
# npm ci runs `prepare`, which compiles src/ and bundles the command into dist/bundle/; then the dev dependencies go.
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev \
 && npm cache clean --force

# Run: Node 24 LTS, production dependencies only, not root.
FROM node:24-bookworm-slim
# git: the `git` source; tini: PID 1 that forwards SIGTERM and reaps the commands sources run.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/bundle ./dist/bundle
COPY package.json ./
COPY bin ./bin
COPY dashboard ./dashboard
COPY rules ./rules
COPY schema ./schema
# /srv/driftwatch holds driftwatch.yaml (mount it) and, without a database URL, the SQLite store in /srv/driftwatch/.driftwatch.
RUN mkdir -p /srv/driftwatch/.driftwatch && chown -R node:node /srv/driftwatch
USER node
WORKDIR /srv/driftwatch
VOLUME ["/srv/driftwatch/.driftwatch"]
EXPOSE 3000
# No curl in slim images: node asks /healthz itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/bin/driftwatch.js"]
CMD ["serve"]
