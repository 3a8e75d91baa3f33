import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// As a fresh create-vite React + TypeScript app has it.
export default defineConfig({
  plugins: [react()],
});
