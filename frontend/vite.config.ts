/// <reference types="vitest/config" />
// The dev server proxies each service's prefix to its local port, websockets included, so the
// app uses the same relative paths here as behind nginx in production.
import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';

const services: Record<string, number> = {
  'user-service-api': 8001,
  'question-service-api': 8002,
  'matching-service-api': 8003,
  'history-service-api': 8004,
  'collaboration-service-api': 8005,
  'chat-service-api': 8006,
};

// PEERPREP_API_ORIGIN sends every prefix to one origin (e.g. http://127.0.0.1:8080, the
// `make up` stack's nginx); PEERPREP_PORT_OFFSET moves the per-service ports (a second stack
// on 8101-8106 is offset 100).
function proxyFor(mode: string) {
  const env = loadEnv(mode, '.', 'PEERPREP_');
  const apiOrigin = env.PEERPREP_API_ORIGIN;
  const offset = Number(env.PEERPREP_PORT_OFFSET ?? '0');
  return Object.fromEntries(
    Object.entries(services).map(([prefix, port]) => [
      `/${prefix}`,
      { target: apiOrigin || `http://127.0.0.1:${port + offset}`, ws: true, changeOrigin: false },
    ]),
  );
}

export default defineConfig(({ mode }) => {
  const proxy = proxyFor(mode);
  return {
    plugins: [react()],
    server: { port: 5173, strictPort: true, proxy },
    preview: { port: 4173, strictPort: true, proxy },
    build: { outDir: 'dist' },
    test: {
      environment: 'jsdom',
      include: ['src/**/*.test.{ts,tsx}'],
      restoreMocks: true,
    },
  };
});
