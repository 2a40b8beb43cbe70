# syntax=docker/dockerfile:1
# One image for every role of Bản Số: `api`, `worker`, `migrate`, `seed`, `create-admin`,
# `verify-credential`, `backup`, `restore` (see docker/entrypoint.sh). Build: docker build -t banso .
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY seeds ./seeds
COPY test ./test
RUN npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE}
# Debian's ffmpeg (the npm-bundled one is only a fallback for laptops) and fonts for certificates.
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg fonts-dejavu-core tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Templates, assets and message files are read from src/ at run time.
COPY --from=build /app/src ./src
COPY --from=build /app/seeds ./seeds
COPY docker/entrypoint.sh /usr/local/bin/banso
RUN chmod 0755 /usr/local/bin/banso && mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" || exit 1
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/banso"]
CMD ["api"]
