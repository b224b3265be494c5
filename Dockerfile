# citegraph's production image: `docker compose up -d` builds and runs it (see docker-compose.yml).
# Stage 1 installs every dependency (the install also generates the Prisma client) and compiles
# src/ to dist/; stage 2 keeps the runtime dependencies and the build, and runs as the
# unprivileged `node` user.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci && npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 DATA_DIR=/app/.data
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 4000
# Ready: the database answers and holds every migration of this build.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4000/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node runs as PID 1 with its own SIGTERM handler: `docker stop` drains the requests in flight.
CMD ["node", "dist/server.js"]
