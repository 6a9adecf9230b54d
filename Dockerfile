# One image per service, as build targets of one Dockerfile:
#   docker build --target gateway -t baton/gateway .
# Targets: gateway guardrails router planner agent cost-accountant simulator.
# The build stage compiles everything once; the runtime stages carry only production
# dependencies, the compiled dist/ and the YAML configuration, owned by root and read-only
# to the process.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Optional dependencies stay in (Nx's native binary is one); the npm cache lives only in this stage.
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json tsconfig.build.json nx.json ./
COPY apps apps
COPY libs libs
COPY runtime runtime
COPY scripts scripts
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund \
  && rm -f dist/.tsbuildinfo

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json nx.json ./
COPY config config
COPY workflows workflows
# Numeric uid:gid (the image's `node` user), so Kubernetes can verify runAsNonRoot.
# Nothing is written at runtime: the container runs with a read-only root filesystem;
# Kubernetes mounts an emptyDir on /tmp as a precaution for libraries that want scratch space.
USER 1000:1000
# Liveness for plain `docker run` (node images have no curl); compose and Kubernetes
# use their own checks on /readyz and /healthz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "--enable-source-maps", "-r", "./dist/runtime/preload.js"]

FROM runtime AS gateway
ENV OTEL_SERVICE_NAME=baton-gateway PORT=8080
EXPOSE 8080
CMD ["dist/apps/gateway/src/main.js"]

FROM runtime AS guardrails
ENV OTEL_SERVICE_NAME=baton-guardrails PORT=8081
EXPOSE 8081
CMD ["dist/apps/guardrails/src/main.js"]

FROM runtime AS router
ENV OTEL_SERVICE_NAME=baton-router PORT=8082
EXPOSE 8082
CMD ["dist/apps/router/src/main.js"]

FROM runtime AS planner
ENV OTEL_SERVICE_NAME=baton-planner PORT=8083
EXPOSE 8083
CMD ["dist/apps/planner/src/main.js"]

FROM runtime AS agent
ENV OTEL_SERVICE_NAME=baton-agent PORT=8084
EXPOSE 8084
CMD ["dist/apps/agent/src/main.js"]

FROM runtime AS cost-accountant
ENV OTEL_SERVICE_NAME=baton-cost-accountant PORT=8085
EXPOSE 8085
CMD ["dist/apps/cost-accountant/src/main.js"]

FROM runtime AS simulator
ENV OTEL_SERVICE_NAME=baton-simulator PORT=8090
EXPOSE 8090
CMD ["dist/apps/simulator/src/main.js"]
