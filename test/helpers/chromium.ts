import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// ROUNDTABLE_CLIENT_DIR lets a second build (another checkout, a parallel run) be tested without touching dist/.
export const CLIENT_DIR = process.env.ROUNDTABLE_CLIENT_DIR ?? path.join(root, 'dist', 'client');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, as root in a container, with nothing that reaches the network by itself. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** What is missing to drive the built app in Chromium, in words a person can act on; empty when nothing is. */
export function browserPrerequisites(clientDir = CLIENT_DIR): string[] {
  return [
    fs.existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium fonts-noto-cjk" (or set CHROMIUM_PATH)`,
    fs.existsSync(path.join(clientDir, 'index.html')) ? null : `no client build at ${clientDir}: run "npx vite build" (npm test does this)`,
  ].filter((m): m is string => m !== null);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
