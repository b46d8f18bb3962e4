# The sweep image for GPU nodes: PyTorch with CUDA (the official PyTorch runtime image), Node.js
# 20 for the worker, and the sweep code. The trainer downloads Fashion-MNIST on first use (checked
# by SHA-256) into ~/.cache/sweep/fashion-mnist: mount a volume at /home/sweep/.cache/sweep to keep it.
#   docker build -f deploy/docker/gpu-worker.Dockerfile -t sweep:gpu .
FROM node:20-bookworm-slim AS node
FROM pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime
# The official Node.js build needs only glibc 2.28, which this Ubuntu 22.04 base has.
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && useradd --create-home --uid 1000 sweep
WORKDIR /opt/sweep
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# The commit the image was built from, for leaderboard entries (there is no .git in the image):
#   docker build --build-arg SWEEP_COMMIT=$(git rev-parse HEAD) ...
ARG SWEEP_COMMIT=""
ENV SWEEP_COMMIT=$SWEEP_COMMIT
# The trainer runs under the image's python3, which has CUDA torch.
ENV SWEEP_PYTHON=/opt/conda/bin/python3 \
    SWEEP_STATE_DIR=/var/lib/sweep
RUN mkdir -p /var/lib/sweep /home/sweep/.cache/sweep && chown -R sweep:sweep /var/lib/sweep /home/sweep/.cache
USER sweep
ENTRYPOINT ["node", "/opt/sweep/bin/sweep.js"]
CMD ["worker", "--queue", "gpu"]
