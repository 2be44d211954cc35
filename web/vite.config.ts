// Vite builds the web UI from web/ into web/dist, which the server serves at /; in development
// (`npx vite --config web/vite.config.ts`) it proxies /api to a Cairn server on port 8080.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);

export default defineConfig({
  root: webRoot,
  plugins: [react()],
  build: {
    outDir: `${webRoot}dist`,
    emptyOutDir: true,
    // Mantine alone is about 400 kB before compression; one chunk is fine for an intranet app.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});
