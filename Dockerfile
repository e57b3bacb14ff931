# fastly-token-broker: the keyless broker as a container image.
# Node 24 slim, runs as the image's unprivileged `node` user, writes nothing to disk (run it with a
# read-only root filesystem), takes its Fastly credential from the environment only and its
# config from a mounted file. Terminate TLS in front of it (see docs/broker.md).
#
#   docker build -t fastly-token-broker .
#   docker run --read-only -p 8080:8080 \
#     -e FASTLY_BROKER_USERNAME -e FASTLY_BROKER_PASSWORD -e FASTLY_BROKER_TOTP_SECRET \
#     -v "$PWD/broker.yaml:/etc/fastly-token-broker/broker.yaml:ro" fastly-token-broker

FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# No install scripts: the build needs only tsc, and the image's own node runs it.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN node node_modules/typescript/bin/tsc -p tsconfig.build.json && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/lib ./lib
USER node
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/lib/broker/bin.js"]
CMD ["--config", "/etc/fastly-token-broker/broker.yaml", "--host", "0.0.0.0", "--port", "8080"]
