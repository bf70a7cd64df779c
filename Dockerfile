# Readout as a service, in a small image that runs as a non-root user.
#
#   docker build -t readout .
#   docker run -d -p 127.0.0.1:3000:3000 -v ~/statements:/data:ro -v readout-cache:/cache readout
#
# Without a folder mounted at /data it serves the sample archive. The data folder is only read
# (mount it read-only); the saved index goes to /cache. Options are environment variables
# (READOUT_*) or arguments after the image name: `docker run … readout serve --strict`.

ARG NODE_VERSION=22

# Build: compile and pack, exactly as `npm pack` does on a developer's machine.
FROM node:${NODE_VERSION}-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm pack --pack-destination /tmp

# Run: the packed tarball installed globally, without dev dependencies.
FROM node:${NODE_VERSION}-alpine
ENV NODE_ENV=production
# Scanned PDFs and images of pages are read by OCR: Tesseract with its language packs
# (add tesseract-ocr-data-<lang> for each language of the archive), pages drawn by pdftoppm.
ARG OCR_LANGUAGES="eng fra deu spa rus"
RUN apk add --no-cache tesseract-ocr poppler-utils \
    $(for l in $OCR_LANGUAGES; do printf 'tesseract-ocr-data-%s ' "$l"; done)
COPY --from=build /tmp/readout-archive-*.tgz /tmp/
# The sample archive moves to /data, where a mounted folder replaces it.
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/readout-archive-*.tgz \
  && rm -rf /tmp/readout-archive-*.tgz /root/.npm \
  && pkg=/usr/local/lib/node_modules/readout-archive \
  && mv "$pkg/data" /data && ln -s /data "$pkg/data" \
  && mkdir /cache && chown node:node /cache
COPY deploy/healthcheck.js /usr/local/lib/readout-healthcheck.js

USER node
# Listen on every interface of the container (publish the port on 127.0.0.1, or put a proxy
# with access control in front). Read-only: listening beyond loopback, collections and saved
# searches need people who sign in; for them, mount a users file (readout user add writes it),
# set READOUT_USERS to its path and READOUT_READ_ONLY to 0. The heap limit is 75% of the
# container's memory limit (docker run --memory), or READOUT_MAX_MEMORY.
ENV READOUT_HOST=0.0.0.0 \
    READOUT_PORT=3000 \
    READOUT_DATA=/data \
    READOUT_CACHE=/cache \
    READOUT_READ_ONLY=1
EXPOSE 3000
VOLUME ["/cache"]
# Healthy once the index is ready; a large archive may take minutes to build the first time.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10m --start-interval=5s --retries=3 \
  CMD ["node", "/usr/local/lib/readout-healthcheck.js"]
ENTRYPOINT ["readout"]
CMD ["serve"]
