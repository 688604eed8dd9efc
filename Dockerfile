# The nnfleet image: namenodes and datanodes run the same build.
FROM node:20-slim
WORKDIR /opt/nnfleet
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev
ENV NODE_ENV=production
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["--help"]
