/// <reference types="vitest/config" />
// The dev server proxies each service's prefix to its local port, websockets included, so the
// app uses the same relative paths here as behind nginx in production.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const services: Record<string, number> = {
  'user-service-api': 8001,
  'question-service-api': 8002,
  'matching-service-api': 8003,
  'history-service-api': 8004,
  'collaboration-service-api': 8005,
  'chat-service-api': 8006,
};

const proxy = Object.fromEntries(
  Object.entries(services).map(([prefix, port]) => [
    `/${prefix}`,
    { target: `http://127.0.0.1:${port}`, ws: true, changeOrigin: false },
  ]),
);

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true, proxy },
  preview: { port: 4173, strictPort: true, proxy },
  build: { outDir: 'dist', sourcemap: true },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
