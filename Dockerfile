# driftwatch as a container: `docker run --rm -v "$PWD:/work" driftwatch check`
FROM node:20-bookworm-slim AS build
WORKDIR /app
# git is a runtime dependency of the `git` source; python3, make and g++ build better-sqlite3.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY rules ./rules
COPY schema ./schema
USER node
WORKDIR /work
ENTRYPOINT ["node", "/app/bin/driftwatch.js"]
CMD ["--help"]
