# The sweep image for CPU nodes: the CLI, worker and metrics process (Node.js) with the PyTorch
# trainer (Debian's python3-torch) and the Fashion-MNIST files (Debian's dataset-fashion-mnist).
#   docker build -f deploy/docker/worker.Dockerfile -t sweep:cpu .
# Entry point: `sweep`; the command picks the role (`worker --queue cpu`, `metrics`, `start ...`).
FROM node:20-bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-torch dataset-fashion-mnist \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/sweep
COPY package.json package-lock.json ./
# Only runtime dependencies; npm 11 runs no install scripts (package.json allowScripts denies them).
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# The commit the image was built from, for leaderboard entries (there is no .git in the image):
#   docker build --build-arg SWEEP_COMMIT=$(git rev-parse HEAD) ...
ARG SWEEP_COMMIT=""
ENV SWEEP_COMMIT=$SWEEP_COMMIT
# Checkpoints of running trials are cached here before they go to the NATS object store.
ENV SWEEP_STATE_DIR=/var/lib/sweep
RUN mkdir -p /var/lib/sweep && chown node:node /var/lib/sweep
USER node
ENTRYPOINT ["node", "/opt/sweep/bin/sweep.js"]
CMD ["worker", "--queue", "cpu"]
