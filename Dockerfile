# One image per service, as build targets of one Dockerfile:
#   docker build --target gateway -t baton/gateway .
# Build stage compiles everything once; runtime stages carry only production deps and dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nx.json ./
COPY apps apps
COPY libs libs
COPY tools tools
COPY scripts scripts
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json nx.json ./
COPY config config
COPY workflows workflows
USER node
ENTRYPOINT ["node", "--enable-source-maps", "-r", "./dist/tools/runtime/preload.js"]

FROM runtime AS gateway
ENV OTEL_SERVICE_NAME=baton-gateway PORT=8080
EXPOSE 8080
CMD ["dist/apps/gateway/src/main.js"]

FROM runtime AS guardrails
ENV OTEL_SERVICE_NAME=baton-guardrails PORT=8081
CMD ["dist/apps/guardrails/src/main.js"]

FROM runtime AS router
ENV OTEL_SERVICE_NAME=baton-router PORT=8082
CMD ["dist/apps/router/src/main.js"]

FROM runtime AS planner
ENV OTEL_SERVICE_NAME=baton-planner PORT=8083
CMD ["dist/apps/planner/src/main.js"]

FROM runtime AS agent
ENV OTEL_SERVICE_NAME=baton-agent PORT=8084
CMD ["dist/apps/agent/src/main.js"]

FROM runtime AS cost-accountant
ENV OTEL_SERVICE_NAME=baton-cost-accountant PORT=8086
CMD ["dist/apps/cost-accountant/src/main.js"]

FROM runtime AS simulator
ENV OTEL_SERVICE_NAME=baton-simulator PORT=8090
EXPOSE 8090
CMD ["dist/apps/simulator/src/main.js"]
